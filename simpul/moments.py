"""Moments in queries (`from`, `to`, `active_at`): ISO 8601, in WITA when no offset is given.

A query may name any moment Python can parse; one before 2000 or after 2099 reads as that bound, the
years every stored moment lies within (simpul.validators). "Since 0001-01-01" then means "since ever",
as asked, instead of overflowing when the database converts it to UTC. A query's moment reaches the
database in UTC: ISO 8601 and Python take offsets up to 23:59, PostgreSQL only up to 15:59.
"""

from datetime import UTC, datetime

import django_filters
from django_filters.fields import IsoDateTimeField
from rest_framework import serializers

from simpul.validators import EARLIEST, LATEST


def within_plausible_years(value: datetime) -> datetime:
    return max(EARLIEST, min(value, LATEST))


class MomentField(serializers.DateTimeField):
    def enforce_timezone(self, value: datetime) -> datetime:
        if value.tzinfo is not None:  # before the conversion to WITA, which is what overflows
            value = within_plausible_years(value)
        return within_plausible_years(super().enforce_timezone(value))


class MomentFormField(IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        return None if value is None else within_plausible_years(value).astimezone(UTC)


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentFormField
