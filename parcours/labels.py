"""Words the compiler writes into generated pages, in the course's language (French unless English)."""
from __future__ import annotations

from collections.abc import Mapping

NBSP = "\u00a0"

# The audiences of the authoring format's examples and of the curriculum; another id shows as is.
AUDIENCES = {
    "fr": {
        "elus": "Personnes élues", "direction-generale": "Direction générale", "gestionnaires": "Gestionnaires",
        "professionnels": "Personnel professionnel", "ti-donnees": "TI et données",
        "premiere-ligne": "Personnel de première ligne",
        "responsables-aiprp": "Responsables de l'accès et de la protection des renseignements personnels",
    },
    "en": {
        "elus": "Elected officials", "direction-generale": "General management", "gestionnaires": "Managers",
        "professionnels": "Professionals", "ti-donnees": "IT and data", "premiere-ligne": "Front-line staff",
        "responsables-aiprp": "Access to information and privacy officers",
    },
}


def labels_for(table: Mapping[str, Mapping[str, str]], language: str) -> Mapping[str, str]:
    """The labels of `table` in the course's language: English for `en…`, French otherwise."""
    return table["en" if language.lower().startswith("en") else "fr"]


def audience_label(audience: str, language: str) -> str:
    return labels_for(AUDIENCES, language).get(audience, audience)


def colon(language: str) -> str:
    """` : ` with the no-break space French typography wants, `: ` in English."""
    return labels_for({"fr": {"colon": f"{NBSP}: "}, "en": {"colon": ": "}}, language)["colon"]
