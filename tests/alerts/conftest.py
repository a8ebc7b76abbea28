from datetime import date, time
from importlib import import_module

import pytest

from alerts.models import AlertContact, Channel, DutyAssignment, DutyShift
from tests import factories


@pytest.fixture(autouse=True)
def _loopback_gateways(settings):
    """The fake gateways listen on loopback, which the egress rule refuses unless a deployment allows it."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def shifts(paser):
    """The usual three shifts of a Pusdalops, in WITA."""
    return {
        "pagi": DutyShift.objects.create(agency=paser, name="Pagi", starts=time(8), ends=time(16)),
        "sore": DutyShift.objects.create(agency=paser, name="Sore", starts=time(16), ends=time(0)),
        "malam": DutyShift.objects.create(agency=paser, name="Malam", starts=time(0), ends=time(8)),
    }


@pytest.fixture
def people(paser, tree):
    def person(agency, role, name):
        user = factories.user(agency, role, username=name, email=f"{name}@bpbd.test")
        AlertContact.objects.create(user=user, phone=f"62811{user.pk:07d}", telegram_chat_id=1000 + user.pk)
        return user

    return {
        "ani": person(paser, "technician", "ani"),
        "budi": person(paser, "technician", "budi"),
        "citra": person(paser, "technician", "citra"),
        "kalaksa": person(paser, "manager", "kalaksa"),
        "prov": person(tree["64"], "technician", "piket-prov"),
    }


@pytest.fixture
def email_channel(paser):
    return Channel.objects.create(agency=paser, name="Email Pusdalops", kind="email")


def assign(shift, day, user):
    return DutyAssignment.objects.create(shift=shift, date=day, user=user)


@pytest.fixture
def default_rule():
    """The rule the data migration seeds, written again: a transactional test's flush removes it (and
    serialized_rollback, the other way to keep it, collides with content types on PostgreSQL)."""
    from django.apps import apps

    import_module("alerts.migrations.0002_default_rule").seed(apps, None)


@pytest.fixture
def repeater(paser, default_rule):
    return factories.asset(paser, kind="repeater", band="vhf", name="Repeater Gunung", management_address="127.64.1.10")


@pytest.fixture
def on_duty(shifts, people, email_channel):
    assign(shifts["pagi"], date(2026, 11, 14), people["ani"])
    return people["ani"]
