"""A uniqueness error says the value already exists ("sudah ada"), for every unique rule of every model;
Django's Indonesian said "tidak ada" ("does not exist") for those over several fields."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from tests import factories

APPS = {"accounts", "assets", "monitoring", "maintenance", "reports", "rollcalls"}


def _unique_rules():
    """(model, fields) for every unique field, unique_together and unconditional UniqueConstraint."""
    rules = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                rules.append((model, (field.name,)))
        for fields in model._meta.unique_together:
            rules.append((model, tuple(fields)))
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
                rules.append((model, tuple(constraint.fields)))
    return rules


RULES = _unique_rules()


def test_the_rules_are_found():
    names = {(model.__name__, fields) for model, fields in RULES}
    assert ("Site", ("agency", "name")) in names and ("Partner", ("name",)) in names
    assert len(RULES) >= 10


@pytest.mark.parametrize(("model", "fields"), RULES, ids=[f"{m.__name__}-{'-'.join(f)}" for m, f in RULES])
def test_every_unique_rule_says_already_exists(model, fields):
    with translation.override("id"):
        error = model().unique_error_message(model, fields)
        message = error.message % error.params
    assert "sudah ada" in message or "telah ada" in message, message
    assert "tidak ada" not in message, message


def test_a_duplicate_site_name_is_refused_with_already_exists(tree, client_for):
    factories.site(tree["64.01"], name="Pusdalops Tanah Grogot")
    client = client_for(tree["64.01"])
    body = {
        "name": "Pusdalops Tanah Grogot",
        "kind": "pusdalops",
        "latitude": "-1.9",
        "longitude": "116.2",
        "power_source": "grid",
    }
    response = client.post("/api/sites/", body, format="json", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    assert response.json()["name"] == ["Lokasi dengan Instansi dan Nama ini sudah ada."]
