"""The centre's side of the remote poller protocol (monitoring/remote/PROTOCOL.md), over Django's test client."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from monitoring.metrics import store
from monitoring.metrics.models import MetricCounters
from monitoring.models import AssetState, Outage, Poller, ProbeConfig, Sample
from monitoring.remote.services import poller_create, poller_revoke, poller_rotate
from monitoring.targets import claim_due_jobs, covered_assets, due_batches
from tests import factories

T0 = datetime(2026, 11, 29, 1, 0, tzinfo=UTC)


def client(token: str, address: str = "127.0.0.1") -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def result(seq: int, asset: int, at: datetime, verdict: str = "up", **extra) -> dict:
    return {"seq": seq, "asset": asset, "at": at.isoformat(), "source": "icmp", "verdict": verdict, **extra}


def post(api: APIClient, results: list[dict], **envelope):
    body = {"version": "0.1.0", "backlog": 0, "dropped": 0, "results": results, **envelope}
    return api.post("/api/pollers/results/", body, format="json")


@pytest.fixture
def berau(tree):
    """Two remote pollers of one regency (one for a site, one for the rest) and one of its neighbour."""
    agency, neighbour = tree["64.01"], tree["64.72"]
    site, other_site = factories.site(agency), factories.site(agency)
    at_site = factories.asset(agency, site=site, management_address="127.64.1.3")
    elsewhere = factories.asset(agency, site=other_site, management_address="127.64.1.4")
    ProbeConfig.objects.create(
        asset=elsewhere, snmp=True, snmp_community="rahasia-berau", snmp_port=1161, interval_s=30
    )
    foreign = factories.asset(neighbour, management_address="127.64.1.5")
    central = factories.asset(tree["64"], management_address="127.64.1.6")
    site_poller, site_token = poller_create(name="Poller menara", agency=agency, sites=[site])
    agency_poller, agency_token = poller_create(name="Poller Berau", agency=agency)
    _neighbour, neighbour_token = poller_create(name="Poller Bontang", agency=neighbour)
    return {
        "at_site": at_site,
        "elsewhere": elsewhere,
        "foreign": foreign,
        "central": central,
        "site_poller": site_poller,
        "site_token": site_token,
        "agency_poller": agency_poller,
        "agency_token": agency_token,
        "neighbour_token": neighbour_token,
    }


def test_every_asset_has_one_poller_and_the_central_runner_skips_remote_ones(berau):
    def targets(token):
        return {t["asset"] for t in client(token).get("/api/pollers/assignment/").json()["targets"]}

    assert targets(berau["site_token"]) == {berau["at_site"].pk}
    assert targets(berau["agency_token"]) == {berau["elsewhere"].pk}
    assert targets(berau["neighbour_token"]) == {berau["foreign"].pk}
    assert set(covered_assets().values_list("pk", flat=True)) == {berau["central"].pk}
    assert {code for code, _slot in due_batches(T0, timedelta(seconds=10))} == {"64"}  # Celery's batches
    jobs = claim_due_jobs(at=T0.timestamp(), force=True)
    assert [job.asset_id for job in jobs] == [berau["central"].pk]
    # Revoked, the site's poller gives its assets back: to the agency's poller, not to the centre.
    poller_revoke(poller=berau["site_poller"])
    assert targets(berau["agency_token"]) == {berau["elsewhere"].pk, berau["at_site"].pk}


def test_assignment_carries_what_the_engine_needs_and_answers_304_while_unchanged(berau):
    api = client(berau["agency_token"])
    first = api.get("/api/pollers/assignment/")
    assert first.status_code == 200, first.content
    [target] = first.json()["targets"]
    assert target["interval_s"] == 30 and 0 <= target["phase_s"] < 30
    assert target["icmp"] == {"address": "127.64.1.4"}
    assert target["snmp"]["community"] == "rahasia-berau" and target["snmp"]["port"] == 1161
    assert first.json()["poller"] == {"id": berau["agency_poller"].pk, "name": "Poller Berau", "agency": "64.01"}
    etag = first["ETag"]
    again = api.get("/api/pollers/assignment/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    ProbeConfig.objects.filter(asset=berau["elsewhere"]).update(snmp_community="")  # a change the poller must see
    config = ProbeConfig.objects.get(asset=berau["elsewhere"])
    config.snmp_community = "baru"
    config.save()
    changed = api.get("/api/pollers/assignment/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["targets"][0]["snmp"]["community"] == "baru"


def test_results_are_recorded_once_with_their_own_times(berau):
    api, asset = client(berau["agency_token"]), berau["elsewhere"]
    ProbeConfig.objects.filter(asset=asset).update(snmp=False)
    minute = timedelta(minutes=1)
    batch = [result(1, asset.pk, T0, "up")]
    batch += [result(2 + i, asset.pk, T0 + (1 + i) * minute, "down", loss=1.0) for i in range(3)]
    answer = post(api, batch, backlog=7)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"recorded_through": 4, "recorded": 4, "duplicates": 0}
    assert Sample.objects.filter(asset=asset).count() == 4
    outage = Outage.objects.get(asset=asset)
    assert outage.started_at == T0 + minute and outage.ended_at is None  # the poller's time, not the centre's
    # The same batch again (its answer was lost), then the next one overlapping it: each result once.
    assert post(api, batch).json() == {"recorded_through": 4, "recorded": 0, "duplicates": 4}
    back = [result(5 + i, asset.pk, T0 + (4 + i) * minute, "up", rtt_ms=1.5, loss=0.0) for i in range(3)]
    answer = post(api, [batch[-1], *back])
    assert answer.json() == {"recorded_through": 7, "recorded": 3, "duplicates": 1}
    assert Sample.objects.filter(asset=asset).count() == 7
    outage.refresh_from_db()
    assert outage.ended_at == T0 + 4 * minute  # from the first answer, confirmed by the next two
    poller = Poller.objects.get(pk=berau["agency_poller"].pk)
    assert (poller.last_seq, poller.last_backlog, poller.version) == (7, 0, "0.1.0")
    assert poller.last_contact_at is not None


def test_snmp_values_from_a_remote_poller_become_metrics(berau):
    asset = berau["elsewhere"]
    values = {"upsOutputSource": 5, "upsEstimatedChargeRemaining": 64, "ifHCInOctets.1": 2**64 - 1, "snr": 23.5}
    assert post(client(berau["agency_token"]), [result(1, asset.pk, T0, snmp_values=values)]).status_code == 200
    assert store.series(asset.pk, "ups_on_battery", T0, T0 + timedelta(seconds=1)) == [(T0, 1.0)]
    assert store.series(asset.pk, "snr", T0, T0 + timedelta(seconds=1)) == [(T0, 23.5)]
    assert MetricCounters.objects.get(asset=asset).counters == {"ifHCInOctets.1": 2**64 - 1}


def test_an_empty_post_is_a_heartbeat(berau):
    answer = post(client(berau["agency_token"]), [], backlog=12, dropped=3, version="0.2.0")
    assert answer.json() == {"recorded_through": 0, "recorded": 0, "duplicates": 0}
    poller = Poller.objects.get(pk=berau["agency_poller"].pk)
    assert (poller.last_backlog, poller.dropped_results, poller.version) == (12, 3, "0.2.0")
    assert poller.last_contact_at is not None


def test_another_pollers_asset_is_refused_and_nothing_is_written(berau):
    api = client(berau["agency_token"])
    batch = [result(1, berau["elsewhere"].pk, T0), result(2, berau["at_site"].pk, T0)]
    answer = post(api, batch)
    assert answer.status_code == 403, answer.content
    assert answer.json()["errors"] == {"results[1].asset": "di luar penugasan"}
    assert answer.json()["refused_seqs"] == [2]
    assert not Sample.objects.exists()
    poller = Poller.objects.get(pk=berau["agency_poller"].pk)
    assert (poller.last_seq, poller.last_contact_at) == (0, None)
    # Nor can it read what it does not poll: its assignment holds only its own.
    targets = client(berau["neighbour_token"]).get("/api/pollers/assignment/").json()["targets"]
    assert berau["elsewhere"].pk not in {t["asset"] for t in targets}


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer spl_unknown", "Bearer", "Bearer a b", "Token {token}", "Bearer {old}"],
)
def test_no_valid_token_is_a_401(berau, authorization):
    old = berau["agency_token"]
    token = poller_rotate(poller=berau["agency_poller"])
    api = APIClient(REMOTE_ADDR="127.0.0.1")
    if authorization:
        api.credentials(HTTP_AUTHORIZATION=authorization.format(token=token, old=old))
    for response in (api.get("/api/pollers/assignment/"), post(api, [result(1, berau["elsewhere"].pk, T0)])):
        assert response.status_code == 401, response.content
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Sample.objects.exists()
    assert client(token).get("/api/pollers/assignment/").status_code == 200  # the rotated one works


def test_a_revoked_token_is_a_401(berau):
    poller_revoke(poller=berau["agency_poller"])
    assert client(berau["agency_token"]).get("/api/pollers/assignment/").status_code == 401


def test_a_user_token_opens_no_poller_route_and_a_poller_token_no_user_route(berau, client_for, tree):
    user = client_for(tree["64.01"])
    assert user.get("/api/pollers/assignment/").status_code == 401
    assert client(berau["agency_token"]).get("/api/monitoring/status/").status_code == 401


def test_plain_http_from_outside_the_allowed_networks_is_refused(berau, settings):
    assert client(berau["agency_token"], "10.20.30.40").get("/api/pollers/assignment/").status_code == 403
    secure = client(berau["agency_token"], "10.20.30.40").get("/api/pollers/assignment/", secure=True)
    assert secure.status_code == 200


@pytest.mark.parametrize(
    ("item", "place"),
    [
        ({"at": "kemarin"}, "results[0].at"),
        ({"at": "2026-11-29T01:00:00"}, "results[0].at"),  # no offset: whose time?
        ({"verdict": "meledak"}, "results[0].verdict"),
        ({"verdict": {}}, "results[0].verdict"),  # not even text
        ({"source": ["icmp"]}, "results[0].source"),
        ({"seq": 0}, "results[0].seq"),
        ({"asset": "12"}, "results[0].asset"),
        ({"loss": 1.5}, "results[0].loss"),
        ({"reason": 5}, "results[0].reason"),
        ({"snmp_values": [1]}, "results[0].snmp_values"),
        ({"snmp_values": {"ifHCInOctets.1": 2**64}}, "results[0].snmp_values.ifHCInOctets.1"),  # past Counter64
        ({"snmp_values": {"snr": {"db": 3}}}, "results[0].snmp_values.snr"),
    ],
)
def test_a_malformed_result_is_a_400_naming_its_place(berau, item, place):
    bad = {**result(1, berau["elsewhere"].pk, T0), **item}
    answer = post(client(berau["agency_token"]), [bad])
    assert answer.status_code == 400, answer.content
    assert place in answer.json(), answer.json()
    assert not Sample.objects.exists() and Poller.objects.get(pk=berau["agency_poller"].pk).last_contact_at is None


def test_results_out_of_seq_order_are_a_400(berau):
    pk = berau["elsewhere"].pk
    answer = post(client(berau["agency_token"]), [result(2, pk, T0), result(2, pk, T0 + timedelta(minutes=1))])
    assert answer.status_code == 400 and "results[1].seq" in answer.json()


def test_too_large_a_batch_is_a_413(berau, settings):
    settings.POLLER_MAX_BATCH = 2
    pk = berau["elsewhere"].pk
    answer = post(client(berau["agency_token"]), [result(i + 1, pk, T0 + timedelta(minutes=i)) for i in range(3)])
    assert answer.status_code == 413
    settings.POLLER_MAX_BATCH, settings.POLLER_MAX_BATCH_BYTES = 5000, 200
    answer = post(client(berau["agency_token"]), [result(i + 1, pk, T0 + timedelta(minutes=i)) for i in range(3)])
    assert answer.status_code == 413
    assert not Sample.objects.exists()


def test_a_poller_is_throttled(berau, settings):
    settings.POLLER_RATE = "3/min"
    cache.clear()
    api = client(berau["agency_token"])
    codes = [api.get("/api/pollers/assignment/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client(berau["site_token"]).get("/api/pollers/assignment/").status_code == 200  # its own budget


def test_the_recorder_state_follows_the_remote_results(berau):
    api, asset = client(berau["agency_token"]), berau["elsewhere"]
    post(api, [result(i + 1, asset.pk, T0 + timedelta(minutes=i), "up", rtt_ms=2.0) for i in range(3)])
    state = AssetState.objects.get(asset=asset)
    assert state.state == "up" and state.last_polled_at == T0 + timedelta(minutes=2)


def test_a_batch_costs_the_same_queries_whatever_its_size(tree):
    """Recorded in bulk: ten times the results, not one query more."""
    agency = tree["64.01"]
    assets = [factories.asset(agency, management_address=f"127.64.2.{i}") for i in range(1, 61)]
    _poller, token = poller_create(name="Poller", agency=agency)
    api = client(token)
    counts = []
    for batch_no, group in enumerate((assets[:6], assets[6:])):
        results = [result(batch_no * 100 + i + 1, asset.pk, T0, "up", rtt_ms=1.0) for i, asset in enumerate(group)]
        with CaptureQueriesContext(connection) as queries:
            assert post(api, results).status_code == 200
        counts.append(len(queries))
    assert Sample.objects.count() == 60
    assert counts[1] == counts[0], counts
