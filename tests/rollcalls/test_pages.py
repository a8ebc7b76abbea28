"""The roll-call pages without a browser: the form posts without JS, scoping, and who may record."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.choices import Role
from monitoring.models import AssetState, RadioCheckEntry
from rollcalls.models import ScheduledCall
from rollcalls.occurrences import WITA
from tests import factories


@pytest.fixture
def open_schedule(make_schedule, radios):
    """A daily schedule whose call fell a minute ago: open now, whatever the time of day."""
    due = (timezone.now() - timedelta(minutes=1)).astimezone(WITA)
    return make_schedule(stations=radios, times=[due.strftime("%H:%M")], created=due - timedelta(days=1))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_records_without_javascript_with_the_usual_reports(tree, open_schedule, radios):
    client = logged_in(factories.user(tree["64.01"]))
    page = client.get(f"/rollcalls/{open_schedule.pk}/record/")
    assert page.status_code == 200
    due = page.context["call"].due_at
    post = {"due": due.isoformat(), f"heard_{radios[0].pk}": "clear", f"heard_{radios[1].pk}": "weak"}
    post |= {f"heard_{radios[2].pk}": "none", f"readability_{radios[2].pk}": "5", "notes": "Cuaca hujan"}
    response = client.post(f"/rollcalls/{open_schedule.pk}/record/", post)
    assert response.status_code == 302 and response.url == "/rollcalls/"
    entries = {e.asset_id: (e.answered, e.readability, e.signal) for e in RadioCheckEntry.objects.all()}
    assert entries == {radios[0].pk: (True, 5, 9), radios[1].pk: (True, 3, 3), radios[2].pk: (False, None, None)}
    assert ScheduledCall.objects.get().outcome == "held"
    assert AssetState.objects.get(asset=radios[1]).state == "degraded"
    board = client.get("/rollcalls/").content.decode()
    assert "sudah dicatat" in board and "1 dari 1 apel" in board


def test_a_station_left_untapped_is_named_and_nothing_is_saved(tree, open_schedule, radios):
    client = logged_in(factories.user(tree["64.01"]))
    due = client.get(f"/rollcalls/{open_schedule.pk}/record/").context["call"].due_at
    response = client.post(
        f"/rollcalls/{open_schedule.pk}/record/", {"due": due.isoformat(), f"heard_{radios[0].pk}": "clear"}
    )
    assert response.status_code == 200
    assert f"Ketuk salah satu untuk {radios[1].name}." in response.content.decode()
    assert not RadioCheckEntry.objects.exists() and not ScheduledCall.objects.exists()


def test_another_agencys_schedule_page_is_404_and_a_due_that_is_no_call_is_404(tree, make_schedule, open_schedule):
    foreign = make_schedule(tree["63.01"], net="Jaring Asing")
    client = logged_in(factories.user(tree["64.01"]))
    assert client.get(f"/rollcalls/{foreign.pk}/record/").status_code == 404
    bogus = {"due": "2026-11-02T08:07:00+08:00"}
    assert client.post(f"/rollcalls/{open_schedule.pk}/record/", bogus).status_code == 404
    assert "Jaring Asing" not in client.get("/rollcalls/").content.decode()


def test_a_manager_sees_the_call_but_cannot_record_it(tree, open_schedule, radios):
    client = logged_in(factories.user(tree["64.01"], Role.MANAGER))
    page = client.get(f"/rollcalls/{open_schedule.pk}/record/").content.decode()
    assert "Hanya teknisi dan administrator" in page and "Simpan apel" not in page


def test_the_agency_page_shows_the_months_compliance(tree, open_schedule):
    client = logged_in(factories.user(tree["64"], Role.MANAGER))
    page = client.get("/agencies/64.01/").content.decode()
    assert 'id="roll-call-compliance"' in page and "Jaring VHF Paser" in page
