"""Source files and positions: what every diagnostic and every tree node points back to."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Span:
    """A place in a source file; lines and columns are 1-based, like editors and compilers."""

    file: Path
    line: int = 1
    column: int = 1

    def shifted(self, lines: int = 0, columns: int = 0) -> Span:
        """The same place seen from a file in which this text starts `lines` lines further down."""
        return Span(self.file, self.line + lines, self.column + columns)

    def display(self, root: Path | None = None) -> str:
        return f"{display_path(self.file, root)}:{self.line}:{self.column}"


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as authors see it: relative to the working directory when it lies below it."""
    base = root or Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
