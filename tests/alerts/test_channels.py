"""Channels against real servers on loopback: a WhatsApp gateway, the Telegram Bot API, an SMTP server."""

import json
import socket
import time

import pytest
from django.core import mail

from alerts.channels.telegram import webhook_secret
from alerts.choices import AlertState, MessageStatus
from alerts.models import Alert, Channel, Message
from alerts.signing.ack import callback_data
from tests.alerts.flow import cycle, down, up
from tests.alerts.gateways import FakeServer, FakeTelegram


@pytest.fixture
def gateway():
    server = FakeServer()
    yield server
    server.close()


@pytest.fixture
def telegram():
    server = FakeTelegram()
    yield server
    server.close()


@pytest.fixture
def whatsapp(paser, gateway):
    return Channel.objects.create(
        agency=paser,
        name="WhatsApp Pusdalops",
        kind="http",
        url=f"{gateway.url}/api/send",
        headers={"Authorization": "Bearer {secret}"},
        body={"phone": "{to}", "message": "{text}", "ref": "{delivery_id}"},
        success_contains="queued",
        secret="gateway-api-key-123",
    )


@pytest.fixture
def bot(paser, telegram):
    return Channel.objects.create(
        agency=paser, name="Bot Pusdalops", kind="telegram", url=telegram.url, secret="123:ABC"
    )


def test_whatsapp_gateway_gets_the_filled_template(repeater, on_duty, whatsapp, gateway, people):
    down([repeater])
    (request,) = gateway.received
    assert request.path == "/api/send"
    assert request.headers["Authorization"] == "Bearer gateway-api-key-123"
    body = request.json()
    assert body["phone"] == people["ani"].alert_contact.phone
    assert body["message"].startswith("MATI: Repeater Gunung, BPBD 64.01 sejak 15.01 WITA.")
    assert request.headers["Idempotency-Key"] == body["ref"] == str(Message.objects.get(channel=whatsapp).delivery_id)
    up([repeater], 10)
    assert gateway.received[1].json()["message"].startswith("PULIH: Repeater Gunung")


def test_telegram_button_acknowledges_and_recovery_replies_in_thread(client, repeater, on_duty, bot, telegram, people):
    down([repeater])
    (request,) = telegram.received
    assert request.path == "/bot123:ABC/sendMessage"
    payload = request.json()
    assert payload["chat_id"] == people["ani"].alert_contact.telegram_chat_id
    button = payload["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Terima" and button["callback_data"] == callback_data(Message.objects.get(channel=bot))
    first_id = 100

    update = {
        "update_id": 1,
        "callback_query": {
            "id": "cq1",
            "from": {"id": payload["chat_id"]},
            "data": button["callback_data"],
        },
    }
    url = f"/alerts/telegram/{bot.pk}/"
    refused = client.post(url, update, content_type="application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="nope")
    assert refused.status_code == 403 and Alert.objects.get().state == AlertState.OPEN
    answer = client.post(
        url, update, content_type="application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=webhook_secret(bot)
    )
    assert answer.json() == {
        "method": "answerCallbackQuery",
        "callback_query_id": "cq1",
        "text": "Diterima. Terima kasih.",
    }
    alert = Alert.objects.get()
    assert alert.state == AlertState.ACKNOWLEDGED and alert.acknowledged_by == people["ani"]
    assert alert.acknowledged_via == "telegram"

    forged = dict(update, callback_query=dict(update["callback_query"], data=button["callback_data"][:-2] + "xx"))
    answer = client.post(
        url, forged, content_type="application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=webhook_secret(bot)
    )
    assert answer.json()["text"] == "Tombol tidak sah."

    up([repeater], 10)
    recovery = telegram.received[1].json()
    assert recovery["reply_to_message_id"] == first_id and "reply_markup" not in recovery
    assert recovery["text"].startswith("PULIH: Repeater Gunung")


def test_gateway_fails_then_hangs_then_recovers_delivered_once_in_order_and_failure_alerted(
    monkeypatch, repeater, on_duty, whatsapp, gateway
):
    """500, a timeout, 500s: the channel's failure goes out by email; the recovery waits behind its alert;
    once the gateway answers, each arrives once, in order. Backoff 15 s, 30 s, 1 min, 2 min between tries."""
    import httpx

    monkeypatch.setattr("alerts.channels.http.TIMEOUT", httpx.Timeout(0.5))
    gateway.hang_s = 1.0
    gateway.script = [500, "hang", 500, 500]
    down([repeater])  # minute 3: raised, HTTP 500
    assert Message.objects.get(channel=whatsapp).attempts == 1
    up([repeater], 4)  # 4: hangs (the channel is now failing: alerted by email), 5: 500, 6: 500 and recovered
    failure = Alert.objects.get(kind="channel_failure")
    assert failure.channel == whatsapp
    assert any("KANAL PERINGATAN GAGAL: WhatsApp Pusdalops, BPBD 64.01" in m.body for m in mail.outbox)
    assert not Message.objects.filter(alert=failure, channel=whatsapp).exists()  # never on the failing channel
    recovery = Message.objects.get(channel=whatsapp, kind="recovered")
    assert recovery.status == MessageStatus.PENDING and recovery.attempts == 0  # waits behind its alert
    for minute in (7, 8):
        cycle([repeater], "up", minute)  # 8: the gateway answers again
    assert [r.json()["message"][:5] for r in gateway.received] == ["MATI:"] * 5 + ["PULIH"]
    assert [r.json()["message"][:5] for r in gateway.delivered.values()] == ["MATI:", "PULIH"]
    failure.refresh_from_db()
    assert failure.state == AlertState.RESOLVED
    assert not Message.objects.filter(status=MessageStatus.PENDING).exists()


def test_email_reaches_a_real_smtp_server(settings, repeater, on_duty):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        down([repeater])
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    (envelope,) = received
    assert envelope.rcpt_tos == ["ani@bpbd.test"]
    content = envelope.content.decode()
    assert "Subject: [Simpul] MATI: Repeater Gunung, BPBD 64.01" in content
    assert f"Message-ID: <{Message.objects.get().delivery_id}@simpul>" in content


def test_secrets_never_leave_in_errors(paser, repeater, on_duty, telegram):
    bot = Channel.objects.create(agency=paser, name="Bot", kind="telegram", url=telegram.url, secret="999:SECRET")
    telegram.script = [401]
    down([repeater])
    message = Message.objects.get(channel=bot)
    assert message.status == MessageStatus.FAILED  # a refused token is not retried
    assert "SECRET" not in message.last_error and "SECRET" not in json.dumps(list(Alert.objects.values()), default=str)


def test_a_gateway_on_an_internal_address_is_refused_at_registration_and_at_send(
    settings, client_for, paser, repeater, on_duty, gateway
):
    """Without an allow-list a channel may not reach loopback (nor any private address): the API refuses it,
    and one stored before the rule (or through a name that resolves inside) is refused at send time, unsent."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    answer = client_for(paser).post(
        "/api/alerts/channels/", {"name": "x", "kind": "http", "url": f"{gateway.url}/api/send"}, format="json"
    )
    assert answer.status_code == 400 and "loopback" in answer.json()["url"][0], answer.json()
    stored = Channel.objects.create(
        agency=paser, name="Gateway", kind="http", url=f"http://localhost:{gateway.url.rsplit(':', 1)[1]}/api/send"
    )
    down([repeater])
    message = Message.objects.get(channel=stored)
    assert message.status == MessageStatus.FAILED and "loopback" in message.last_error
    assert gateway.received == []


def test_signed_webhook_channel_posts_json_signed_like_maintenance_webhooks(paser, repeater, on_duty, gateway, people):
    import hashlib
    import hmac

    from django.core.exceptions import ValidationError

    secret = "webhook-secret-0123456789"
    hook = Channel.objects.create(
        agency=paser, name="Webhook", kind="webhook", url=f"{gateway.url}/hook", secret=secret
    )
    down([repeater])
    (request,) = gateway.received
    assert request.path == "/hook" and request.headers["Content-Type"] == "application/json"
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Simpul-Signature"] == expected  # the receiver of maintenance's webhooks checks it
    body = request.json()
    message = Message.objects.get(channel=hook)
    assert body["event"] == "alert.raised" and body["delivery_id"] == request.headers["Idempotency-Key"]
    assert body["to"] == people["ani"].alert_contact.phone and body["alert"]["kind"] == "down"
    assert body["text"].startswith("MATI: Repeater Gunung") and "/alerts/ack/" in body["ack_url"]
    assert message.status == MessageStatus.SENT

    weak = Channel(agency=paser, name="Lemah", kind="webhook", url=f"{gateway.url}/hook", secret="short")
    with pytest.raises(ValidationError) as error:
        weak.full_clean()
    assert "secret" in error.value.message_dict
