"""The English catalogue is complete for what exists: every string marked for translation in a
template or module has an English entry (Chinese is the source language)."""

from __future__ import annotations

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+["']([^"']+)["']""")
PY_STRING = re.compile(r"""\b(?:_|gettext_noop)\(\s*"([^"]+)"\s*\)""")


def _catalogue() -> dict[str, str]:
    entries = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO)) if not entry.obsolete}
    # python-format entries store a literal "%" as "%%"
    return entries | {msgid.replace("%%", "%"): msgstr for msgid, msgstr in entries.items()}


def test_every_entry_is_translated():
    untranslated = [msgid for msgid, msgstr in _catalogue().items() if not msgstr]
    fuzzy = [e.msgid for e in polib.pofile(str(PO)) if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, f"untranslated: {untranslated} fuzzy: {fuzzy}"


def test_every_marked_string_is_in_the_catalogue():
    catalogue = _catalogue()
    missing = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("chunnuan/**/templates/**/*.html")]:
        missing += [
            (str(path.relative_to(ROOT)), s)
            for s in TEMPLATE_STRING.findall(path.read_text())
            if s not in catalogue
        ]
    for path in ROOT.glob("chunnuan/**/*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        missing += [
            (str(path.relative_to(ROOT)), s)
            for s in PY_STRING.findall(path.read_text())
            if s not in catalogue
        ]
    assert not missing, "run makemessages -l en and translate: " + repr(missing[:20])
