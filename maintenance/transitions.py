"""The work-order lifecycle: which status may follow which, in one table.

open -> assigned (again: reassigned) -> in progress -> on hold -> done, or cancelled; a done order may be reopened
(with a reason). Cancelled is final.
"""

from maintenance.choices import WorkOrderStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.CANCELLED}),
    S.ASSIGNED: frozenset({S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.CANCELLED}),  # assigned again: reassigned
    S.IN_PROGRESS: frozenset({S.ON_HOLD, S.DONE, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.DONE: frozenset({S.OPEN}),
    S.CANCELLED: frozenset(),
}

# Statuses in which a work order is still to be done (counts as open, can become overdue).
ACTIVE = frozenset({S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD})
# Statuses in which an order is a record: read-only until reopened (cancelled is final).
FINISHED = frozenset({S.DONE, S.CANCELLED})


def allowed_next(status: str) -> list[str]:
    return sorted(ALLOWED[status])
