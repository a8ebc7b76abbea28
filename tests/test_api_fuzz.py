"""Schemathesis against Simpul's own OpenAPI schema, as an administrator: no 5xx, every response as documented.

Bounded and repeatable: a fixed number of examples per operation and derandomised generation.
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
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests import factories


def _schema():
    """The schema as drf-spectacular generates it (no request, so no database at collection time)."""
    loaded = schemathesis.openapi.from_dict(
        json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))
    )
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


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
    factories.site(regency)
    factories.asset(regency, management_address="127.64.1.3")
    user = factories.user(province, "administrator", username="fuzz-admin")
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, token):
    if case.query:
        case.query.pop("format", None)  # CSV/XLSX/PDF bodies are files, checked by their own tests
    # Status codes beyond the documented 2xx (400, 404...) and business refusals of schema-valid data are
    # expected answers; what must never happen is a 5xx or a body that contradicts the schema.
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
