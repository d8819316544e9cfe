"""The stages in order: discover → parse → validate → build the tree → check → render → emit.

No emitter runs until the whole course has passed every check; all diagnostics of a run are
collected first and reported together.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcours.cache import ResultCache
from parcours.diagnostics import Code
from parcours.i18n import _
from parcours.incremental import BuildState, FileDigests, fingerprint
from parcours.project import Workspace
from parcours.timings import Timings

if TYPE_CHECKING:
    from parcours.model.nodes import Course

IDS_LOCK = "ids.lock.json"
CACHE = ".cache"


@dataclass
class CourseResult:
    source: Path
    course: Course | None
    written: list[Path] = field(default_factory=list)
    up_to_date: bool = False  # nothing changed since the last build: nothing was written


def compile_course(course_dir: Path, workspace: Workspace, previous_ids: dict | None = None,
                   cache: ResultCache | None = None, timings: Timings | None = None) -> Course | None:
    """Stages 1 to 6. None when any error was reported (they all are, in `workspace.reporter`)."""
    # Imported here: a build whose inputs have not changed stops before it needs any of them.
    from parcours.check import check_course
    from parcours.lint import Linter
    from parcours.model.build import load_course
    from parcours.transforms.render import render_course

    reporter, timings = workspace.reporter, timings or Timings()
    with Linter(workspace, cache) as linter:  # the sources' typography and accessibility, linted as they are read
        with timings.stage(_("read and validate")):
            course = load_course(course_dir, workspace, cache, module_read=linter.send)
        if course is None:
            return None
        with timings.stage(_("check")):
            check_course(course, reporter, previous_ids)
        with timings.stage(_("lint")):
            linter.collect(course)
    with timings.stage(_("render")):  # even after a failed check: it finds broken links too
        course = render_course(course, reporter, cache)
    return None if reporter.failed else course


def build_course(course_dir: Path, output: Path, formats: list[str], workspace: Workspace,
                 unpacked: bool = False, timings: Timings | None = None,
                 cache: ResultCache | None = None) -> CourseResult:
    """Compile, then write each format into output/<course folder name>/<format>/, atomically: the
    packages' archives and, when `unpacked`, their folders.

    `cache`: the build cache a process that builds again keeps in memory (else it is loaded from
    disk). The course is then compiled even when nothing changed, so that the next build finds in
    memory what this one made of it."""
    timings = timings or Timings()
    target = output / course_dir.resolve().name
    state_file = target / CACHE / "state.pickle"
    with timings.stage(_("compare with the last build")):
        state = BuildState.load(state_file)
        digests = FileDigests(state.stamps)
        # What else the packages and the diagnostics shown depend on: a code silenced is not in the state.
        options = [*formats, *(["unpacked"] if unpacked else []),
                   *(f"ignore {code}" for code in sorted(workspace.reporter.ignore))]
        current = fingerprint(course_dir, options, digests, state.read)
    if cache is None and current == state.fingerprint and all((target / name).is_dir() for name in formats):
        _replay(state, workspace)
        return CourseResult(course_dir, None, up_to_date=True)
    from parcours.check import course_ids, read_ids_lock  # as in compile_course: not needed above
    from parcours.emit.base import atomic_directory, load_emitter, write_text
    if cache is None:
        with timings.stage(_("load the build cache")):
            cache = ResultCache.load(cache_file(output, course_dir))
    course = compile_course(course_dir, workspace, read_ids_lock(target / IDS_LOCK), cache, timings)
    result = CourseResult(course_dir, course)
    if course is None:
        return result
    for name in formats:
        with timings.stage(_("emit {format}").format(format=name)):
            emitter = load_emitter(name)()
            emitter.cache, emitter.unpacked = cache, unpacked
            with atomic_directory(target / name) as staging:
                result.written += [target / name / path.relative_to(staging)
                                   for path in emitter.emit(course, staging)]
    with timings.stage(_("save the ids lock, the cache and the state")):
        write_text(target / IDS_LOCK, json.dumps(course_ids(course), indent=2, sort_keys=True) + "\n")
        cache.save()
        # PC501 compares with the ids lock this build has just replaced: it is not this build's to repeat.
        diagnostics = [d for d in workspace.reporter.diagnostics if d.code is not Code.ID_REMOVED]
        # A file read that this fingerprint left out (a hidden name) is in the next one, and in this one.
        read = tuple(sorted(set(files_read(workspace, course)) - set(digests.seen)))
        if set(read) - set(state.read):
            current = fingerprint(course_dir, options, digests, read)
        shown = tuple(sorted({os.fspath(d.span.file) for d in diagnostics
                              if d.span and d.span.file in workspace.texts}))
        BuildState(current, diagnostics, digests.stamps, read, shown).save(state_file)
    return result


def files_read(workspace: Workspace, course: Course | None) -> tuple[str, ...]:
    """The sources a build read, and the files its course publishes."""
    published = (asset.source for asset in course.assets if asset.source) if course else ()
    return tuple(sorted({*map(os.fspath, workspace.texts), *map(os.fspath, published)}))


def cache_file(output: Path, course_dir: Path) -> Path:
    return output / course_dir.resolve().name / CACHE / "results.pickle"


def _replay(state: BuildState, workspace: Workspace) -> None:
    """Show the last build's diagnostics again, with the source lines it showed."""
    for diagnostic in state.diagnostics:
        if diagnostic.span and os.fspath(diagnostic.span.file) in state.shown and diagnostic.span.file.is_file():
            workspace.read(diagnostic.span.file)
    workspace.reporter.extend(state.diagnostics)
