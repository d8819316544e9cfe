"""Diagnostics in the author's language: French when the environment asks for it, English otherwise."""
from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

from parcours.cli import ARGPARSE_WORDS, main
from parcours.diagnostics import Code, Reporter, Severity, format_text
from parcours.i18n import ENGLISH, FRENCH, language, rephrased
from parcours.lint.typography import findings
from parcours.pipeline import compile_course
from parcours.project import Workspace

from .conftest import copy_course
from .test_build import run_cli
from .test_diagnostic_fixtures import CASE_NAMES, CASES, apply_case


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


def diagnostics_of_case(name: str, folder: Path) -> list:
    course = copy_course("minimal", folder)
    reporter = Reporter()
    compile_course(course, Workspace(reporter), apply_case(CASES / name, course))
    return reporter.sorted()


def place(diagnostic, root: Path) -> tuple:
    span = diagnostic.span
    return diagnostic.code, span and (span.file.relative_to(root), span.line, span.column)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_each_case_says_the_same_things_in_french(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    english = diagnostics_of_case(name, tmp_path / ENGLISH)
    monkeypatch.setenv("LANGUAGE", "fr")
    french = diagnostics_of_case(name, tmp_path / FRENCH)
    assert [place(d, tmp_path / FRENCH) for d in french] == [place(d, tmp_path / ENGLISH) for d in english]
    assert [f.message for f, e in zip(french, english, strict=True) if f.message == e.message] == []


def test_a_french_diagnostic_as_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
    [missing] = diagnostics_of_case("PC303-missing-image", tmp_path)
    assert format_text(missing, root=tmp_path / "minimal") == (
        "m1/01-lecon.md:6:14: error[PC303]: 'images/schema.png' n'existe pas\n"
        "  = conseil\u00a0: aucun fichier de ce nom dans images/")


def test_library_messages_are_rephrased_in_french_only(monkeypatch: pytest.MonkeyPatch) -> None:
    templates = ("{value} is too long", "{value} is not one of {values}")
    assert rephrased("'abc' is not one of ['a', 'b']", templates) == "'abc' is not one of ['a', 'b']"
    monkeypatch.setenv("LANGUAGE", "fr")
    assert rephrased("'abc' is not one of ['a', 'b']", templates) == "'abc' n'est pas l'une des valeurs ['a', 'b']"
    assert rephrased("'abc' is odd", templates) == "'abc' is odd"  # not one of them: as the library wrote it


def test_validate_reports_in_french_to_a_french_environment(monkeypatch: pytest.MonkeyPatch,
                                                             minimal_course: Path) -> None:
    (minimal_course / "m1" / "02-quiz.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    monkeypatch.setenv("LANGUAGE", "fr")
    result = run_cli("validate", str(minimal_course))
    assert result.returncode == 1 and "error[PC101]" in result.stderr
    assert "  = conseil\u00a0: " in result.stderr and "1 erreur(s), 0 avertissement(s)" in result.stderr


def test_a_build_in_another_language_does_not_replay_the_last_ones_diagnostics(
        tmp_path: Path, minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The last build's diagnostics and the cached lint findings are kept in the language they were made in."""
    lesson = minimal_course / "m1" / "01-lecon.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nPourquoi ? Parce que.\n", encoding="utf-8")
    build = ["build", str(minimal_course), "-o", str(tmp_path / "out")]
    assert main(build) == 0
    assert "warning[PC802]: ordinary space before '?'" in capsys.readouterr().err
    monkeypatch.setenv("LANGUAGE", "fr")
    assert main(build) == 0
    assert "warning[PC802]: espace ordinaire avant `?`" in capsys.readouterr().err
    assert main(build) == 0
    assert "à jour" in capsys.readouterr().err


# What the commands themselves say (not diagnostics): the same rule, the English as it always was.
NBSP = "\u00a0"
NO_CREDENTIALS = ("PARCOURS_CLIENT_ID", "PARCOURS_CLIENT_SECRET", "PARCOURS_STUDIO_URL", "PARCOURS_LMS_URL")


@pytest.mark.parametrize(("spoken", "expected"), [
    ("fr", "parcours\u00a0: aucun course.yaml dans '{path}' ni dans ses sous-dossiers\n"),
    ("en", "parcours: no course.yaml in '{path}' or in its subfolders\n"),
], ids=("fr", "en"))
def test_validate_says_in_the_authors_language_that_there_is_no_course(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoken: str, expected: str) -> None:
    monkeypatch.setenv("LANGUAGE", spoken)
    missing = tmp_path / "absent"
    result = run_cli("validate", str(missing))
    assert (result.returncode, result.stdout, result.stderr) == (2, "", expected.format(path=missing))


def test_new_refuses_an_existing_file_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    course = tmp_path / "mon-cours"
    assert main(["new", "course", str(course)]) == 0
    lesson = course / "modules" / "01-premier-module" / "01-introduction.md"
    before = lesson.read_text(encoding="utf-8")
    capsys.readouterr()
    monkeypatch.setenv("LANGUAGE", "fr")
    assert main(["new", "lesson", str(lesson)]) == 2
    assert capsys.readouterr().err == (f"parcours{NBSP}: '{lesson.as_posix()}' existe déjà\n"
                                       f"  = conseil{NBSP}: choisissez un autre nom, ou supprimez-le d'abord\n")
    assert lesson.read_text(encoding="utf-8") == before


def test_publish_asks_in_french_for_the_missing_environment_variables(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NO_CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PARCOURS_LMS_URL", "https://lms.example.org")  # set: not asked for
    monkeypatch.setenv("LANGUAGE", "fr")
    result = run_cli("publish", str(tmp_path / "course.tar.gz"), "--course-id", "course-v1:MaVille+IA101+2027")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"parcours{NBSP}: définissez PARCOURS_CLIENT_ID, PARCOURS_CLIENT_SECRET, "
                             "PARCOURS_STUDIO_URL dans l'environnement (voir docs/publier.md)\n")


def test_the_help_is_in_french_argparse_words_included(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
    helped = re.sub("[ \n]+", " ", run_cli("publish", "--help").stdout)  # as argparse wrapped it (NBSP kept)
    assert helped.startswith(f"utilisation{NBSP}: parcours publish ")
    assert f"options{NBSP}: -h, --help afficher cette aide et quitter" in helped
    assert f"Les identifiants et les adresses viennent de l'environnement seulement{NBSP}:" in helped
    assert f"l'adresse de Studio (par défaut{NBSP}: PARCOURS_STUDIO_URL)" in helped
    assert "Studio's address" not in helped and "usage:" not in helped


@pytest.mark.parametrize(("spoken", "expected"), [
    ("fr", f"parcours build{NBSP}: erreur{NBSP}: argument -v/--verbose{NBSP}: incompatible avec l'argument "
           "-q/--quiet\n"),
    ("en", "parcours build: error: argument -v/--verbose: not allowed with argument -q/--quiet\n"),
], ids=("fr", "en"))
def test_argparse_says_a_usage_error_in_the_authors_language(monkeypatch: pytest.MonkeyPatch, spoken: str,
                                                              expected: str) -> None:
    monkeypatch.setenv("LANGUAGE", spoken)
    result = run_cli("build", "courses", "-q", "-v")
    assert result.returncode == 2 and result.stderr.endswith(expected)
    assert result.stderr.startswith(f"utilisation{NBSP}: parcours build" if spoken == "fr" else "usage: parcours build")


def test_every_argparse_word_the_catalogue_translates_is_one_argparse_writes() -> None:
    """They are argparse's own msgids: a word it no longer writes (a new Python) would stay English unseen."""
    source = inspect.getsource(argparse)
    assert [word for word in ARGPARSE_WORDS if repr(word) not in source] == []
