"""The language authors read parcours in: French when their environment asks for it, English otherwise.

The environment is read the way gettext reads it, at each call rather than once, so that a test (or a
long-lived preview server) sees the variables as they are now. Messages are written in English, marked
with `_()` (or `N_()`), and English is the key of the French catalogue, locale/fr/LC_MESSAGES/parcours.po
and its compiled .mo: `make translations` brings it up to date with the code and compiles it.
"""
from __future__ import annotations

import gettext
import locale
import os
import re
import string
from functools import cache
from pathlib import Path

ENGLISH, FRENCH = "en", "fr"
DOMAIN = "parcours"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# gettext's order: the first of these that is set decides, LANGUAGE being a list of preferences.
_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language() -> str:
    """FRENCH if the preferred languages reach French before the C locale, as gettext would, else ENGLISH."""
    preferences = next((os.environ[name] for name in _VARIABLES if os.environ.get(name)), "")
    for preference in preferences.split(":"):
        spoken = _language_part(preference)
        if spoken == "C":  # gettext stops there: untranslated messages
            break
        if spoken == FRENCH:
            return FRENCH
    return ENGLISH


@cache
def _language_part(preference: str) -> str:
    """`fr` of `fr_CA.UTF-8`; normalize() expands aliases as gettext does (`french`, and `POSIX` is `C`)."""
    return re.split(r"[_.@]", locale.normalize(preference), maxsplit=1)[0]


def _(message: str) -> str:
    """`message`, written in English, in the author's language."""
    return _catalogue(language()).gettext(message)


def from_parcours(message: str) -> str:
    """`parcours: message`, as a command says why it stopped, punctuated for the author's language."""
    return _("parcours: {message}").format(message=message)


def own_default_domain() -> None:
    """Make this catalogue gettext's default domain, through which argparse writes its own words
    ("usage:", its errors): the catalogue holds those too (cli.ARGPARSE_WORDS marks them)."""
    gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
    gettext.textdomain(DOMAIN)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined once, at import, before any author's
    language is known; it is translated with `_()` where it is used."""
    return message


def rephrased(message: str, templates: tuple[str, ...]) -> str:
    """A library's English `message` in the author's language, if it is one of `templates` (each marked with
    N_(), its `{name}` fields standing for what the library put there); otherwise as the library wrote it."""
    if language() == ENGLISH:
        return message
    for template, pattern in _patterns(templates):
        if match := pattern.fullmatch(message):
            return _(template).format(**match.groupdict())
    return message


@cache
def _patterns(templates: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Each template as a pattern that reads its fields back: `{value} is too long` → `(?P<value>.*?) is too long`."""
    return [(template, re.compile("".join(re.escape(text) + (f"(?P<{field}>.*?)" if field else "")
                                          for text, field, _spec, _conversion in string.Formatter().parse(template)),
                                  re.S))
            for template in templates]


@cache
def _catalogue(spoken: str) -> gettext.NullTranslations:
    if spoken == ENGLISH:
        return gettext.NullTranslations()  # the messages themselves
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[spoken])  # a missing catalogue is a packaging bug
