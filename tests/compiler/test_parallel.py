"""`parallel_map`: the results of a plain map, in order, computed by worker processes while this process
does its own work (`meanwhile`), which never starts more workers."""
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


def test_meanwhile_runs_once_here_and_what_it_spreads_stays_here(two_workers):
    seen = []

    def meanwhile():
        seen.append(os.getpid())
        seen.extend(pid for pid, _ in parallel.parallel_map(pid_and_square, range(40), min_per_worker=10))

    results = parallel.parallel_map(pid_and_square, range(40), min_per_worker=10, meanwhile=meanwhile)
    assert seen == [os.getpid()] * 41
    assert os.getpid() not in {pid for pid, _ in results}
    # once meanwhile is over, spreading work starts workers again
    assert os.getpid() not in {pid for pid, _ in parallel.parallel_map(pid_and_square, range(40), min_per_worker=10)}


def test_without_enough_items_for_two_workers_everything_runs_here_meanwhile_first(two_workers):
    order = []
    results = parallel.parallel_map(lambda n: order.append(n) or n, [1, 2], min_per_worker=10,
                                    meanwhile=lambda: order.append("meanwhile"))
    assert results == [1, 2] and order == ["meanwhile", 1, 2]


def test_an_error_in_meanwhile_leaves_spreading_possible(two_workers):
    def failing():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        parallel.parallel_map(pid_and_square, range(40), min_per_worker=10, meanwhile=failing)
    assert os.getpid() not in {pid for pid, _ in parallel.parallel_map(pid_and_square, range(40), min_per_worker=10)}


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


def count_slowly(number: int) -> int:
    time.sleep(0.005)
    with DONE.get_lock():
        DONE.value += 1
    return number


def test_an_error_here_cancels_the_work_still_queued(two_workers):
    def failing():
        raise ValueError("boom")

    DONE.value = 0
    with pytest.raises(ValueError, match="boom"):
        parallel.parallel_map(count_slowly, range(800), min_per_worker=10, meanwhile=failing)
    assert DONE.value < 400  # the chunks already handed to the workers, not all 800 items


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
