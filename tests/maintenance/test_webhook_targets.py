"""Webhooks go only to public addresses (or an allow-listed network): checked at registration without any
connection, checked again at each send after resolving the name, and redirects are never followed.

Every server here listens on loopback; refused targets are refused before anything connects to them.
"""

import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from maintenance.models import Delivery, WebhookEndpoint
from maintenance.notifications import deliver_due
from maintenance.services import work_order_create

SECRET = "rahasia-webhook-paser-123"
LOOPBACK = ["127.0.0.0/8"]


class Server:
    """A loopback HTTP server that records requests and answers `status` (with `location` for a redirect)."""

    def __init__(self, status: int = 200, location: str = ""):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append(dict(self.headers))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            do_GET = do_PUT = do_POST  # a followed 303 would come back as a GET

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.http.server_port
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()
        self.http.server_close()


class RawServer:
    """A loopback TCP port that is open but speaks no HTTP (like Redis or PostgreSQL would)."""

    def __init__(self, reply: bytes):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0

        def serve():
            while True:
                try:
                    conn, _ = self.sock.accept()
                except OSError:
                    return
                self.connections += 1
                with conn:
                    conn.recv(4096)
                    conn.sendall(reply)

        threading.Thread(target=serve, daemon=True).start()

    def close(self):
        self.sock.close()


@pytest.fixture
def servers():
    made = []

    def make(kind=Server, *args, **kwargs):
        made.append(kind(*args, **kwargs))
        return made[-1]

    yield make
    for server in made:
        server.close()


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def loopback_name_from_hosts_file() -> str | None:
    """A name other than localhost that /etc/hosts maps to a loopback address (the machine's own name on
    Debian): resolving it asks no DNS server, and the rule must still see the 127.x address behind it."""
    for line in Path("/etc/hosts").read_text().splitlines():
        fields = line.split("#")[0].split()
        if fields and fields[0].startswith("127."):
            names = [name for name in fields[1:] if "localhost" not in name]
            if names:
                return names[0]
    return None


def order_with_delivery(paser, repeater, technician, url: str) -> Delivery:
    WebhookEndpoint.objects.create(agency=paser, url=url, secret=SECRET)  # stored as-is, like an old row
    work_order_create(
        reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Cek", assignee=technician
    )
    return Delivery.objects.get(webhook__isnull=False)


@pytest.fixture
def admin_api(tree, client_for):
    return client_for(tree["64.01"], "administrator")


def register(client, url: str):
    return client.post("/api/maintenance/webhooks/", {"url": url, "secret": SECRET}, format="json")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:5432/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://localhost:6379/", "loopback"),
        ("http://LOCALHOST./", "loopback"),
        ("http://api.localhost/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]:8000/", "loopback"),
        ("http://0.0.0.0/", "tak-tertentu"),
        ("http://[::]/", "tak-tertentu"),
        ("http://10.1.2.3/", "privat"),
        ("https://192.168.1.1/", "privat"),
        ("http://[fd00::1]/", "privat"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.251/", "multicast"),
        ("http://100.64.0.1/", "khusus"),
    ],
)
def test_registration_refuses_internal_targets_without_connecting(admin_api, url, kind):
    response = register(admin_api, url)
    assert response.status_code == 400
    assert kind in response.json()["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_registration_connects_to_nothing(admin_api, servers):
    listener = servers(RawServer, b"")
    assert register(admin_api, f"http://127.0.0.1:{listener.port}/").status_code == 400
    assert register(admin_api, "ftp://hooks.example.org/").status_code == 400
    assert listener.connections == 0
    # A public address or a name is accepted without any lookup: names are judged at each send.
    assert register(admin_api, "https://hooks.example.org/simpul").status_code == 201
    assert register(admin_api, "http://8.8.8.8/hook").status_code == 201


def test_the_allow_list_admits_a_private_gateway(admin_api, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert register(admin_api, "http://10.20.1.5:8080/wa").status_code == 201
    assert register(admin_api, "http://10.21.0.1/").status_code == 400


def test_a_name_resolving_to_loopback_is_refused_at_send_time(paser, repeater, technician, servers, settings):
    name = loopback_name_from_hosts_file()
    if name is None:
        pytest.skip("no name but localhost maps to 127.x in /etc/hosts")
    gateway = servers()
    delivery = order_with_delivery(paser, repeater, technician, f"http://{name}:{gateway.port}/hook")
    assert deliver_due(timezone.now())["retry"] == 1
    delivery.refresh_from_db()
    assert "loopback" in delivery.last_error and gateway.requests == []
    # With the network allowed, the same row is delivered: to the address checked, under the name.
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK
    assert deliver_due(timezone.now() + timedelta(minutes=5))["sent"] == 1
    assert gateway.requests[0]["Host"] == f"{name}:{gateway.port}"


def test_an_allow_list_removed_after_registration_stops_delivery(
    paser, repeater, technician, servers, settings, admin_api
):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK
    gateway = servers()
    assert register(admin_api, f"http://localhost:{gateway.port}/hook").status_code == 201
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    work_order_create(
        reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Cek", assignee=technician
    )
    deliver_due(timezone.now())
    assert "loopback" in Delivery.objects.get(webhook__isnull=False).last_error
    assert gateway.requests == []


def test_redirects_are_not_followed(paser, repeater, technician, servers, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK
    inside = servers()
    for status in (301, 302, 303, 307):
        Delivery.objects.all().delete()
        WebhookEndpoint.objects.all().delete()
        bouncer = servers(Server, status, inside.url)
        delivery = order_with_delivery(paser, repeater, technician, bouncer.url)
        assert deliver_due(timezone.now())["retry"] == 1
        delivery.refresh_from_db()
        assert str(status) in delivery.last_error and delivery.status == "pending"
        assert len(bouncer.requests) == 1
    assert inside.requests == []  # the X-Simpul-* headers never reached the redirect's target


def test_delivery_errors_do_not_tell_open_ports_from_closed_ones(paser, repeater, technician, servers, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = LOOPBACK
    ports = {
        "closed": closed_port(),
        "redis-like": servers(RawServer, b"-ERR unknown command 'POST'\r\n").port,
        "silent": servers(RawServer, b"").port,
    }
    for port in ports.values():
        WebhookEndpoint.objects.create(agency=paser, url=f"http://127.0.0.1:{port}/", secret=SECRET)
    work_order_create(
        reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Cek", assignee=technician
    )
    assert deliver_due(timezone.now())["retry"] == 3
    errors = set(Delivery.objects.filter(webhook__isnull=False).values_list("last_error", flat=True))
    assert len(errors) == 1 and "Errno" not in errors.pop()


def test_email_subject_cannot_carry_a_header(paser, repeater, technician, mailoutbox):
    work_order_create(
        reporter=technician,
        agency=paser,
        asset=repeater,
        kind="corrective",
        title="Cek\nBcc: x@y.test",
        assignee=technician,
    )
    assert deliver_due(timezone.now())["sent"] == 1
    assert mailoutbox[0].subject.endswith("Cek Bcc: x@y.test") and "\n" not in mailoutbox[0].subject
