"""A month's report from draft to accepted (or returned), on the pages and through the API, by the right people."""

from datetime import UTC, date, datetime

import pytest

from reports.choices import ReportState
from reports.content import report_state
from reports.models import MonthlyReport
from tests import factories
from tests.reports.october import build_october

API = "/api/reports/monthly/64.01/"
PAGE = "/reports/64.01/2025-10/"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def october(tree):
    return build_october(tree, submitted=False)


def report() -> MonthlyReport:
    return MonthlyReport.objects.get(agency__code="64.01", month=date(2025, 10, 1))


def test_states_around_the_deadline_in_wita():
    month, now = date(2026, 11, 1), utc(2026, 12, 1)
    assert report_state(None, month, now) == ReportState.NOT_STARTED
    draft = MonthlyReport(month=month, notes="x")
    assert report_state(draft, month, now) == ReportState.DRAFT
    assert report_state(draft, month, utc(2026, 12, 10, 16, 0)) == ReportState.LATE  # 00.00 WITA on the 11th
    sent = MonthlyReport(month=month, submitted_at=utc(2026, 12, 10, 15, 59, 59))  # 23.59.59 WITA on the 10th
    assert report_state(sent, month, utc(2027, 1, 1)) == ReportState.SUBMITTED
    sent.submitted_at = utc(2026, 12, 10, 16, 0)
    assert report_state(sent, month, utc(2027, 1, 1)) == ReportState.LATE
    sent.acknowledged_at = utc(2026, 12, 12)
    assert report_state(sent, month, utc(2027, 1, 1)) == ReportState.ACCEPTED
    returned = MonthlyReport(month=month, returned_at=utc(2026, 12, 5), return_reason="Lengkapi")
    assert report_state(returned, month, utc(2026, 12, 6)) == ReportState.RETURNED


def test_draft_submit_return_resubmit_accept_through_the_pages(october, client):
    client.force_login(october["maker"])
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Belum dibuat" not in html and "Terlambat" in html  # October's deadline has passed
    assert "10 November 2025" in html and "Ganti adaptor daya" in html and "2 jam 15 menit" in html
    assert client.post(PAGE, {"action": "save", "notes": "<b>draf</b>"}).status_code == 302
    assert report().notes == "<b>draf</b>" and report().submitted_at is None
    assert "&lt;b&gt;draf&lt;/b&gt;" in client.get(PAGE).content.decode()  # text, never HTML
    assert client.post(PAGE, {"action": "submit", "notes": "Lengkap"}).status_code == 302
    sent = report()
    assert sent.submitted_by == october["maker"] and sent.notes == "Lengkap"
    html = client.get(PAGE).content.decode()
    assert 'name="notes"' not in html and "hanya bisa diubah bila dikembalikan" in html  # read-only now
    edit = client.post(PAGE, {"action": "save", "notes": "diam-diam"})
    assert edit.status_code == 400 and "sudah dikirim" in edit.content.decode() and report().notes == "Lengkap"

    client.force_login(october["receiver"])
    html = client.get("/reports/?month=2025-10").content.decode()
    assert "BPBD Kabupaten Paser" in html and "Terlambat" in html and "1 dari 2 laporan dikirim" in html
    empty_reason = client.post(PAGE, {"action": "return", "reason": "  "})
    assert empty_reason.status_code == 400 and report().returned_at is None
    assert client.post(PAGE, {"action": "return", "reason": "Lampirkan foto genset."}).status_code == 302
    returned = report()
    assert returned.submitted_at is None and returned.return_reason == "Lampirkan foto genset."

    client.force_login(october["maker"])
    html = client.get(PAGE).content.decode()
    assert "Lampirkan foto genset." in html and 'name="notes"' in html  # editable again, with the reason
    assert client.post(PAGE, {"action": "submit", "notes": "Foto terlampir."}).status_code == 302

    client.force_login(october["receiver"])
    assert client.post(PAGE, {"action": "accept"}).status_code == 302
    accepted = report()
    assert accepted.acknowledged_by == october["receiver"] and accepted.notes == "Foto terlampir."
    assert "Diterima" in client.get("/reports/?month=2025-10").content.decode()
    late_return = client.post(PAGE, {"action": "return", "reason": "terlambat sadar"})
    assert late_return.status_code == 400 and "sudah diterima" in late_return.content.decode()
    assert report().acknowledged_at is not None and report().returned_at == returned.returned_at


def test_the_same_flow_through_the_api_with_4xx_on_bad_input(october, client_for):
    regency = client_for(october["paser"], "manager")
    province = client_for(october["receiver"].agency, "manager")
    month = "?month=2025-10"
    too_long = regency.post(f"{API}notes/{month}", {"notes": "x" * 2001}, format="json")
    assert too_long.status_code == 400 and "notes" in too_long.json()
    assert regency.post(f"{API}notes/{month}", {"notes": 5}, format="json").status_code == 400
    future = regency.post(f"{API}notes/?month=2099-01", {"notes": "x"}, format="json")
    assert future.status_code == 400 and "month" in future.json()
    assert not MonthlyReport.objects.exists()  # nothing half-written
    draft = regency.post(f"{API}notes/{month}", {"notes": "Draf"}, format="json")
    assert draft.status_code == 200 and draft.json()["state"] == "late"  # a draft after the 10th is late
    assert province.post(f"{API}return/{month}", {"reason": "x"}, format="json").status_code == 400  # not sent
    sent = regency.post(f"{API}submit/{month}", {}, format="json")
    assert sent.status_code == 200 and sent.json()["state"] == "late" and report().notes == "Draf"
    again = regency.post(f"{API}notes/{month}", {"notes": "ubah"}, format="json")
    assert again.status_code == 400 and "notes" in again.json() and report().notes == "Draf"
    assert regency.post(f"{API}submit/{month}", {"notes": "ubah"}, format="json").status_code == 400
    no_reason = province.post(f"{API}return/{month}", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert regency.post(f"{API}return/{month}", {"reason": "x"}, format="json").status_code == 403  # its own
    returned = province.post(f"{API}return/{month}", {"reason": "Kurang lengkap"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "late"  # returned after the deadline
    assert returned.json()["return_reason"] == "Kurang lengkap" and returned.json()["submitted_at"] is None
    assert regency.post(f"{API}submit/{month}", {"notes": "Lengkap"}, format="json").status_code == 200
    accepted = province.post(f"{API}acknowledge/{month}")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert accepted.json()["acknowledged_by"] == province.user.username  # no full name given: the login name
    after = province.post(f"{API}return/{month}", {"reason": "x"}, format="json")
    assert after.status_code == 400 and "reason" in after.json()
    statuses = {
        row["agency"]: row["state"] for row in province.get("/api/reports/monthly/", {"month": "2025-10"}).json()
    }
    assert statuses == {"64": "late", "64.01": "accepted", "64.72": "late"}


def test_each_sees_only_its_own_or_its_regencies(october, tree, client):
    client.force_login(factories.user(tree["64.72"], "manager"))
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"action": "save", "notes": "x"}).status_code == 404
    html = client.get("/reports/?month=2025-10").content.decode()
    assert "BPBD 64.72" in html and "BPBD Kabupaten Paser" not in html and "belum dikirim" in html
    client.force_login(factories.user(tree["63"], "manager"))
    assert client.get(PAGE).status_code == 404
    assert "BPBD Kabupaten Paser" not in client.get("/reports/?month=2025-10").content.decode()
    client.force_login(october["receiver"])  # Kaltim: its two regencies, not itself, not the other province's
    html = client.get("/reports/?month=2025-10").content.decode()
    assert "BPBD Kabupaten Paser" in html and "BPBD 64.72" in html and "BPBD 63.01" not in html
    assert client.post(PAGE, {"action": "save", "notes": "x"}).status_code == 403  # the province does not write it
    assert client.get("/reports/64.01/2025-13/").status_code == 404
    assert client.get("/reports/?month=zzz").status_code == 200  # falls back to last month
