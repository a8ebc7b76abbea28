import csv
import ipaddress
import re
from datetime import timedelta
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db.models import F, Max, Min
from django.utils import timezone

from assets.expiries import expiries, radios_on_expired_licence
from assets.models import Agency, Asset, RadioLicence, Site, Stocktake
from assets.readiness import agency_readiness
from assets.seed import AGENCIES_CSV
from assets.stocktake_seed import NOTE as STOCKTAKE_NOTE
from maintenance.models import WorkOrder
from maintenance.transitions import ACTIVE
from monitoring.availability import availability
from monitoring.models import AssetState, HourlyRollup, Outage, ProbeConfig, RadioCheck, RadioCheckEntry
from monitoring.policies import pollable_assets
from reports.deadlines import submission_status
from reports.models import MonthlyReport


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_kaltim_loads_real_agencies_and_is_idempotent(db):
    call_command("seed_kaltim")
    first = _row_counts()
    call_command("seed_kaltim")
    assert _row_counts() == first  # no new rows, not even history

    assert Agency.objects.count() == 11
    province = Agency.objects.get(code="64")
    assert province.level == "province" and province.parent is None
    assert Agency.objects.get(code="64.74").name == "BPBD Kota Bontang"
    assert set(Agency.objects.filter(parent=province).values_list("level", flat=True)) == {"regency", "city"}
    assert Agency.objects.filter(parent=province).count() == 10
    addressed = Asset.objects.exclude(management_address="")
    assert addressed.count() >= 50
    assert all(a.management_address.startswith("127.") for a in addressed)
    assert len(set(addressed.values_list("management_address", flat=True))) == addressed.count()
    for asset in Asset.objects.all():
        asset.full_clean()  # the demo data obeys the rules typed data does


def test_seed_keeps_user_edits(db):
    call_command("seed_kaltim")
    asset = Asset.objects.get(tag="BPBD-6401-003")
    asset.status = "faulty"
    asset.save()
    call_command("seed_kaltim")
    asset.refresh_from_db()
    assert asset.status == "faulty"


def test_seed_has_licences_lapsing_items_and_readiness_to_show(db):
    call_command("seed_kaltim")
    today = timezone.localdate()
    assert RadioLicence.objects.count() >= 3
    assert RadioLicence.objects.filter(valid_until__gte=today, valid_until__lte=today + timedelta(days=60)).exists()
    [expired] = RadioLicence.objects.filter(valid_until__lt=today)
    on_air = radios_on_expired_licence(Agency.objects.all(), today=today)
    assert on_air.exists() and {radio.licence for radio in on_air} == {expired}
    for licence in RadioLicence.objects.all():
        licence.full_clean()  # frequencies and power still fit the radios on them
    kinds = {item.kind for item in expiries(Agency.objects.all(), start=today, end=today + timedelta(days=90))}
    assert {"licence", "licence_fee", "battery", "support", "isp_contract"} <= kinds
    assert Asset.objects.exclude(warranty_end=None).exists() and Asset.objects.exclude(support_end=None).exists()
    readiness = {agency.code: agency_readiness(agency).ready for agency in Agency.objects.all()}
    assert readiness["64"] and readiness["64.72"] and not readiness["64.01"] and not readiness["64.02"]


# Kalimantan Timur, from Paser's southern tip to Berau's northern coast, Mahakam Ulu's border to the sea.
KALTIM = {"lat": (-2.6, 2.6), "lon": (113.8, 119.1)}


def test_the_province_has_sites_of_its_own_apart_from_samarinda_city(db):
    call_command("seed_kaltim")
    province = Site.objects.filter(agency__code="64")
    city = Site.objects.filter(agency__code="64.72")
    assert province.count() >= 4 and city.count() == 3
    assert not set(province.values_list("name", flat=True)) & set(city.values_list("name", flat=True))
    assert not set(province.values_list("latitude", "longitude")) & set(city.values_list("latitude", "longitude"))
    assert province.filter(kind="repeater_site").count() == 2  # two hills relay the province's net
    office = province.get(kind="pusdalops")
    assert "Samarinda" in office.address and abs(float(office.latitude) + 0.49) < 0.05  # in Samarinda itself


def test_every_seat_and_site_lies_inside_kalimantan_timur(db):
    call_command("seed_kaltim")
    with AGENCIES_CSV.open(encoding="utf-8") as handle:
        seats = [(float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)]
    sites = [(float(lat), float(lon)) for lat, lon in Site.objects.values_list("latitude", "longitude")]
    assert len(seats) == 11 and len(sites) == 34
    for lat, lon in seats + sites:
        assert KALTIM["lat"][0] < lat < KALTIM["lat"][1] and KALTIM["lon"][0] < lon < KALTIM["lon"][1], (lat, lon)


def test_the_demo_has_ninety_days_of_history(db, settings):
    settings.DEMO_HISTORY_DAYS = 90  # what `make run` seeds
    call_command("seed_kaltim", stdout=StringIO())
    now = timezone.now()
    span = HourlyRollup.objects.aggregate(first=Min("hour"), last=Max("hour"))
    assert now - timedelta(days=90) <= span["first"] <= now - timedelta(days=90) + timedelta(hours=2)
    assert now - timedelta(hours=2) <= span["last"] <= now - timedelta(hours=1)  # the current hour is the poller's
    polled = pollable_assets()
    assert HourlyRollup.objects.values("asset").distinct().count() == polled.count() == 78
    assert HourlyRollup.objects.filter(up__lt=F("samples")).exists()  # the outages show in the charts

    closed = Outage.objects.filter(ended_at__isnull=False)
    assert closed.count() >= 100 and not closed.filter(cause="").exists()
    causes = " ".join(closed.values_list("cause", flat=True)).lower()
    assert all(cause in causes for cause in ("listrik padam", "kabel fiber putus", "hujan lebat", "petir"))
    assert Outage.objects.filter(asset__kind="internet_link", took_down=4).exists()  # router, UPS, repeater, solar
    assert set(Outage.objects.filter(ended_at=None).values_list("asset__status", flat=True)) == {"faulty"}
    paser = availability(Asset.objects.filter(agency__code="64.01"), start=now - timedelta(days=90), end=now)
    assert paser and all(row.monitored_s > 89 * 86400 for row in paser)
    by_agency = availability(Asset.objects.all(), start=now - timedelta(days=90), end=now, group_by="agency")
    assert len(by_agency) == 11 and all(0.95 < row.availability < 1 for row in by_agency)

    for agency in Agency.objects.all():
        days = {timezone.localtime(at).date() for at in RadioCheck.objects.filter(agency=agency).values_list(
            "held_at", flat=True)}  # fmt: skip
        assert len(days) >= 89  # a roll call every morning
    assert RadioCheckEntry.objects.filter(answered=False, asset__status="faulty").exists()
    assert AssetState.objects.filter(asset__kind="vhf_radio", state="down").count() == 2  # the faulty handhelds

    assert WorkOrder.objects.filter(status="done", kind="preventive").count() >= 30
    assert WorkOrder.objects.filter(status="done", kind="corrective", outages__isnull=False).exists()
    overdue = WorkOrder.objects.filter(status__in=ACTIVE, due_date__lt=timezone.localdate())
    assert set(overdue.filter(kind="preventive").values_list("agency__code", flat=True)) == {"64.01", "64.02", "64.11"}
    assert overdue.filter(kind="corrective").exists()
    assert WorkOrder.objects.filter(created_at__lt=now - timedelta(days=60)).exists()  # dated when they were made

    reports = MonthlyReport.objects.all()
    months = sorted(set(reports.values_list("month", flat=True)))
    assert len(months) == 2 and reports.count() == 22
    statuses = [submission_status(r.month, r.submitted_at, now) for r in reports]
    assert statuses.count("late") == 1 and statuses.count("on_time") == 21
    assert reports.get(agency__code="64.11", month=months[0]).notes  # says why it was late


def test_a_second_seed_adds_no_history_and_the_demo_logins_get_none_twice(db, settings):
    settings.DEBUG = True
    call_command("seed_kaltim", demo_users="simpul-demo-9x", stdout=StringIO())
    first = _row_counts()
    # With the logins comes a closed stocktake of the province's Pusdalops, signed off by its manager.
    count = Stocktake.objects.get(note=STOCKTAKE_NOTE)
    assert (count.status, count.closed_by.username, count.signed_by.username) == ("closed", "teknisi", "manajer")
    assert count.opened_at < count.closed_at < count.signed_at < timezone.now()
    lines = count.lines.select_related("asset")
    assert lines.count() >= 3 and not lines.exclude(result="found").exists()
    worn = lines.get(condition="light_damage")
    assert worn.note and Asset.objects.get(pk=worn.asset_id).condition == "light_damage"
    call_command("seed_kaltim", demo_users="simpul-demo-9x", stdout=StringIO())
    assert _row_counts() == first


def test_no_management_address_of_the_demo_leaves_loopback(db):
    call_command("seed_kaltim", stdout=StringIO())
    addresses = list(Asset.objects.exclude(management_address="").values_list("management_address", flat=True))
    assert len(addresses) == 78
    assert all(ipaddress.ip_address(address).is_loopback for address in addresses), addresses
    silent = ProbeConfig.objects.filter(snmp=True)
    assert set(silent.values_list("asset__agency__code", flat=True)) == {"64.03"}  # the one failure, on loopback too
    assert not silent.filter(icmp=True).exists()  # loopback answers every ping: SNMP only, where nothing listens


def test_seeding_prints_how_long_it_took(db):
    out = StringIO()
    call_command("seed_kaltim", stdout=out)
    seconds = float(re.search(r"Seeded in (\d+\.\d) s\.", out.getvalue()).group(1))
    assert seconds > 0  # wall time: a few seconds alone, minutes on a machine shared by eight test runs
