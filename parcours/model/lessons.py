"""Stage 4, units: a lesson (Markdown) or a block unit (YAML) becomes a Sequential.

Ids: the lesson's is its front-matter `id` or its file name; a page's is its heading's `{#id}`
(`<lesson>.intro` for the text before the first heading); a problem's or a block's is its directive
argument; a text chunk's is the id of its page, or of the block just before it, with `.text`
appended. All are prefixed with the module id. No id depends on a position, so inserting, removing
or moving content never renames what already exists (docs/format.md, « Identifiants stables »).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from parcours.blocks import block_codecs
from parcours.diagnostics import Code, Diagnostic, Reporter
from parcours.i18n import N_, _
from parcours.model.ids import FIRST_PAGE, PAGE, SECTION, TEXT, id_from_path, is_valid_id, qualified
from parcours.model.nodes import Block, CustomBlock, GeneratedBlock, HtmlBlock, ProblemBlock, Sequential, Vertical
from parcours.pages import page_generators
from parcours.parse.markdown import Directive, Page, TextChunk, parse_lesson
from parcours.parse.yaml import JsonPath, Positions, StrictLoader, YamlDocument, load_yaml
from parcours.project import NOT_XML, did_you_mean, inside, loop_hint, resolved
from parcours.quiz.parser import parse_problem
from parcours.sources import Span
from parcours.validate.schema import schema_diagnostic, validate

PROBLEM = "problem"


@dataclass
class UnitContext:
    module_id: str
    course_root: Path
    reporter: Reporter
    problem_defaults: dict[str, Any]
    language: str

    def report(self, diagnostics: list[Diagnostic]) -> None:
        self.reporter.extend(diagnostics)

    def checked_id(self, value: str, span: Span | None, what: str) -> str:
        """`value` qualified by the module id, after reporting it if it is not a valid authored id."""
        if not is_valid_id(value):
            self.reporter.error(Code.BAD_ID, _("{what} id '{value}' is not a valid id").format(
                what=_(what), value=value), span, _("use letters, digits, '-' or '_', starting with a letter or digit"))
        return qualified(self.module_id, value)


def build_lesson(path: Path, text: str, ctx: UnitContext) -> Sequential | None:
    lesson, diagnostics = parse_lesson(text, path)
    ctx.report(diagnostics)
    if any(d.code is Code.FRONT_MATTER for d in diagnostics):
        return None
    document = _front_matter(lesson.front_matter, lesson.front_matter_line, path, ctx)
    if document is None:
        return None
    meta = document.data
    lesson_id = meta.get("id") or id_from_path(path)
    title = meta.get("title", lesson_id)
    verticals = tuple(vertical for page in lesson.pages
                      if (vertical := _page(page, lesson_id, title, path, ctx)) is not None)
    return Sequential(id=ctx.checked_id(lesson_id, Span(path), N_("lesson")), title=title, span=Span(path),
                      verticals=verticals, graded_as=meta.get("graded"), due=meta.get("due"),
                      field_spans=setting_spans(document.positions, ("graded", "due")))


def setting_spans(positions: Positions, keys: tuple[str, ...]) -> dict[str, Span]:
    """Where each of these top-level settings was written, for checks that come later."""
    return {key: span for key in keys if (span := positions.values.get((key,)))}


def _front_matter(text: str | None, line: int, path: Path, ctx: UnitContext) -> YamlDocument | None:
    if text is None:
        ctx.reporter.error(Code.SCHEMA, _("a lesson needs a front matter with at least its title"), Span(path),
                           _("start the file with `---`, `title: …`, `---`"))
        return None
    document, diagnostics = load_yaml(text, path, line_offset=line - 1)
    ctx.report(diagnostics)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        ctx.reporter.error(Code.SCHEMA, _("the front matter must be a mapping of keys to values"), Span(path, line))
        return None
    schema_errors = validate("lesson", document.data, document.positions)
    ctx.report(schema_errors)
    return None if schema_errors else document


def _page(page: Page, lesson_id: str, lesson_title: str, path: Path, ctx: UnitContext) -> Vertical | None:
    if page.id is None and not page.parts:
        return None  # the lesson starts with its first `##` page
    if page.id is None:
        page_id = qualified(ctx.module_id, lesson_id, FIRST_PAGE)
    else:
        page_id = ctx.checked_id(page.id, page.span, N_("page"))
    title = page.title or lesson_title
    blocks: list[Block] = []
    text_id = f"{page_id}.{TEXT}"
    for part in page.parts:
        if isinstance(part, TextChunk):
            blocks.append(HtmlBlock(id=text_id, title=title, span=Span(path, part.line), markdown=part.text))
        elif (block := _directive(part, path, ctx)) is not None:
            blocks.append(block)
            text_id = f"{block.id}.{TEXT}"
    return Vertical(id=page_id, title=title, span=page.span, blocks=tuple(blocks))


def _directive(directive: Directive, path: Path, ctx: UnitContext) -> Block | None:
    if not directive.argument:
        ctx.reporter.error(Code.DIRECTIVE_SYNTAX, _("the directive `{{{name}}}` has no id").format(name=directive.name),
                           directive.span, _("write `:::{{{name}}} my-id`; the id must never change once published")
                           .format(name=directive.name))
        return None
    block_id = ctx.checked_id(directive.argument, directive.span, N_("block"))
    if directive.name == PROBLEM:
        return _problem(directive, block_id, path, ctx)
    if directive.name in block_codecs():
        if directive.options:
            ctx.reporter.error(Code.DIRECTIVE_SYNTAX, _("`{{{name}}}` takes its data as YAML, not options").format(
                name=directive.name), next(iter(directive.options.values()))[1],
                _("write `key: value` lines in the body"))
        document, diagnostics = load_yaml(directive.body, path, line_offset=directive.body_line - 1)
        ctx.report(diagnostics)
        if document is None:
            return None
        return custom_block(directive.name, block_id, document.data, document.positions, (), path, ctx)
    known = [PROBLEM, *block_codecs()]
    close = difflib.get_close_matches(directive.name, known, 1)
    hint = (_("did you mean `{{{name}}}`?").format(name=close[0]) if close
            else _("known directives: {names}").format(names=", ".join(known)))
    ctx.reporter.error(Code.UNKNOWN_BLOCK, _("unknown directive `{{{name}}}`").format(name=directive.name),
                       directive.span, hint)
    return None


def _problem(directive: Directive, block_id: str, path: Path, ctx: UnitContext) -> ProblemBlock | None:
    settings, positions = {}, Positions()
    for key, (raw, span) in directive.options.items():
        try:
            value = yaml.load(raw, Loader=StrictLoader) if raw else None
        except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
            value = raw  # kept as written: the schema then says what the option expects
        settings[key] = raw if isinstance(value, str) and NOT_XML.search(value) else value
        positions.values[(key,)] = span
    option_errors = validate(PROBLEM, settings, positions)
    ctx.report(option_errors)
    problem, diagnostics = parse_problem(directive.body, file=path, first_line=directive.body_line)
    ctx.report(diagnostics)
    if problem is None or option_errors:
        return None
    merged = {**ctx.problem_defaults, **settings}
    return ProblemBlock(id=block_id, title=str(merged.pop("title", "Question")), span=directive.span,
                        problem=problem, settings=merged)


def build_block_unit(path: Path, text: str, ctx: UnitContext) -> Sequential | None:
    """A `.yaml` unit: one custom block in a subsection of its own."""
    document, diagnostics = load_yaml(text, path)
    ctx.report(diagnostics)
    if document is None:
        return None
    schema_errors = validate("unit", document.data, document.positions)
    ctx.report(schema_errors)
    if schema_errors:
        return None
    unit = document.data
    unit_id = ctx.checked_id(unit["id"], document.positions.locate(("id",)), N_("unit"))
    if unit["type"] in page_generators():
        block = generated_block(unit["type"], unit_id, unit["data"], document.positions, path, ctx)
    elif unit["type"] in block_codecs():
        block = custom_block(unit["type"], unit_id, unit["data"], document.positions, ("data",), path, ctx)
    else:
        known = ", ".join([*block_codecs(), *page_generators()]) or _("none installed")
        ctx.reporter.error(Code.UNKNOWN_BLOCK, _("unknown block type '{type}'").format(type=unit["type"]),
                           document.positions.locate(("type",)), _("known block types: {names}").format(names=known))
        return None
    if block is None:
        return None
    return single_block_sequential(block, Span(path), graded_as=unit.get("graded"), due=unit.get("due"),
                                   field_spans=setting_spans(document.positions, ("graded", "due")))


def single_block_sequential(block: Block, span: Span, **settings: Any) -> Sequential:
    """A subsection holding one page with one block; the block keeps the plain id (learner state)."""
    vertical = Vertical(id=f"{block.id}.{PAGE}", title=block.title, span=block.span, blocks=(block,))
    return Sequential(id=f"{block.id}.{SECTION}", title=block.title, span=span, verticals=(vertical,), **settings)


def generated_block(generator: str, block_id: str, data: Any, positions: Positions, path: Path,
                    ctx: UnitContext) -> GeneratedBlock | None:
    prefix = ("data",)
    problems = page_generators()[generator].validate(data)
    _report_problems(problems, prefix, positions, ctx)
    if problems:
        return None
    return GeneratedBlock(id=block_id, title=str(data.get("title", generator)), span=positions.locate(prefix),
                          generator=generator, data=data, places=_places(positions, prefix))


def _places(positions: Positions, prefix: JsonPath) -> dict[tuple, Span]:
    """The positions of a block's data, by JSON path within the data."""
    return {path[len(prefix):]: span for path, span in positions.values.items() if path[:len(prefix)] == prefix}


def _report_problems(problems, prefix: JsonPath, positions: Positions, ctx: UnitContext) -> None:
    for problem in problems:
        located = schema_diagnostic(problem[1], (*prefix, *problem[0]), positions, problem[2])
        ctx.reporter.emit(Diagnostic(Code.BLOCK_INVALID, located.message, located.span, located.hint))


def custom_block(tag: str, block_id: str, data: Any, positions: Positions, prefix: JsonPath, path: Path,
                 ctx: UnitContext) -> CustomBlock | None:
    """Check `data` with the block's own codec, then its file references; None if anything failed."""
    codec = block_codecs()[tag]
    if not isinstance(data, dict):
        ctx.reporter.error(Code.BLOCK_INVALID, _("the data of a `{tag}` block must be a mapping").format(tag=tag),
                           positions.locate(prefix))
        return None
    problems = codec.validate(data)
    _report_problems(problems, prefix, positions, ctx)
    if problems or not _speaks_course_language(tag, codec, data, positions.locate(prefix) or Span(path), ctx):
        return None
    refs = codec.asset_refs(data)
    assets = {ref: resolved for ref_path, ref in refs
              if (resolved := resolve_file(ref, path.parent, ctx, positions.locate((*prefix, *ref_path))))}
    if len(assets) < len({ref for _, ref in refs}):
        return None
    if "language" in codec.load_schema().get("properties", {}):
        data = {"language": _language(ctx), **data}
    return CustomBlock(id=block_id, title=str(data.get("title", tag)), span=positions.locate(prefix) or Span(path),
                       tag=tag, data=data, assets=assets, places=_places(positions, prefix))


def referenced(ref: str, base: Path) -> Path:
    """The path a relative reference written in `base` names, before links are followed."""
    return base / ref.split("#")[0].split("?")[0]


def _language(ctx: UnitContext) -> str:
    return ctx.language.split("-")[0]


def _speaks_course_language(tag: str, codec, data: dict, span: Span, ctx: UnitContext) -> bool:
    """A block whose interface comes in a few languages is given the course's, unless it names its own."""
    languages = codec.load_schema().get("properties", {}).get("language", {}).get("enum")
    if "language" in data or not languages or _language(ctx) in languages:
        return True
    ctx.reporter.error(Code.BLOCK_INVALID, _("the `{tag}` block has no interface in the course's language ({language})")
                       .format(tag=tag, language=_language(ctx)), span,
                       _("choose one of its languages for it: {choices}").format(
                           choices=", ".join(f"`language: {language}`" for language in languages)))
    return False


def resolve_file(ref: str, base: Path, ctx: UnitContext, span: Span | None) -> Path | None:
    """The file a relative reference names, or None after reporting why it can't be used."""
    target = resolved(referenced(ref, base))
    if target is None:
        ctx.reporter.error(Code.MISSING_ASSET, _("'{ref}' is a symbolic-link loop").format(ref=ref), span, loop_hint())
        return None
    if not inside(target, ctx.course_root):
        ctx.reporter.error(Code.ASSET_OUTSIDE, _("'{ref}' points outside the course folder").format(ref=ref), span,
                           _("copy the file into the course folder and link to the copy"))
        return None
    if not target.is_file():
        ctx.reporter.error(Code.MISSING_ASSET, _("'{ref}' does not exist").format(ref=ref), span,
                           did_you_mean(target))
        return None
    return target
