"""October 2025 at Paser (64.01), the month the report tests read: an outage from the evening of the 31st into
November, a repair done, a radio on an expired licence, named people who submitted (on time) and accepted."""

from datetime import date, datetime

from maintenance.models import WorkOrder
from monitoring.models import AssetState, Outage
from reports.deadlines import WITA
from reports.models import MonthlyReport
from tests import factories

OCTOBER = date(2025, 10, 1)


def build_october(tree, *, submitted: bool = True) -> dict:
    paser, kaltim = tree["64.01"], tree["64"]
    paser.name, paser.phone, paser.email = "BPBD Kabupaten Paser", "0543 21000", "pusdalops@paser.go.id"
    paser.save()
    kaltim.name = "BPBD Provinsi Kalimantan Timur"
    kaltim.save()
    router = factories.asset(paser, kind="router", name="Router Pusdalops")
    AssetState.objects.create(asset=router, state="down", monitored_since=datetime(2025, 9, 1, tzinfo=WITA))
    Outage.objects.create(
        asset=router,
        started_at=datetime(2025, 10, 31, 21, 45, tzinfo=WITA),
        ended_at=datetime(2025, 11, 1, 2, 0, tzinfo=WITA),
        cause="=HYPERLINK(1)",
    )
    Outage.objects.create(  # wholly in September: not October's
        asset=router, started_at=datetime(2025, 9, 3, tzinfo=WITA), ended_at=datetime(2025, 9, 4, tzinfo=WITA)
    )
    expired = factories.licence(paser, number="640155", valid_from=date(2020, 1, 1), valid_until=date(2025, 10, 20))
    factories.radio(paser, name="Radio VHF base", tx_freq_mhz="147.000", licence=expired)
    technician = factories.user(paser, "technician", first_name="Agus", last_name="Salim")
    WorkOrder.objects.create(
        agency=paser,
        asset=router,
        kind="corrective",
        title="Ganti adaptor daya",
        status="done",
        assignee=technician,
        done_at=datetime(2025, 10, 14, 10, 30, tzinfo=WITA),
    )
    maker = factories.user(paser, "manager", first_name="Rina", last_name="Lestari")
    receiver = factories.user(kaltim, "manager", first_name="Budi", last_name="Santoso")
    if submitted:
        MonthlyReport.objects.create(
            agency=paser,
            month=OCTOBER,
            notes="Router diganti adaptornya.\nSemua radio siap.",
            submitted_at=datetime(2025, 11, 8, 9, 0, tzinfo=WITA),
            submitted_by=maker,
            acknowledged_at=datetime(2025, 11, 12, 14, 0, tzinfo=WITA),
            acknowledged_by=receiver,
        )
    return {"paser": paser, "router": router, "maker": maker, "receiver": receiver, "technician": technician}
