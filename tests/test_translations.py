"""Every user-facing string exists in French: no empty or fuzzy entry in any catalogue."""

from pathlib import Path

import polib
import pytest

CATALOGUES = sorted(Path(__file__).resolve().parent.parent.glob("src/guilde/*/locale/fr/LC_MESSAGES/django.po"))


def test_translations_catalogues_exist():
    assert len(CATALOGUES) >= 3


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_translations_complete(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue if entry.obsolete is False and not entry.translated()]
    assert untranslated == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_translations_compiled(path):
    """The committed .mo says what the .po says (someone ran compilemessages)."""
    source = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.translated() and not e.msgid_plural}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(path.with_suffix(".mo"))) if not e.msgid_plural}
    assert {k: compiled.get(k) for k in source} == source
