from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from assets.expiries import expiries, radios_on_expired_licence
from assets.models import Agency, Asset, RadioLicence
from assets.readiness import agency_readiness


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
