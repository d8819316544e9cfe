"""A build cache: results of pure steps (rendering a text, linting a file), keyed by a hash of
everything they depend on, kept between builds in build/<course>/.cache/ so a rebuild only redoes
what changed. A cache that can't be read is ignored: it only ever saves time.

A rebuild usually adds a few results to many: they are appended to a journal next to the cache
file, and the whole cache is rewritten, without what the last build did not use, only once that
is worth its time.

A process that builds again and again (`parcours build --watch`, the preview) also keeps, in memory
only, what each stage made of the tree's objects: the nodes of an unchanged file are the very same
objects from one build to the next, so a stage can reuse its result for them by identity."""
from __future__ import annotations

import gc
import hashlib
import pickle
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

from parcours.incremental import code_digest

T = TypeVar("T")


@cache
def _toolchain() -> bytes:
    """What every cached result also depends on: the code of the compiler and its plugins, and
    the libraries that shape the output. Any change to one of them empties the cache."""
    return f"{code_digest()} Markdown {version('Markdown')} nh3 {version('nh3')}".encode()


def digest(*parts: str) -> str:
    hasher = hashlib.blake2b(_toolchain(), digest_size=20)
    for part in parts:
        hasher.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


@dataclass
class ResultCache:
    path: Path | None = None  # None: in memory only
    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    fresh: set[str] = field(default_factory=set)  # put since the last save
    memos: dict[str, IdentityMemo] = field(default_factory=dict)  # never saved
    frozen: bool = False  # loaded with the collector's objects frozen, until `save`

    @classmethod
    def load(cls, path: Path | None) -> ResultCache:
        if path is None:
            return cls()
        gc.disable()  # unpickling allocates thousands of objects, none of them garbage
        try:
            entries = _read(path)
            entries.update(_read_journal(_journal(path)))
        except Exception:  # no cache yet, or damage: unpickling can raise almost anything
            path.unlink(missing_ok=True)  # so that this build's save writes a whole new one
            return cls(path)
        finally:
            gc.enable()
        # What was read lives as long as the build: until `save`, no collection walks it again (a full
        # one walks every object, and a large course's cache holds hundreds of thousands). Garbage
        # waiting for a collection now is frozen too, and collected once unfrozen.
        gc.freeze()
        return cls(path, entries, frozen=True)

    def get(self, key: str) -> Any:
        if key in self.entries:
            self.used.add(key)
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.fresh.add(key)

    def memo(self, name: str) -> IdentityMemo:
        """The in-memory results of one stage, by the identity of the objects they were made of."""
        if name not in self.memos:
            self.memos[name] = IdentityMemo(self)
        return self.memos[name]

    def save(self) -> None:
        """End of a build. Append its new results to the journal; once a quarter of the cache is unused,
        keep only what this build used, rewritten whole, so it never grows far past one course's worth.
        The next build of the same process starts counting afresh."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
        for memo in self.memos.values():
            memo.prune()
        whole = len(self.entries) - len(self.used) > len(self.used) // 4
        whole |= self.path is not None and not self.path.is_file()
        if whole:
            self.entries = {key: self.entries[key] for key in sorted(self.used) if key in self.entries}
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if whole:
                self._rewrite()
            elif self.fresh:
                with _journal(self.path).open("ab") as file:
                    pickle.dump({key: self.entries[key] for key in sorted(self.fresh)}, file,
                                pickle.HIGHEST_PROTOCOL)
        self.used, self.fresh = set(), set()

    def _rewrite(self) -> None:
        staging = self.path.with_suffix(".tmp")
        with staging.open("wb") as file:
            pickle.dump(self.entries, file, pickle.HIGHEST_PROTOCOL)
        staging.replace(self.path)
        _journal(self.path).unlink(missing_ok=True)


class IdentityMemo:
    """Results by the identity of some objects (frozen tree nodes) and a context of plain values.

    The objects are kept alive with their result, so their ids are never reused while it is stored.
    A result made from entries of the build cache names their keys: a build that reuses the result
    uses them too, and they stay in the cache. `prune` forgets what was not asked for since the last
    prune.
    """

    def __init__(self, cache: ResultCache) -> None:
        self._cache = cache
        self._entries: dict[tuple, tuple[tuple, Any, tuple[str, ...]]] = {}
        self._asked: set[tuple] = set()

    def lookup(self, objects: tuple, context: Hashable = None) -> Any:
        key = (tuple(map(id, objects)), context)
        entry = self._entries.get(key)
        if entry is None or any(a is not b for a, b in zip(entry[0], objects, strict=True)):
            return None
        self._asked.add(key)
        self._cache.used.update(entry[2])
        return entry[1]

    def put(self, objects: tuple, value: Any, context: Hashable = None, cache_keys: tuple[str, ...] = ()) -> None:
        key = (tuple(map(id, objects)), context)
        self._entries[key] = (objects, value, cache_keys)
        self._asked.add(key)

    def get(self, objects: tuple, make: Callable[..., T], context: Hashable = None) -> T:
        """The result for `objects` in `context`, made by `make(*objects)` when there is none."""
        value = self.lookup(objects, context)
        if value is None:
            value = make(*objects)
            self.put(objects, value, context)
        return value

    def prune(self) -> None:
        self._entries = {key: entry for key, entry in self._entries.items() if key in self._asked}
        self._asked = set()


def _journal(path: Path) -> Path:
    return path.with_suffix(".journal")


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return pickle.load(file)


def _read_journal(path: Path) -> dict[str, Any]:
    """Every batch of the journal up to its end, or up to a damaged batch (a write cut short)."""
    entries: dict[str, Any] = {}
    try:
        with path.open("rb") as file:
            while True:
                entries.update(pickle.load(file))
    except Exception:  # no journal, its end (EOFError), or damage: what was read stands
        pass
    return entries
