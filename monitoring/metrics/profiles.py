"""Metric profiles as the poller and the recorder read them: one query, plain frozen values."""

from dataclasses import dataclass, field

from monitoring.metrics.models import MetricProfile
from monitoring.metrics.thresholds import Limits


@dataclass(frozen=True, slots=True)
class Profile:
    groups: tuple[str, ...] = ()
    oids: tuple[tuple[str, str], ...] = ()
    limits: Limits = field(default_factory=Limits)


NO_PROFILE = Profile()


def profiles_by_kind() -> dict[str, Profile]:
    """Every configured kind's profile; look kinds up with `.get(kind, NO_PROFILE)`."""
    return {
        row.kind: Profile(
            groups=tuple(row.groups),
            oids=tuple(sorted(row.oids.items())),
            limits=Limits(
                on_battery=row.on_battery_degraded,
                charge_below_pct=row.charge_below_pct,
                throughput_above_pct=row.throughput_above_pct,
                throughput_minutes=row.throughput_minutes,
            ),
        )
        for row in MetricProfile.objects.all()
    }
