"""Demo roll-call schedules for the Kaltim seed (manage.py seed_kaltim): the province's daily VHF net that calls
every regency's base radio, BNPB's weekly HF net, and a daily VHF net of two regencies. Safe to re-run: a net
that exists is left as it is."""

from django.db import transaction

from accounts.scoping import agencies_under
from assets.choices import AgencyLevel, AssetKind, Band
from assets.models import Agency, Asset
from monitoring.policies import POLLED_STATUSES
from rollcalls.models import RollCallSchedule

EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]
MONDAY = [1]
REGENCY_NETS = 2  # the first regencies (by code) get a net of their own


@transaction.atomic
def seed_roll_call_schedules() -> int:
    """Create the demo nets that are missing; returns how many were created."""
    province = Agency.objects.filter(code="64").first()
    if province is None:
        return 0
    radios = Asset.objects.filter(status__in=POLLED_STATUSES).order_by("agency__code", "name")
    whole_province = radios.filter(agency__in=agencies_under(province.pk))
    nets = [
        (province, "Jaring VHF Provinsi", Band.VHF, ["08:00", "20:00"], EVERY_DAY,
         whole_province.filter(kind=AssetKind.VHF_RADIO, name="Radio VHF base")),
        (province, "Jaring HF BNPB", Band.HF, ["09:00"], MONDAY, whole_province.filter(kind=AssetKind.HF_RADIO)),
    ]  # fmt: skip
    regencies = Agency.objects.filter(parent=province).exclude(level=AgencyLevel.PROVINCE).order_by("code")
    for regency in regencies[:REGENCY_NETS]:
        own = radios.filter(agency=regency, kind=AssetKind.VHF_RADIO)
        nets.append(
            (regency, f"Jaring VHF {regency.name.removeprefix('BPBD ')}", Band.VHF, ["07:00", "19:00"], EVERY_DAY, own)
        )
    created = 0
    for agency, net, band, times, days, stations in nets:
        if RollCallSchedule.objects.filter(agency=agency, net=net).exists():
            continue
        schedule = RollCallSchedule(agency=agency, net=net, band=band, times=times, days=days, window_minutes=30)
        schedule.full_clean()
        schedule.save()
        schedule.stations.set(stations)
        created += 1
    return created
