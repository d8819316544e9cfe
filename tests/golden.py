"""Golden outputs: fixture courses built, compared file by file with tests/golden/<case>/.

`make golden` (python -m tests.golden) rewrites them after an intended change; review the diff.
Each case stores the typed-tree dump (`tree.txt`) and the whole OLX folder (`olx/`).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from parcours.cli import main
from parcours.diagnostics import Reporter
from parcours.model.dump import dump_tree
from parcours.pipeline import compile_course
from parcours.project import Workspace
from tests.support.packages import unpack

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
CASES = {"minimal": HERE / "compiler" / "fixtures" / "courses" / "minimal",
         "exemple": HERE.parent / "courses" / "exemple"}


def render_case(source: Path) -> dict[str, bytes]:
    """Relative path → bytes of everything a golden case holds."""
    course = compile_course(source, Workspace(Reporter()))
    files = {"tree.txt": dump_tree(course, source).encode()}
    with tempfile.TemporaryDirectory() as tmp:
        if main(["build", str(source), "-o", tmp, "-q"]) != 0:
            raise SystemExit(f"{source} does not build")
        package = unpack(Path(tmp) / source.name / "olx" / "course.tar.gz", Path(tmp) / "unpacked")
        files |= {f"olx/{p.relative_to(package).as_posix()}": p.read_bytes()
                  for p in sorted(package.rglob("*")) if p.is_file()}
    return files


def read_case(name: str) -> dict[str, bytes]:
    folder = GOLDEN / name
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def regenerate() -> None:
    for name, source in CASES.items():
        shutil.rmtree(GOLDEN / name, ignore_errors=True)
        for relative, data in render_case(source).items():
            target = GOLDEN / name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        print(f"wrote {GOLDEN / name}", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
