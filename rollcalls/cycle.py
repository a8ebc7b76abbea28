"""What roll-call schedules do after each poll cycle (settings.POLL_CYCLE_HOOKS) and from Celery beat."""

import logging
from datetime import datetime

from rollcalls.services import flag_missed_calls

log = logging.getLogger("simpul.rollcalls")


def after_poll_cycle(now: datetime) -> None:
    missed = flag_missed_calls(now)
    if missed:
        log.info("roll calls: %d scheduled calls missed", missed)
