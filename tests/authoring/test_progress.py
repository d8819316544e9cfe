"""Build output: live progress on a terminal only (a pseudo-terminal here), nothing live in CI logs
or through a pipe, diagnostics only with --quiet, every file written with --verbose."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import time
from pathlib import Path

from parcours.cli import Progress
from tests.authoring.conftest import PARCOURS, run_parcours

LIVE = "\r\x1b[2K… build"


def on_a_terminal(*args: str | Path, env: dict) -> str:
    """What `parcours ARGS` writes to stderr when stderr is a terminal."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(PARCOURS), *map(str, args)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the program ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def environment(**changes: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    return {**env, **changes}


def test_a_terminal_sees_progress_then_a_summary(new_course: Path, tmp_path: Path):
    shown = on_a_terminal("build", new_course, "-o", tmp_path / "build", "-f", "olx,scorm12", env=environment())
    assert LIVE in shown and "files read" in shown.split(LIVE, 1)[1]
    assert "mon-cours: 3 files read, 1 modules built, 4 packages written, 0 error(s), 0 warning(s)" in shown


def test_ci_logs_and_pipes_get_no_live_line(new_course: Path, tmp_path: Path):
    shown = on_a_terminal("build", new_course, "-o", tmp_path / "ci", env=environment(CI="true"))
    assert "…" not in shown and "packages written" in shown
    piped = run_parcours("build", new_course, "-o", tmp_path / "piped", env=environment())
    assert "\r" not in piped.stderr and "…" not in piped.stderr
    assert "wrote " in piped.stderr


def test_quiet_prints_diagnostics_only(new_course: Path, tmp_path: Path):
    lesson = new_course / "modules" / "01-premier-module" / "01-introduction.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("{#introduction-suite}", ""), encoding="utf-8")
    done = run_parcours("build", "--quiet", new_course, "-o", tmp_path / "b", env=environment())
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line and not line.startswith(" ")]
    assert lines and all("[PC" in line for line in lines), done.stderr


def test_verbose_lists_every_file_written(new_course: Path, tmp_path: Path):
    done = run_parcours("build", "--verbose", new_course, "-o", tmp_path / "b", "-f", "olx", env=environment())
    listed = {line.removeprefix("wrote ") for line in done.stderr.splitlines() if line.startswith("wrote ")}
    written = {path for path in (tmp_path / "b" / "mon-cours" / "olx").rglob("*") if path.is_file()}
    assert {Path(name).resolve() for name in listed} == written


def test_the_live_line_is_redrawn_until_the_work_ends():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    counter = iter(range(1000))
    progress = Progress(quiet=False, stream=terminal)
    progress.live = True  # whatever CI says about this test run
    with progress.live_line("build cours", lambda: f"{next(counter)} files read"):
        time.sleep(0.35)
    text = terminal.getvalue()
    assert text.count("… build cours — ") >= 3 and text.endswith("\r\x1b[2K")
    assert "0 files read" in text and "2 files read" in text
