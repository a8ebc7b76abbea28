"""Roll calls: each answer is an observation, so missed calls take a radio down through the health state machine."""

from datetime import timedelta

import pytest
from django.shortcuts import resolve_url
from django.utils import timezone

from assets.models import Asset
from monitoring.models import AssetState, KindPolicy, Outage, RadioCheck, Sample
from monitoring.services import RollCallAnswer, radio_check_record
from tests import factories

H = timedelta(hours=1)


@pytest.fixture
def radio(tree):
    return factories.radio(tree["64.01"], name="Base VHF Paser")


@pytest.fixture
def roll_call(tree, radio):
    """Hold roll call number `n` (hours apart, ending an hour ago) on which `radio` answered or not."""
    first = timezone.now() - 24 * H

    def hold(n: int, answered: bool, **report):
        entries = [RollCallAnswer(asset=radio, answered=answered, **report)]
        held_at = first + n * H
        radio_check_record(agency=tree["64.01"], held_at=held_at, net="VHF", notes="", operator=None, entries=entries)
        return held_at

    return hold


def state_of(asset) -> AssetState:
    return AssetState.objects.get(asset=asset)


def test_three_missed_roll_calls_take_a_radio_down_and_three_answers_bring_it_back(radio, roll_call):
    first_miss = roll_call(0, answered=False)
    roll_call(1, answered=False)
    assert state_of(radio).state == "unknown" and not Outage.objects.exists()
    roll_call(2, answered=False)
    assert state_of(radio).state == "down"
    outage = Outage.objects.get(asset=radio, ended_at__isnull=True)
    assert outage.started_at == first_miss and outage.cause == "tidak menjawab apel radio"

    first_answer = roll_call(3, answered=True, readability=5, signal=5)
    assert state_of(radio).state == "down"  # one answer after an outage is not yet a recovery
    roll_call(4, answered=True)
    roll_call(5, answered=True, readability=4, signal=7)
    assert state_of(radio).state == "up"
    outage.refresh_from_db()
    assert outage.ended_at == first_answer
    assert Outage.objects.count() == 1
    assert Sample.objects.filter(asset=radio, source="radio_check").count() == 6


def test_an_answering_radio_is_up_at_once_and_two_misses_do_not_take_it_down(radio, roll_call):
    roll_call(0, answered=True)
    assert state_of(radio).state == "up"
    roll_call(1, answered=False)
    roll_call(2, answered=False)
    assert state_of(radio).state == "up" and not Outage.objects.exists()
    roll_call(3, answered=False)
    assert state_of(radio).state == "down"


def test_the_kinds_confirm_count_is_the_number_of_missed_calls(radio, roll_call):
    KindPolicy.objects.create(kind="vhf_radio", confirm_count=1)
    roll_call(0, answered=False)
    assert state_of(radio).state == "down" and Outage.objects.count() == 1


@pytest.mark.parametrize(
    ("answer", "verdict", "reason"),
    [
        ({"answered": False}, "down", "tidak menjawab apel radio"),
        ({"answered": True}, "up", "menjawab apel"),
        ({"answered": True, "readability": 5, "signal": 9}, "up", "R5 S9"),
        ({"answered": True, "readability": 3, "signal": 4}, "up", "R3 S4"),
        ({"answered": True, "readability": 5, "signal": 3}, "degraded", "R5 S3"),  # strength on S1-S9
        ({"answered": True, "readability": 2, "signal": 3}, "degraded", "R2 S3"),
        ({"answered": True, "signal": 1}, "degraded", "S1"),
    ],
)
def test_verdict_of_an_answer(answer, verdict, reason):
    assert RollCallAnswer(asset=Asset(), **answer).verdict() == (verdict, reason)


def test_a_poor_report_is_recorded_as_degraded(radio, roll_call):
    roll_call(0, answered=True, readability=2, signal=3)
    sample = Sample.objects.get(asset=radio)
    assert (sample.verdict, sample.reason) == ("degraded", "R2 S3")


def test_roll_calls_through_the_api_show_in_status_and_outages(tree, radio, client_for):
    client = client_for(tree["64.01"])
    for hours_ago in (3, 2, 1):
        body = {
            "net": "VHF 147.000",
            "held_at": (timezone.now() - hours_ago * H).isoformat(),
            "entries": [{"asset": radio.pk, "answered": False}],
        }
        assert client.post("/api/monitoring/radio-checks/", body, format="json").status_code == 201
    assert client.get(f"/api/monitoring/status/{radio.pk}/").json()["state"] == "down"
    [outage] = client.get("/api/monitoring/outages/", {"open": "true"}).json()["results"]
    assert outage["asset"] == radio.pk and outage["duration_s"] == pytest.approx(3 * 3600, abs=60)


# The roll-call page


@pytest.fixture
def page_radios(tree, radio):
    return {
        "own": radio,
        "repeater": factories.asset(tree["64.01"], kind="repeater", band="vhf", name="Repeater Gunung"),
        "spare": factories.radio(tree["64.01"], status="spare", name="Radio Cadangan"),
        "router": factories.asset(tree["64.01"], name="Router Kantor"),
        "neighbour": factories.radio(tree["64.72"], name="Radio Samarinda"),
    }


def _browser(client, tree, role="technician", agency="64.01"):
    client.force_login(factories.user(tree[agency], role))
    return client


def test_page_lists_the_radios_of_the_own_agency(client, tree, page_radios):
    AssetState.objects.create(asset=page_radios["own"], state="down")
    html = _browser(client, tree).get("/radio-checks/new/").content.decode()
    assert "state-down" in html
    assert 'name="viewport"' in html and "Menjawab" in html
    assert "Base VHF Paser" in html and "Repeater Gunung" in html
    for absent in ("Radio Cadangan", "Router Kantor", "Radio Samarinda"):
        assert absent not in html
    assert "https://" not in html


def test_page_records_the_roll_call_and_redirects(client, tree, page_radios):
    own, repeater = page_radios["own"], page_radios["repeater"]
    form = {
        "net": "VHF 147.000",
        "notes": "Cuaca hujan",
        f"answered_{own.pk}": "on",
        f"readability_{own.pk}": "5",
        f"signal_{own.pk}": "4",
        f"readability_{repeater.pk}": "3",  # chosen, but the repeater did not answer
    }
    browser = _browser(client, tree)
    response = browser.post("/radio-checks/new/", form)
    assert response.status_code == 302 and response["Location"] == "/radio-checks/new/"
    check = RadioCheck.objects.get()
    assert (check.net, check.notes, check.operator.role, check.agency.code) == (
        "VHF 147.000",
        "Cuaca hujan",
        "technician",
        "64.01",
    )
    entries = {e.asset_id: (e.answered, e.readability, e.signal) for e in check.entries.all()}
    assert entries == {own.pk: (True, 5, 4), repeater.pk: (False, None, None)}
    assert Sample.objects.get(asset=repeater).verdict == "down"
    assert "1 dari 2" in browser.get("/radio-checks/new/").content.decode()


def test_page_without_a_net_says_so_and_records_nothing(client, tree, page_radios):
    response = _browser(client, tree).post("/radio-checks/new/", {f"answered_{page_radios['own'].pk}": "on"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not RadioCheck.objects.exists()


@pytest.mark.parametrize("role", ["manager", "procurement"])
def test_page_is_for_technicians_and_administrators(client, tree, page_radios, role):
    browser = _browser(client, tree, role)
    assert browser.get("/radio-checks/new/").status_code == 403
    assert browser.post("/radio-checks/new/", {"net": "VHF"}).status_code == 403
    assert not RadioCheck.objects.exists()


def test_page_needs_a_login(client, tree, settings):
    response = client.get("/radio-checks/new/")
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_administrator_records_for_the_own_agency(client, tree, page_radios):
    browser = _browser(client, tree, "administrator")
    assert browser.post("/radio-checks/new/", {"net": "HF 7.055"}).status_code == 302
    assert RadioCheck.objects.get().entries.count() == 2
