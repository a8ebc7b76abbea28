"""Turn a management address into something to send to: an IP and its family, or a reason why not."""

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
RESOLVE_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class Resolved:
    ip: str | None
    family: int | None  # socket.AF_INET or AF_INET6
    error: str | None = None


def parse_literal(address: str) -> Resolved | None:
    """An IP literal as Resolved; a malformed name as an error; None for a host name that needs DNS."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        name = address[:-1] if address.endswith(".") else address
        labels = name.split(".")
        if not name or len(name) > 253 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
            return Resolved(None, None, f"malformed address: {address!r}")
        return None
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    return Resolved(str(ip), family)


async def resolve_all(addresses: set[str], *, timeout: float = RESOLVE_TIMEOUT_S) -> dict[str, Resolved]:
    """Resolve every distinct address once, concurrently; each costs at most `timeout`."""
    loop = asyncio.get_running_loop()
    result: dict[str, Resolved] = {}
    names = []
    for address in addresses:
        literal = parse_literal(address)
        if literal is None:
            names.append(address)
        else:
            result[address] = literal

    async def lookup(name: str) -> Resolved:
        try:
            infos = await asyncio.wait_for(loop.getaddrinfo(name, None, type=socket.SOCK_DGRAM), timeout)
        except TimeoutError:
            return Resolved(None, None, f"name lookup timed out: {name}")
        except OSError as error:
            return Resolved(None, None, f"unresolvable host name: {name} ({error.strerror or error})")
        family, _type, _proto, _canon, sockaddr = sorted(infos, key=lambda info: info[0] != socket.AF_INET)[0]
        return Resolved(sockaddr[0], family)

    for name, resolved in zip(names, await asyncio.gather(*(lookup(n) for n in names)), strict=True):
        result[name] = resolved
    return result
