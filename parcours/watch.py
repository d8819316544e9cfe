"""Noticing that a course's sources changed: what `parcours build --watch` and the preview rebuild on.

The files' sizes and modification times are compared a few times a second: no dependency, every
platform, and a course of a thousand files is listed in a few milliseconds. The files are those the
build's fingerprint covers (linked folders followed, hidden files left out), so a change that would
make a build do anything is seen, and nothing else is.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from parcours.incremental import source_files

POLL_SECONDS = 0.1

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path, ignored: Sequence[Path] = ()) -> Snapshot:
    """Modification time and size of every source file of `folder`; none under an `ignored` folder
    (where builds write, when it lies in the course, even through a link: writing it is no change)."""
    return _stamps(_listing(folder, ignored))


def _listing(folder: Path, ignored: Sequence[Path]) -> list[str]:
    return source_files(os.fspath(folder), [os.path.realpath(folder) for folder in ignored])


def _stamps(paths: Iterable[str]) -> Snapshot:
    found = {}
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:  # removed since it was listed
            continue
        found[path] = (status.st_mtime_ns, status.st_size)
    return found


class Watcher:
    """A folder and its files as they were when last looked at."""

    def __init__(self, folder: Path, ignored: Sequence[Path] = ()) -> None:
        self.folder, self.ignored = folder, ignored
        self.listed = _listing(folder, ignored)
        self.also: tuple[str, ...] = ()  # files the last build read that the listing leaves out
        self.seen = _stamps(self.listed)

    def read_by_last_build(self, paths: Iterable[str]) -> None:
        """Watch too the files a build read that the folder's listing leaves out (a unit listed under a
        hidden name)."""
        listed = set(self.listed)
        self.also = tuple(path for path in paths if path not in listed)

    def changed(self) -> bool:
        """Whether any file changed, appeared or went since the last look (taken now)."""
        self.listed = _listing(self.folder, self.ignored)
        now = _stamps(dict.fromkeys([*self.listed, *self.also]))
        changed, self.seen = now != self.seen, now
        return changed
