"""The French catalogue of the messages: complete for the code, compiled, faithful to the placeholders."""
from __future__ import annotations

import ast
import gettext
import string
from pathlib import Path

import pytest

import parcours
from parcours.i18n import DOMAIN, FRENCH, LOCALE_DIR
from parcours.lint.typography import findings

CATALOGUE = LOCALE_DIR / FRENCH / "LC_MESSAGES"
MARKERS = ("_", "N_")


def marked_messages() -> set[str]:
    """Every literal given to `_()` or `N_()` in parcours: what `make translations` extracts."""
    found = set()
    for path in Path(parcours.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def compiled() -> dict[str, str]:
    with (CATALOGUE / f"{DOMAIN}.mo").open("rb") as mo_file:
        return {msgid: msgstr for msgid, msgstr in gettext.GNUTranslations(mo_file)._catalog.items() if msgid}


def fields(template: str) -> list[str]:
    """The `{name}` fields `.format()` fills; none in a message that is never formatted (`{{ }}` as written)."""
    try:
        return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)
    except ValueError:
        return []


def test_the_scan_finds_the_marked_messages() -> None:
    assert {"'{ref}' does not exist", "no-break space", "{value} is a required property",
            "found unexpected end of stream"} <= marked_messages()


def test_every_message_of_the_code_has_a_french_translation() -> None:
    assert marked_messages() - compiled().keys() == set(), "run `make translations`, then translate the new ones"


def test_the_catalogue_holds_no_message_the_code_no_longer_has() -> None:
    assert compiled().keys() - marked_messages() == set(), "run `make translations`"


def test_the_compiled_catalogue_matches_its_po_source() -> None:
    pofile = pytest.importorskip("babel.messages.pofile")
    with (CATALOGUE / f"{DOMAIN}.po").open("rb") as po_file:
        po = {message.id: message.string for message in pofile.read_po(po_file) if message.id}
    assert compiled() == po, "run `make translations`"


def test_french_translations_keep_the_fields() -> None:
    changed = {msgid: msgstr for msgid, msgstr in compiled().items() if fields(msgid) != fields(msgstr)}
    assert changed == {}


def test_french_translations_follow_french_typography() -> None:
    """The rules parcours checks in French courses (PC801–PC805) hold for its own French."""
    wrong = {msgstr: [finding.message for finding in findings(Path("message.md"), msgstr)]
             for msgstr in compiled().values()}
    assert {msgstr: problems for msgstr, problems in wrong.items() if problems} == {}
