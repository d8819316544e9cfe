"""Skipping a build whose inputs have not changed since the last successful one.

The fingerprint covers every file of the course folder, the build's options (formats…), and the code that
turns them into packages (the compiler and every plugin it may load), so any change that could
alter a package triggers a real build. The diagnostics of that last build are kept and shown again.
"""
from __future__ import annotations

import hashlib
import pickle
from functools import cache
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

from parcours.diagnostics import Diagnostic

PLUGIN_GROUPS = ("parcours.emitters", "parcours.blocks", "parcours.pages")


def fingerprint(course_dir: Path, options: list[str]) -> str:
    hasher = hashlib.blake2b(",".join(options).encode(), digest_size=20)
    hasher.update(code_digest().encode())
    _hash_files(hasher, course_dir.resolve())
    return hasher.hexdigest()


@cache
def code_digest() -> str:
    """A digest of the code of the compiler and of every registered plugin."""
    hasher = hashlib.blake2b(digest_size=20)
    for folder in _code_folders():
        _hash_files(hasher, folder)
    return hasher.hexdigest()


def _hash_files(hasher, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and "__pycache__" not in path.parts:
            hasher.update(b"\0" + str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())


def _code_folders() -> list[Path]:
    """The package folders of the compiler and of every registered plugin."""
    packages = {"parcours"} | {ep.value.split(":")[0].split(".")[0] for group in PLUGIN_GROUPS
                               for ep in entry_points(group=group)}
    folders = set()
    for package in sorted(packages):
        spec = find_spec(package)
        if spec and spec.submodule_search_locations:
            folders.update(Path(location) for location in spec.submodule_search_locations)
    return sorted(folders)


def previous_result(state: Path, current: str) -> list[Diagnostic] | None:
    """The diagnostics of the last build if it had exactly these inputs, else None."""
    try:
        with state.open("rb") as file:
            saved, diagnostics = pickle.load(file)
    except Exception:  # a damaged state file only means a full build
        return None
    return diagnostics if saved == current else None


def record_result(state: Path, current: str, diagnostics: list[Diagnostic]) -> None:
    state.parent.mkdir(parents=True, exist_ok=True)
    staging = state.with_suffix(".tmp")
    with staging.open("wb") as file:
        pickle.dump((current, diagnostics), file, pickle.HIGHEST_PROTOCOL)
    staging.replace(state)
