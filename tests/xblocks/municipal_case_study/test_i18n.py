"""Interface language and the shipped catalogues (French default, English)."""
import gettext
import re
from pathlib import Path

import pytest
from municipal_case_study import i18n, messages
from xblock.runtime import NullI18nService

TRANSLATIONS = Path(i18n.__file__).parent / "translations"
ALL_MESSAGES = {**messages.UI, **messages.STAFF, **messages.STUDIO, **messages.ERRORS}


class DjangoLike:
    def __init__(self, code):
        self.code = code

    def get_language(self):
        return self.code


class PlatformCatalogue:
    """The platform's XBlockI18nService once it has loaded this block's catalogue: no get_language."""

    def __init__(self, language):
        self.translator = gettext.translation("text", str(TRANSLATIONS), [language])

    def __getattr__(self, name):
        return getattr(self.translator, name)


@pytest.mark.parametrize(("service", "expected"), [
    (NullI18nService(), "fr"),
    (None, "fr"),
    (DjangoLike("en-us"), "en"),
    (DjangoLike("fr-ca"), "fr"),
    (DjangoLike("es-419"), "fr"),
    (DjangoLike(None), "fr"),
    (PlatformCatalogue("en"), "en"),
    (PlatformCatalogue("fr"), "fr"),
])
def test_interface_language_follows_the_service_and_defaults_to_french(service, expected):
    assert i18n.interface_language(service) == expected


@pytest.mark.parametrize("key", sorted(ALL_MESSAGES))
def test_every_interface_string_is_translated_into_french(key):
    french = i18n.translations("fr").gettext(ALL_MESSAGES[key])
    assert french != ALL_MESSAGES[key] or key in ("population", "sources", "option")


def test_placeholders_survive_translation():
    for message in ALL_MESSAGES.values():
        placeholders = set(re.findall(r"\{\w+\}", message))
        assert set(re.findall(r"\{\w+\}", i18n.translations("fr").gettext(message))) == placeholders, message


def test_french_typography_no_break_space_before_colons():
    french = [i18n.translations("fr").gettext(message) for message in ALL_MESSAGES.values()]
    assert not [text for text in french if " :" in text or " »" in text or "« " in text]


def test_compiled_catalogues_match_their_sources():
    pytest.importorskip("babel")
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    for language in ("fr", "en"):
        folder = TRANSLATIONS / language / "LC_MESSAGES"
        with open(folder / "text.po", "rb") as po, open(folder / "text.mo", "rb") as mo:
            source = {m.id: m.string for m in read_po(po) if m.id and m.string}
            compiled = {m.id: m.string for m in read_mo(mo) if m.id}
        assert source == compiled, language


def test_numbers_follow_the_language():
    assert i18n.format_integer(48200, "fr") == "48\u202f200" and i18n.format_integer(48200, "en") == "48,200"
