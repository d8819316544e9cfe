"""Ctrl+C and `kill`: the first stops the command where it is, as an exception that the code on the
way out cleans up after; the next ones wait, so that this cleaning up is not cut short in turn. The
few steps that must not be cut in two (forking a worker, swapping a package folder) hold them."""
from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOPPING = {signal.SIGINT, signal.SIGTERM}


class Interrupted(KeyboardInterrupt):
    """The command was asked to stop by `signal_number`."""

    def __init__(self, signal_number: int) -> None:
        super().__init__()
        self.signal_number = signal_number


def stop_on_signals() -> None:
    """Let Ctrl+C and `kill` raise `Interrupted` (in the process's main thread)."""
    for number in STOPPING:
        signal.signal(number, _stop)


def _stop(signal_number: int, _frame: FrameType | None) -> None:
    for number in STOPPING:
        signal.signal(number, signal.SIG_IGN)
    raise Interrupted(signal_number)


@contextmanager
def held() -> Iterator[None]:
    """Ctrl+C and `kill` wait until the block is over, then arrive as usual (where signal masks exist)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
