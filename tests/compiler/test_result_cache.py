"""The build cache between builds: new results go to a journal, the cache file is rewritten only
once much of it is unused, and damage anywhere only costs a rebuild of what was lost."""
from __future__ import annotations

from pathlib import Path

from parcours.cache import ResultCache

CACHE_FILE = "results.pickle"


def saved(path: Path, entries: dict[str, str], used: list[str] | None = None) -> ResultCache:
    cache = ResultCache.load(path)
    for key in used or []:
        cache.get(key)
    for key, value in entries.items():
        cache.put(key, value)
    cache.save()
    return cache


def test_a_rebuild_appends_its_new_results_to_the_journal(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    saved(path, {f"k{i}": f"v{i}" for i in range(8)})
    first = path.read_bytes()
    saved(path, {"k8": "v8"}, used=[f"k{i}" for i in range(8)])
    assert path.read_bytes() == first and path.with_suffix(".journal").is_file()
    assert ResultCache.load(path).entries == {f"k{i}": f"v{i}" for i in range(9)}


def test_the_cache_is_rewritten_without_unused_results_once_a_quarter_is_unused(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    saved(path, {f"k{i}": f"v{i}" for i in range(8)})
    saved(path, {"new": "x"}, used=["k0", "k1", "k2", "k3", "k4"])  # 3 unused of 6 used: rewrite
    assert not path.with_suffix(".journal").exists()
    assert ResultCache.load(path).entries == {"k0": "v0", "k1": "v1", "k2": "v2", "k3": "v3", "k4": "v4", "new": "x"}


def test_a_damaged_journal_keeps_what_was_read_before_the_damage(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    saved(path, {"a": "1", "b": "2"})
    saved(path, {"c": "3"}, used=["a", "b"])
    with path.with_suffix(".journal").open("ab") as journal:
        journal.write(b"\x80\x04\x95cut short")
    assert ResultCache.load(path).entries == {"a": "1", "b": "2", "c": "3"}


def test_a_damaged_cache_file_is_replaced_by_the_next_save(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    saved(path, {"a": "1"})
    path.write_bytes(b"\x80\x04\x95garbage")
    assert ResultCache.load(path).entries == {}
    saved(path, {"b": "2"})
    assert ResultCache.load(path).entries == {"b": "2"}
