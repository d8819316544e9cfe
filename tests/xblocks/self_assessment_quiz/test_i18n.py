"""Gettext catalogues shipped with the block (OEP-58 layout): complete, compiled, French by default."""
import ast
import gettext
import string

import pytest
from self_assessment_quiz.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, language_or_default

from .helpers import PACKAGE


def _marked_strings():
    """Every literal passed to `_()` in the package (what pybabel extracts)."""
    found = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
    return found


def _catalog(language):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as mo_file:
        return gettext.GNUTranslations(mo_file)._catalog


def test_the_scan_finds_the_marked_strings():
    assert {"Submit", "Question {number} of {total}", "You have used all your attempts."} <= _marked_strings()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_compiled_catalogue(language):
    missing = _marked_strings() - set(_catalog(language))
    assert missing == set()


def test_french_translations_keep_the_placeholders():
    for msgid, msgstr in _catalog("fr").items():
        if msgid:
            assert sorted(_placeholders(msgid)) == sorted(_placeholders(msgstr)), msgid


def _placeholders(text):
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_french_is_the_default_language():
    assert language_or_default(None) == "fr"
    assert language_or_default("") == "fr"
    assert language_or_default("de") == "fr"
    assert language_or_default("en") == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_match_their_po_sources(language):
    babel_pofile = pytest.importorskip("babel.messages.pofile")
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po_file:
        po = {message.id: message.string for message in babel_pofile.read_po(po_file) if message.id}
    compiled = {key: value for key, value in _catalog(language).items() if key}
    assert compiled == po, "run: pybabel compile -d xblocks/self_assessment_quiz/translations -D text"
