"""Calendar months, as every app reads them: written YYYY-MM, counted in WITA (Asia/Makassar)."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

WITA = ZoneInfo("Asia/Makassar")
# The years a stored moment may have (simpul.validators): a month outside them is a typing slip.
MONTH_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as an interval of aware datetimes, [first day 00:00 WITA, next first day 00:00 WITA)."""
    return datetime.combine(month, time(0), tzinfo=WITA), datetime.combine(next_month(month), time(0), tzinfo=WITA)


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-10"})
class MonthField(serializers.Field):
    """A calendar month from 2000-01 to 2099-12, written YYYY-MM; its value is the date of its first day."""

    default_error_messages = {"invalid": _("Tulis bulan sebagai YYYY-MM, dari 2000-01 sampai 2099-12, mis. 2026-10.")}

    def to_internal_value(self, data) -> date:
        if not isinstance(data, str) or not re.match(MONTH_PATTERN, data):
            self.fail("invalid")
        year, month = data.split("-")
        return date(int(year), int(month), 1)

    def to_representation(self, value: date) -> str:
        return value.strftime("%Y-%m")
