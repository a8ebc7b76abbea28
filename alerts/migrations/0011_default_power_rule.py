"""The second default every agency starts with: its duty officer hears of a UPS degraded (running on battery, or
its charge below the metric profile's limit), a power cut the sites behind it will feel before long."""

from django.db import migrations

NAME = "Bawaan: UPS dari baterai atau baterai rendah"


def seed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    AlertRule.objects.get_or_create(
        agency=None,
        name=NAME,
        defaults={
            "asset_kinds": ["ups"],
            "kinds": ["degraded"],
            "severity": "warning",
            "delay_minutes": 0,
            "escalate_after_minutes": 30,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("alerts", "AlertRule").objects.filter(agency=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0010_poller_silent")]
    operations = [migrations.RunPython(seed, unseed)]
