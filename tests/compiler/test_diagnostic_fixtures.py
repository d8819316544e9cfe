"""One mini course per diagnostic code: the minimal course, changed by a case, gives exact diagnostics.

A case is a folder of `fixtures/diagnostics/`: `files/` is laid over a copy of the minimal course,
`delete` lists files to remove, `previous-ids.json` stands for the previous build's ids.lock.json,
and `expected.txt` holds the exact diagnostics (as `parcours validate` prints them, without the
source excerpt). `make golden` is not needed: edit expected.txt by hand, it is the specification.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from parcours.diagnostics import Code
from tests.compiler.conftest import FIXTURES, copy_course, diagnostics_text

CASES = FIXTURES / "diagnostics"
CASE_NAMES = sorted(path.name for path in CASES.iterdir() if path.is_dir())


def apply_case(case: Path, course: Path) -> dict | None:
    if (case / "files").is_dir():
        shutil.copytree(case / "files", course, dirs_exist_ok=True)
    for line in (case / "delete").read_text().splitlines() if (case / "delete").exists() else ():
        (course / line.strip()).unlink()
    previous = case / "previous-ids.json"
    return json.loads(previous.read_text()) if previous.exists() else None


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case_gives_exactly_the_expected_diagnostics(name: str, tmp_path: Path) -> None:
    case = CASES / name
    course = copy_course("minimal", tmp_path)
    previous_ids = apply_case(case, course)
    assert diagnostics_text(course, previous_ids) == (case / "expected.txt").read_text(encoding="utf-8").rstrip("\n")


def test_the_minimal_course_is_clean(tmp_path: Path) -> None:
    assert diagnostics_text(copy_course("minimal", tmp_path)) == ""


def test_every_code_has_a_case() -> None:
    covered = set()
    for name in CASE_NAMES:
        covered |= set(re.findall(r"\[(PC\d{3})\]", (CASES / name / "expected.txt").read_text(encoding="utf-8")))
    assert {code.code for code in Code} - covered == set()

