"""A small Kaltim network in every standing a manager must see: down, never checked, not monitored, barely watched.

Kutai Barat (64.02) has a repeater down for three hours, a radio never roll-called, a link waiting for its first
result, a genset and a spare UPS; Paser (64.01) has only radios nobody has called yet (the dashboard once showed
it all green); Samarinda (64.72) has one router watched for two minutes; the province (64) one router watched
for forty days.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from monitoring.models import AssetState, Outage
from tests import factories


def kaltim_network(tree: dict, *, password: str | None = None) -> dict:
    now = timezone.now()
    province, paser, samarinda = tree["64"], tree["64.01"], tree["64.72"]
    kubar = factories.agency("64.02", parent=province)
    long_ago = now - timedelta(days=40)

    def watched(agency, name, address, state="up", since=long_ago, **extra):
        asset = factories.asset(agency, name=name, management_address=address, **extra)
        AssetState.objects.create(asset=asset, state=state, since=since, monitored_since=since, last_rtt_ms=12.5)
        return asset

    office = factories.site(kubar, name="Pusdalops Sendawar")
    watched(kubar, "Router Pusdalops", "127.64.2.1", site=office)
    repeater = watched(kubar, "Repeater Bukit Batu", "127.64.2.10", state="down", kind="repeater", band="vhf")
    AssetState.objects.filter(asset=repeater).update(since=now - timedelta(hours=3))
    outage = Outage.objects.create(asset=repeater, started_at=now - timedelta(hours=3), cause="tidak menjawab ping")
    factories.radio(kubar, name="Radio VHF Pusdalops", site=office)
    link = factories.asset(
        kubar,
        name="Link Starlink baru",
        kind="satellite_terminal",
        sat_network="starlink",
        management_address="127.64.2.20",
    )
    AssetState.objects.create(asset=link)  # the poller made its row; no result yet
    factories.asset(kubar, name="Genset 10 kVA", kind="genset", site=office)
    factories.asset(kubar, name="UPS cadangan", kind="ups", status="spare")
    factories.asset(kubar, name="Radio lama", kind="vhf_radio", status="retired")  # gone: counts nowhere

    factories.radio(paser, name="Radio HT 1")
    factories.radio(paser, name="Radio HT 2")
    watched(samarinda, "Router Balai Kota", "127.64.72.1", since=now - timedelta(minutes=2))
    watched(province, "Router Provinsi", "127.64.0.1")

    users = {}
    if password is not None:
        users = {
            "technician": User.objects.create_user(
                "teknisi-kubar",
                password=password,
                agency=kubar,
                role=Role.TECHNICIAN,
                first_name="Budi",
                last_name="Santoso",
            ),
            "admin": User.objects.create_user(
                "admin-provinsi", password=password, agency=province, role=Role.ADMINISTRATOR
            ),
        }
    return {"kubar": kubar, "repeater": repeater, "outage": outage, "now": now, **users}
