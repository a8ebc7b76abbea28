"""Damaged copies of a datagram, for tests that a parser refuses each with its own exception and nothing else."""

import random
from collections.abc import Iterator


def mangled(data: bytes, *, seed: int, count: int = 3000) -> Iterator[bytes]:
    """`count` copies of `data` with 1 to 4 bytes overwritten, about a third of them also cut short."""
    rng = random.Random(seed)
    for _ in range(count):
        copy = bytearray(data)
        for _flip in range(rng.randint(1, 4)):
            copy[rng.randrange(len(copy))] = rng.randrange(256)
        yield bytes(copy[: rng.randint(1, len(copy))] if rng.random() < 0.3 else copy)
