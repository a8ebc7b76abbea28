"""What the engine takes and gives: plain dataclasses, no Django, errors as values."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class IcmpTarget:
    key: int  # the asset id, echoed back in the result
    address: str  # IPv4, IPv6 or a host name, as typed by a technician


@dataclass(slots=True)
class IcmpResult:
    key: int
    address: str
    ip: str | None
    sent: int = 0
    received: int = 0
    rtt_min_ms: float | None = None
    rtt_avg_ms: float | None = None
    rtt_max_ms: float | None = None
    jitter_ms: float | None = None
    error: str | None = None  # why no probe could be made (bad address, unresolvable name)
    send_error: str | None = None  # why packets could not leave (no route, firewall): they count as lost

    @property
    def loss(self) -> float:
        return 1.0 if self.sent == 0 else 1.0 - self.received / self.sent


@dataclass(frozen=True, slots=True)
class SnmpTarget:
    key: int
    address: str
    port: int = 161
    version: str = "2c"  # "2c" or "3"
    community: str = "public"
    username: str = ""
    auth_protocol: str = ""  # "", "MD5", "SHA", "SHA256", "SHA512"
    auth_key: str = ""
    priv_protocol: str = ""  # "", "DES", "AES", "AES256"
    priv_key: str = ""
    if_indexes: tuple[int, ...] = ()
    extra_oids: tuple[tuple[str, str], ...] = ()  # (label, numeric OID)


@dataclass(slots=True)
class SnmpResult:
    key: int
    address: str
    status: str  # "ok" | "timeout" | "auth_error" | "error"
    reason: str | None = None
    sys_uptime: int | None = None  # TimeTicks, 1/100 s
    sys_name: str | None = None
    sys_descr: str | None = None
    if_oper_status: dict[int, int] = field(default_factory=dict)  # ifIndex -> 1 up, 2 down, ...
    extras: dict[str, str | int | float | None] = field(default_factory=dict)
    rtt_ms: float | None = None
