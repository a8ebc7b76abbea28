"""Keys the embedded default makes for itself: random, once per var/ directory, readable by its owner only.

Production passes its own SECRET_KEY (and ENCRYPTION_KEYS) in the environment. Imported by settings, so
nothing here may need Django's settings.
"""

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def local_key(path: Path, make: Callable[[], str]) -> str:
    """The key kept in `path`, made with `make` on first use.

    The new key is written to a private temporary file (mode 0600) and hard-linked into place, which fails if
    the file exists: of several first starts at once (migrate, runpoller, runserver) one wins, and every
    process reads its complete key, never a half-written file.
    """
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w") as file:
                file.write(make() + "\n")
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: restore it from a backup, or delete it for a new key.")
    return key
