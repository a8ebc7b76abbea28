"""Radio licences (ISR): validation in Indonesian with the field named, radios that must fit their licence, the
expired-licence flag on the asset and agency APIs, history, and the yearly fee."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assets.models import Asset, RadioLicence
from tests import factories

VALID_LICENCE = {
    "number": "ISR 00123456",
    "callsign": "bpbd paser",
    "frequencies_mhz": ["147.6", "147.000", "147.6"],
    "emission": "11K0F3E",
    "power_w": "50",
    "location": "Bukit Biru, Tana Paser",
    "valid_from": "2024-03-01",
    "valid_until": "2029-02-28",
    "fee_due_date": "2027-03-01",
    "fee_amount_idr": 1_250_000,
}
RADIO = {"kind": "vhf_radio", "name": "Radio VHF base", "tx_freq_mhz": "147.000", "rx_freq_mhz": "147.600"}


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def technician(paser, client_for):
    return client_for(paser)


def test_valid_licence_is_written_one_way(technician, paser):
    response = technician.post("/api/licences/", VALID_LICENCE, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["agency"] == "64.01" and data["holder"] == paser.name  # the agency holds it unless told
    assert data["callsign"] == "BPBD PASER"
    assert data["frequencies_mhz"] == ["147.00000", "147.60000"]  # unique, sorted, as radios store them
    assert data["bandwidth_khz"] == "11.000000"
    assert data["renewal_due_on"] == "2028-12-30"  # 60 days (the default lead time) before the last day
    assert data["status"] in ("valid", "renewal_due", "expired")
    assert data["assets"] == []


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"frequencies_mhz": []}, "frequencies_mhz", "minimal satu frekuensi"),
        ({"frequencies_mhz": ["5000"]}, "frequencies_mhz", "di luar HF sampai UHF"),
        ({"frequencies_mhz": ["2.5"]}, "frequencies_mhz", "di luar HF sampai UHF"),
        ({"frequencies_mhz": ["147.1234567"]}, "frequencies_mhz", ""),
        ({"frequencies_mhz": ["abc"]}, "frequencies_mhz", ""),
        ({"frequencies_mhz": "147.0"}, "frequencies_mhz", ""),
        ({"emission": "16K0Z3E"}, "emission", "penandaan emisi ITU"),
        ({"emission": "F3E"}, "emission", "penandaan emisi ITU"),
        ({"valid_until": "2024-03-01"}, "valid_until", "harus sesudah berlaku sejak"),
        ({"valid_until": "2023-01-01"}, "valid_until", "harus sesudah berlaku sejak"),
        ({"fee_due_date": "2024-02-28"}, "fee_due_date", "sebelum ISR berlaku"),
        ({"valid_from": "2024-02-30"}, "valid_from", ""),
        ({"callsign": "BPBD*PASER"}, "callsign", "Tanda panggil"),
        ({"power_w": "0"}, "power_w", ""),
        ({"fee_amount_idr": -1}, "fee_amount_idr", ""),
        ({"number": ""}, "number", ""),
    ],
)
def test_bad_licence_is_a_400_naming_the_field_and_the_reason(technician, changes, field, reason):
    response = technician.post("/api/licences/", VALID_LICENCE | changes, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert reason in str(response.json()[field])
    assert not RadioLicence.objects.exists()


def test_licence_number_is_unique_across_agencies(tree, technician):
    factories.licence(tree["64.72"], number="ISR 00123456")
    response = technician.post("/api/licences/", VALID_LICENCE, format="json")
    assert response.status_code == 400 and "number" in response.json()


def test_site_of_another_agency_is_refused(tree, client_for):
    admin = client_for(tree["64"], "administrator")
    site = factories.site(tree["64.72"])
    response = admin.post("/api/licences/", VALID_LICENCE | {"agency": "64.01", "site": site.pk}, format="json")
    assert response.status_code == 400 and response.json()["site"] == ["Lokasi ini milik instansi lain."]


def test_radio_must_transmit_and_receive_on_a_licensed_frequency(technician, paser):
    licence = factories.licence(paser, number="ISR 777")
    ok = technician.post("/api/assets/", RADIO | {"licence": licence.pk, "power_w": "25"}, format="json")
    assert ok.status_code == 201, ok.content

    wrong_tx = technician.post("/api/assets/", RADIO | {"licence": licence.pk, "tx_freq_mhz": "147.025"}, format="json")
    assert wrong_tx.status_code == 400
    assert wrong_tx.json() == {
        "tx_freq_mhz": ["Frekuensi TX 147.025 MHz tidak tercantum di ISR ISR 777 (frekuensi izin: 147, 147.6 MHz)."]
    }
    wrong_rx = technician.post("/api/assets/", RADIO | {"licence": licence.pk, "rx_freq_mhz": "146.4"}, format="json")
    assert set(wrong_rx.json()) == {"rx_freq_mhz"}
    no_tx = technician.post("/api/assets/", RADIO | {"licence": licence.pk, "tx_freq_mhz": None}, format="json")
    assert "Isi frekuensi TX" in no_tx.json()["tx_freq_mhz"][0]
    too_loud = technician.post("/api/assets/", RADIO | {"licence": licence.pk, "power_w": "100"}, format="json")
    assert too_loud.json() == {"power_w": ["Daya 100.0 W melebihi daya izin 50.0 W di ISR ISR 777."]}
    assert Asset.objects.count() == 1


def test_licence_belongs_to_transmitters_of_its_own_agency(tree, client_for, paser):
    licence = factories.licence(paser)
    technician = client_for(paser)
    router = technician.post("/api/assets/", {"kind": "router", "name": "R", "licence": licence.pk}, format="json")
    assert router.status_code == 400 and "licence" in router.json()
    admin = client_for(tree["64"], "administrator")  # sees both agencies, so the licence is not "unknown"
    foreign = admin.post("/api/assets/", RADIO | {"agency": "64.72", "licence": licence.pk}, format="json")
    assert foreign.status_code == 400 and foreign.json()["licence"] == ["ISR ini milik instansi lain."]
    invisible = client_for(tree["64.72"]).post("/api/assets/", RADIO | {"licence": licence.pk}, format="json")
    assert invisible.status_code == 400 and "licence" in invisible.json()


def test_changing_a_licence_keeps_its_radios_valid(technician, paser):
    licence = factories.licence(paser)
    factories.radio(paser, name="HT 1", tx_freq_mhz="147.600", rx_freq_mhz="147.000", power_w=5, licence=licence)
    url = f"/api/licences/{licence.pk}/"
    response = technician.patch(url, {"frequencies_mhz": ["147.000"]}, format="json")
    assert response.status_code == 400
    assert "HT 1" in response.json()["frequencies_mhz"][0] and "147.6" in response.json()["frequencies_mhz"][0]
    assert technician.patch(url, {"power_w": "2"}, format="json").json()["power_w"][0].startswith("HT 1:")
    licence.refresh_from_db()
    assert licence.frequencies_mhz == ["147.00000", "147.60000"] and licence.power_w == 50
    assert technician.patch(url, {"frequencies_mhz": ["147.6", "147.0", "147.3"]}, format="json").status_code == 200
    assert technician.delete(url).status_code == 409  # a radio still carries it


def test_a_licence_with_radios_stays_with_their_agency(tree, client_for, paser):
    licence = factories.licence(paser)
    factories.radio(paser, tx_freq_mhz="147.000", licence=licence)
    admin = client_for(tree["64"], "administrator")
    response = admin.patch(f"/api/licences/{licence.pk}/", {"agency": "64.72"}, format="json")
    assert response.status_code == 400 and response.json()["agency"] == ["ISR ini masih dipakai radio instansi lain."]
    assert RadioLicence.objects.get().agency == paser


def test_licence_keeps_its_history(technician, paser):
    licence = factories.licence(paser)
    technician.patch(f"/api/licences/{licence.pk}/", {"valid_until": "2029-06-30"}, format="json")
    history = technician.get(f"/api/licences/{licence.pk}/history/").json()
    assert history[0]["history_user"] == technician.user.username
    assert history[0]["changes"] == [{"field": "valid_until", "old": "2028-12-31", "new": "2029-06-30"}]


@pytest.mark.parametrize(("due", "next_due"), [(date(2027, 3, 1), "2028-03-01"), (date(2028, 2, 29), "2029-02-28")])
def test_paid_fee_falls_due_a_year_later(technician, paser, due, next_due):
    licence = factories.licence(paser, fee_due_date=due, fee_amount_idr=1_000_000)
    response = technician.post(f"/api/licences/{licence.pk}/fee-paid/")
    assert response.status_code == 200 and response.json()["fee_due_date"] == next_due
    assert technician.get(f"/api/licences/{licence.pk}/history/").json()[0]["changes"][0]["field"] == "fee_due_date"


def test_fee_paid_without_a_due_date_is_a_400(technician, paser):
    licence = factories.licence(paser)
    response = technician.post(f"/api/licences/{licence.pk}/fee-paid/")
    assert response.status_code == 400 and "fee_due_date" in response.json()


def test_radio_on_an_expired_licence_is_flagged_in_the_asset_api(tree, client_for, paser):
    today = timezone.localdate()
    expired = factories.licence(paser, valid_from=today - timedelta(days=1826), valid_until=today - timedelta(days=1))
    current = factories.licence(paser, valid_from=today - timedelta(days=100), valid_until=today + timedelta(days=30))
    on_air = factories.radio(paser, name="on air", tx_freq_mhz="147.000", licence=expired)
    stored = factories.radio(paser, name="stored", tx_freq_mhz="147.000", licence=expired, status="spare")
    renewing = factories.radio(paser, name="renewing", tx_freq_mhz="147.000", licence=current)
    unlicensed = factories.radio(paser, name="unlicensed")
    client = client_for(paser, "manager")

    def flags(asset):
        data = client.get(f"/api/assets/{asset.pk}/").json()
        return data["licence_status"], data["on_expired_licence"]

    assert flags(on_air) == ("expired", True)
    assert flags(stored) == ("expired", False)  # in the warehouse, not on the air
    assert flags(renewing) == ("renewal_due", False)  # within the 60 days before its last day
    assert flags(unlicensed) == (None, False)
    listed = client.get("/api/assets/", {"on_expired_licence": "true"}).json()["results"]
    assert [row["name"] for row in listed] == ["on air"]
    assert len(client.get("/api/assets/", {"on_expired_licence": "false"}).json()["results"]) == 3


def test_agency_api_counts_radios_on_expired_licences_and_states_its_readiness(tree, client_for, paser):
    today = timezone.localdate()
    expired = factories.licence(paser, valid_from=date(2020, 1, 1), valid_until=today - timedelta(days=1))
    factories.radio(paser, tx_freq_mhz="147.000", licence=expired)
    factories.radio(paser, tx_freq_mhz="147.600", licence=expired, status="faulty")  # still may transmit
    factories.radio(tree["64.72"])
    client = client_for(tree["64"], "manager")
    rows = {row["code"]: row for row in client.get("/api/agencies/").json()["results"]}
    assert rows["64.01"]["expired_licence_radios"] == 2 and rows["64.72"]["expired_licence_radios"] == 0
    detail = client.get("/api/agencies/64.01/").json()
    assert detail["expired_licence_radios"] == 2
    assert detail["readiness"]["ready"] is False
    assert "gedung milik sendiri: belum diisi" in detail["readiness"]["missing"]


def test_agency_profile_is_written_by_its_own_writers(tree, client_for, paser):
    body = {
        "own_building": True,
        "radio_room_length_m": "4",
        "radio_room_width_m": "6.5",
        "operators_committed": True,
        "maintenance_committed": True,
        "licence_renewal_lead_days": 90,
    }
    assert client_for(paser, "manager").patch("/api/agencies/64.01/profile/", body, format="json").status_code == 403
    assert client_for(tree["64.72"]).patch("/api/agencies/64.01/profile/", body, format="json").status_code == 404
    assert client_for(tree["64"]).patch("/api/agencies/64.01/profile/", body, format="json").status_code == 403
    response = client_for(paser).patch("/api/agencies/64.01/profile/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["readiness"] == {"ready": True, "missing": []}
    assert response.json()["licence_renewal_lead_days"] == 90
    small = client_for(tree["64"], "administrator").patch(
        "/api/agencies/64.01/profile/", {"radio_room_width_m": "3.5"}, format="json"
    )
    assert small.json()["readiness"]["missing"] == ["ruang radio minimal 4 x 6 m (tercatat 3.5 x 4 m)"]
    bad = client_for(paser).patch("/api/agencies/64.01/profile/", {"licence_renewal_lead_days": 0}, format="json")
    assert bad.status_code == 400 and "licence_renewal_lead_days" in bad.json()
    paser.refresh_from_db()
    assert paser.licence_renewal_lead_days == 90
    assert paser.history.first().radio_room_width_m == paser.radio_room_width_m  # kept with its history


def test_licence_lead_time_moves_the_renewal_deadline(client_for, paser):
    paser.licence_renewal_lead_days = 90
    paser.save()
    licence = factories.licence(paser, valid_until=date(2028, 12, 31))
    data = client_for(paser).get(f"/api/licences/{licence.pk}/").json()
    assert data["renewal_due_on"] == "2028-10-02"
