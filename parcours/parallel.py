"""Spread independent work (rendering, linting) over the machine's cores.

Worker processes are forked, so they start with the compiler already imported; small jobs stay in
this process, where starting workers would cost more than it saves. A background process takes
work this process hands over while it goes on with its own (linting while the course is read).
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from parcours.interrupts import STOPPING, held

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
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
                             initargs=(initializer, tuple(initargs))) as pool:
        try:
            with _forking():
                results = pool.map(func, items, chunksize=max(1, len(items) // (count * 8)))
            return list(results)
        except BaseException:  # an error, or Ctrl+C: what is still queued is not wanted
            with held():
                pool.shutdown(cancel_futures=True)
            raise


@contextmanager
def _forking() -> Iterator[None]:
    """Around the call that forks workers. The objects made so far are frozen, or the workers'
    collector would copy every page it touches. Ctrl+C and `kill` wait, so that no worker takes one
    before it has set what it does with them (`_start_worker`): this process gets them right after."""
    with held():
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()


def _start_worker(initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """Ctrl+C is for this process, which stops the pool: a worker that took it too could leave the
    pool waiting for it forever. A worker ends on SIGTERM, whatever this process does with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
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
            with _forking():  # the process is forked by this first submit
                return self._pool.submit(func, *args)
        return self._pool.submit(func, *args)

    def close(self) -> None:
        """Stop the process once its current work is done; what it has not started is cancelled."""
        if self._pool is not None:
            with held():
                self._pool.shutdown(cancel_futures=True)
            self._pool = None
