"""Interface language of the block: its own gettext catalogues (OEP-58 layout).

The block ships `translations/<lang>/LC_MESSAGES/text.po/.mo` and loads them itself, so
the interface is the same in the LMS, Studio, the workbench and the tests. Source strings
are English; French is the default language (the `language` setting, which the course
compiler fills with the course language).
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

DOMAIN = "text"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALE_DIR = Path(__file__).resolve().parent / "translations"


def _(message: str) -> str:
    """Marks a string for extraction where it is translated later (pybabel keyword)."""
    return message


def language_or_default(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def translation(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (read-only, so caching it per process is safe)."""
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True)
