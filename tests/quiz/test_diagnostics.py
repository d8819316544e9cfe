"""The parser refuses every malformed problem with exact positions and a hint (fixtures/diagnostics.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from parcours.diagnostics import Diagnostic
from parcours.quiz import parse_problem
from tests.quiz.fixture_file import read_fixture_file

LESSON = Path("module/lesson.md")
CASES = read_fixture_file("diagnostics.md")


def describe(diagnostic: Diagnostic) -> str:
    """`line:col: error[PC601]: message`, then the hint and the related places, as fixtures write them."""
    span = diagnostic.span
    lines = [f"{span.line}:{span.column}: {diagnostic.level.label}[{diagnostic.code.code}]: {diagnostic.message}"]
    lines += [f"  = note: first here: {related.line}:{related.column}" for related in diagnostic.related]
    if diagnostic.hint:
        lines.append(f"  = hint: {diagnostic.hint}")
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_diagnostics(case):
    problem, diagnostics = parse_problem(case.input, file=LESSON, first_line=1)
    assert problem is None
    assert all(diagnostic.span.file == LESSON for diagnostic in diagnostics)
    assert "".join(describe(diagnostic) + "\n" for diagnostic in diagnostics) == case.expected


def test_positions_count_from_the_first_line_of_the_body():
    _, at_top = parse_problem("(x) Oui\n", file=LESSON, first_line=1)
    _, further_down = parse_problem("(x) Oui\n", file=LESSON, first_line=42)
    assert [(d.span.line, d.span.column) for d in at_top] == [(1, 1)]
    assert [(d.span.line, d.span.column) for d in further_down] == [(42, 1)]
