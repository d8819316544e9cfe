"""A build cache: results of pure steps (rendering a text, linting a file), keyed by a hash of
everything they depend on, kept between builds in build/<course>/.cache/ so a rebuild only redoes
what changed. A cache that can't be read is ignored: it only ever saves time."""
from __future__ import annotations

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

    @classmethod
    def load(cls, path: Path | None) -> ResultCache:
        try:
            with path.open("rb") as file:
                return cls(path, pickle.load(file))
        except Exception:  # any damage to the file: unpickling can raise almost anything
            return cls(path)

    def get(self, key: str) -> Any:
        if key in self.entries:
            self.used.add(key)
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)

    def save(self) -> None:
        """Keep only what this build used, so the cache never grows past one course's worth."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_suffix(".tmp")
        with staging.open("wb") as file:
            pickle.dump({key: self.entries[key] for key in sorted(self.used)}, file, pickle.HIGHEST_PROTOCOL)
        staging.replace(self.path)
