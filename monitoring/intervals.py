"""Arithmetic on half-open time intervals [start, end), the unit of outages and maintenance windows."""

from collections.abc import Iterable
from datetime import datetime

Interval = tuple[datetime, datetime]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping union; empty intervals dropped."""
    result: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def clip(intervals: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    return merge((max(s, start), min(e, end)) for s, e in intervals)


def subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`intervals` minus every part covered by `holes`."""
    holes = merge(holes)
    result = []
    for start, end in merge(intervals):
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end <= cursor or hole_start >= end:
                continue
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
        if cursor < end:
            result.append((cursor, end))
    return result


def elapsed_s(start: datetime, end: datetime) -> float:
    """Seconds from `start` to `end`, never negative: a wall clock stepped back can make `end` read earlier."""
    return max((end - start).total_seconds(), 0.0)


def seconds(intervals: Iterable[Interval]) -> float:
    return sum((end - start).total_seconds() for start, end in intervals)
