"""Which files a rebuild reads again: those whose size or modification time changed, and those
changed so recently that a second change could have kept both (Git's "racy" files)."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from parcours.incremental import FileDigests, fingerprint

AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


def write(path: Path, text: str, mtime_ns: int | None = None) -> str:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return os.fspath(path)


def blake(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=20).digest()


def test_an_old_file_with_its_recorded_size_and_time_is_not_read_again(tmp_path: Path):
    path = write(tmp_path / "a.md", "premier", AN_HOUR_AGO)
    first = FileDigests()
    assert first.digest(path) == blake("premier") and path in first.stamps
    write(tmp_path / "a.md", "second!", AN_HOUR_AGO)  # same size, same time: the stamp stands
    assert FileDigests(first.stamps).digest(path) == blake("premier")
    write(tmp_path / "a.md", "changé encore", AN_HOUR_AGO)  # another size: read
    assert FileDigests(first.stamps).digest(path) == blake("changé encore")


def test_a_recently_changed_file_is_read_every_time(tmp_path: Path):
    now = time.time_ns()
    path = write(tmp_path / "a.md", "premier", now)
    first = FileDigests()
    assert first.digest(path) == blake("premier") and path not in first.stamps
    write(tmp_path / "a.md", "second!", now)  # same size and time, within the clock tick
    assert FileDigests(first.stamps).digest(path) == blake("second!")


def test_fingerprint_follows_linked_folders_once_and_survives_a_link_loop(tmp_path: Path):
    course = tmp_path / "course"
    (course / "module").mkdir(parents=True)
    write(course / "module" / "lecon.md", "texte", AN_HOUR_AGO)
    (course / "module" / "boucle").symlink_to(course, target_is_directory=True)
    shared = tmp_path / "shared"
    shared.mkdir()
    write(shared / "partage.md", "un", AN_HOUR_AGO)
    (course / "partage").symlink_to(shared, target_is_directory=True)
    before = fingerprint(course, ["olx"], FileDigests())
    write(shared / "partage.md", "deux", AN_HOUR_AGO)
    assert fingerprint(course, ["olx"], FileDigests()) != before
    assert fingerprint(course, ["olx", "scorm12"], FileDigests()) != fingerprint(course, ["olx"], FileDigests())


def test_a_file_replaced_by_a_link_to_the_same_bytes_changes_the_fingerprint(tmp_path: Path):
    course, elsewhere = tmp_path / "course", tmp_path / "elsewhere"
    (course / "module").mkdir(parents=True)
    elsewhere.mkdir()
    lesson = course / "module" / "lecon.md"
    write(lesson, "texte", AN_HOUR_AGO)
    write(elsewhere / "lecon.md", "texte", AN_HOUR_AGO)
    write(elsewhere / "autre.md", "texte", AN_HOUR_AGO)
    plain = fingerprint(course, ["olx"], FileDigests())
    lesson.unlink()
    lesson.symlink_to(elsewhere / "lecon.md")
    linked = fingerprint(course, ["olx"], FileDigests())
    lesson.unlink()
    lesson.symlink_to(elsewhere / "autre.md")
    assert len({plain, linked, fingerprint(course, ["olx"], FileDigests())}) == 3
    lesson.unlink()
    write(lesson, "texte", AN_HOUR_AGO)
    assert fingerprint(course, ["olx"], FileDigests()) == plain
