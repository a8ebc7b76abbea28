"""Every string Simpul shows has English, and the compiled catalogues the app loads say what the .po files say.

The first test runs `manage.py update_messages` (makemessages, then compilemessages) on a copy of the code, so
a string added anywhere without an English msgstr, or left fuzzy by msgmerge, fails here by name. When it
does: `make messages`, translate what it lists in locale/en/LC_MESSAGES/django.po, `make messages` again."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from simpul import catalogue

ROOT = Path(settings.BASE_DIR)
needs_gettext = pytest.mark.skipif(
    shutil.which("msgmerge") is None, reason="needs GNU gettext (apt-get install gettext)"
)
pytestmark = needs_gettext


def test_every_string_of_the_code_has_english(tmp_path):
    copy = tmp_path / "simpul"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", ".venv", "var", "test-artifacts"))
    run = subprocess.run(
        [sys.executable, "manage.py", "update_messages", "--check"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "SIMPUL_VAR_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"Without English (make messages, then translate):\n{run.stdout}{run.stderr}"
    # The committed catalogue is already what makemessages makes of the code: no string missing, none left over.
    assert catalogue.compiled(copy / "locale/en/LC_MESSAGES/django.po") == catalogue.compiled(catalogue.PO)


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_committed_mo_is_the_committed_po_compiled(language):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    assert catalogue.read_mo(folder / "django.mo") == catalogue.compiled(folder / "django.po"), (
        f"locale/{language}: the .mo is stale; run `make messages` and commit both files"
    )


def test_missing_names_what_lacks_english(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Simpan"\nmsgstr "Save"\n\nmsgid "Belum"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Hidup"\nmsgstr "Alive"\n',
        encoding="utf-8",
    )
    assert catalogue.missing(po) == ['"Belum"', '"Hidup"']
