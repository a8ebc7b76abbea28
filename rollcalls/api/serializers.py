from django.utils import timezone
from rest_framework import serializers

from assets.models import Agency
from rollcalls.models import RollCallSchedule, ScheduledCall, validate_stations
from simpul.api import CurrentUserAgency, ScopedSerializer
from simpul.months import MonthField
from simpul.schema import NO_NUL

AGENCY_CODE = r"^\d{2}(\.\d{2}){0,2}$"  # a Kemendagri region code, as assets.Agency.code takes it


class RollCallScheduleSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the agency running the net; defaults to the user's own.",
    )
    times = serializers.ListField(
        child=serializers.RegexField(r"^([01]\d|2[0-3]):[0-5]\d$", max_length=5),
        allow_empty=False,
        help_text='Call times in WITA, "HH:MM", e.g. ["08:00", "20:00"].',
    )
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7),
        allow_empty=False,
        help_text="ISO weekdays: 1 = Monday ... 7 = Sunday.",
    )

    class Meta:
        model = RollCallSchedule
        fields = ["id", "agency", "net", "band", "times", "days", "window_minutes", "stations", "active", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"stations": {"help_text": "Radios that must answer: the agency's own or those under it."}}

    def validate(self, attrs):
        # Stations are a many-to-many relation: not the model's to clean, so the shared rule is asked here.
        stations = attrs.pop("stations", None)
        validated = super().validate(attrs)
        if stations is None and self.instance is not None:
            checked = list(self.instance.stations.all())
        else:
            checked = stations or []
        validate_stations(validated["agency"].pk, checked)
        return validated if stations is None else {**validated, "stations": stations}


class ScheduledCallSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)
    net = serializers.CharField(source="schedule.net", read_only=True)

    class Meta:
        model = ScheduledCall
        fields = ["id", "schedule", "agency", "net", "due_at", "closes_at", "outcome", "radio_check", "recorded_at"]
        read_only_fields = fields


class ComplianceQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="A calendar month in WITA, YYYY-MM; default this month.")
    # Filters as on every list: an agency or net the user does not see gives no rows, not an error.
    agency = serializers.RegexField(
        AGENCY_CODE, required=False, allow_blank=True, help_text="Only this agency (region code), not those under it."
    )
    net = serializers.RegexField(
        NO_NUL, required=False, allow_blank=True, max_length=120, help_text="Only this net (its exact name)."
    )

    def validate(self, attrs):
        return {**attrs, "month": attrs.get("month") or timezone.localdate().replace(day=1)}


class ComplianceRowSerializer(serializers.Serializer):
    schedule = serializers.IntegerField(source="schedule.pk")
    agency = serializers.CharField(source="schedule.agency.code")
    net = serializers.CharField(source="schedule.net")
    month = MonthField()
    scheduled = serializers.IntegerField(help_text="Calls owed whose window closed, or that were recorded.")
    held = serializers.IntegerField(help_text="Calls recorded within their window.")
    missed = serializers.IntegerField()
    held_ratio = serializers.FloatField(allow_null=True, help_text="held / scheduled; null when none was owed.")
    stations_called = serializers.IntegerField(help_text="Station lines in the calls held.")
    stations_answered = serializers.IntegerField()
    answered_ratio = serializers.FloatField(allow_null=True, help_text="stations_answered / stations_called.")
