"""The `parcours` command ends without freeing its objects one by one: what it printed must still be
there, whole, and a reader that stops reading early ends it quietly, with status 1."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from parcours.diagnostics import Code

COMMANDS = {"console script": [str(Path(sys.executable).parent / "parcours")],
            "python -m": [sys.executable, "-m", "parcours.cli"]}
# stdout block-buffered, as Python makes it for any pipe
BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def test_everything_printed_through_a_pipe_arrives_and_the_status_is_kept():
    for command in COMMANDS.values():
        listed = subprocess.run([*command, "codes"], capture_output=True, text=True, check=False, env=BUFFERED)
        assert listed.returncode == 0
        assert [line.split()[0] for line in listed.stdout.splitlines()] == [code.code for code in Code]
        assert subprocess.run([*command, "frobnicate"], capture_output=True, check=False).returncode == 2


@pytest.mark.parametrize("buffered", [True, False])
def test_a_reader_that_stops_reading_ends_the_command_without_a_complaint(buffered: bool):
    env = BUFFERED if buffered else {**BUFFERED, "PYTHONUNBUFFERED": "1"}  # each print() writes at once
    for command in COMMANDS.values():
        process = subprocess.Popen([*command, "codes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        process.stdout.close()  # before the command writes: its first write finds no reader
        assert process.wait(timeout=60) == 1
        assert process.stderr.read() == b""
        process.stderr.close()
