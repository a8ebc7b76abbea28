"""Turn a management address into something to send to: an IP and its family, or a reason why not.

Technicians type addresses by hand, so anything may arrive: IPv4, IPv6 (bracketed or not), a host
name, or garbage. Garbage and reserved names are answered without a lookup; real names go to the
system resolver, each with a time limit, so one dead DNS server cannot stall a poll cycle.
"""

import asyncio
import functools
import ipaddress
import re
import socket
from dataclasses import dataclass

RESOLVE_TIMEOUT_S = 2.0
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


@dataclass(frozen=True, slots=True)
class Resolved:
    ip: str | None
    family: int | None  # socket.AF_INET or socket.AF_INET6
    error: str | None = None


def _ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> Resolved:
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:a.b.c.d is an IPv4 host: ping it as one
    if ip.is_multicast or ip.is_unspecified or ip == _BROADCAST:
        # Not one device (a name may resolve to anything): never probe a whole network, or this machine.
        return Resolved(None, None, f"not the address of one device: {ip}")
    if ip.version == 4:
        return Resolved(str(ip), socket.AF_INET)
    # The kernel names reply sources with inet_ntop; spell ours the same way so they compare equal.
    text = socket.inet_ntop(socket.AF_INET6, ip.packed)
    return Resolved(f"{text}%{ip.scope_id}" if ip.scope_id else text, socket.AF_INET6)


def _malformed_name(name: str) -> bool:
    labels = name.split(".")
    return not name or len(name) > 253 or not all(map(_LABEL.match, labels)) or labels[-1].isdigit()


@functools.lru_cache(maxsize=1 << 18)  # every sweep parses the same addresses again: 100,000 cost ~0.8 CPU s
def parse_literal(address: str) -> Resolved | None:
    """An IP literal or a reserved name as Resolved, garbage as an error; None for a name that needs DNS."""
    text = address.strip()
    try:
        return _ip(ipaddress.ip_address(text.removeprefix("[").removesuffix("]")))
    except ValueError:
        pass  # not an IP: maybe a host name
    name = text.removesuffix(".").lower()
    if _malformed_name(name):
        return Resolved(None, None, f"malformed address: {address!r}")
    # RFC 6761: "localhost" is always loopback and ".invalid" never resolves; neither needs asking DNS.
    if name == "localhost" or name.endswith(".localhost"):
        return Resolved("127.0.0.1", socket.AF_INET)
    if name == "invalid" or name.endswith(".invalid"):
        return Resolved(None, None, f"unresolvable host name: {address!r} (reserved, RFC 6761)")
    return None


async def _lookup(name: str, timeout: float) -> Resolved:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(name, None, type=socket.SOCK_DGRAM), timeout)
    except TimeoutError:
        return Resolved(None, None, f"name lookup timed out: {name}")
    except (OSError, UnicodeError) as error:  # socket.gaierror is an OSError
        return Resolved(None, None, f"unresolvable host name: {name} ({getattr(error, 'strerror', None) or error})")
    supported = [info for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]
    if not supported:
        return Resolved(None, None, f"unresolvable host name: {name} (no IPv4 or IPv6 address)")
    _family, _type, _proto, _canonical, sockaddr = min(supported, key=lambda info: info[0] != socket.AF_INET)
    return _ip(ipaddress.ip_address(sockaddr[0]))  # IPv4 first: more management networks route it


async def resolve_all(addresses: set[str], *, timeout: float = RESOLVE_TIMEOUT_S) -> dict[str, Resolved]:
    """Resolve every distinct address once, names concurrently; each name costs at most `timeout`."""
    result: dict[str, Resolved] = {}
    names = []
    for address in addresses:
        literal = parse_literal(address)
        if literal is None:
            names.append(address)
        else:
            result[address] = literal
    found = await asyncio.gather(*(_lookup(name.strip(), timeout) for name in names))
    result.update(zip(names, found, strict=True))
    return result
