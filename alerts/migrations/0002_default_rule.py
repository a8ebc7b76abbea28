"""The default every agency starts with: its duty officer hears of any repeater, internet link or
satellite terminal down, and the next tier after 15 minutes without an acknowledgement."""

from django.db import migrations

NAME = "Bawaan: repeater, link internet, terminal satelit mati"


def seed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    AlertRule.objects.get_or_create(
        agency=None,
        name=NAME,
        defaults={
            "asset_kinds": ["repeater", "internet_link", "satellite_terminal"],
            "kinds": ["down", "unreachable"],
            "severity": "critical",
            "delay_minutes": 0,
            "escalate_after_minutes": 15,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("alerts", "AlertRule").objects.filter(agency=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
