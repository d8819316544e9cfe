"""Content lints: exact diagnostics for each rule (fixtures/lints/<rule>-fail.* with .expected beside it,
<rule>-pass.* giving none), their place in a validation, and `parcours fix` (fixes, idempotent)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parcours.cli import main
from parcours.diagnostics import Diagnostic, Reporter, Severity
from parcours.lint import lint_file
from parcours.pipeline import compile_course
from parcours.project import Workspace
from tests.compiler.conftest import FIXTURES, diagnostics_text

LINTS = FIXTURES / "lints"
CASES = sorted(path for path in LINTS.iterdir() if path.suffix in (".md", ".yaml"))
REPO = Path(__file__).parents[2]


def describe(diagnostics: list[Diagnostic]) -> str:
    """`line:col: warning[PC801]: message` then the hint, in text order."""
    ordered = sorted(diagnostics, key=lambda d: (d.span.line, d.span.column, d.code.code))
    return "".join(f"{d.span.line}:{d.span.column}: {d.level.label}[{d.code.code}]: {d.message}\n"
                   f"  = hint: {d.hint}\n" for d in ordered)


def test_every_rule_has_a_failing_and_a_passing_case():
    names = {path.stem for path in CASES}
    rules = {name.rsplit("-", 1)[0] for name in names}
    assert {f"{rule}-{outcome}" for rule in rules for outcome in ("fail", "pass")} == names
    fail_codes = {line.split("[")[1][:5] for path in LINTS.glob("*.expected")
                  for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(" ")}
    assert fail_codes == {f"PC80{n}" for n in range(1, 6)} | {f"PC90{n}" for n in range(1, 5)}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_gives_exactly_the_expected_diagnostics(case: Path):
    expected = case.with_suffix(".expected")
    found = lint_file(case, case.read_text(encoding="utf-8"), french=True)
    assert describe(found) == (expected.read_text(encoding="utf-8") if expected.exists() else "")


def test_typography_is_only_checked_in_french():
    case = LINTS / "punctuation-fail.md"
    assert lint_file(case, case.read_text(encoding="utf-8"), french=False) == []
    images = LINTS / "image-fail.md"
    assert len(lint_file(images, images.read_text(encoding="utf-8"), french=False)) == 2


def test_a_missing_alternative_stops_the_build_and_typography_only_warns(tmp_path: Path):
    course = copy_fixture("course-to-fix", tmp_path)
    lesson = course / "m1" / "01-lecon.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n![](../images/x.png)\n", encoding="utf-8")
    reporter = Reporter()
    assert compile_course(course, Workspace(reporter)) is None
    levels = {d.code.code: d.level for d in reporter.diagnostics}
    assert levels["PC901"] is Severity.ERROR and levels["PC801"] is Severity.WARNING


def test_a_validation_reports_typography_at_its_place_in_the_file(tmp_path: Path):
    course = copy_fixture("course-to-fix", tmp_path)
    report = diagnostics_text(course)
    assert "m1/01-lecon.md:5:37: warning[PC802]: ordinary space before '?'" in report.splitlines()
    assert "course.yaml:4:28: warning[PC801]: ordinary space before ':'" in report.splitlines()


def test_an_english_course_has_no_typography_warnings(tmp_path: Path):
    course = copy_fixture("course-to-fix", tmp_path)
    settings = course / "course.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: fr-CA", "language: en"),
                        encoding="utf-8")
    assert diagnostics_text(course) == ""


def test_fix_writes_the_expected_files_and_a_second_run_changes_nothing(tmp_path: Path, capsys):
    course = copy_fixture("course-to-fix", tmp_path)
    assert main(["fix", "--check", str(course)]) == 1
    assert sources(course) == sources(LINTS / "course-to-fix")  # --check writes nothing
    assert all(": would fix[PC8" in line for line in capsys.readouterr().out.splitlines())
    assert main(["fix", str(course)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert sources(course) == sources(LINTS / "course-fixed")
    assert f"{course.as_posix()}/m1/01-lecon.md:5:74: fixed[PC805]: '...' instead of the ellipsis '…'" in printed
    assert len(printed) == 12
    assert main(["fix", str(course)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["fix", "--check", str(course)]) == 0
    assert sources(course) == sources(LINTS / "course-fixed")
    assert diagnostics_text(course) == ""


def test_fix_keeps_windows_line_endings_and_the_byte_order_mark(tmp_path: Path):
    course = copy_fixture("course-to-fix", tmp_path)
    lesson = course / "m1" / "01-lecon.md"
    lesson.write_bytes(b"\xef\xbb\xbf" + lesson.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["fix", str(course)]) == 0
    expected = (LINTS / "course-fixed" / "m1" / "01-lecon.md").read_bytes()
    assert lesson.read_bytes() == b"\xef\xbb\xbf" + expected.replace(b"\n", b"\r\n")


def test_fix_leaves_a_course_it_cannot_read_alone(tmp_path: Path):
    course = copy_fixture("course-to-fix", tmp_path)
    (course / "m1" / "module.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    before = sources(course)
    assert main(["fix", str(course)]) == 1
    assert sources(course) == before


def test_the_example_course_has_no_error_and_no_warning():
    reporter = Reporter()
    assert compile_course(REPO / "courses" / "exemple", Workspace(reporter)) is not None
    assert reporter.diagnostics == []


def copy_fixture(name: str, destination: Path) -> Path:
    return Path(shutil.copytree(LINTS / name, destination / name))


def sources(course: Path) -> dict[str, bytes]:
    return {path.relative_to(course).as_posix(): path.read_bytes() for path in sorted(course.rglob("*"))
            if path.is_file()}


def test_prose_after_a_reference_definition_is_still_checked():
    text = "Un mot : deux.\n\n[a]: https://exemple.org/x\n\nTrois mots : quatre.\n"
    found = lint_file(Path("lecon.md"), text, french=True)
    assert [(d.span.line, d.span.column, d.code.code) for d in found] == [(1, 7, "PC801"), (5, 11, "PC801")]


def test_yaml_the_compiler_refuses_is_linted_without_a_crash():
    """The lints run while the course is read, before its errors stop the build: odd YAML must not stop them."""
    for text in ("[a, b]: valeur : texte\n", "? {a: b}\n: texte\n", "x: " + "[" * 2000 + "]" * 2000 + "\n",
                 'a: "\\U00110000"\n'):
        assert isinstance(lint_file(Path("cours.yaml"), text, french=True), list), text[:20]
