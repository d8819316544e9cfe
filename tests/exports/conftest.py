"""Partner packages built once per test session: the example course and the fixture course with
every kind of content (lessons, each question type, a self-assessment, a case study)."""
from __future__ import annotations

from pathlib import Path

import pytest

from parcours.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
COURSES = {"exemple": REPO / "courses" / "exemple", "partenaire": FIXTURES / "partenaire"}
FORMATS = "olx,scorm12,cc13"


def build(source: Path, output: Path, formats: str = FORMATS) -> Path:
    """Build `source` into `output`, packages' folders included; the course's output folder."""
    assert main(["build", str(source), "-o", str(output), "-q", "--strict", "--unpacked", "-f", formats]) == 0
    return output / source.name


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """Course name → its build folder (build/<course>/ with one folder per format)."""
    output = tmp_path_factory.mktemp("exports")
    return {name: build(source, output) for name, source in COURSES.items()}
