"""The language of a person's alerts moves to their profile (accounts.User.language), where the EN/ID switch
keeps it: one field for pages and alerts. Indonesian was the contact's default, so only other choices move."""

from django.db import migrations


def to_profile(apps, schema_editor):
    AlertContact = apps.get_model("alerts", "AlertContact")
    User = apps.get_model("accounts", "User")
    for user_id, language in AlertContact.objects.exclude(language="id").values_list("user_id", "language"):
        User.objects.filter(pk=user_id, language="").update(language=language)


def to_contact(apps, schema_editor):
    AlertContact = apps.get_model("alerts", "AlertContact")
    for contact in AlertContact.objects.select_related("user").exclude(user__language__in=["", "id"]):
        contact.language = contact.user.language
        contact.save(update_fields=["language"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_language"),
        ("alerts", "0008_missed_roll_call"),
    ]

    operations = [
        migrations.RunPython(to_profile, to_contact),
        migrations.RemoveField(model_name="alertcontact", name="language"),
    ]
