"""A build cache: results of pure steps (rendering a text, linting a file), keyed by a hash of
everything they depend on, kept between builds in build/<course>/.cache/ so a rebuild only redoes
what changed. A cache that can't be read is ignored: it only ever saves time.

A rebuild usually adds a few results to many: they are appended to a journal next to the cache
file, and the whole cache is rewritten, without what the last build did not use, only once that
is worth its time."""
from __future__ import annotations

import gc
import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from parcours.incremental import code_digest


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
        return cls(path, entries)

    def get(self, key: str) -> Any:
        if key in self.entries:
            self.used.add(key)
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.fresh.add(key)

    def save(self) -> None:
        """Append this build's new results to the journal; rewrite the cache with only what this build
        used once a quarter of it is unused, so it never grows far past one course's worth."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if len(self.entries) - len(self.used) > len(self.used) // 4 or not self.path.is_file():
            self._rewrite()
        elif self.fresh:
            with _journal(self.path).open("ab") as file:
                pickle.dump({key: self.entries[key] for key in sorted(self.fresh)}, file, pickle.HIGHEST_PROTOCOL)
        self.fresh.clear()

    def _rewrite(self) -> None:
        staging = self.path.with_suffix(".tmp")
        with staging.open("wb") as file:
            pickle.dump({key: self.entries[key] for key in sorted(self.used)}, file, pickle.HIGHEST_PROTOCOL)
        staging.replace(self.path)
        _journal(self.path).unlink(missing_ok=True)


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
