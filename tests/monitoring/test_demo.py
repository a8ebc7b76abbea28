"""`make run`'s demo, live: the real poller on the seeded Kaltim network finds Kutai Kartanegara's uplink down,
everything behind it unreachable and the rest answering on loopback, and the duty technician gets one alert."""

import os
import signal
import subprocess
import sys
import time
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from alerts.choices import MessageStatus
from alerts.models import Alert, Message
from monitoring.models import AssetState, Outage
from tests.alerts.test_sender_killed import ROOT, database_url


@pytest.mark.django_db(transaction=True)
def test_the_poller_finds_the_demo_uplink_down_and_what_is_behind_it_unreachable(settings, tmp_path):
    settings.DEBUG = True
    import_module("alerts.migrations.0002_default_rule").seed(apps, None)  # the flush of a transactional test took it
    call_command("seed_kaltim", demo_users="simpul-demo-9x", verbosity=0)
    call_command("seed_alert_demo", verbosity=0)
    kukar = AssetState.objects.filter(asset__agency__code="64.03", asset__probe_config__snmp=True)
    uplink = kukar.get(asset__name="Internet utama").asset
    behind = set(kukar.exclude(asset=uplink).values_list("asset__name", flat=True))
    assert behind == {"Router Pusdalops", "UPS ruang radio", "Repeater VHF", "Panel surya repeater"}
    open_before = Outage.objects.filter(ended_at=None).count()

    log = (tmp_path / "poller.log").open("w+")
    env = {**os.environ, "DATABASE_URL": database_url(), "POLL_TIMEOUT_S": "0.3", "POLL_ICMP_COUNT": "1"}
    env.pop("EMAIL_BACKEND", None)  # DEBUG's console backend: the email lands in the poller's output
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runpoller"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not Message.objects.filter(status=MessageStatus.SENT).exists():
            time.sleep(1)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    log.seek(0)
    output = log.read()
    assert process.returncode == 0, output

    states = dict(kukar.values_list("asset__name", "state"))
    assert states.pop("Internet utama") == "down", output
    assert set(states.values()) == {"unreachable"}
    assert set(kukar.exclude(asset=uplink).values_list("caused_by", flat=True)) == {uplink.pk}
    others = AssetState.objects.exclude(asset__in=kukar.values("asset")).exclude(asset__management_address="")
    assert set(others.values_list("state", flat=True)) == {"up"}  # the rest answers on loopback
    outage = Outage.objects.get(asset=uplink, ended_at=None)
    assert outage.took_down == 4 and Outage.objects.filter(ended_at=None).count() == open_before + 1
    alert = Alert.objects.get()  # one root cause, one alert
    assert alert.asset == uplink
    assert "To: teknisi-kukar@simpul.invalid" in output and "Internet utama" in output
