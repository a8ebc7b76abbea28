"""Lookups by many ids: an IN (...) list at a time, well under every backend's parameter limit."""

from collections.abc import Iterable

CHUNK = 5000  # ids per IN (...) lookup


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
