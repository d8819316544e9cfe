"""Ctrl+C and `kill`: the first stops the command, the next ones wait for its cleaning up; `held` makes
them wait for the end of a block that must not be cut in two."""
from __future__ import annotations

import os
import signal

import pytest

from parcours import interrupts


@pytest.fixture
def restored_handlers():
    saved = {number: signal.getsignal(number) for number in interrupts.STOPPING}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


def test_the_first_signal_stops_the_command_and_the_next_ones_wait(restored_handlers):
    interrupts.stop_on_signals()
    with pytest.raises(interrupts.Interrupted) as stopped:
        os.kill(os.getpid(), signal.SIGTERM)
    assert stopped.value.signal_number == signal.SIGTERM
    assert {signal.getsignal(number) for number in interrupts.STOPPING} == {signal.SIG_IGN}
    os.kill(os.getpid(), signal.SIGINT)  # ignored: the cleaning up goes on


def test_a_held_signal_arrives_when_the_block_is_over(restored_handlers):
    received = []
    signal.signal(signal.SIGTERM, lambda number, _frame: received.append(number))
    with interrupts.held():
        os.kill(os.getpid(), signal.SIGTERM)
        assert received == []
    assert received == [signal.SIGTERM]
