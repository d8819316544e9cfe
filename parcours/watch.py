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


def snapshot(folder: Path, ignored: Sequence[Path] = (), also: Iterable[str] = ()) -> Snapshot:
    """Modification time and size of every source file of `folder`, and of the files `also` names (the
    last build read them, though a hidden name leaves them out); none under an `ignored` folder
    (where builds write, when it lies in the course, even through a link: writing it is no change)."""
    found = {}
    for path in {*source_files(os.fspath(folder), [os.path.realpath(folder) for folder in ignored]), *also}:
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
        self.also: tuple[str, ...] = ()  # files the last build read that the folder's listing leaves out
        self.seen = snapshot(folder, self.ignored)

    def changed(self) -> bool:
        """Whether any file changed, appeared or went since the last look (taken now)."""
        now = snapshot(self.folder, self.ignored, self.also)
        changed, self.seen = now != self.seen, now
        return changed
