from datetime import timedelta

import pytest

from alerts.texts import duration


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=12), "12 dtk"),  # not "0 mnt", which reads as no outage at all
        (timedelta(seconds=59.9), "59 dtk"),
        (timedelta(minutes=1), "1 mnt"),
        (timedelta(hours=2, minutes=15, seconds=30), "2 j 15 mnt"),
        (timedelta(seconds=-3), "0 dtk"),  # a clock that stepped back never makes a negative duration
    ],
)
def test_an_outage_duration_reads_at_every_scale(span, text):
    assert duration(span) == text
