"""Spread independent work (rendering, linting) over the machine's cores.

Worker processes are forked, so they start with the compiler already imported; small jobs stay in
this process, where starting workers would cost more than it saves. While the workers work, this
process can do other work of its own (`meanwhile`): with two cores, it would otherwise only wait.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 100
_workers_busy = False  # set while a pool's workers run: work given meanwhile stays in this process


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parallel_map(func: Callable[[Item], Result], items: Sequence[Item],
                 initializer: Callable[..., Any] | None = None, initargs: Iterable[Any] = (),
                 min_per_worker: int = MIN_ITEMS_PER_WORKER,
                 meanwhile: Callable[[], Any] | None = None) -> list[Result]:
    """`[func(item) for item in items]`, on every core when each worker gets `min_per_worker` items.

    `meanwhile()` runs in this process while the workers work (first, when there are none); a
    `parallel_map` it calls runs in this process, as the cores are taken.
    """
    global _workers_busy
    count = min(workers(), len(items) // min_per_worker)
    if count < 2 or _workers_busy or "fork" not in multiprocessing.get_all_start_methods():
        if meanwhile:
            meanwhile()
        if initializer:
            initializer(*initargs)
        return [func(item) for item in items]
    context = multiprocessing.get_context("fork")
    gc.freeze()  # forked workers would otherwise copy every page the collector touches
    try:
        with ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker,
                                 initargs=(initializer, tuple(initargs))) as pool:
            try:
                results = pool.map(func, items, chunksize=max(1, len(items) // (count * 8)))
                _workers_busy = True
                try:
                    if meanwhile:
                        meanwhile()
                finally:
                    _workers_busy = False
                return list(results)
            except BaseException:  # an error, or Ctrl+C: what is still queued is not wanted
                pool.shutdown(cancel_futures=True)
                raise
    finally:
        gc.unfreeze()


def _start_worker(initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """Ctrl+C is for this process, which stops the pool: a worker that took it too could leave the
    pool waiting for it forever. A worker ends on SIGTERM, whatever this process does with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer:
        initializer(*initargs)


class BackgroundProcess:
    """One worker process for work handed over while this process goes on with its own (`submit`),
    started with the first piece of work. None of it runs elsewhere on a single core (or without
    fork): `submit` then returns None and the work stays with the caller. Close it before forking
    again (a fork beside its manager thread could copy a held lock)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self.available = workers() >= 2 and "fork" in multiprocessing.get_all_start_methods()

    def submit(self, func: Callable[..., Result], *args: Any) -> Future | None:
        if not self.available:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_start_worker, initargs=(None, ()))
            gc.freeze()  # the process is forked by this first submit
            try:
                return self._pool.submit(func, *args)
            finally:
                gc.unfreeze()
        return self._pool.submit(func, *args)

    def close(self) -> None:
        """Stop the process once its current work is done; what it has not started is cancelled."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
