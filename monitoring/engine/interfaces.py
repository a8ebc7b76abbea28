"""An agent's interface table, walked by GETBULK (no Django): what a technician chooses the watched ones from."""

from dataclasses import dataclass

from monitoring.engine.results import SnmpTarget
from monitoring.engine.snmp import SnmpPoller
from monitoring.engine.snmp_client import Failure

IF_DESCR, IF_NAME, IF_HIGH_SPEED = "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.15"


@dataclass(frozen=True, slots=True)
class Interface:
    index: int
    name: str  # ifName ("ether1", "Gi0/1"), else ifDescr
    descr: str
    speed_mbps: int | None


async def interface_table(poller: SnmpPoller, target: SnmpTarget) -> list[Interface] | Failure:
    """Every interface the agent lists (ifDescr, from the always-present ifTable), with ifName and ifHighSpeed."""
    columns = {}
    for column in (IF_DESCR, IF_NAME, IF_HIGH_SPEED):
        rows = await poller.walk(target, column)
        if isinstance(rows, Failure):
            if column == IF_DESCR:
                return rows
            rows = []  # an old agent without IF-MIB's ifXTable: descriptions only
        columns[column] = {int(oid.rsplit(".", 1)[1]): value for oid, value in rows}
    names, speeds = columns[IF_NAME], columns[IF_HIGH_SPEED]
    return [
        Interface(
            index=index,
            name=str(names.get(index) or descr),
            descr=str(descr),
            speed_mbps=speeds[index] if isinstance(speeds.get(index), int) else None,
        )
        for index, descr in sorted(columns[IF_DESCR].items())
    ]
