"""snmpd on loopback serving, besides its own IF-MIB for lo, objects a test sets: a UPS (RFC 1628) and the
counters of an interface 99, through snmpd's `pass` to a tiny script that reads a values file."""

import os
from contextlib import contextmanager
from pathlib import Path

from tests.peers import restartable_snmp_agent

FAKE_IF = 99
UPS = ".1.3.6.1.2.1.33"
IF_OBJECTS = {  # object -> (OID prefix, pass type)
    "ifHCInOctets": (".1.3.6.1.2.1.31.1.1.1.6", "counter64"),
    "ifHCOutOctets": (".1.3.6.1.2.1.31.1.1.1.10", "counter64"),
    "ifHighSpeed": (".1.3.6.1.2.1.31.1.1.1.15", "gauge"),
    "ifInErrors": (".1.3.6.1.2.1.2.2.1.14", "counter"),
    "ifOutErrors": (".1.3.6.1.2.1.2.2.1.20", "counter"),
    "ifInDiscards": (".1.3.6.1.2.1.2.2.1.13", "counter"),
    "ifOutDiscards": (".1.3.6.1.2.1.2.2.1.19", "counter"),
}
UPS_OBJECTS = {
    "upsOutputSource": (".1.3.6.1.2.1.33.1.4.1.0", "integer"),
    "upsEstimatedChargeRemaining": (".1.3.6.1.2.1.33.1.2.4.0", "integer"),
    "upsEstimatedMinutesRemaining": (".1.3.6.1.2.1.33.1.2.3.0", "integer"),
    "upsInputVoltage": (".1.3.6.1.2.1.33.1.3.3.1.3.1", "integer"),
}
# snmpd's pass protocol: "-g OID" asks for one object; answer its OID, type and value on three lines.
SCRIPT = """#!/bin/sh
[ "$1" = "-g" ] || exit 0
grep "^$2 " "$(dirname "$0")/values" | head -n 1 | tr ' ' '\\n'
"""


class ValuesAgent:
    def __init__(self, agent) -> None:
        self.agent, self.port = agent, agent.port
        self.file = Path(agent.state) / "values"

    def set(self, **values: int) -> None:
        """Serve these objects from now on (others keep their values); atomically, snmpd may read any moment."""
        current = (
            dict(line.split(" ", 2)[0::2] for line in self.file.read_text().splitlines()) if self.file.exists() else {}
        )
        types = {}
        for name, value in values.items():
            oid, kind = (
                UPS_OBJECTS[name] if name in UPS_OBJECTS else (f"{IF_OBJECTS[name][0]}.{FAKE_IF}", IF_OBJECTS[name][1])
            )
            current[oid], types[oid] = str(value), kind
        known = self._types()
        known.update(types)
        temporary = self.file.with_suffix(".new")
        temporary.write_text("".join(f"{oid} {known[oid]} {value}\n" for oid, value in current.items()))
        os.replace(temporary, self.file)

    def _types(self) -> dict[str, str]:
        if not self.file.exists():
            return {}
        return {line.split(" ")[0]: line.split(" ")[1] for line in self.file.read_text().splitlines()}


@contextmanager
def values_agent():
    script = "{state}/pass.sh"
    config = f"pass {UPS} /bin/sh {script}\n" + "".join(
        f"pass {prefix}.{FAKE_IF} /bin/sh {script}\n" for prefix, _kind in IF_OBJECTS.values()
    )
    with restartable_snmp_agent(extra_config=config) as agent:
        Path(agent.state, "pass.sh").write_text(SCRIPT)
        yield ValuesAgent(agent)
