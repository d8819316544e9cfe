"""`parallel_map`: the results of a plain map, in order, computed by worker processes; and the
background process that takes work while this process goes on. Workers leave Ctrl+C to this process,
even while they start."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from parcours import parallel


def pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 2)


def test_the_workers_give_a_plain_maps_results_in_order(two_workers):
    results = parallel.parallel_map(pid_and_square, range(40), min_per_worker=10)
    assert [square for _, square in results] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for pid, _ in results}


def test_without_enough_items_for_two_workers_everything_runs_here(two_workers):
    initialized = []
    results = parallel.parallel_map(pid_and_square, [1, 2], initializer=initialized.append, initargs=("set",),
                                    min_per_worker=10)
    assert results == [(os.getpid(), 1), (os.getpid(), 4)] and initialized == ["set"]


def worker_signal_handlers(_: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_workers_leave_ctrl_c_to_this_process_and_end_on_sigterm(two_workers):
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as the preview server sets one
    try:
        handlers = set(parallel.parallel_map(worker_signal_handlers, range(40), min_per_worker=10))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert handlers == {(signal.SIG_IGN, signal.SIG_DFL)}


DONE = multiprocessing.get_context("fork").Value("i", 0)


def count_slowly_or_fail(number: int) -> int:
    if number == 0:
        raise ValueError("boom")
    time.sleep(0.005)
    with DONE.get_lock():
        DONE.value += 1
    return number


def test_an_error_cancels_the_work_still_queued(two_workers):
    DONE.value = 0
    with pytest.raises(ValueError, match="boom"):
        parallel.parallel_map(count_slowly_or_fail, range(800), min_per_worker=10)
    assert DONE.value < 400  # the chunks already handed to the workers, not all 800 items


def worker_signal_mask(_: int) -> set[signal.Signals]:
    return signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_signals_wait_while_workers_are_forked_and_reach_them_after(two_workers):
    """A Ctrl+C during the fork reaches this process once the workers are there, not a worker that has
    not yet said it leaves Ctrl+C alone."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    masks = parallel.parallel_map(worker_signal_mask, range(40), min_per_worker=10)
    assert all(not mask & {signal.SIGINT, signal.SIGTERM} for mask in masks)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before


def test_a_background_process_works_elsewhere_leaves_ctrl_c_here_and_stops_when_closed(two_workers):
    background = parallel.BackgroundProcess()
    try:
        futures = [background.submit(pid_and_square, n) for n in range(5)]
        assert [future.result() for future in futures][-1][1] == 16
        assert {future.result()[0] for future in futures} - {os.getpid()}
        assert background.submit(worker_signal_handlers, 0).result() == (signal.SIG_IGN, signal.SIG_DFL)
    finally:
        background.close()
    assert multiprocessing.active_children() == []


def test_on_one_core_a_background_process_takes_nothing(monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    background = parallel.BackgroundProcess()
    assert background.submit(pid_and_square, 3) is None
    background.close()
    assert multiprocessing.active_children() == []
