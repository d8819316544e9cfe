"""Shared helpers for the compiler tests: fixture courses copied to a temporary folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parcours.diagnostics import Reporter, format_text
from parcours.pipeline import compile_course
from parcours.project import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
COURSES = FIXTURES / "courses"


def copy_course(name: str, destination: Path) -> Path:
    target = destination / name
    shutil.copytree(COURSES / name, target)
    return target


def diagnostics_text(course_dir: Path, previous_ids: dict | None = None) -> str:
    """Every diagnostic of a validation, as authors read them (without excerpts), paths relative."""
    reporter = Reporter()
    compile_course(course_dir, Workspace(reporter), previous_ids)
    return "\n".join(format_text(d, root=course_dir) for d in reporter.sorted())


@pytest.fixture
def minimal_course(tmp_path: Path) -> Path:
    return copy_course("minimal", tmp_path)
