"""Diagnostics in the author's language: French when the environment asks for it, English otherwise."""
from __future__ import annotations

from pathlib import Path

import pytest

from parcours.diagnostics import Code, Severity
from parcours.i18n import ENGLISH, FRENCH, language
from parcours.lint.typography import findings

from .test_build import run_cli


@pytest.mark.parametrize(("variables", "expected"), [
    ({"LANGUAGE": "fr"}, FRENCH),
    ({"LANG": "fr_CA.UTF-8"}, FRENCH),
    ({"LC_ALL": "french"}, FRENCH),  # an alias, which gettext expands
    ({"LANGUAGE": "de:fr", "LANG": "C.UTF-8"}, FRENCH),  # no German: the next preference
    ({"LANGUAGE": "C:fr"}, ENGLISH),  # gettext stops at C
    ({"LANGUAGE": "en", "LANG": "fr_CA.UTF-8"}, ENGLISH),  # LANGUAGE outweighs LANG
    ({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_CA.UTF-8"}, FRENCH),
    ({"LANG": "frr_DE.UTF-8"}, ENGLISH),  # North Frisian, not French
    ({"LANG": "C.UTF-8"}, ENGLISH),
    ({}, ENGLISH),
])
def test_the_language_follows_the_environment_as_gettext_does(monkeypatch: pytest.MonkeyPatch,
                                                                 variables: dict[str, str], expected: str) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert language() == expected


@pytest.mark.parametrize("code", list(Code), ids=lambda code: code.code)
def test_every_code_is_documented_in_both_languages(code: Code) -> None:
    french, english = code.explanation(FRENCH), code.explanation(ENGLISH)
    for explanation in (french, english):
        assert explanation.summary.endswith(".") and len(explanation.doc) > 40
    assert french != english


@pytest.mark.parametrize("code", list(Code), ids=lambda code: code.code)
def test_the_french_documentation_follows_french_typography(code: Code) -> None:
    """The rules parcours checks in French courses (PC801–PC805) hold for its own French."""
    french = code.explanation(FRENCH)
    for text in (french.summary, french.doc):
        assert [finding.message for finding in findings(Path("doc.md"), text)] == []


def test_the_default_language_is_the_authors(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Code.DATES.explanation() == Code.DATES.explanation(ENGLISH)
    assert Severity.ERROR.word() == "error"
    monkeypatch.setenv("LANGUAGE", "fr")
    assert Code.DATES.explanation() == Code.DATES.explanation(FRENCH)
    assert Severity.ERROR.word() == "erreur"


def test_explain_and_codes_speak_french_to_a_french_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr_CA")
    explained = run_cli("explain", "pc402").stdout
    assert explained.startswith("PC402 (erreur)\u00a0: " + Code.GRADER_WEIGHTS.explanation(FRENCH).summary)
    assert Code.GRADER_WEIGHTS.explanation(FRENCH).doc in explained
    listed = run_cli("codes").stdout.splitlines()
    assert len(listed) == len(Code)
    assert listed[0].split(maxsplit=2) == ["PC101", "erreur", Code.YAML_SYNTAX.explanation(FRENCH).summary]
