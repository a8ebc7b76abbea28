"""One poll of a batch of assets: engine results in, observations out (asyncio; no Django here)."""

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from monitoring.engine import (
    IcmpPinger,
    IcmpResult,
    IcmpTarget,
    SnmpPoller,
    SnmpResult,
    SnmpTarget,
    Thresholds,
    Verdict,
    classify_icmp,
    classify_snmp,
)
from monitoring.observations import Observation


@dataclass(frozen=True, slots=True)
class PollJob:
    asset_id: int
    icmp: IcmpTarget | None
    snmp: SnmpTarget | None
    thresholds: Thresholds
    interval_s: int
    phase_s: float  # where in each interval its polls are due (monitoring.schedule)


def combine(icmp: Verdict | None, snmp: Verdict | None) -> Verdict:
    """One verdict per asset from its ICMP and SNMP verdicts."""
    if snmp is None:
        return icmp
    if icmp is None:
        return snmp
    if snmp.state == "error":  # bad credentials say nothing about reachability: the ping decides, SNMP says what failed
        return Verdict(icmp.state, "; ".join(reason for reason in (icmp.reason, snmp.reason) if reason))
    if snmp.state == "down":  # the agent is silent
        return icmp if icmp.state == "down" else Verdict("degraded", f"ping ok, SNMP: {snmp.reason}")
    # The agent answered, so the asset is reachable even where ICMP is filtered; otherwise the worse wins.
    return snmp if icmp.state == "down" or snmp.state == "degraded" else icmp


def _observation(job: PollJob, at: datetime, icmp: IcmpResult | None, snmp: SnmpResult | None) -> Observation:
    icmp_verdict = classify_icmp(icmp, job.thresholds) if icmp is not None else None
    snmp_verdict = classify_snmp(snmp) if snmp is not None else None
    verdict = combine(icmp_verdict, snmp_verdict)
    snmp_ok = snmp is not None and snmp.status == "ok"
    return Observation(
        asset_id=job.asset_id,
        at=at,
        source="snmp" if icmp is None else "icmp",
        verdict=verdict.state,
        reason=verdict.reason,
        rtt_ms=icmp.rtt_avg_ms if icmp else (snmp.rtt_ms if snmp_ok else None),
        rtt_max_ms=icmp.rtt_max_ms if icmp else None,
        loss=icmp.loss if icmp and icmp.error is None else None,
        sys_uptime=snmp.sys_uptime if snmp_ok else None,
        sys_name=snmp.sys_name if snmp_ok else None,
        snmp_auth_error=(snmp.reason or "SNMP authentication failed") if snmp and snmp.status == "auth_error" else "",
        snmp_values=snmp.extras if snmp_ok else {},
    )


async def poll(
    jobs: Sequence[PollJob],
    *,
    pinger: IcmpPinger,
    snmp_poller: SnmpPoller | None,
    icmp_count: int = 3,
    icmp_timeout: float = 1.0,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    progress: Callable[[int, int], None] | None = None,
) -> list[Observation]:
    """Ping and query every job's asset concurrently; one observation per job, in job order.

    `progress(done, total)` is called each time an asset's probes are all settled, from inside the
    one sweep, so a progress bar costs the sweep nothing.
    """
    icmp_jobs = [job for job in jobs if job.icmp is not None]
    snmp_jobs = [job for job in jobs if job.snmp is not None] if snmp_poller else []
    on_icmp, on_snmp = _progress_by_job(jobs, icmp_jobs, snmp_jobs, progress)
    icmp_sweep = pinger.sweep(
        [job.icmp for job in icmp_jobs], count=icmp_count, timeout=icmp_timeout, on_result=on_icmp
    )
    snmp_sweep = snmp_poller.poll([job.snmp for job in snmp_jobs], on_result=on_snmp) if snmp_jobs else _nothing()
    icmp_results, snmp_results = await asyncio.gather(icmp_sweep, snmp_sweep)
    by_asset_icmp = {job.asset_id: result for job, result in zip(icmp_jobs, icmp_results, strict=True)}
    by_asset_snmp = {job.asset_id: result for job, result in zip(snmp_jobs, snmp_results, strict=True)}
    at = clock()
    return [
        _observation(job, at, by_asset_icmp.get(job.asset_id), by_asset_snmp.get(job.asset_id))
        for job in jobs
        if job.asset_id in by_asset_icmp or job.asset_id in by_asset_snmp
    ]


def _progress_by_job(
    jobs: Sequence[PollJob],
    icmp_jobs: list[PollJob],
    snmp_jobs: list[PollJob],
    progress: Callable[[int, int], None] | None,
) -> tuple[Callable[[int], None] | None, Callable[[int], None] | None]:
    """The engine's per-probe callbacks, counting a job done once its ICMP and SNMP results are both in."""
    if progress is None:
        return None, None
    probes = Counter(job.asset_id for job in (*icmp_jobs, *snmp_jobs))
    total, done = len(probes), 0

    def settled(job: PollJob) -> None:
        nonlocal done
        probes[job.asset_id] -= 1
        if not probes[job.asset_id]:
            done += 1
            progress(done, total)

    return (lambda position: settled(icmp_jobs[position])), (lambda position: settled(snmp_jobs[position]))


async def _nothing() -> list:
    return []
