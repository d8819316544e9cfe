"""Skipping a build whose inputs have not changed since the last successful one.

The fingerprint covers every file of the course folder, the build's options (formats…), and the code
that turns them into packages (the compiler and every plugin it may load), so any change that could
alter a package triggers a real build. The diagnostics of that last build are kept and shown again.

As Git's index does, a file whose size and modification time are those recorded last time is not
read again: its recorded digest stands. A file modified shortly before it was recorded is read every
time, since a second change within the file system's clock tick could leave its time unchanged.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from parcours.diagnostics import Diagnostic
from parcours.i18n import language
from parcours.plugins import registered
from parcours.project import settled

PLUGIN_GROUPS = ("parcours.emitters", "parcours.blocks", "parcours.pages")


Stamp = tuple[int, int, bytes]  # a file's size, modification time (ns) and digest


class FileDigests:
    """The digests of one run's files, from the stamps of the last run where they still hold."""

    def __init__(self, previous: dict[str, Stamp] | None = None) -> None:
        self.previous = previous or {}
        self.stamps: dict[str, Stamp] = {}  # what the next run may trust
        self.seen: dict[str, bytes] = {}  # this run's digests, by path
        self.started_ns = time.time_ns()

    def digest(self, path: str) -> bytes:
        if path in self.seen:
            return self.seen[path]
        status = os.stat(path)
        stamp = self.previous.get(path)
        if stamp is None or stamp[:2] != (status.st_size, status.st_mtime_ns):
            with open(path, "rb") as file:
                stamp = (status.st_size, status.st_mtime_ns, hashlib.blake2b(file.read(), digest_size=20).digest())
        if settled(status, self.started_ns):  # else: read again next time
            self.stamps[path] = stamp
        self.seen[path] = stamp[2]
        return stamp[2]


def fingerprint(course_dir: Path, options: list[str], digests: FileDigests, read: Iterable[str] = ()) -> str:
    """`read`: the files the last build read. The course folder's files cover them, but for one a
    hidden name leaves out (a lesson listed as `.brouillon.md`): it is hashed too."""
    hasher = hashlib.blake2b(",".join(options).encode(), digest_size=20)
    hasher.update(code_digest(digests).encode())
    hasher.update(language().encode())  # the build's diagnostics are kept, in the author's language
    root = course_dir.resolve()
    hasher.update(os.fspath(root).encode("utf-8", "surrogateescape"))  # and they name their files in full
    _hash_files(hasher, root, digests, read)
    return hasher.hexdigest()


_code_digest: str | None = None


def code_digest(digests: FileDigests | None = None) -> str:
    """A digest of the code of the compiler and of every registered plugin, computed once per process."""
    global _code_digest
    if _code_digest is None:
        hasher = hashlib.blake2b(digest_size=20)
        for folder in _code_folders():
            _hash_files(hasher, folder, digests or FileDigests())
        _code_digest = hasher.hexdigest()
    return _code_digest


def _hash_files(hasher, folder: Path, digests: FileDigests, also: Iterable[str] = ()) -> None:
    """Every file under `folder` but hidden files and byte-code caches, and the files `also` names that
    are still there, by path relative to `folder`, content and, for a file reached through a link,
    where it really is: a file replaced by a link to the same bytes elsewhere is not the same input
    (outside the course folder, it may not be published)."""
    root = os.fspath(folder)
    real_folders: dict[str, str] = {}
    for path in sorted(set(source_files(root)).union(path for path in also if os.path.isfile(path))):
        hasher.update(b"\0" + os.path.relpath(path, root).encode("utf-8", "surrogateescape") + b"\0")
        hasher.update(digests.digest(path))
        parent = os.path.dirname(path)
        if parent not in real_folders:
            real_folders[parent] = os.path.realpath(parent)
        if real_folders[parent] != parent or os.path.islink(path):
            hasher.update(b"\1" + os.path.realpath(path).encode("utf-8", "surrogateescape"))


def source_files(root: str, excluded: Sequence[str] = ()) -> list[str]:
    """Every file under `root` but hidden files and byte-code caches. Linked folders are followed
    (a module may be shared that way), each real folder once: a link back to a parent ends there
    instead of looping. Nothing under an `excluded` folder (a real path), however it is reached."""
    found, visited = [], set()
    for folder, subfolders, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited or any(real == out or real.startswith(out + os.sep) for out in excluded):
            subfolders.clear()
            continue
        visited.add(real)
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        found += [os.path.join(folder, name) for name in names if not name.startswith(".")]
    return [path for path in found if os.path.isfile(path)]


def _code_folders() -> list[Path]:
    """The package folders of the compiler and of every registered plugin."""
    packages = {"parcours"} | {ep.value.split(":")[0].split(".")[0] for group in PLUGIN_GROUPS
                               for ep in registered(group)}
    folders = set()
    for package in sorted(packages):
        spec = find_spec(package)
        if spec and spec.submodule_search_locations:
            folders.update(Path(location) for location in spec.submodule_search_locations)
    return sorted(folders)


@dataclass
class BuildState:
    """What the last successful build of a course left: its fingerprint, its diagnostics, the stamps
    of its files, the files it read."""

    fingerprint: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    read: tuple[str, ...] = ()  # the files the build read that its folder's files leave out (see `fingerprint`)
    shown: tuple[str, ...] = ()  # the files whose lines its diagnostics showed

    @classmethod
    def load(cls, path: Path) -> BuildState:
        """The saved state, or an empty one: a damaged state file only means a full build."""
        try:
            with path.open("rb") as file:
                state = pickle.load(file)
        except Exception:  # unpickling a damaged file can raise almost anything
            return cls()
        return state if isinstance(state, cls) else cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(".tmp")
        with staging.open("wb") as file:
            pickle.dump(self, file, pickle.HIGHEST_PROTOCOL)
        staging.replace(path)
