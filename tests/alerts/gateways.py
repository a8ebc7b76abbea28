"""Loopback imitations of what alerts talk to: a Telegram Bot API and a WhatsApp/SMS HTTP gateway.

Each is a real HTTP server on 127.0.0.1 (ephemeral port) in a thread, recording every request. A
gateway can be scripted to fail first (HTTP 500, or hang past the client's timeout), and de-duplicates
by the Idempotency-Key header, as gateways that honour a delivery id do.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeServer:
    script: list = field(default_factory=list)  # per request, in turn: 500, "hang", or None (answer normally)
    received: list[Received] = field(default_factory=list)
    delivered: dict[str, Received] = field(default_factory=dict)  # by Idempotency-Key: what a person would see
    on_request: object = None  # called with each Received before answering (e.g. to kill a sender)
    hang_s: float = 2.0

    def __post_init__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                received = Received("POST", self.path, dict(self.headers), self.rfile.read(length))
                fake.received.append(received)
                if fake.on_request:
                    fake.on_request(received)
                step = fake.script.pop(0) if fake.script else None
                if step == "hang":
                    time.sleep(fake.hang_s)
                    return
                if step is not None:
                    self._answer(step, {"ok": False, "description": "gateway error"})
                    return
                self._answer(200, fake.answer(received))

            do_GET = do_POST

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout) or was killed

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, received: Received) -> dict:
        key = received.headers.get("Idempotency-Key")
        if key:
            self.delivered.setdefault(key, received)
        return {"status": "queued", "id": key}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class FakeTelegram(FakeServer):
    """sendMessage answers like the Bot API: {"ok": true, "result": {"message_id": n}}."""

    def answer(self, received: Received) -> dict:
        message_id = 100 + len(self.delivered)
        self.delivered[str(message_id)] = received
        return {"ok": True, "result": {"message_id": message_id, "chat": {"id": received.json()["chat_id"]}}}
