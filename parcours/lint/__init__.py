"""Content lints: French typography (in courses whose language is French) and accessibility of lesson
content, on the exact text of every source file the compiler read, linted while it reads on. They
report like any other check, once the course is read; `parcours fix` writes the typography fixes back.
"""
from __future__ import annotations

import os
import tempfile
from concurrent.futures import Future
from itertools import islice
from pathlib import Path

from parcours.cache import ResultCache, digest
from parcours.diagnostics import Diagnostic
from parcours.i18n import language
from parcours.lint import accessibility, typography
from parcours.model.build import load_course
from parcours.model.nodes import Course
from parcours.parallel import MIN_ITEMS_PER_WORKER, BackgroundProcess
from parcours.project import Workspace, inside, resolved_in, within

_BOM = "\ufeff"


class Linter:
    """The lints of one course, run in a process of their own while this one reads the course.

    `send` is called as the course is read (after each module): the files read since are queued, and
    sent to the other process once there are enough to be worth starting it, then module by module.
    `collect` lints what is left, taking back what the other process has not started, and reports
    every finding, file by file.
    A file whose findings are in the build cache is not linted again. Use it as a context manager:
    the other process is stopped on the way out, whatever happens.
    """

    def __init__(self, workspace: Workspace, cache: ResultCache | None = None) -> None:
        self.workspace, self.cache = workspace, cache or ResultCache()
        self._read = 0  # how many of the workspace's texts have been queued
        self._queued: list[tuple[str, tuple[Path, str, bool]]] = []  # (cache key, job)
        self._sent: list[tuple[list[tuple[str, tuple[Path, str, bool]]], Future]] = []
        self._found: dict[Path, list[Diagnostic]] = {}
        self._process = BackgroundProcess()

    def __enter__(self) -> Linter:
        return self

    def __exit__(self, *exception: object) -> None:
        self._process.close()

    def send(self, course_language: str) -> None:
        """Queue the files read since the last call; send the queue off once it is long enough."""
        french, memo = is_french(course_language), self.cache.memo("lints")
        for path, text in islice(self.workspace.texts.items(), self._read, None):
            if (found := memo.lookup((text,), _settings(path, french))) is not None:  # the same text as last build
                self._found[path] = found
                continue
            key = digest(*_settings(path, french), text)
            if (found := self.cache.get(key)) is not None:
                self._found[path] = found
                memo.put((text,), found, _settings(path, french), (key,))
            else:
                self._queued.append((key, (path, text, french)))
        self._read = len(self.workspace.texts)
        if (self._sent or len(self._queued) >= MIN_ITEMS_PER_WORKER) and (
                future := self._process.submit(_lint_jobs, [job for _, job in self._queued])):
            self._sent.append((self._queued, future))
            self._queued = []

    def collect(self, course: Course) -> None:
        """Lint the rest here, wait for the other process, and report the findings of the course's files."""
        self.send(course.language)
        for index in reversed(range(len(self._sent))):  # the other process takes its work in order
            queued, future = self._sent[index]
            if not future.cancel():
                break
            self._queued[:0] = queued
            del self._sent[index]
        results = [(self._queued, _lint_jobs([job for _, job in self._queued]))]
        results += [(queued, future.result()) for queued, future in self._sent]
        self._process.close()
        memo = self.cache.memo("lints")
        for queued, found in results:
            for (key, (path, text, french)), findings in zip(queued, found, strict=True):
                self.cache.put(key, findings)
                memo.put((text,), findings, _settings(path, french), (key,))
                self._found[path] = findings
        root = course.root.resolve()
        for path in sorted(self._found):
            # Files are read from resolved folders, so only a file's own name may be a link to follow.
            target = resolved_in(path.parent, path.name)
            if target is not None and within(target, root):
                self.workspace.reporter.extend(self._found[path])


def _settings(path: Path, french: bool) -> tuple[str, ...]:
    """What a file's findings depend on besides its text; messages are in the author's language."""
    return "lint", str(french), language(), str(path)


def _lint_jobs(jobs: list[tuple[Path, str, bool]]) -> list[list[Diagnostic]]:
    return [lint_file(path, text, french=french) for path, text, french in jobs]


def lint_file(path: Path, text: str, *, french: bool) -> list[Diagnostic]:
    """Accessibility findings of one source file and, for French content, its typography findings."""
    found = accessibility.check(path, text)
    if french:
        found += [finding.diagnostic(path, text) for finding in typography.findings(path, text)]
    return found


def is_french(language: str) -> bool:
    return language.lower().startswith("fr")


def typography_fixes(course_dir: Path, workspace: Workspace) -> dict[Path, tuple[str, list[Diagnostic]]]:
    """The new text and the fixes of each file of a French course that `parcours fix` would change.

    Empty for a course in another language, or one the compiler cannot read (its errors are then in
    the workspace's reporter): the prose is only known once the files are understood.
    """
    course = load_course(course_dir, workspace)
    if course is None or not is_french(course.language):
        return {}
    fixes = {}
    for path, text in sorted(workspace.texts.items()):
        if inside(path, course.root):
            fixed, applied = typography.fix_text(path, text)
            if applied:
                fixes[path] = (fixed, applied)
    return fixes


def save_source(path: Path, text: str) -> None:
    """Replace a source file atomically, keeping its byte-order mark and line endings.

    The workspace holds texts with `\\n` line ends and no BOM; an author's CRLF file stays CRLF.
    """
    original = path.read_bytes().decode("utf-8")
    if "\r\n" in original:
        text = text.replace("\n", "\r\n")
    if original.startswith(_BOM):
        text = _BOM + text
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(text.encode("utf-8"))
        os.chmod(staging, path.stat().st_mode & 0o7777)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
