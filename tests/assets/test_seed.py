from django.apps import apps
from django.core.management import call_command

from assets.models import Agency, Asset


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
