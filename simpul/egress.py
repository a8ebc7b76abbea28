"""Where Simpul may connect on a user's behalf (webhooks): the one rule, and the one way to connect.

A target must be http(s) and every address it stands for must be public: loopback, link-local, private,
multicast, broadcast, unspecified and reserved addresses are refused (IPv4 inside IPv6 as its IPv4),
unless they fall inside WEBHOOK_ALLOWED_NETWORKS, for a gateway that lives on a private network.

The rule is checked twice. At registration, on what the URL itself says (an address in any notation, a
`localhost` name), without a network call inside the request. At each send, after resolving the name
(DNS answers change after registration), on every address; the connection then goes to an address just
checked, with the name kept for the Host header and TLS, so a second DNS answer cannot slip in between.
Redirects are never followed: a 3xx is a failed delivery.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
SCHEMES = {"http": 80, "https": 443}
KINDS = {
    "unspecified": gettext_lazy("tak-tertentu"),
    "loopback": gettext_lazy("loopback"),
    "link-local": gettext_lazy("link-local"),
    "multicast": gettext_lazy("multicast"),
    "broadcast": gettext_lazy("broadcast"),
    "private": gettext_lazy("privat"),
    "reserved": gettext_lazy("khusus (bukan alamat publik)"),
}
BROADCAST = ipaddress.IPv4Address("255.255.255.255")


class EgressRefused(Exception):
    """The target is not one Simpul may connect to; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # a name or an address, without brackets
    port: int
    path: str  # with the query


def address_kind(ip: IPAddress) -> str | None:
    """Which forbidden kind of address `ip` is, or None for a public one."""
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    for kind, found in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("broadcast", ip == BROADCAST),
        ("private", ip.is_private or (ip.version == 6 and ip.is_site_local)),
        ("reserved", ip.is_reserved or not ip.is_global),
    ):
        if found:
            return kind
    return None


def _check_address(ip: IPAddress) -> None:
    kind = address_kind(ip)
    if kind is None or any(ip in ipaddress.ip_network(n, strict=False) for n in settings.WEBHOOK_ALLOWED_NETWORKS):
        return
    raise EgressRefused(
        _("Tujuan %(ip)s adalah alamat %(kind)s; webhook hanya dikirim ke alamat publik.")
        % {"ip": ip, "kind": KINDS[kind]}
    )


def parse(url: str) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise EgressRefused(_("URL tidak sah.")) from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise EgressRefused(_("Hanya URL http:// atau https:// dengan nama host."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or SCHEMES[parts.scheme], path)


def _literal(host: str) -> list[IPAddress]:
    """The address a host written as one stands for (127.1, 2130706433 and 0x7f.1 included), without DNS."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def _known_without_dns(host: str) -> list[IPAddress]:
    """The addresses a host stands for without asking a resolver: a literal, or localhost (RFC 6761)."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1")]
    return _literal(host)


def check_url(url: str) -> Target:
    """Registration: what the URL says must be allowed. Raises EgressRefused; no DNS lookup is made."""
    target = parse(url)
    for ip in _known_without_dns(target.host):
        _check_address(ip)
    return target


def validate_target_url(value: str) -> None:
    """Model validator of a webhook URL (API and admin alike)."""
    try:
        check_url(value)
    except EgressRefused as refused:
        raise ValidationError(str(refused), code="forbidden_target") from None


def resolve_checked(target: Target) -> list[IPAddress]:
    """Send time: every address the name resolves to now, each one allowed, or EgressRefused."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except UnicodeError:  # not even a name (IDNA)
        raise EgressRefused(_("URL tidak sah.")) from None
    resolved = (ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos)
    addresses = list(dict.fromkeys(resolved))
    for ip in [*_known_without_dns(target.host), *addresses]:
        _check_address(ip)
    return addresses


def _connect(addresses: list[IPAddress], port: int, timeout: float) -> socket.socket:
    error: OSError = OSError("no address")
    for ip in addresses:
        try:
            return socket.create_connection((str(ip), port), timeout)
        except OSError as failed:
            error = failed
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to addresses already checked; the name stays in the Host header."""

    def __init__(self, host: str, port: int, *, addresses: list[IPAddress], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the name, not the address."""

    def __init__(self, host: str, port: int, *, addresses: list[IPAddress], timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = self._context.wrap_socket(
            _connect(self.addresses, self.port, self.timeout), server_hostname=self.host
        )


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST `body` to `url` if its target is allowed; returns the status code (a 3xx is not followed).

    Raises EgressRefused for a forbidden target, OSError or http.client.HTTPException when nothing usable came
    back (the caller reports those alike, so a delivery error cannot map open and closed ports)."""
    target = parse(url)
    addresses = resolve_checked(target)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target.host, target.port, addresses=addresses, timeout=timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(1024)
        return response.status
    finally:
        connection.close()
