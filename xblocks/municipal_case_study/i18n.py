"""Interface language and catalogues (pure stdlib).

The block ships its own gettext catalogues (OEP-58 layout: ``translations/<lang>/LC_MESSAGES/text``).
The language follows the runtime's i18n service: ``get_language()`` where the service offers it
(Django-backed services: the workbench, the platform's fallback), else the language of the
catalogue the platform's XBlockI18nService loaded for the course. French when unknown or unsupported.
"""
from __future__ import annotations

import gettext
from functools import cache
from importlib import resources

SUPPORTED = ("fr", "en")
DEFAULT = "fr"
DOMAIN = "text"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext no-op marker
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def _service_language(service) -> str | None:
    get_language = getattr(service, "get_language", None)
    if callable(get_language):
        return get_language()
    info = getattr(service, "info", None)
    if callable(info):
        return info().get("language")
    return None


def interface_language(service) -> str:
    """'fr' or 'en', from a language code such as 'fr-ca', 'en_US' or None."""
    try:
        code = _service_language(service)
    except Exception:  # noqa: BLE001 - a broken or partial service must not break the view
        code = None
    primary = str(code or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in SUPPORTED else DEFAULT


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The block's catalogue for a supported language."""
    localedir = resources.files(__package__).joinpath("translations")
    return gettext.translation(DOMAIN, localedir=str(localedir), languages=[language], fallback=True)


def format_integer(value: int, language: str) -> str:
    """48200 → '48 200' (narrow no-break space) in French, '48,200' in English."""
    grouped = f"{value:,}"
    return grouped.replace(",", "\u202f") if language == "fr" else grouped

