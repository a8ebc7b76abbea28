"""A remote poller falls silent: its assets are unknown (never down, no outage), ONE alert names the poller and
how many assets it holds, and the recovery follows in the same thread when it reports again."""

from collections import Counter

from django.core import mail

from alerts.choices import AlertKind, AlertState
from alerts.cycle import after_poll_cycle
from alerts.models import Alert, AlertRule
from assets.models import Asset
from monitoring.asset_status import Bucket, Reason, standing_counts, standings
from monitoring.models import Outage, Poller, Transition
from monitoring.remote.services import poller_create, poller_revoke
from tests import factories
from tests.alerts.flow import at, cycle


def _poller(agency, assets, *, heard_at):
    poller, _token = poller_create(name="Poller Paser", agency=agency)
    Poller.objects.filter(pk=poller.pk).update(created_at=at(-60), last_contact_at=heard_at)
    cycle(assets, "up", -1)  # known up before the silence
    return Poller.objects.get(pk=poller.pk)


def _heard(poller, minute: float) -> None:
    Poller.objects.filter(pk=poller.pk).update(last_contact_at=at(minute))


def _buckets(agency, minute: float) -> dict[str, tuple[str, str]]:
    rows = standings(Asset.objects.filter(agency=agency), "name", now=at(minute))
    buckets = {name: (s.bucket, s.reason) for (name,), s in rows}
    counted = Counter()  # the dashboard's count in the database says the same
    for _code, s, number in standing_counts(Asset.objects.filter(agency=agency), "agency__code", now=at(minute)):
        counted[s.bucket, s.reason] += number
    assert counted == Counter(buckets.values())
    return buckets


def test_a_silent_poller_raises_one_alert_for_all_its_assets_and_recovers_in_the_same_thread(
    paser, on_duty, settings, client
):
    settings.POLLER_SILENT_AFTER_S = 180
    AlertRule.objects.create(agency=paser, name="Router", asset_kinds=["router"], kinds=["down"])
    assets = [factories.asset(paser, name=f"Router {n}", management_address=f"10.1.0.{n}") for n in (1, 2, 3)]
    poller = _poller(paser, assets, heard_at=at(0))

    after_poll_cycle(at(2))  # two minutes without word: not silent yet
    assert not Alert.objects.exists()
    assert set(_buckets(paser, 2).values()) == {(Bucket.UP, "")}

    for minute in (4, 5, 6):
        after_poll_cycle(at(minute))
    alert = Alert.objects.get()  # one, not one per asset
    assert (alert.kind, alert.poller, alert.asset, alert.started_at) == (AlertKind.POLLER_SILENT, poller, None, at(0))
    assert alert.affected_count == 3
    body = mail.outbox[0].body
    assert "POLLER DIAM: Poller Paser, BPBD 64.01 sejak 15.00 WITA." in body
    assert "Tanpa kabar: 3 aset (Router 1, Router 2, Router 3)." in body
    assert len(mail.outbox) == 1
    # Unknown on every page, never down: no transition, no outage was written for them.
    assert set(_buckets(paser, 6).values()) == {(Bucket.UNKNOWN, Reason.POLLER_SILENT)}
    assert not Outage.objects.exists()
    assert not Transition.objects.filter(new_state="down").exists()
    client.force_login(on_duty)
    assert "3 aset tanpa kabar" in client.get(f"/alerts/{alert.pk}/").content.decode()

    _heard(poller, 9)
    after_poll_cycle(at(9))
    alert.refresh_from_db()
    assert (alert.state, alert.resolved_at) == (AlertState.RESOLVED, at(9))
    recovery = mail.outbox[1]
    assert "PULIH: Poller Paser, BPBD 64.01" in recovery.body and "gangguan 9 mnt" in recovery.body
    assert recovery.extra_headers["In-Reply-To"] == mail.outbox[0].extra_headers["Message-ID"]
    assert set(_buckets(paser, 9).values()) == {(Bucket.UP, "")}  # its results speak for its assets again
    after_poll_cycle(at(10))
    assert Alert.objects.count() == 1


def test_a_poller_whose_assets_no_rule_watches_raises_nothing_and_a_revoked_one_closes_without_recovery(
    paser, on_duty, settings
):
    settings.POLLER_SILENT_AFTER_S = 180
    assets = [factories.asset(paser, name="Router", management_address="10.1.0.1")]
    poller = _poller(paser, assets, heard_at=at(0))
    after_poll_cycle(at(5))
    assert not Alert.objects.exists()  # no rule alerts on a router down here, so none on its silence either
    assert _buckets(paser, 5) == {"Router": (Bucket.UNKNOWN, Reason.POLLER_SILENT)}  # still unknown on the pages

    AlertRule.objects.create(agency=paser, name="Semua", kinds=["down"])
    after_poll_cycle(at(6))
    alert = Alert.objects.get()
    poller_revoke(poller=poller)  # its assets go back to the centre: nobody waits for this poller any more
    after_poll_cycle(at(7))
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert len(mail.outbox) == 1  # no recovery message: it did not come back
