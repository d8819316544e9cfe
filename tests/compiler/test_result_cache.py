"""The build cache between builds: new results go to a journal, the cache file is rewritten only
once much of it is unused, and damage anywhere only costs a rebuild of what was lost."""
from __future__ import annotations

import gc
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


def test_a_process_that_builds_again_keeps_one_build_worth_of_results(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    cache = saved(path, {f"k{i}": f"v{i}" for i in range(8)})
    for key in ("k0", "k1"):  # the next build of the same process uses two results
        cache.get(key)
    cache.put("new", "x")
    cache.save()
    assert set(cache.entries) == {"k0", "k1", "new"}  # in memory too, not only on disk
    assert ResultCache.load(path).entries == {"k0": "v0", "k1": "v1", "new": "x"}


class Node:
    """A stand-in for a frozen tree node: equal to any other, so only identity tells them apart."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node)

    __hash__ = object.__hash__


def test_a_memo_answers_for_the_very_same_objects_in_the_same_context_only():
    memo = ResultCache().memo("stage")
    node, twin = Node(), Node()
    made = []
    assert memo.get((node,), lambda n: made.append(n) or "result", context="a") == "result"
    assert memo.get((node,), lambda n: made.append(n) or "other", context="a") == "result"
    assert memo.lookup((twin,), context="a") is None  # equal is not the same
    assert memo.lookup((node,), context="b") is None
    assert memo.lookup((node, node), context="a") is None
    assert made == [node]


def test_a_memo_forgets_what_a_build_did_not_ask_for():
    cache = ResultCache()
    memo = cache.memo("stage")
    kept, dropped = Node(), Node()
    memo.put((kept,), "kept")
    memo.put((dropped,), "dropped")
    cache.save()  # the end of a build that made both
    assert memo.lookup((kept,)) == "kept"  # the next build asks for one only
    cache.save()
    assert memo.lookup((kept,)) == "kept" and memo.lookup((dropped,)) is None


def test_a_result_reused_from_a_memo_keeps_the_cache_entries_it_was_made_of(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    cache = saved(path, {"text": "rendered", "other": "x"})
    node = Node()
    cache.memo("stage").put((node,), cache.get("text").replace("rendered", "unit"), cache_keys=("text",))
    cache.save()
    assert cache.memo("stage").lookup((node,)) == "unit"  # the next build reuses the unit whole
    cache.save()
    assert ResultCache.load(path).entries == {"text": "rendered"}


def test_a_loaded_cache_is_kept_out_of_collections_until_the_build_saves(tmp_path: Path):
    path = tmp_path / CACHE_FILE
    saved(path, {"a": "1"})
    gc.unfreeze()
    cache = ResultCache.load(path)
    try:
        assert gc.get_freeze_count() > 0
        cache.save()
        assert gc.get_freeze_count() == 0  # garbage frozen with it can be collected again
    finally:
        gc.unfreeze()
