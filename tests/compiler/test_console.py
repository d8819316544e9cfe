"""The `parcours` command ends without freeing its objects one by one: what it printed must still be
there, whole, and a reader that stops reading early ends it quietly, with status 1. Stopped by
Ctrl+C or `kill`, it says so and leaves neither workers nor half-written packages behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def large_course(tmp_path_factory) -> Path:
    from tests.bench import generate
    root = tmp_path_factory.mktemp("large") / "course"
    generate(root, modules=8)
    return root


@pytest.mark.skipif(not Path("/proc/self/stat").is_file() or len(os.sched_getaffinity(0)) < 2,
                    reason="needs /proc and two cores (workers)")
@pytest.mark.parametrize(("how", "workers", "status", "times"), [
    (signal.SIGTERM, 1, 143, 1),  # while the course is read, the lints in their own process
    (signal.SIGTERM, 2, 143, 1),  # while the workers render
    (signal.SIGINT, 2, 130, 1),  # Ctrl+C, sent to the whole group as a terminal does
    (signal.SIGINT, 2, 130, 3),  # pressed again and again while the build cleans up
])
def test_a_build_stopped_midway_leaves_no_process_and_no_package(large_course, tmp_path, how, workers, status,
                                                                 times):
    output = tmp_path / "out"
    process = subprocess.Popen([*COMMANDS["python -m"], "build", str(large_course), "-o", str(output)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "LANGUAGE": "en"})
    deadline = time.monotonic() + 60
    while len(seen := _children(process.pid)) < workers and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert len(seen) >= workers, "the build ended before it started its workers"
    for _ in range(times):
        if how == signal.SIGINT:
            os.killpg(process.pid, how)
        else:
            os.kill(process.pid, how)
        time.sleep(0.03)
    assert process.wait(timeout=60) == status
    assert process.stderr.read().decode().strip().endswith("parcours: interrupted")
    process.stderr.close()
    time.sleep(0.2)
    assert not [pid for pid in seen if _alive(pid)]
    assert not (output / "course" / "olx").exists()
    assert [path.name for path in (output / "course").iterdir() if path.name.startswith(".olx")] == [] \
        if (output / "course").exists() else True


# Sends `signal` to its own process as soon as `parcours.cli` starts being imported: the command is
# then still loading the compiler, the moment Ctrl+C used to print a traceback.
SIGNAL_DURING_IMPORT = """
import os, signal, sys

class SignalOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == "parcours.cli":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.{signal})
        return None

sys.meta_path.insert(0, SignalOnImport())
sys.argv = ["parcours", "codes"]
from parcours.console import main
main()
"""


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_while_the_compiler_is_still_loading_ends_the_command_plainly(name: str):
    number = getattr(signal, name)
    ended = subprocess.run([sys.executable, "-c", SIGNAL_DURING_IMPORT.replace("{signal}", name)],
                           capture_output=True, text=True, check=False, env={**os.environ, "LANGUAGE": "en"},
                           timeout=60)
    assert (ended.returncode, ended.stdout, ended.stderr) == (128 + number, "", "parcours: interrupted\n")


def test_the_console_script_is_the_entry_point_that_catches_signals_first():
    script = (Path(sys.executable).parent / "parcours").read_text(encoding="utf-8")
    assert "from parcours.console import main" in script
