"""Stage 1: a file is read once, and refused when it holds a character Open edX XML cannot hold."""
from __future__ import annotations

from pathlib import Path

import pytest

from parcours.diagnostics import Code, Reporter
from parcours.project import Workspace


@pytest.mark.parametrize("character", [*"\x00\x01\x08\x0b\x0c\x0e\x1b\x1f", "\ufffe", "\uffff"])
def test_every_character_xml_cannot_hold_is_found_and_located(tmp_path: Path, character: str) -> None:
    path = tmp_path / "lesson.md"
    path.write_bytes(f"---\ntitle: Été\n---\nÀ{character}b\n".encode())
    reporter = Reporter()
    assert Workspace(reporter).read(path) is None
    (diagnostic,) = reporter.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == (Code.UNREADABLE, 4, 2)
    assert f"U+{ord(character):04X}" in diagnostic.message


def test_tabs_line_ends_and_every_other_character_are_read(tmp_path: Path) -> None:
    path = tmp_path / "lesson.md"
    path.write_bytes("\ufeffa\tb\r\nc\rd\n\x7f\x85\u2028\ud7ff\ue000\ufffd😀\n".encode())
    reporter = Reporter()
    assert Workspace(reporter).read(path) == "a\tb\nc\nd\n\x7f\x85\u2028\ud7ff\ue000\ufffd😀\n"
    assert reporter.diagnostics == []
