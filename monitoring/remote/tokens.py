"""Poller tokens: random, shown once, stored only as their SHA-256 (a 256-bit random token needs no slow hash)."""

import hashlib
import secrets

PREFIX = "spl_"  # recognisable in a leaked log or file


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
