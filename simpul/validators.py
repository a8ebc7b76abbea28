"""Validators shared by several apps."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def validate_plausible_moment(value: datetime) -> None:
    """A moment of this network's life: a year 363 or 4187 is a typing slip, not a maintenance window."""
    if value is not None and not EARLIEST <= value < LATEST:
        raise ValidationError(_("Tanggal harus antara tahun 2000 dan 2099."), code="implausible_date")
