"""From the recorder's confirmed transitions to alerts and emails, against a real database."""

from django.core import mail

from alerts.choices import AlertState, MessageKind
from alerts.cycle import after_poll_cycle
from alerts.models import Alert, AlertRule, Consumed, Cursor, Message
from monitoring.models import AssetState, Event, MaintenanceWindow, ProbeConfig, Transition
from monitoring.observations import Observation
from monitoring.recorder import record
from tests import factories
from tests.alerts.flow import at, cycle, down, up


def test_confirmed_down_alerts_the_duty_officer_and_recovery_follows_in_the_thread(repeater, on_duty):
    down([repeater])
    alert = Alert.objects.get()
    assert (alert.asset, alert.kind, alert.state) == (repeater, "down", AlertState.OPEN)
    assert alert.started_at == at(1)
    assert [m.to for m in mail.outbox] == [["ani@bpbd.test"]]
    raised = mail.outbox[0]
    assert "MATI: Repeater Gunung, BPBD 64.01 sejak 15.01 WITA." in raised.body
    assert "/alerts/ack/" in raised.body
    up([repeater], 10)
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED and alert.resolved_at == at(10)
    recovery = mail.outbox[1]
    assert "PULIH: Repeater Gunung, BPBD 64.01, 15.10 WITA (gangguan 9 mnt)." in recovery.body
    assert recovery.extra_headers["In-Reply-To"] == raised.extra_headers["Message-ID"]
    assert [e.kind for e in alert.timeline.all()] == ["raised", "queued", "sent", "recovered", "sent"]


def test_storm_500_behind_one_parent_is_one_alert_naming_500(paser, on_duty):
    uplink = factories.asset(
        paser,
        kind="internet_link",
        name="Uplink Provinsi",
        provider="Telkom",
        medium="fibre",
        management_address="127.64.1.1",
    )
    repeaters = [
        factories.asset(
            paser, kind="repeater", band="vhf", name=f"Rep {i:03d}", management_address=f"127.64.2.{i % 250}"
        )
        for i in range(500)
    ]
    ProbeConfig.objects.bulk_create([ProbeConfig(asset=r, depends_on=uplink) for r in repeaters])
    down([uplink, *repeaters])
    assert Transition.objects.filter(new_state="unreachable").count() == 500
    alert = Alert.objects.get()
    assert alert.asset == uplink and alert.affected_count == 500 and alert.affected.count() == 500
    assert len(mail.outbox) == 1
    assert "Ikut terputus: 500 aset (Rep 000, Rep 001, Rep 002 +497 lainnya)." in mail.outbox[0].body


def test_no_rule_no_alert_and_maintenance_window_or_repair_mutes(paser, repeater, on_duty):
    router = factories.asset(paser, kind="router", management_address="127.64.1.3")
    in_repair = factories.asset(paser, kind="repeater", band="vhf", status="in_repair", management_address="127.64.1.4")
    MaintenanceWindow.objects.create(agency=paser, asset=repeater, starts_at=at(-60), ends_at=at(60), reason="ganti")
    down([router, in_repair, repeater])
    assert not Alert.objects.exists() and not mail.outbox


def test_delay_holds_the_alert_and_a_quick_recovery_tells_nobody(paser, repeater, on_duty):
    AlertRule.objects.create(agency=paser, name="Tunda", asset_kinds=["repeater"], kinds=["down"], delay_minutes=10)
    AlertRule.objects.filter(agency=None).update(active=False)
    down([repeater])
    alert = Alert.objects.get()
    assert alert.notify_at == at(11) and not mail.outbox
    up([repeater], 6)
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED and not mail.outbox and not Message.objects.exists()


def test_flapping_becomes_one_unstable_alert_until_it_settles(repeater, on_duty):
    down([repeater])  # change 1: down from minute 1
    up([repeater], 4)  # change 2: up from minute 4
    for minute in (7, 8, 9):
        cycle([repeater], "down", minute)  # change 3 within 15 minutes: unstable
    kinds = list(Alert.objects.order_by("id").values_list("kind", "state"))
    assert kinds == [("down", "resolved"), ("unstable", "open")]
    up([repeater], 10)  # damped: no recovery, no new alert
    assert Alert.objects.count() == 2 and Alert.objects.get(kind="unstable").state == "open"
    cycle([repeater], "up", 10 + 16)  # settled for 15 minutes: closes
    assert Alert.objects.get(kind="unstable").state == "resolved"


def test_reboot_raises_an_alert_where_a_rule_asks(paser, on_duty):
    AlertRule.objects.create(agency=paser, name="Reboot", kinds=["reboot"], severity="info")
    router = factories.asset(paser, kind="router", management_address="127.64.1.3")
    cycle([router], "up", 0, sys_uptime=500_000)
    cycle([router], "up", 1, sys_uptime=100)
    assert Event.objects.filter(kind="reboot").count() == 1
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity) == ("reboot", "info")


def test_nothing_is_lost_across_a_restart(repeater, on_duty):
    """Transitions recorded while alerts did not run (a crash between record and hook) are read later."""
    for step in range(4):
        record(
            [Observation(asset_id=repeater.pk, at=at(step), source="icmp", verdict="up" if step == 0 else "down")],
            now=at(step),
        )
    assert not Alert.objects.exists()
    after_poll_cycle(at(5))
    assert Alert.objects.get().kind == "down"
    after_poll_cycle(at(6))
    assert Alert.objects.count() == 1 and len(mail.outbox) == 1
    # Within SETTLE the cursor stays put and the ids read are remembered instead.
    assert Cursor.objects.get(name="transitions").position == 0 and Consumed.objects.count() == 2
    after_poll_cycle(at(30))
    assert Cursor.objects.get(name="transitions").position == Transition.objects.latest("id").pk
    assert not Consumed.objects.exists() and Alert.objects.count() == 1


def test_a_parent_without_rule_raises_its_alert_through_its_dependants(paser, on_duty):
    router = factories.asset(paser, kind="router", name="Router Pusdalops", management_address="127.64.1.3")
    repeater = factories.asset(paser, kind="repeater", band="vhf", management_address="127.64.1.10")
    ProbeConfig.objects.create(asset=repeater, depends_on=router)
    down([router, repeater])
    alert = Alert.objects.get()
    assert alert.asset == router and alert.affected_count == 1
    up([router, repeater], 10)
    alert.refresh_from_db()
    assert alert.state == "resolved"
    assert AssetState.objects.get(asset=repeater).state == "up"
    assert Message.objects.filter(kind=MessageKind.RECOVERED).count() == 1


def test_a_name_with_a_line_break_still_reaches_the_duty_officer(paser, on_duty):
    """An email subject may not hold a line break: names are put on one line before they reach a header."""
    repeater = factories.asset(
        paser, kind="repeater", band="vhf", name="Repeater\nBukit Soeharto", management_address="127.64.1.11"
    )
    down([repeater])
    assert mail.outbox[0].subject == "[Simpul] MATI: Repeater Bukit Soeharto, BPBD 64.01"
    assert Message.objects.get().status == "sent"


def test_missed_roll_calls_alert_says_the_radio_did_not_answer_the_roll_call(paser, on_duty):
    from monitoring.services import RollCallAnswer, radio_check_record

    AlertRule.objects.create(agency=paser, name="Radio", asset_kinds=["vhf_radio"], kinds=["down"])
    radio = factories.radio(paser, name="Base VHF Paser")
    for hour in range(3):
        held_at = at(hour * 20)
        radio_check_record(
            agency=paser,
            held_at=held_at,
            net="VHF",
            notes="",
            operator=None,
            entries=[RollCallAnswer(asset=radio, answered=False)],
        )
        after_poll_cycle(held_at)
    alert = Alert.objects.get(asset=radio)
    assert (alert.kind, alert.reason) == ("down", "tidak menjawab apel radio")
    assert [m.to for m in mail.outbox] == [["ani@bpbd.test"]]
    assert "Sebab: tidak menjawab apel radio." in mail.outbox[0].body
    assert "ping" not in mail.outbox[0].body


def test_a_new_fleet_is_read_without_alerts_and_an_asset_keeps_its_whole_batch(paser, repeater, on_duty):
    """A change that cannot raise an alert (unknown -> up: a whole new fleet's first poll) is skipped for an
    asset with no active alert; an asset with a change that may raise keeps all of its changes, so its
    short maintenance begun after its outage, in the same batch, still closes the alert that outage raised."""
    fleet = [
        factories.asset(paser, kind="repeater", band="vhf", name=f"Rep {i}", management_address=f"127.64.3.{i}")
        for i in range(50)
    ]
    record([Observation(asset_id=a.pk, at=at(0), source="icmp", verdict="up") for a in [*fleet, repeater]], now=at(0))
    for step in (1, 2, 3):
        record([Observation(asset_id=repeater.pk, at=at(step), source="icmp", verdict="down")], now=at(step))
    MaintenanceWindow.objects.create(agency=paser, asset=repeater, starts_at=at(3.5), ends_at=at(4.5), reason="ganti")
    record([Observation(asset_id=repeater.pk, at=at(4), source="icmp", verdict="down")], now=at(4))
    assert Transition.objects.filter(old_state="unknown", new_state="up").count() == 51
    assert list(Transition.objects.filter(asset=repeater).order_by("id").values_list("new_state", flat=True)) == [
        "up",
        "down",
        "maintenance",
    ]
    after_poll_cycle(at(5))
    alert = Alert.objects.get()
    assert (alert.asset, alert.kind, alert.state) == (repeater, "down", AlertState.RESOLVED)
    assert Consumed.objects.count() == Transition.objects.count()  # every change read once, the skipped ones too
    after_poll_cycle(at(6))
    assert Alert.objects.count() == 1
