"""Small builders for test data: each returns a saved, valid object with overridable fields."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from accounts.choices import Role
from accounts.models import User
from assets.choices import AgencyLevel, AssetKind, PowerSource, SiteKind
from assets.models import (
    Agency,
    Asset,
    Partner,
    RadioLicence,
    Site,
    StandardItem,
    StockItem,
    StockMovement,
    Stocktake,
)

_serial = itertools.count(1)


def agency(code: str, *, parent: Agency | None = None, level: str | None = None) -> Agency:
    if level is None:
        level = AgencyLevel.PROVINCE if "." not in code else AgencyLevel.REGENCY
    return Agency.objects.create(code=code, name=f"BPBD {code}", level=level, parent=parent)


def user(agency: Agency | None, role: str = Role.TECHNICIAN, **extra) -> User:
    name = extra.pop("username", f"{role}-{agency.code if agency else 'none'}-{next(_serial)}")
    return User.objects.create_user(name, password="x-Very-Long-Pass-9", agency=agency, role=role, **extra)


def site(agency: Agency, **fields) -> Site:
    values = {
        "name": f"Site {next(_serial)}",
        "kind": SiteKind.PUSDALOPS,
        "latitude": Decimal("-0.5"),
        "longitude": Decimal("117.15"),
        "power_source": PowerSource.GRID,
    }
    values.update(fields)
    obj = Site(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj


def asset(agency: Agency, **fields) -> Asset:
    values = {"name": f"Asset {next(_serial)}", "kind": AssetKind.ROUTER}
    values.update(fields)
    obj = Asset(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj


def radio(agency: Agency, **fields) -> Asset:
    """A VHF base radio: no management address, so only roll calls tell whether it works."""
    return asset(agency, **({"name": f"Radio {next(_serial)}", "kind": AssetKind.VHF_RADIO} | fields))


def licence(agency: Agency, **fields) -> RadioLicence:
    """A VHF station licence for 147.000 and 147.600 MHz at 50 W, valid 2024-2029."""
    values = {
        "number": f"ISR-{next(_serial)}",
        "frequencies_mhz": ["147.000", "147.600"],
        "emission": "11K0F3E",
        "power_w": Decimal(50),
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2028, 12, 31),
    }
    values.update(fields)
    obj = RadioLicence(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj


def one_of_each(agency: Agency, *, pk: int, by: User) -> dict:
    """One row of every resource the API routes, owned by `agency`, each with primary key `pk` (so one
    path value reaches them all), with moments set so every datetime field has a value to write; and the
    routers' kind policy and a national standard item, which belong to no agency."""
    from django.utils import timezone

    from maintenance.models import CalendarFeed, PartLine, PreventivePlan, WebhookEndpoint, WorkLog, WorkOrder
    from monitoring.models import (
        AssetState,
        Event,
        HourlyRollup,
        KindPolicy,
        MaintenanceWindow,
        Outage,
        ProbeConfig,
        RadioCheck,
        RadioCheckEntry,
        Sample,
    )
    from reports.deadlines import previous_month
    from reports.models import MonthlyReport

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hour = timedelta(hours=1)
    partner = Partner.objects.create(pk=pk, name=f"ORARI {pk}", kind=Partner.Kind.RADIO_ORGANISATION)
    place = site(agency, pk=pk)
    router = asset(agency, pk=pk, site=place, owner_partner=partner, management_address="127.64.1.3")
    radio_ = radio(agency)
    order = WorkOrder.objects.create(
        pk=pk, agency=agency, asset=router, kind="corrective", title="Ganti konektor", reporter=by, due_date=now.date()
    )
    order.checklist.create(pk=pk, text="Cek konektor", done=True, done_by=by, done_at=now)
    WorkLog.objects.create(
        work_order=order, technician=by, started_at=now - hour, ended_at=now, hours=Decimal("1"), description="Cek"
    )
    PartLine.objects.create(work_order=order, name="Konektor N", quantity=Decimal("2"), unit_cost_idr=50_000)
    check = RadioCheck.objects.create(pk=pk, agency=agency, held_at=now - hour, net="VHF 147.000", operator=by)
    RadioCheckEntry.objects.create(radio_check=check, asset=radio_, answered=True, readability=5, signal=5)
    MonthlyReport.objects.create(  # returned once by the province, then sent again
        agency=agency,
        month=previous_month(now.date()),
        submitted_at=now - hour,
        submitted_by=by,
        notes="Lengkap",
        returned_at=now - 2 * hour,
        returned_by=by,
        return_reason="Lengkapi catatan",
    )
    KindPolicy.objects.get_or_create(kind=router.kind)
    StandardItem.objects.get_or_create(
        level=AgencyLevel.NATIONAL, kind=router.kind, defaults={"pk": pk, "required": 1, "unit_cost_idr": 9_000_000}
    )
    return {
        "partner": partner,
        "site": place,
        "asset": router,
        "state": AssetState.objects.create(asset=router, state="down", since=now - hour, last_polled_at=now),
        "outage": Outage.objects.create(pk=pk, asset=router, started_at=now - 2 * hour, ended_at=now - hour),
        "event": Event.objects.create(pk=pk, asset=router, at=now - hour, kind="reboot"),
        "sample": Sample.objects.create(asset=router, at=now, source="icmp", verdict="up", rtt_ms=1.5, loss=0.0),
        "rollup": HourlyRollup.objects.create(asset=router, hour=now - hour, samples=60, up=60, rtt_avg_ms=1.5),
        "probe_config": ProbeConfig.objects.create(asset=router),
        "window": MaintenanceWindow.objects.create(
            pk=pk, agency=agency, asset=router, starts_at=now, ends_at=now + hour, reason="Ganti aki", created_by=by
        ),
        "radio_check": check,
        "work_order": order,
        "plan": PreventivePlan.objects.create(
            pk=pk, agency=agency, title="Cek bulanan", asset_kind="router", starts_on=now.date()
        ),
        "webhook": WebhookEndpoint.objects.create(pk=pk, agency=agency, url="http://127.0.0.1:9/", secret="s" * 20),
        "calendar_feed": CalendarFeed.objects.create(pk=pk, agency=agency),
        "licence": licence(agency, pk=pk),
        **_alerting(agency, router, pk=pk, by=by, now=now),
        **_stock(agency, place, order, pk=pk, by=by),
        **_roll_calls(agency, radio_, check, pk=pk, now=now),
    }


def _stock(agency: Agency, place: Site, order, *, pk: int, by: User) -> dict:
    """The stock rows of one_of_each: an item with a receipt and an issue to the work order, and a closed
    stocktake of the site that found its router in good condition."""
    from assets import stock, stocktake
    from assets.choices import Condition, StocktakeResult

    item = StockItem.objects.create(
        pk=pk, agency=agency, site=place, name="Konektor N", unit="buah", minimum=Decimal(5), unit_cost_idr=50_000
    )
    stock.stock_receive(item=item, quantity=Decimal(10), by=by)
    issued = stock.stock_issue(item=item, quantity=Decimal(2), work_order=order, by=by)
    StockMovement.objects.filter(pk=issued.pk).update(id=pk)
    count = Stocktake.objects.create(pk=pk, agency=agency, site=place, opened_by=by)
    count.lines.create(asset=order.asset, expected_site=place)
    stocktake.stocktake_mark(
        stocktake=count, asset=order.asset, result=StocktakeResult.FOUND, condition=Condition.GOOD, by=by
    )
    stocktake.stocktake_close(stocktake=count, by=by)
    return {"stock_item": item, "stock_movement": StockMovement.objects.get(pk=pk), "stocktake": count}


def _roll_calls(agency: Agency, radio_: Asset, check, *, pk: int, now) -> dict:
    """The roll-call rows of one_of_each: a daily schedule calling the radio, and its call held by `check`."""
    from rollcalls.models import RollCallSchedule, ScheduledCall

    schedule = RollCallSchedule.objects.create(
        pk=pk, agency=agency, net="Jaring VHF", band="vhf", times=["08:00", "20:00"], days=[1, 2, 3, 4, 5, 6, 7]
    )
    schedule.stations.set([radio_])
    call = ScheduledCall.objects.create(
        pk=pk,
        schedule=schedule,
        agency=agency,
        due_at=check.held_at,
        closes_at=check.held_at + timedelta(minutes=30),
        outcome="held",
        radio_check=check,
        recorded_at=check.held_at,
    )
    return {"roll_call_schedule": schedule, "scheduled_call": call}


def _alerting(agency: Agency, asset_: Asset, *, pk: int, by: User, now) -> dict:
    """The alerting rows of one_of_each: a rule, a shift with its duty, a contact, a channel and an alert."""
    from datetime import time

    from alerts.models import Alert, AlertContact, AlertRule, Channel, DutyAssignment, DutyShift

    rule = AlertRule.objects.create(pk=pk, agency=agency, name="Repeater mati", kinds=["down"])
    shift = DutyShift.objects.create(pk=pk, agency=agency, name="Pagi", starts=time(8), ends=time(16))
    alert = Alert.objects.create(
        pk=pk, agency=agency, asset=asset_, rule=rule, kind="down", summary="Router mati", started_at=now,
        notified_at=now, acknowledged_at=now, acknowledged_by=by, acknowledged_via="web", state="acknowledged",
    )  # fmt: skip
    alert.timeline.create(at=now, kind="raised", detail="Router mati")
    return {
        "rule": rule,
        "shift": shift,
        "duty": DutyAssignment.objects.create(pk=pk, shift=shift, date=now.date(), user=by),
        "contact": AlertContact.objects.create(pk=pk, user=by, phone="6281100009001"),
        "channel": Channel.objects.create(pk=pk, agency=agency, name="Email Pusdalops", kind="email"),
        "alert": alert,
    }
