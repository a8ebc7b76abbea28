"""The centre's side of the protocol: a poller's assignment, and recording the results it ships."""

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from monitoring.lookups import chunks
from monitoring.models import Poller
from monitoring.recorder import record
from monitoring.remote.assignment import poller_assets
from monitoring.remote.wire import Batch, job_to_wire
from monitoring.targets import JOB_COLUMNS, jobs_for_rows

log = logging.getLogger("simpul.remote")


def assignment_payload(poller: Poller) -> tuple[dict, str]:
    """What `poller` polls, with every secret its probes need, and the ETag of exactly that."""
    rows = list(poller_assets(poller).order_by("pk").values_list(*JOB_COLUMNS))
    payload = {
        "poller": {"id": poller.pk, "name": poller.name, "agency": poller.agency.code},
        "targets": [job_to_wire(job) for job in jobs_for_rows(rows)],
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return payload, f'"{digest[:32]}"'


class OutsideAssignment(Exception):
    """Results for assets the poller does not poll; `refused` maps each one's place to its seq."""

    def __init__(self, refused: dict[int, int]) -> None:
        super().__init__(refused)
        self.refused = refused  # index in the batch -> seq


@dataclass(frozen=True, slots=True)
class Ingested:
    recorded_through: int
    recorded: int
    duplicates: int


@transaction.atomic
def ingest_batch(*, poller_id: int, batch: Batch, now: datetime) -> Ingested:
    """Record a batch exactly once, as the central poller records its own cycle; every POST is a heartbeat.

    The poller row is locked, so two batches of one poller are recorded one after the other. A result
    already recorded (seq not above the poller's last) is acknowledged, not recorded again. A result for
    an asset outside the assignment refuses the whole batch (the caller's transaction writes nothing).
    """
    poller = Poller.objects.select_for_update().get(pk=poller_id)
    fresh = [(index, seq, obs) for index, (seq, obs) in enumerate(batch.results) if seq > poller.last_seq]
    ids = {obs.asset_id for _index, _seq, obs in fresh}
    allowed = set()
    for chunk in chunks(ids):
        allowed.update(poller_assets(poller).filter(pk__among=chunk).values_list("pk", flat=True))
    refused = {index: seq for index, seq, obs in fresh if obs.asset_id not in allowed}
    if refused:
        raise OutsideAssignment(refused)
    record([obs for _index, _seq, obs in fresh], now=now)
    if fresh:
        poller.last_seq = fresh[-1][1]
    if batch.dropped:
        log.warning("poller %s (%s) dropped %d results: its spool was full", poller.pk, poller.name, batch.dropped)
    poller.last_contact_at, poller.last_backlog, poller.version = now, batch.backlog, batch.version
    poller.dropped_results += batch.dropped
    poller.save(update_fields=["last_seq", "last_contact_at", "last_backlog", "version", "dropped_results"])
    return Ingested(recorded_through=poller.last_seq, recorded=len(fresh), duplicates=len(batch.results) - len(fresh))
