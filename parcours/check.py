"""Stage 5: whole-course rules, on the finished tree, before anything is written.

These are the checks no Open edX tool makes (see docs/diagnostics): a duplicate url_name is renamed
with a hash on import, a graded unit of an unknown type silently drops out of the grade, and a
renamed id orphans learner state.
"""
from __future__ import annotations

import difflib
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from parcours.blocks import block_codecs
from parcours.diagnostics import Code, Reporter
from parcours.i18n import _
from parcours.model.nodes import Chapter, Course, CustomBlock, Node, Sequential, Vertical, place_of

_WEIGHT_TOLERANCE = 1e-6


def olx_kind(node: Node) -> str:
    """The Open edX block type a node becomes: url_names must be unique per type."""
    if isinstance(node, CustomBlock):
        return node.tag
    return {Chapter: "chapter", Sequential: "sequential", Vertical: "vertical"}.get(type(node)) or node.kind


def course_ids(course: Course) -> dict[str, list[str]]:
    """Every url_name of the course by block type, sorted: what ids.lock.json records."""
    ids: dict[str, set[str]] = defaultdict(set)
    for node in course.walk():
        if node is not course:
            ids[olx_kind(node)].add(node.id)
    return {kind: sorted(values) for kind, values in sorted(ids.items())}


# The package's files are named after ids (`problem/<id>.xml`), and a file name holds at most 255 bytes.
MAX_ID_LENGTH = 200


def check_course(course: Course, reporter: Reporter, previous_ids: dict[str, list[str]] | None = None) -> None:
    _check_ids(course, reporter)
    _check_block_refs(course, reporter)
    _check_grading(course, reporter)
    _check_dates(course, reporter)
    if previous_ids is not None:
        _check_kept_ids(course, previous_ids, reporter)


def _check_ids(course: Course, reporter: Reporter) -> None:
    """Short enough to name a file, and unique across block types: Open edX needs it per type,
    olxcleaner across all of them."""
    seen: dict[str, Node] = {}
    for node in course.walk():
        if node is course:
            continue
        if len(node.id) > MAX_ID_LENGTH:
            reporter.error(Code.BAD_ID, _("the id '{start}…' is {length} characters long, more than {most}").format(
                start=node.id[:40], length=len(node.id), most=MAX_ID_LENGTH), node.span,
                _("shorten it: the package names a file after it"))
        if node.id in seen:
            first = seen[node.id]
            reporter.error(Code.DUPLICATE_ID, _("the id '{id}' is already used by a {kind}").format(
                id=node.id, kind=olx_kind(first)), node.span, _("give one of them another id"), related=[first.span])
        else:
            seen[node.id] = node


def _check_block_refs(course: Course, reporter: Reporter) -> None:
    known = {node.id for node in course.walk() if node is not course}
    for block in course.walk():
        refs = getattr(block_codecs()[block.tag], "course_refs", None) if isinstance(block, CustomBlock) else None
        for path, ref in refs(block.data) if refs else ():
            if ref not in known:
                close = difflib.get_close_matches(ref, sorted(known), 1)
                hint = (_("did you mean '{name}'?").format(name=close[0]) if close
                        else _("use a module id from course.yaml's modules"))
                reporter.error(Code.BROKEN_REF, _("'{ref}' is not a module or unit of this course").format(ref=ref),
                               place_of(block.places, path, block.span), hint)


def _check_grading(course: Course, reporter: Reporter) -> None:
    grading_span = course.field_spans.get("grading", course.span)
    total = sum(grader.weight for grader in course.grading.graders)
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        reporter.error(Code.GRADER_WEIGHTS, _("the grader weights add up to {total}, not 1").format(total=f"{total:g}"),
                       grading_span, _("make the `weight` values of grading.graders add up to 1 (e.g. 0.4 + 0.6)"))
    types = {grader.type for grader in course.grading.graders}
    used = set()
    for sequential in _sequentials(course):
        if sequential.graded_as is None:
            continue
        used.add(sequential.graded_as)
        if sequential.graded_as not in types:
            reporter.error(Code.GRADER_TYPE, _("'{type}' is not a grader type of the course").format(
                type=sequential.graded_as), sequential.field_spans.get("graded", sequential.span),
                _("use one of: {types}, or add it to grading.graders").format(types=", ".join(sorted(types))))
    for grader in course.grading.graders:
        if grader.drop_count and grader.drop_count >= grader.min_count:
            reporter.error(Code.GRADER_DROP, _("the grader '{type}' drops {dropped} of its {counted} assignments")
                           .format(type=grader.type, dropped=grader.drop_count, counted=grader.min_count),
                           grading_span, _("make drop_count smaller than min_count"))
        if grader.min_count > 0 and grader.type not in used:
            reporter.error(Code.UNGRADED_TYPE, _("no unit is graded as '{type}'").format(type=grader.type),
                           grading_span, _("mark units with `graded: {type}`, or set its min_count to 0").format(
                               type=grader.type))


def _check_dates(course: Course, reporter: Reporter) -> None:
    start, end = _date(course, "start", reporter), _date(course, "end", reporter)
    if start is None or end is None:
        return
    if end <= start:
        reporter.error(Code.DATES, _("the course ends ({end}) before it starts ({start})").format(
            end=course.end, start=course.start), course.field_spans.get("end", course.span),
            _("set `end` after `start`"))
    for sequential in _sequentials(course):
        due = _date(sequential, "due", reporter)
        if due and not start <= due <= end:
            reporter.error(Code.DATES, _("the due date {due} is outside the course dates").format(due=sequential.due),
                           sequential.field_spans.get("due", sequential.span),
                           _("choose a date between {start} and {end}").format(start=course.start, end=course.end))


def _check_kept_ids(course: Course, previous: dict[str, list[str]], reporter: Reporter) -> None:
    current = course_ids(course)
    for kind, ids in previous.items():
        for missing in sorted(set(ids) - set(current.get(kind, ()))):
            reporter.error(Code.ID_REMOVED, _("the {kind} '{id}' of the previous build no longer exists").format(
                kind=kind, id=missing), course.span,
                _("restore its id if learners already used it; otherwise ignore this"))


def _sequentials(course: Course):
    return (sequential for chapter in course.chapters for sequential in chapter.sequentials)


def _date(node: Node, name: str, reporter: Reporter) -> datetime | None:
    value = getattr(node, name)
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        reporter.error(Code.DATES, _("'{value}' is not a calendar date").format(value=value),
                       node.field_spans.get(name, node.span), _("write a real date as YYYY-MM-DD"))
        return None


def parse_date(value: str) -> datetime:
    """An authored date (shape checked by the schema) as an aware datetime, UTC unless stated."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_ids_lock(path: Path) -> dict[str, list[str]] | None:
    """The previous build's ids, or None when there is none or it is damaged (then nothing is compared)."""
    try:
        ids = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    valid = isinstance(ids, dict) and all(
        isinstance(kind, str) and isinstance(values, list) and all(isinstance(v, str) for v in values)
        for kind, values in ids.items())
    return ids if valid else None
