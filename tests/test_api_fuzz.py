"""Schemathesis against Simpul's own OpenAPI schema, with every check it has: no 5xx, every status code,
content type and body as documented, what the schema calls invalid refused and what it calls valid
accepted, authentication enforced, undeclared methods answered 405.

Bounded and repeatable: a few fixed seeds, a fixed number of examples per operation, and the coverage
phase (boundary values, missing and malformed parameters) once. Paths and references name rows the
fixture made (every resource has a row with primary key KNOWN), so reads return real objects and
writes reach the model's own rules instead of stopping at "does not exist".

What a schema cannot say, and so where a schema-valid request may still get a 400:
- a write's body against the stored data and the model's cross-field rules (a duplicate name, a tag
  taken, a site outside Indonesia, a transition the order's state does not allow, wrong credentials);
- availability's query, whose parameters exclude each other (`window`, `month` or `from`+`to`).
Everywhere else the schema is the contract in both directions.
"""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from accounts.choices import Role
from accounts.models import User
from monitoring.remote.services import poller_create
from tests import factories

SEEDS = (1, 2, 3)
KNOWN = 9001  # far above any sequence a test run reaches, so rows made by the API never collide with it
POSITIVE_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]  # schemathesis's default, without 5xx


def _config(seed: int) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": seed,
            "phases": {"coverage": {"enabled": seed == SEEDS[0]}},  # deterministic: once is enough
            "parameters": {
                "path.id": {"dictionary": "row"},
                "path.asset": {"dictionary": "row"},
                "path.item_id": {"dictionary": "row"},
                "path.code": {"dictionary": "agency"},
                "path.kind": {"dictionary": "kind"},
                "query.asset": {"dictionary": "row"},
                "body.agency": {"dictionary": "agency"},
                "body.site": {"dictionary": "row"},
                "body.asset": {"dictionary": "row"},
                "body.owner_partner": {"dictionary": "row"},
                "body.assignee": {"dictionary": "technician"},
            },
            "dictionaries": {
                "agency": {"values": ["64.01"]},
                "row": {"values": [KNOWN]},
                "technician": {"values": ["teknisi-fuzz"]},
                "kind": {"values": ["router"]},
            },
            "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_ACCEPTED}},
            "operations": [
                {
                    "include-method": ["POST", "PUT", "PATCH"],
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE_ACCEPTED, "400"]}},
                },
                {
                    "include-path": "/api/monitoring/availability/",
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE_ACCEPTED, "400"]}},
                },
            ],
        }
    )


def _schema(seed: int):
    """The schema as drf-spectacular generates it (no request, so no database at collection time)."""
    raw = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(raw, config=_config(seed))
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection after each request
    (Django's test client switches that off the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    province = factories.agency("64")
    regency = factories.agency("64.01", parent=province)
    # No passwords (the token logs in): hashing one costs more than a whole operation's examples.
    admin = User.objects.create(username="fuzz-admin", agency=province, role=Role.ADMINISTRATOR)
    User.objects.create(username="teknisi-fuzz", agency=regency, role=Role.TECHNICIAN)
    factories.one_of_each(regency, pk=KNOWN, by=admin)
    _poller, poller_token = poller_create(name="Poller fuzz", agency=regency)  # polls the rows above
    return {"user": f"Token {Token.objects.create(user=admin).key}", "poller": f"Bearer {poller_token}"}


def _conformance_test(seed: int):
    @_schema(seed).parametrize()
    @settings(
        max_examples=4,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def test(case, token):
        # Remote pollers' routes take a poller's own token, every other route a user's.
        who = "poller" if case.path.startswith("/api/pollers/") else "user"
        # From loopback, where plain HTTP may carry the poller protocol (POLLER_PLAIN_HTTP_NETWORKS); identity:
        # schemathesis's WSGI transport hands it the body as sent, and would read gzip as bad JSON.
        headers = {"Authorization": token[who], "Accept-Encoding": "identity"}
        case.call_and_validate(headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})

    return test


for _seed in SEEDS:
    globals()[f"test_api_conforms_to_its_schema_seed_{_seed}"] = _conformance_test(_seed)
