"""The stages in order: discover → parse → validate → build the tree → check → render → emit.

No emitter runs until the whole course has passed every check; all diagnostics of a run are
collected first and reported together.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from parcours.cache import ResultCache
from parcours.check import check_course, course_ids, read_ids_lock
from parcours.emit.base import atomic_directory, load_emitter, write_text
from parcours.lint import lint_course
from parcours.model.build import load_course
from parcours.model.nodes import Course
from parcours.project import Workspace
from parcours.transforms.render import render_course

IDS_LOCK = "ids.lock.json"
CACHE = ".cache"


@dataclass
class CourseResult:
    source: Path
    course: Course | None
    written: list[Path] = field(default_factory=list)


def compile_course(course_dir: Path, workspace: Workspace, previous_ids: dict | None = None,
                   cache: ResultCache | None = None) -> Course | None:
    """Stages 1 to 6. None when any error was reported (they all are, in `workspace.reporter`)."""
    reporter = workspace.reporter
    course = load_course(course_dir, workspace)
    if course is None:
        return None
    check_course(course, reporter, previous_ids)
    lint_course(course, workspace, cache)  # typography and accessibility of the sources
    course = render_course(course, reporter, cache)  # even after a failed check: it finds broken links too
    return None if reporter.failed else course


def build_course(course_dir: Path, output: Path, formats: list[str], workspace: Workspace) -> CourseResult:
    """Compile, then write each format into output/<course folder name>/<format>/, atomically."""
    target = output / course_dir.resolve().name
    cache = ResultCache.load(target / CACHE / "results.pickle")
    course = compile_course(course_dir, workspace, read_ids_lock(target / IDS_LOCK), cache)
    result = CourseResult(course_dir, course)
    if course is None:
        return result
    cache.save()
    for name in formats:
        emitter = load_emitter(name)()
        with atomic_directory(target / name) as staging:
            result.written += [target / name / path.relative_to(staging) for path in emitter.emit(course, staging)]
    write_text(target / IDS_LOCK, json.dumps(course_ids(course), indent=2, sort_keys=True) + "\n")
    return result
