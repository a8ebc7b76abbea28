"""One poll of an asset through the real path: its job from the database, the engine against snmpd, the recorder."""

import asyncio
from datetime import datetime

from monitoring.engine import IcmpPinger, SnmpPoller
from monitoring.models import ProbeConfig
from monitoring.observations import Observation
from monitoring.poll import poll
from monitoring.recorder import record
from monitoring.targets import jobs_for_rows
from tests.monitoring.metrics.agent import FAKE_IF
from tests.peers import COMMUNITY


def watch(asset, port: int, if_indexes=(FAKE_IF,)) -> None:
    """SNMP only (no ping: snmpd is the asset), the interfaces given."""
    ProbeConfig.objects.create(
        asset=asset, icmp=False, snmp=True, snmp_port=port, snmp_community=COMMUNITY, if_indexes=list(if_indexes)
    )


def poll_once(asset, at: datetime) -> Observation:
    jobs = jobs_for_rows([(asset.pk, asset.agency_id, asset.kind, asset.management_address)])

    async def run():
        async with IcmpPinger() as pinger, SnmpPoller(timeout=1.0, retries=2) as snmp:
            return await poll(jobs, pinger=pinger, snmp_poller=snmp, clock=lambda: at)

    (observation,) = asyncio.run(run())
    record([observation], now=at)
    return observation
