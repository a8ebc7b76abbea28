"""The English catalogue (locale/en): brought up to date from the code, compiled, and what still lacks English.

Simpul's source strings are Indonesian; locale/en/LC_MESSAGES/django.po holds their English. `make messages`
(manage.py update_messages) runs makemessages without source locations (so branches merge without conflicts)
and drops strings the code no longer has, then compiles the .mo that is committed beside the .po (the app runs
without GNU gettext; tests/test_translations.py checks the two agree and that nothing lacks English). Scripts
have no strings of their own: pages hand them their words (json_script, data- attributes).
"""

import gettext
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

LANGUAGE = "en"
PO = settings.BASE_DIR / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
# Not Simpul's own text: the environment, generated files, tests (their strings are what they check) and benchmarks.
IGNORE = [".venv", "var", "tests", "bench", "test-artifacts", "node_modules", "staticfiles"]


def update() -> list[str]:
    """Refresh the .po from the code, compile the .mo, and return the msgids still without English."""
    call_command(
        "makemessages", locale=[LANGUAGE], no_location=True, no_obsolete=True, ignore_patterns=IGNORE, verbosity=0
    )
    call_command("compilemessages", locale=[LANGUAGE, "id"], ignore_patterns=IGNORE, verbosity=0)
    return missing(PO)


def missing(po: Path) -> list[str]:
    """Untranslated and fuzzy entries (a fuzzy one is msgmerge's guess, never shown), as "msgid" lines."""
    found = []
    for option in ("--untranslated", "--only-fuzzy"):
        text = subprocess.run(
            ["msgattrib", option, "--no-wrap", "--no-obsolete", str(po)], check=True, capture_output=True, text=True
        ).stdout
        found += [msgid for msgid in re.findall(r'^msgid (".*")$', text, flags=re.M) if msgid != '""']
    return found


def compiled(po: Path) -> dict:
    """The catalogue msgfmt makes of `po`, as Python's gettext reads it."""
    with tempfile.NamedTemporaryFile(suffix=".mo") as mo:
        subprocess.run(["msgfmt", "--check-format", "-o", mo.name, str(po)], check=True)
        return read_mo(Path(mo.name))


def read_mo(mo: Path) -> dict:
    """Every entry of a compiled catalogue, msgid to msgstr (plural forms keyed by (msgid, n))."""
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog  # the standard library offers no public listing
