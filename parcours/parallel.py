"""Spread independent work (rendering, linting) over the machine's cores.

Worker processes are forked, so they start with the compiler already imported; small jobs stay in
this process, where starting workers would cost more than it saves.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 100


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parallel_map(func: Callable[[Item], Result], items: Sequence[Item],
                 initializer: Callable[..., Any] | None = None, initargs: Iterable[Any] = (),
                 min_per_worker: int = MIN_ITEMS_PER_WORKER) -> list[Result]:
    """`[func(item) for item in items]`, on every core when each worker gets `min_per_worker` items."""
    count = min(workers(), len(items) // min_per_worker)
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        if initializer:
            initializer(*initargs)
        return [func(item) for item in items]
    context = multiprocessing.get_context("fork")
    gc.freeze()  # forked workers would otherwise copy every page the collector touches
    try:
        with ProcessPoolExecutor(count, mp_context=context, initializer=initializer,
                                 initargs=tuple(initargs)) as pool:
            return list(pool.map(func, items, chunksize=max(1, len(items) // (count * 8))))
    finally:
        gc.unfreeze()
