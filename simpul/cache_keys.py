"""Cache keys that name the database their value was computed from (settings.CACHES' KEY_FUNCTION).

One cache (a directory under var/, or one Redis) outlives the database behind it: a developer switches
DATABASE_URL, a test run uses its test database, a benchmark its scratch one. Without the database in
the key, one database's figures (the dashboard's agencies) would be served for another's until they expire.
"""

import hashlib
from functools import lru_cache

from django.conf import settings


def make_key(key: str, key_prefix: str, version: int) -> str:
    """Django's key (prefix:version:key) behind a short digest of the default database.

    The database is read at each call, not when settings load: the test runner renames it after that.
    """
    database = settings.DATABASES["default"]
    digest = _digest(*(str(database.get(part) or "") for part in ("ENGINE", "NAME", "HOST", "PORT")))
    return f"{digest}:{key_prefix}:{version}:{key}"


@lru_cache(maxsize=8)
def _digest(*identity: str) -> str:
    return hashlib.sha256("\0".join(identity).encode()).hexdigest()[:12]
