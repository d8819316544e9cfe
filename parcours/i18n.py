"""The language authors read parcours in: French when their environment asks for it, English otherwise.

The environment is read the way gettext reads it, at each call rather than once, so that a test (or a
long-lived preview server) sees the variables as they are now.
"""
from __future__ import annotations

import locale
import os
import re

ENGLISH, FRENCH = "en", "fr"

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


def _language_part(preference: str) -> str:
    """`fr` of `fr_CA.UTF-8`; normalize() expands aliases as gettext does (`french`, and `POSIX` is `C`)."""
    return re.split(r"[_.@]", locale.normalize(preference), maxsplit=1)[0]


def colon() -> str:
    """A colon as the author's language writes it: French typography puts a no-break space before it."""
    return "\u00a0:" if language() == FRENCH else ":"
