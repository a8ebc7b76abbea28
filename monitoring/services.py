"""Writes of the monitoring app that people make (the poll path writes through monitoring.recorder)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.scoping import agencies_under
from assets.choices import AssetKind
from assets.models import Agency, Asset
from monitoring.choices import Source, State
from monitoring.models import RadioCheck, RadioCheckEntry
from monitoring.observations import Observation
from monitoring.recorder import record

# Stations called on a radio net; everything else is reached by ICMP or SNMP.
RADIO_KINDS = (AssetKind.HF_RADIO, AssetKind.VHF_RADIO, AssetKind.UHF_RADIO, AssetKind.REPEATER)
# The RS report: readability R1-R5, strength S1-S9 ("5/9" is loud and clear). At or below these a
# station is in trouble ("barely readable", "weak signal"), not a working one.
POOR_REPORT = {"R": 2, "S": 3}


@dataclass(frozen=True, slots=True)
class RollCallAnswer:
    """One station's line in a roll call: answered or not, with an optional report (readability 1-5, strength 1-9)."""

    asset: Asset
    answered: bool
    readability: int | None = None
    signal: int | None = None

    def verdict(self) -> tuple[str, str]:
        """The health verdict and reason this answer is evidence for."""
        if not self.answered:
            return State.DOWN, gettext_noop("tidak menjawab apel radio")  # stored; read through formats.stored
        report = {"R": self.readability, "S": self.signal}
        given = [f"{letter}{value}" for letter, value in report.items() if value is not None]
        if not given:
            return State.UP, gettext_noop("menjawab apel")
        poor = any(value is not None and value <= POOR_REPORT[letter] for letter, value in report.items())
        return (State.DEGRADED if poor else State.UP), " ".join(given)


@transaction.atomic
def radio_check_record(
    *,
    agency: Agency,
    held_at: datetime,
    net: str,
    notes: str,
    operator: User | None,
    entries: Sequence[RollCallAnswer],
) -> RadioCheck:
    """Save a roll call and feed each answer to the recorder as an observation of the radio.

    A radio that missed `confirm_count` roll calls in a row goes down and opens an outage through the
    same state machine as a router that stopped answering pings.
    """
    check = RadioCheck(agency=agency, held_at=held_at, net=net, notes=notes, operator=operator)
    check.full_clean()
    _validate_entries(agency, entries)
    check.save()
    RadioCheckEntry.objects.bulk_create(
        RadioCheckEntry(
            radio_check=check,
            asset=entry.asset,
            answered=entry.answered,
            readability=entry.readability if entry.answered else None,
            signal=entry.signal if entry.answered else None,
        )
        for entry in entries
    )
    observations = []
    for entry in entries:
        verdict, reason = entry.verdict()
        observations.append(
            Observation(asset_id=entry.asset.pk, at=held_at, source=Source.RADIO_CHECK, verdict=verdict, reason=reason)
        )
    record(observations, now=held_at)
    return check


def _validate_entries(agency: Agency, entries: Sequence[RollCallAnswer]) -> None:
    errors = []
    if not entries:
        errors.append(_("Apel tanpa stasiun."))
    # A province's net calls its regencies' radios too: any station of the agency or of one under it.
    reachable = set(agencies_under(agency.pk).values_list("pk", flat=True))
    seen: set[int] = set()
    for entry in entries:
        if entry.asset.pk in seen:
            errors.append(_("%(name)s tercatat dua kali.") % {"name": entry.asset.name})
        seen.add(entry.asset.pk)
        if entry.asset.agency_id not in reachable:
            errors.append(_("%(name)s milik instansi lain.") % {"name": entry.asset.name})
        if entry.asset.kind not in RADIO_KINDS:
            errors.append(_("%(name)s bukan radio.") % {"name": entry.asset.name})
    if errors:
        raise ValidationError({"entries": errors})
