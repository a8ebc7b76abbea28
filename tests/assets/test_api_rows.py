"""The asset list written from plain rows (simpul.rows) answers byte for byte what AssetSerializer answers, for every
query the list allows; and it keeps the scope."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from rest_framework import mixins, serializers

from accounts.choices import Role
from assets.api.views import AssetViewSet
from assets.choices import AssetKind, AssetStatus, Band, Condition, FundingSource, LinkMedium, LinkRole
from assets.models import Asset, Partner
from simpul.rows import RowPlan
from tests import factories

ORDERINGS = [term for name in AssetViewSet.ordering_fields for term in (name, f"-{name}")]


def _full(agency, n: int, kind: str, *, site, partner, licence) -> dict:
    """Every field of every group set (the database takes what `clean()` would refuse for the kind): the row
    writer must convert every column, whatever the kind."""
    today = timezone.localdate()
    return {
        "agency": agency,
        "site": site,
        "kind": kind,
        "name": f"Radio Ñusantara «{n}» 日本 \u2028 📡",
        "tag": f"INV/{n}",
        "manufacturer": "Motorola",
        "model": "XiR M8668i",
        "serial_number": f"SN-{n}",
        "status": [AssetStatus.IN_SERVICE, AssetStatus.FAULTY, AssetStatus.SPARE][n % 3],
        "condition": Condition.choices[n % len(Condition.choices)][0],
        "acquisition_date": date(2020, 2, 29),
        "cost_idr": 51_000_000 + n,
        "funding_source": FundingSource.choices[n % len(FundingSource.choices)][0],
        "warranty_end": today + timedelta(days=n - 5),
        "support_end": date(2027, 12, 31),
        "support_cost_idr": 0,
        "end_of_life": date(2031, 1, 1),
        "owner_partner": partner,
        "management_address": f"10.0.{n}.1" if n % 2 else "fe80::1",
        "notes": 'Catatan "dikutip" \\ baris\nbaru\ttab',
        "band": Band.VHF,
        "tx_freq_mhz": Decimal("147.00000") + n,
        "rx_freq_mhz": Decimal("147.60000"),
        "tone": "88.5",
        "power_w": Decimal("0.1") * (n + 1),
        "licence": licence,
        "provider": "Telkom Indonesia",
        "medium": LinkMedium.choices[n % len(LinkMedium.choices)][0],
        "down_mbps": Decimal("1234567.89"),
        "up_mbps": Decimal("0.01"),
        "circuit_id": "CID-1",
        "link_role": LinkRole.choices[n % len(LinkRole.choices)][0],
        "sat_network": "vsat",
        "terminal_id": "T-1",
        "service_plan": "Paket 2 Mbps",
        "airtime_end": date(2026, 12, 31),
        "monthly_cost_idr": 2_500_000,
        "contract_end": today + timedelta(days=n),
        "battery_due": date(2027, 6, 1),
        "battery_cost_idr": 9_000_000,
    }


@pytest.fixture
def inventory(tree):
    """Assets of every kind in three agencies of Kaltim and one foreign, each kind once with every optional field
    set and once with none; licences valid, due for renewal, lapsed and not yet valid."""
    today = timezone.localdate()
    tree["64.72"].licence_renewal_lead_days = 10
    tree["64.72"].save()
    made = []
    for index, code in enumerate(["64", "64.01", "64.72", "63.01"]):
        agency = tree[code]
        site = factories.site(agency, name=f"Pusdalops {code}")
        partner = Partner.objects.create(name=f"ORARI {code}", kind="orari")
        licences = [
            factories.licence(agency, valid_until=today + timedelta(days=400)),
            factories.licence(agency, valid_until=today + timedelta(days=5)),
            factories.licence(agency, valid_from=date(2020, 1, 1), valid_until=today - timedelta(days=1)),
            factories.licence(agency, valid_from=today + timedelta(days=1), valid_until=today + timedelta(days=900)),
        ]
        for n, kind in enumerate(AssetKind.values):
            full = Asset(**_full(agency, 100 * index + n, kind, site=site, partner=partner, licence=licences[n % 4]))
            full.save()
            bare = Asset(agency=agency, kind=kind, name=f"bare {code} {kind}", status=AssetStatus.PLANNED)
            bare.save()
            made += [full, bare]
    # Moments on either side of WITA's midnight, with and without microseconds.
    Asset.objects.filter(pk__in=[a.pk for a in made[::2]]).update(
        created_at=datetime(2026, 11, 29, 16, 30, tzinfo=UTC), updated_at=datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    )
    return made


def _queries(tree, made) -> list[dict]:
    radio = next(a for a in made if a.kind == AssetKind.VHF_RADIO and a.licence_id and a.agency.code == "64.01")
    filters = [
        {},
        {"agency": "64.01"},
        {"agency_id": tree["64.72"].pk},
        {"site": radio.site_id},
        {"kind": ["vhf_radio", "ups"]},
        {"status": "in_service"},
        {"band": "vhf"},
        {"medium": LinkMedium.choices[0][0]},
        {"sat_network": "vsat"},
        {"provider": "telkom"},
        {"link_role": LinkRole.choices[0][0]},
        {"owner_partner": radio.owner_partner_id},
        {"licence": radio.licence_id},
        {"warranty_before": str(timezone.localdate())},
        {"support_before": "2028-01-01"},
        {"contract_before": str(timezone.localdate() + timedelta(days=5))},
        {"battery_before": "2028-01-01"},
        {"end_of_life_before": "2032-01-01"},
        {"has_address": "true"},
        {"has_address": "false"},
        {"on_expired_licence": "true"},
        {"on_expired_licence": "false"},
        {"q": "Ñusantara"},
        {"q": "bare"},
        {"page_size": 500},
    ]
    return filters + [{"ordering": term} for term in ORDERINGS]


def _both(client, monkeypatch, url, params=None, **headers):
    """The list's answer as written from rows, and as DRF's own list writes it through AssetSerializer."""
    fast = client.get(url, params, **headers)
    with monkeypatch.context() as patch:
        patch.setattr(AssetViewSet, "list", mixins.ListModelMixin.list)
        slow = client.get(url, params, **headers)
    assert fast.status_code == slow.status_code == 200, fast.content
    return fast, slow


def _same(fast, slow) -> bool:
    """The same bytes, but for the moment in the cursors' signatures (a second may pass between the two)."""
    unsigned = re.compile(rb"(cursor=[^%&\"]+)%3A[^&\"]+")
    return unsigned.sub(rb"\1", fast.content) == unsigned.sub(rb"\1", slow.content)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_query_answers_as_the_serializer(inventory, tree, client_for, monkeypatch, language):
    client = client_for(tree["64"], Role.ADMINISTRATOR)
    for params in _queries(tree, inventory):
        fast, slow = _both(client, monkeypatch, "/api/assets/", params, HTTP_ACCEPT_LANGUAGE=language)
        assert _same(fast, slow), params
        assert fast["Content-Type"] == slow["Content-Type"]
    rows = client.get("/api/assets/", {"page_size": 500}).json()["results"]
    assert len(rows) == 60  # Kaltim's three agencies x 10 kinds x 2; not the foreign one's
    assert {row["licence_status"] for row in rows} == {None, "valid", "renewal_due", "expired", "not_yet_valid"}
    assert {row["on_expired_licence"] for row in rows} == {True, False}
    assert any(row["offset_mhz"] and row["offset_mhz"].startswith("-") for row in rows)


@pytest.mark.parametrize("ordering", ["", "name", "-cost_idr", "warranty_end", "-updated_at"])
def test_every_cursor_page_answers_as_the_serializer(inventory, tree, client_for, monkeypatch, ordering):
    """Forwards by `next` to the last page and back by `previous`, each page (and its links) compared."""
    client = client_for(tree["64"], Role.MANAGER)
    params = {"page_size": 7, **({"ordering": ordering} if ordering else {})}
    fast, slow = _both(client, monkeypatch, "/api/assets/", params)
    pages = 1
    while fast.json()["next"]:
        assert _same(fast, slow)
        fast, slow = _both(client, monkeypatch, fast.json()["next"])
        pages += 1
    assert _same(fast, slow)
    assert pages == 9  # 60 rows, 7 a page
    while fast.json()["previous"]:
        fast, slow = _both(client, monkeypatch, fast.json()["previous"])
        assert _same(fast, slow)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.TECHNICIAN, Role.PROCUREMENT])
def test_a_reader_of_one_agency_sees_only_its_rows(inventory, tree, client_for, role):
    client = client_for(tree["64.01"], role)
    rows = client.get("/api/assets/", {"page_size": 500}).json()["results"]
    mine = Asset.objects.filter(agency=tree["64.01"])
    assert sorted(row["id"] for row in rows) == sorted(mine.values_list("pk", flat=True))
    assert {row["agency"] for row in rows} == {"64.01"}
    other = Asset.objects.filter(agency=tree["64.72"]).first()
    assert client.get("/api/assets/", {"agency_id": tree["64.72"].pk}).json()["results"] == []
    assert client.get("/api/assets/", {"q": other.name}).json()["results"] == []


def test_a_field_the_plan_cannot_compute_is_refused_when_the_plan_is_made():
    class Unreadable(serializers.ModelSerializer):
        mood = serializers.SerializerMethodField()

        class Meta:
            model = Asset
            fields = ["id", "mood"]

        def get_mood(self, asset):
            return "fine"

    with pytest.raises(ImproperlyConfigured, match="mood"):
        RowPlan(Unreadable)
