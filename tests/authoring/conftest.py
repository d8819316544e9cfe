"""Shared helpers for the authoring tests: the `parcours` command, run in-process or as a program."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parcours.cli import main

ROOT = Path(__file__).resolve().parents[2]
PARCOURS = Path(sys.executable).with_name("parcours")


def run_parcours(*args: str | Path, cwd: Path | None = None, env: dict | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess:
    """`parcours ARGS` as a separate program (its own stdout, stderr and exit code)."""
    return subprocess.run([str(PARCOURS), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture
def new_course(tmp_path: Path) -> Path:
    """A course made by `parcours new course` (with its first module and lesson)."""
    course = tmp_path / "mon-cours"
    assert main(["new", "course", str(course), "--title", "Mon cours"]) == 0
    return course
