"""Migration alerts 0009: a contact's language moves to its person's profile, the one field pages and alerts
share; Indonesian, the contact's old default, leaves the profile without a choice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("alerts", "0008_missed_roll_call"), ("accounts", "0003_user_language")]
AFTER = [("alerts", "0009_language_on_profile")]


@pytest.mark.django_db(transaction=True)
def test_the_contacts_language_moves_to_the_profile():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, AlertContact = old.get_model("accounts", "User"), old.get_model("alerts", "AlertContact")
    english = User.objects.create(username="ani", password="-")
    indonesian = User.objects.create(username="budi", password="-")
    AlertContact.objects.create(user=english, language="en")
    AlertContact.objects.create(user=indonesian, language="id")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("accounts", "User")
    assert dict(new.objects.values_list("username", "language")) == {"ani": "en", "budi": ""}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back
    back = executor.loader.project_state(BEFORE).apps.get_model("alerts", "AlertContact")
    assert dict(back.objects.values_list("user__username", "language")) == {"ani": "en", "budi": "id"}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
