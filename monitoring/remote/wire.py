"""The remote protocol's JSON, both ways, in one place (PROTOCOL.md; no Django here: the poller's side uses it too).

Jobs travel from the centre to the poller, results back. Results are decoded by hand rather than by a DRF
serializer: a batch holds thousands of them and the ingest must absorb thousands per second. Every error
names its place, e.g. `results[3].at`.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from monitoring.engine import IcmpTarget, SnmpTarget, Thresholds
from monitoring.observations import Observation
from monitoring.poll import PollJob

VERDICTS = frozenset({"up", "degraded", "down", "error"})
SOURCES = frozenset({"icmp", "snmp"})
MAX_VALUES = 500  # labels in one result's SNMP values: 32 watched interfaces' counters and then some
_SNMP_FIELDS = ("port", "version", "community", "username", "auth_protocol", "auth_key", "priv_protocol", "priv_key")


def job_to_wire(job: PollJob) -> dict:
    snmp = None
    if job.snmp is not None:
        snmp = {"address": job.snmp.address, **{name: getattr(job.snmp, name) for name in _SNMP_FIELDS}}
        snmp["if_indexes"] = list(job.snmp.if_indexes)
        snmp["extra_oids"] = [list(pair) for pair in job.snmp.extra_oids]
    return {
        "asset": job.asset_id,
        "interval_s": job.interval_s,
        "phase_s": job.phase_s,
        "thresholds": {
            "loss_degraded": job.thresholds.loss_degraded,
            "rtt_degraded_ms": job.thresholds.rtt_degraded_ms,
        },
        "icmp": {"address": job.icmp.address} if job.icmp is not None else None,
        "snmp": snmp,
    }


def job_from_wire(data: dict) -> PollJob:
    """A job as the centre sent it (trusted: it comes over an authenticated TLS connection)."""
    pk = int(data["asset"])
    snmp = data.get("snmp")
    return PollJob(
        asset_id=pk,
        icmp=IcmpTarget(key=pk, address=data["icmp"]["address"]) if data.get("icmp") else None,
        snmp=SnmpTarget(
            key=pk,
            address=snmp["address"],
            **{name: snmp[name] for name in _SNMP_FIELDS},
            if_indexes=tuple(snmp["if_indexes"]),
            extra_oids=tuple(tuple(pair) for pair in snmp["extra_oids"]),
        )
        if snmp
        else None,
        thresholds=Thresholds(**data["thresholds"]),
        interval_s=int(data["interval_s"]),
        phase_s=float(data["phase_s"]),
    )


def result_to_wire(seq: int, observation: Observation) -> dict:
    return {
        "seq": seq,
        "asset": observation.asset_id,
        "at": observation.at.isoformat(),
        "source": observation.source,
        "verdict": observation.verdict,
        "reason": observation.reason,
        "rtt_ms": observation.rtt_ms,
        "rtt_max_ms": observation.rtt_max_ms,
        "loss": observation.loss,
        "sys_uptime": observation.sys_uptime,
        "sys_name": observation.sys_name,
        "snmp_auth_error": observation.snmp_auth_error,
        "snmp_values": observation.snmp_values,
    }


@dataclass(frozen=True, slots=True)
class Batch:
    version: str
    backlog: int
    dropped: int
    results: list[tuple[int, Observation]]  # (seq, observation), in seq order


class WireError(ValueError):
    """A malformed batch; `errors` maps each place (`results[3].at`) to what is wrong there."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _count(value, place: str, errors: dict, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or value > 2**63 - 1:
        errors[place] = f"must be a whole number from {low} to 2^63-1"
        return 0
    return value


def _number(value, place: str, errors: dict, *, low: float = 0.0, high: float = math.inf) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        errors[place] = f"must be null or a number from {low} to {high}"
        return None
    return float(value)


def _values(value, place: str, errors: dict) -> dict:
    """The SNMP values a poll read (metrics): label -> a whole number up to 2^64 (Counter64), a finite number,
    short text or null."""
    if not isinstance(value, dict) or len(value) > MAX_VALUES:
        errors[place] = f"must be an object of at most {MAX_VALUES} labels"
        return {}
    for label, item in value.items():
        fits = (
            item is None
            or (isinstance(item, int) and not isinstance(item, bool) and -(2**63) <= item < 2**64)
            or (isinstance(item, float) and math.isfinite(item))
            or (isinstance(item, str) and len(item) <= 200)
        )
        if len(label) > 60 or not fits:
            errors[f"{place}.{label[:60]}"] = "must be null, a number or text of at most 200 characters"
            return {}
    return value


def _text(value, place: str, errors: dict, *, limit: int, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or len(value) > limit:
        errors[place] = f"must be text of at most {limit} characters"
        return ""
    return value


def _moment(value, place: str, errors: dict) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None or not 2000 <= moment.year <= 2100:
        errors[place] = "must be an ISO 8601 moment with its offset, between the years 2000 and 2100"
        return None
    return moment


def _result(item, place: str, errors: dict) -> tuple[int, Observation] | None:
    if not isinstance(item, dict):
        errors[place] = "must be an object"
        return None
    before = len(errors)
    seq = _count(item.get("seq"), f"{place}.seq", errors, low=1)
    asset = _count(item.get("asset"), f"{place}.asset", errors, low=1)
    at = _moment(item.get("at"), f"{place}.at", errors)
    source, verdict = item.get("source"), item.get("verdict")
    if not isinstance(source, str) or source not in SOURCES:
        errors[f"{place}.source"] = f"must be one of {', '.join(sorted(SOURCES))}"
    if not isinstance(verdict, str) or verdict not in VERDICTS:
        errors[f"{place}.verdict"] = f"must be one of {', '.join(sorted(VERDICTS))}"
    uptime = item.get("sys_uptime")
    observation = Observation(
        asset_id=asset,
        at=at,
        source=source,
        verdict=verdict,
        reason=_text(item.get("reason", ""), f"{place}.reason", errors, limit=1000),
        rtt_ms=_number(item.get("rtt_ms"), f"{place}.rtt_ms", errors, high=1e7),
        rtt_max_ms=_number(item.get("rtt_max_ms"), f"{place}.rtt_max_ms", errors, high=1e7),
        loss=_number(item.get("loss"), f"{place}.loss", errors, high=1.0),
        sys_uptime=None if uptime is None else _count(uptime, f"{place}.sys_uptime", errors),
        sys_name=_text(item.get("sys_name"), f"{place}.sys_name", errors, limit=1000, nullable=True),
        snmp_auth_error=_text(item.get("snmp_auth_error", ""), f"{place}.snmp_auth_error", errors, limit=1000),
        snmp_values=_values(item.get("snmp_values", {}), f"{place}.snmp_values", errors),
    )
    return None if len(errors) > before else (seq, observation)


def batch_from_wire(data) -> Batch:
    """Decode and check a results POST; raises WireError naming every bad place."""
    if not isinstance(data, dict):
        raise WireError({"non_field_errors": "the body must be a JSON object"})
    errors: dict[str, str] = {}
    version = _text(data.get("version", ""), "version", errors, limit=40)
    backlog = _count(data.get("backlog", 0), "backlog", errors)
    dropped = _count(data.get("dropped", 0), "dropped", errors)
    items = data.get("results")
    if not isinstance(items, list):
        errors["results"] = "must be a list (empty for a heartbeat)"
        items = []
    results = [_result(item, f"results[{i}]", errors) for i, item in enumerate(items)]
    previous = 0
    for i, decoded in enumerate(results):
        if decoded is not None:
            if decoded[0] <= previous:
                errors.setdefault(f"results[{i}].seq", "must be greater than the seq before it")
            previous = decoded[0]
    if errors:
        raise WireError(errors)
    return Batch(version=version, backlog=backlog, dropped=dropped, results=results)
