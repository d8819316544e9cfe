"""Content lints, run once the course tree is built: French typography (in courses whose language
is French) and accessibility of lesson content, on the exact text of every source file the compiler
read. They report like any other check; `parcours fix` writes the typography fixes back.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from parcours.cache import ResultCache, digest
from parcours.diagnostics import Diagnostic
from parcours.i18n import language
from parcours.lint import accessibility, typography
from parcours.model.build import load_course
from parcours.model.nodes import Course
from parcours.parallel import parallel_map
from parcours.project import Workspace, inside

_BOM = "\ufeff"


def lint_course(course: Course, workspace: Workspace, cache: ResultCache | None = None) -> None:
    """Report the lint findings of every source file of `course` into the workspace's reporter.

    Files are linted on every core, and a file whose findings are in the build cache is not read again.
    """
    cache = cache or ResultCache()
    french = is_french(course.language)
    jobs = [(path, text, french) for path, text in sorted(workspace.texts.items()) if inside(path, course.root)]
    # the findings keep their messages, which are in the author's language
    keys = [digest("lint", str(french), language(), str(path), text) for path, text, _ in jobs]
    findings = [cache.get(key) for key in keys]
    missing = [index for index, found in enumerate(findings) if found is None]
    for index, found in zip(missing, parallel_map(_lint_job, [jobs[i] for i in missing]), strict=True):
        findings[index] = found
        cache.put(keys[index], found)
    for found in findings:
        workspace.reporter.extend(found)


def _lint_job(job: tuple[Path, str, bool]) -> list[Diagnostic]:
    path, text, french = job
    return lint_file(path, text, french=french)


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
