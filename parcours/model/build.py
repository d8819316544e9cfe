"""Stage 4: read, validate and assemble a whole course into its frozen tree.

Everything is read and checked before anything is built on it: a module whose module.yaml fails
its schema still has its units checked, so one run reports every mistake.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from parcours.cache import ResultCache, digest
from parcours.check import parse_date
from parcours.diagnostics import Code, Diagnostic, Reporter
from parcours.i18n import _
from parcours.model.ids import TEXT, qualified
from parcours.model.lessons import (
    UnitContext,
    build_block_unit,
    build_lesson,
    referenced,
    resolve_file,
    setting_spans,
    single_block_sequential,
)
from parcours.model.nodes import (
    Asset,
    Chapter,
    Course,
    CustomBlock,
    GlossaryEntry,
    Grader,
    Grading,
    HtmlBlock,
    Reference,
    Sequential,
)
from parcours.model.resources import resources_markdown
from parcours.parse.yaml import Positions, YamlDocument, load_yaml
from parcours.project import (
    COURSE_FILE,
    MODULE_FILE,
    Workspace,
    did_you_mean,
    inside,
    loop_hint,
    resolved,
    resolved_in,
    still_resolves,
    within,
)
from parcours.sources import Span
from parcours.validate.schema import validate


def load_course(course_dir: Path, workspace: Workspace, cache: ResultCache | None = None,
                module_read: Callable[[str], object] | None = None) -> Course | None:
    """The course tree, or None when the sources have errors (all of them reported).

    A unit read before with the same text and settings comes from the build cache. `module_read`,
    called with the course's language each time a module's files are in the workspace, lets other
    work on them start while the rest is read.
    """
    course_dir = course_dir.resolve()
    reporter, cache = workspace.reporter, cache or ResultCache()
    document, invalid = _load_yaml_file(course_dir / COURSE_FILE, "course", workspace, cache)
    if document is None:
        return None
    data = document.data
    defaults = data.get("defaults") if isinstance(data.get("defaults"), dict) else {}
    ctx = UnitContext("", course_dir, reporter, dict(defaults), str(data.get("language", "fr")))
    chapters = []
    for index, module_ref in _listed_paths(data, "modules"):
        span = document.positions.locate(("modules", index))
        folder = resolved(course_dir / module_ref)
        if folder is None:
            reporter.error(Code.MISSING_FILE, _("module '{module}' is a symbolic-link loop").format(module=module_ref),
                           span, loop_hint())
        elif not within(folder, course_dir):
            reporter.error(Code.ASSET_OUTSIDE, _("module '{module}' is outside the course folder").format(
                module=module_ref), span, _("keep every module inside the course folder"))
        elif not (folder / MODULE_FILE).is_file():
            reporter.error(Code.MISSING_FILE, _("module '{module}' has no {file}").format(module=module_ref,
                           file=MODULE_FILE), span,
                           _("check the folder name, or create the module with its module.yaml"))
        elif (chapter := _load_module(folder, ctx, workspace, cache)) is not None:
            chapters.append(chapter)
        if module_read:
            module_read(ctx.language)
    if reporter.failed or invalid:
        return None
    return _course(data, document, course_dir, tuple(chapters), ctx)


def _listed_paths(data: dict, key: str) -> list[tuple[int, str]]:
    """(index, path) of the paths a list names; anything else there is the schema's to report."""
    listed = data.get(key)
    return [(i, item) for i, item in enumerate(listed) if isinstance(item, str)] if isinstance(listed, list) else []


def _load_yaml_file(path: Path, schema: str, workspace: Workspace,
                    cache: ResultCache) -> tuple[YamlDocument | None, bool]:
    """The document (None if unreadable) and whether it failed its schema. A document read before
    from the same text, without a single diagnostic, comes from the build cache."""
    text = workspace.read(path)
    if text is None:
        return None, True
    key = digest("yaml-file", schema, str(path), text)
    if (cached := cache.get(key)) is not None:
        return cached, False
    document, diagnostics, schema_errors = _read_yaml_file(path, schema, text)
    workspace.reporter.extend([*diagnostics, *schema_errors])
    if document is None:
        return None, True
    if not diagnostics and not schema_errors:
        cache.put(key, document)
    return document, bool(schema_errors)


def _read_yaml_file(path: Path, schema: str,
                    text: str) -> tuple[YamlDocument | None, list[Diagnostic], list[Diagnostic]]:
    """The document of a YAML file (None if it can't be read as a mapping), what reading it found,
    and its schema errors."""
    document, diagnostics = load_yaml(text, path)
    if document is None:
        return None, diagnostics, []
    if not isinstance(document.data, dict):
        message = _("{file} must be a mapping of keys to values").format(file=path.name)
        return None, [*diagnostics, Diagnostic(Code.SCHEMA, message, Span(path))], []
    return document, diagnostics, validate(schema, document.data, document.positions)


def _load_module(folder: Path, course_ctx: UnitContext, workspace: Workspace,
                 cache: ResultCache) -> Chapter | None:
    path = folder / MODULE_FILE
    document, invalid = _load_yaml_file(path, "module", workspace, cache)
    if document is None:
        return None
    data = document.data
    ctx = UnitContext(str(data.get("id", folder.name)), course_ctx.course_root, course_ctx.reporter,
                      course_ctx.problem_defaults, course_ctx.language)
    sequentials = []
    listed = set()
    for index, unit in _listed_paths(data, "units"):
        span = document.positions.locate(("units", index))
        unit_path = resolved_in(folder, unit)
        if unit_path is None:
            ctx.reporter.error(Code.MISSING_FILE, _("unit '{unit}' is a symbolic-link loop").format(unit=unit), span,
                               loop_hint())
            continue
        if not within(unit_path, folder):  # `folder` is resolved too
            ctx.reporter.error(Code.ASSET_OUTSIDE, _("unit '{unit}' is outside the module folder").format(unit=unit),
                               span, _("a module's units sit in its own folder, so the module can be reused whole"))
            continue
        if not unit_path.is_file():
            ctx.reporter.error(Code.MISSING_FILE, _("unit '{unit}' does not exist").format(unit=unit), span,
                               did_you_mean(unit_path))
            continue
        listed.add(unit_path)
        text = workspace.read(unit_path)
        if text is not None and (sequential := _unit(unit_path, text, ctx, cache)) is not None:
            sequentials.append(sequential)
    if isinstance(data.get("units"), list):  # else the schema error says it all
        _warn_unlisted(folder, listed, course_ctx.reporter)
    if invalid or not _consulted_dates_exist(data, document.positions, ctx.reporter):
        return None
    glossary = tuple(GlossaryEntry(**entry) for entry in data.get("glossary", ()))
    references = tuple(Reference(**entry) for entry in data.get("references", ()))
    if glossary or references:
        sequentials.append(_resources_sequential(ctx.module_id, path, glossary, references,
                                                 ctx.language))
    return Chapter(id=ctx.module_id, title=data["title"], span=Span(path), version=data["version"],
                   duration_minutes=data["duration_minutes"], audiences=tuple(data["audiences"]),
                   objectives=tuple(data["objectives"]), licence=data["licence"],
                   authors=tuple(data.get("authors", ())), sequentials=tuple(sequentials),
                   glossary=glossary, references=references, folder=folder)


def _consulted_dates_exist(data: dict, positions: Positions, reporter: Reporter) -> bool:
    """The schema checks a reference's `consulted` date by its shape; 2024-02-30 has that shape."""
    all_exist = True
    for index, reference in enumerate(data.get("references", ())):
        try:
            parse_date(reference["consulted"])
        except ValueError:
            all_exist = False
            reporter.error(Code.DATES, _("'{value}' is not a calendar date").format(value=reference["consulted"]),
                           positions.locate(("references", index, "consulted")), _("write a real date as YYYY-MM-DD"))
    return all_exist


def _unit(path: Path, text: str, ctx: UnitContext, cache: ResultCache) -> Sequential | None:
    """A unit's subsection, from the cache when this text was read before with these settings (in a
    process that builds again, by the text's identity: it is the very same object when the file is
    unchanged).

    Only units that read cleanly are cached (a diagnostic may depend on files that change), and a
    cached unit stands as long as the files its blocks publish are still there.
    """
    settings = (str(path), ctx.module_id, ctx.language, repr(sorted(ctx.problem_defaults.items())))
    memo = cache.memo("units read")
    cached = memo.lookup((text,), settings)
    key = None if cached is not None else _unit_key(text, settings)
    if key is not None and (cached := cache.get(key)) is not None:
        memo.put((text,), cached, settings, (key,))
    if cached is not None and all(still_resolves(*reference) for reference in _block_references(cached)):
        return cached
    key = key or _unit_key(text, settings)
    builder = build_lesson if path.suffix == ".md" else build_block_unit
    reported = ctx.reporter.found
    sequential = builder(path, text, ctx)
    if sequential is not None and ctx.reporter.found == reported:  # nothing found, even silenced
        cache.put(key, sequential)
        memo.put((text,), sequential, settings, (key,))
    return sequential


def _unit_key(text: str, settings: tuple[str, ...]) -> str:
    return digest("unit", settings[0], text, *settings[1:])


def _block_references(sequential: Sequential) -> list[tuple[Path, Path]]:
    """How the unit's custom blocks refer to their files, and the files."""
    return [(referenced(ref, block.span.file.parent), path) for vertical in sequential.verticals
            for block in vertical.blocks if isinstance(block, CustomBlock) for ref, path in block.assets.items()]


def _warn_unlisted(folder: Path, listed: set[Path], reporter: Reporter) -> None:
    """`listed` holds resolved paths, so a listed file is its own resolved path: recognised without the disk.
    A hidden file (`.brouillon.md`) is left aside, as the fingerprint leaves it: it is no part of the
    course unless listed."""
    for candidate in sorted(folder.iterdir()):
        if candidate not in listed and candidate.suffix in (".md", ".yaml", ".yml") and candidate.name != MODULE_FILE \
                and not candidate.name.startswith(".") \
                and candidate.is_file() and resolved(candidate) not in listed and inside(candidate, folder):
            reporter.error(Code.UNUSED_FILE, _("'{name}' is not listed in {file}").format(name=candidate.name,
                           file=MODULE_FILE), Span(candidate), _("add it under `units:` in module.yaml, or delete it"))


def _resources_sequential(module_id: str, path: Path, glossary, references, language: str) -> Sequential:
    """The module's glossary and references, as a generated last subsection."""
    title, markdown = resources_markdown(glossary, references, language)
    html = HtmlBlock(id=qualified(module_id, "references", TEXT), title=title, span=Span(path), markdown=markdown)
    return single_block_sequential(html, Span(path))


def _course(data: dict[str, Any], document: YamlDocument, root: Path, chapters: tuple[Chapter, ...],
            ctx: UnitContext) -> Course | None:
    grading = data["grading"]
    graders = tuple(Grader(type=g["type"], weight=g["weight"], short_label=g.get("short_label", g["type"][:3]),
                           min_count=g.get("min_count", 1), drop_count=g.get("drop_count", 0))
                    for g in grading["graders"])
    image = None
    if "image" in data:
        source = resolve_file(data["image"], root, ctx, document.positions.locate(("image",)))
        if source is None:
            return None
        image = Asset("course_image" + source.suffix.lower(), source)
    return Course(
        id=data["run"], title=data["title"], span=Span(root / COURSE_FILE), org=data["org"],
        number=data["number"], run=data["run"], language=data["language"], start=data["start"],
        end=data["end"], self_paced=data.get("self_paced", True), licence=data["licence"],
        grading=Grading(graders, dict(grading["cutoffs"])), chapters=chapters, root=root,
        short_description=data.get("short_description", ""), description=data.get("description", ""),
        audiences=tuple(data.get("audiences", ())), duration_hours=data.get("duration_hours"),
        effort=data.get("effort"), authors=tuple(data.get("authors", ())), repository=data.get("repository"),
        image=image, defaults=dict(data.get("defaults", {})),
        field_spans=setting_spans(document.positions, ("start", "end", "grading")))
