"""Stage 1: a file is read once, and refused when it holds a character Open edX XML cannot hold."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from parcours.diagnostics import Code, Reporter
from parcours.project import KeptTexts, Workspace


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


AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


def _write(path: Path, text: str, mtime_ns: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_a_process_that_builds_again_gets_an_unchanged_file_s_very_text_without_reading_it(tmp_path: Path) -> None:
    path, kept = tmp_path / "lesson.md", KeptTexts()
    _write(path, "premier", AN_HOUR_AGO)
    first = Workspace(Reporter(), kept=kept).read(path)
    _write(path, "PREMIER", AN_HOUR_AGO)  # same size, same time: not read again
    assert Workspace(Reporter(), kept=kept).read(path) is first
    _write(path, "changé encore", AN_HOUR_AGO)  # another size: read
    assert Workspace(Reporter(), kept=kept).read(path) == "changé encore"
    assert Workspace(Reporter()).read(path) == "changé encore"  # without kept texts, read as always


def test_a_file_changed_just_before_the_build_is_read_again_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    path, kept = tmp_path / "lesson.md", KeptTexts()
    _write(path, "premier", time.time_ns() - 500_000_000)
    Workspace(Reporter(), kept=kept).read(path)
    stamp = path.stat()
    path.write_text("PREMIER", encoding="utf-8")  # within the clock tick: the same size and time
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert Workspace(Reporter(), kept=kept).read(path) == "PREMIER"


def test_a_text_read_just_after_a_save_is_not_kept_for_later_builds(tmp_path: Path) -> None:
    path, kept = tmp_path / "lesson.md", KeptTexts()
    saved_ns = time.time_ns()
    _write(path, "Version AAAA", saved_ns)
    assert Workspace(Reporter(), kept=kept).read(path) == "Version AAAA"
    _write(path, "Version BBBB", saved_ns)  # saved again within the clock tick: same size, same time
    later = Workspace(Reporter(), kept=kept, started_ns=saved_ns + 3 * 10**9)  # a build seconds later
    assert later.read(path) == "Version BBBB"


def test_a_build_forgets_the_texts_of_files_it_did_not_read(tmp_path: Path) -> None:
    kept, gone, stays = KeptTexts(), tmp_path / "renamed.md", tmp_path / "lesson.md"
    for path in (gone, stays):
        _write(path, path.name, AN_HOUR_AGO)
    first = Workspace(Reporter(), kept=kept)
    first.read(gone), first.read(stays)
    Workspace(Reporter(), kept=kept).read(stays)  # the next build reads one of them only
    Workspace(Reporter(), kept=kept)
    assert set(kept.texts) == {stays}
