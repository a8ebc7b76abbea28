"""The link report: October 2025 of Paser's (64.01) and the province's links, and a foreign province's."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from monitoring.metrics import store
from monitoring.models import AssetState, HourlyRollup, Outage
from reports.deadlines import WITA
from tests import factories

OCTOBER_START = datetime(2025, 10, 1, tzinfo=WITA)
OCTOBER_S = 31 * 86400


def _link(agency, name, **fields):
    values = {"kind": "internet_link", "provider": "Telkom", "medium": "fibre"}
    values.update(fields)
    link = factories.asset(agency, name=name, management_address="127.0.0.1", **values)
    AssetState.objects.create(asset=link, state="up", monitored_since=datetime(2025, 9, 1, tzinfo=WITA))
    return link


def _hours(asset, start, count, *, rtt, loss=0.0, samples=60):
    HourlyRollup.objects.bulk_create(
        HourlyRollup(
            asset=asset,
            hour=start + timedelta(hours=i),
            samples=samples,
            up=samples,
            rtt_avg_ms=rtt,
            rtt_max_ms=rtt,
            loss_avg=loss,
        )
        for i in range(count)
    )


@pytest.fixture
def october(tree):
    paser, kaltim, foreign = tree["64.01"], tree["64"], tree["63.01"]
    main = _link(paser, "Internet utama", down_mbps="50", up_mbps="10", monthly_cost_idr=1_500_000, link_role="primary")
    Outage.objects.create(  # 2 h 15 min of it inside October
        asset=main,
        started_at=datetime(2025, 10, 31, 21, 45, tzinfo=WITA),
        ended_at=datetime(2025, 11, 1, 2, 0, tzinfo=WITA),
    )
    _hours(main, OCTOBER_START, 10, rtt=20.0, loss=0.01)
    _hours(main, OCTOBER_START + timedelta(days=1), 30, rtt=40.0, loss=0.0)
    _hours(main, datetime(2025, 11, 1, 3, tzinfo=WITA), 5, rtt=900.0, loss=0.5)  # November's: not in October
    traffic = [(20e6, 2e6)] * 3 + [(48e6, 2e6)]  # the fourth hour above 90 % of the 50 Mbps download
    store.write(
        [
            row
            for i, (down, up) in enumerate(traffic)
            for at in [OCTOBER_START + timedelta(days=2, hours=i, minutes=30)]
            for row in ((main.pk, "if_in_bps", at, down), (main.pk, "if_out_bps", at, up))
        ]
    )
    backup = _link(kaltim, "Internet cadangan", monthly_cost_idr=750_000, link_role="backup")
    _hours(backup, OCTOBER_START, 1, rtt=10.0)
    starlink = _link(kaltim, "Starlink Pusdalops", kind="satellite_terminal", provider="", medium="",
                     sat_network="starlink", terminal_id="SL-1", monthly_cost_idr=990_000)  # fmt: skip
    Outage.objects.create(
        asset=starlink,
        started_at=datetime(2025, 10, 5, 8, tzinfo=WITA),
        ended_at=datetime(2025, 10, 5, 18, tzinfo=WITA),
    )
    _link(foreign, "Link provinsi lain", provider="Biznet")
    factories.asset(paser, kind="router", name="Router Pusdalops")  # not a link: not in the report
    return {"main": main, "backup": backup, "starlink": starlink}


@pytest.mark.django_db
def test_each_provider_and_link_over_the_month_worst_first(tree, october, client_for):
    body = client_for(tree["64"], Role.PROCUREMENT).get("/api/reports/links/?month=2025-10").json()
    assert body["month"] == "2025-10"
    providers = {row["provider"]: row for row in body["providers"]}
    assert [row["provider"] for row in body["providers"]] == ["Starlink", "Telkom"]  # worst first; Biznet is foreign
    starlink, telkom = providers["Starlink"], providers["Telkom"]
    assert starlink["availability"] == round(1 - 36_000 / OCTOBER_S, 6)
    assert starlink["down_s"] == 36_000 and starlink["outages"] == 1
    assert starlink["rtt_avg_ms"] is None and starlink["monthly_cost_idr"] == 990_000
    assert telkom["links"] == 2
    assert telkom["availability"] == round(1 - 8_100 / (2 * OCTOBER_S), 6)
    assert telkom["rtt_avg_ms"] == round((35.0 * 2400 + 10.0 * 60) / 2460, 1)  # each link weighed by its polls
    assert telkom["monthly_cost_idr"] == 2_250_000
    links = {row["name"]: row for row in body["results"]}
    assert list(links) == ["Starlink Pusdalops", "Internet utama", "Internet cadangan"]
    main = links["Internet utama"]
    assert main["availability"] == round(1 - 8_100 / OCTOBER_S, 6) and main["down_s"] == 8_100
    assert main["rtt_avg_ms"] == 35.0  # (10 h at 20 ms + 30 h at 40 ms), November's hours left out
    assert main["loss_avg"] == round(0.01 * 600 / 2400, 4)
    assert (main["contracted_down_mbps"], main["contracted_up_mbps"]) == (50.0, 10.0)
    assert main["agency"] == "64.01" and main["role_label"] == "Utama" and main["medium_label"] == "Serat optik"
    assert (main["in_avg_mbps"], main["in_peak_mbps"], main["in_share"]) == (27.0, 48.0, 0.54)
    assert (main["out_avg_mbps"], main["out_peak_mbps"], main["full_hours"]) == (2.0, 2.0, 1)
    assert links["Internet cadangan"]["in_avg_mbps"] is None and links["Internet cadangan"]["full_hours"] == 0
    assert telkom["full_hours"] == 1
    assert links["Starlink Pusdalops"]["circuit"] == "SL-1"
    assert links["Starlink Pusdalops"]["kind_label"] == "Terminal satelit"


@pytest.mark.django_db
def test_a_regency_sees_its_own_links_and_a_provider_filter_keeps_one(tree, october, client_for):
    body = client_for(tree["64.01"], Role.MANAGER).get("/api/reports/links/?month=2025-10").json()
    assert [row["name"] for row in body["results"]] == ["Internet utama"]
    province = client_for(tree["64"], Role.MANAGER)
    body = province.get("/api/reports/links/", {"month": "2025-10", "provider": "Starlink"}).json()
    assert [row["provider"] for row in body["providers"]] == ["Starlink"]
    assert [row["name"] for row in body["results"]] == ["Starlink Pusdalops"]
    body = province.get("/api/reports/links/", {"month": "2025-10", "agency": "63.01"}).json()
    assert body["results"] == [] and body["providers"] == []  # another province's code selects nothing


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2025-13", "25-10", "2025-10-01", "1999-12"])
def test_a_month_that_is_not_one_is_a_400_naming_it(tree, client_for, month):
    response = client_for(tree["64"], Role.PROCUREMENT).get("/api/reports/links/", {"month": month})
    assert response.status_code == 400 and "month" in response.json()


@pytest.mark.django_db
def test_the_workbook_holds_links_and_providers_with_real_numbers(tree, october, client_for):
    response = client_for(tree["64"], Role.PROCUREMENT).get("/api/reports/links/?month=2025-10&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan-link.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Link", "Per penyedia"]
    links = list(book["Link"].values)
    header = links[0]
    assert header[:4] == ("Penyedia", "Kode instansi", "Instansi", "Link")
    main = next(row for row in links if row[3] == "Internet utama")
    assert main[header.index("Ketersediaan")] == pytest.approx(1 - 8_100 / OCTOBER_S, abs=1e-6)
    assert main[header.index("Waktu mati (menit)")] == 135
    assert main[header.index("Kontrak unduh (Mbps)")] == 50
    assert main[header.index("Biaya bulanan (Rp)")] == 1_500_000
    assert main[header.index("Unduh puncak (Mbps)")] == 48 and main[header.index("Jam di atas 90 % kontrak")] == 1
    assert links[-1][0] == "Jumlah" and links[-1][header.index("Biaya bulanan (Rp)")] == 3_240_000
    providers = list(book["Per penyedia"].values)
    assert [row[0] for row in providers[1:3]] == ["Starlink", "Telkom"]
    csv = client_for(tree["64"], Role.PROCUREMENT).get("/api/reports/links/?month=2025-10&format=csv")
    assert csv.status_code == 200 and "Internet utama" in csv.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_the_page_shows_figures_as_people_read_them(tree, october, client):
    client.force_login(factories.user(tree["64"], Role.PROCUREMENT))
    page = client.get("/reports/links/?month=2025-10").content.decode()
    assert "Laporan link: Oktober 2025" in page
    assert "98,66 %" in page  # Starlink, marked: below the 99 % a contract promises
    assert 'class="overdue">98,66 %' in page
    assert "2 jam 15 menit" in page and "10 jam" in page
    assert "35 ms" in page and "50 / 10 Mbps" in page and "Rp 1.500.000" in page
    assert "27 / 2 Mbps" in page and "puncak 48 / 2 Mbps · 54 % dari kontrak unduh" in page
    assert "1 jam di atas 90 % kontrak" in page
    assert "Rp 3.240.000" in page  # the month's cost of every link shown
    assert "None" not in page and "Biznet" not in page
    assert page.index("Starlink Pusdalops") < page.index("Internet utama")  # worst first
    assert 'href="/api/reports/links/?format=xlsx&month=2025-10"' in page


@pytest.mark.django_db
def test_the_page_is_for_procurement_and_managers_and_linked_for_them(tree, client):
    client.force_login(factories.user(tree["64"], Role.TECHNICIAN))
    assert client.get("/reports/links/").status_code == 403
    assert "/reports/links/" not in client.get("/").content.decode()
    client.force_login(factories.user(tree["64"], Role.MANAGER))
    assert client.get("/reports/links/").status_code == 200
    assert 'href="/reports/links/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_month_without_links_says_so(tree, client):
    client.force_login(factories.user(tree["64"], Role.PROCUREMENT))
    page = client.get("/reports/links/?month=2025-10").content.decode()
    assert "Tidak ada link internet atau terminal satelit yang Anda lihat." in page
