"""Fixture files in the markdown-it / MyST style: blocks of `title`, `.`, input, `.`, expected, `.`.

One file holds many cases; a case's line number in the file names it in test ids and failures.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class FixtureCase:
    title: str
    input: str
    expected: str
    line: int  # of the title, 1-based

    @property
    def id(self) -> str:
        return f"{self.line}-{self.title}"


def read_fixture_file(name: str) -> list[FixtureCase]:
    """The cases of `fixtures/<name>`; each part keeps its final newline, a lone `.` ends it."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines(keepends=True)
    cases: list[FixtureCase] = []
    given = ""
    part = "title"  # what the next `.` line ends
    title_line = start = 0
    for index, line in enumerate(lines):
        if line.rstrip("\n") != ".":
            continue
        if part == "title":
            title_line, part = index - 1, "input"
        elif part == "input":
            given, part = "".join(lines[start:index]), "expected"
        else:
            expected = "".join(lines[start:index])
            cases.append(FixtureCase(lines[title_line].strip(), given, expected, title_line + 1))
            part = "title"
        start = index + 1
    return cases
