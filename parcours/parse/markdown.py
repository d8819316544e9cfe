"""Stage 2: lessons. A Markdown file with YAML front matter, cut into pages, text and directives.

The scanner works line by line so every piece keeps its file line: a lesson starts with an optional
front matter between `---` lines; each level-2 heading `## Title {#id}` starts a page; a directive
`:::{name} id` … `:::` embeds a problem or a custom block; fenced code is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import _
from parcours.model.ids import slugify
from parcours.sources import Span

_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIRECTIVE_OPEN = re.compile(r"^:::\{(?P<name>[^}]*)\}\s*(?P<arg>\S*)\s*(?P<rest>.*)$")
_DIRECTIVE_CLOSE = re.compile(r"^:::\s*$")
_OPTION = re.compile(r"^:(?P<key>[A-Za-z_][\w-]*):(?:\s+(?P<value>.*))?$")
_PAGE_HEADING = re.compile(r"^##(?!#)\s+(?P<title>.*?)\s*$")
_HEADING_ID = re.compile(r"\s*\{#(?P<id>[^}\s]*)\}\s*$")
# The first characters of the lines the patterns above can match (a fence may be indented).
_MARKUP_STARTS = frozenset(" `~:#")


@dataclass(frozen=True, slots=True)
class TextChunk:
    """Markdown text between directives; `line` is the file line of its first line."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Directive:
    name: str
    argument: str
    options: dict[str, tuple[str, Span]]
    body: str
    body_line: int  # file line of the body's first line
    span: Span


@dataclass
class Page:
    id: str | None  # None: the lesson's first page, named after the lesson
    title: str | None
    span: Span
    parts: list[TextChunk | Directive] = field(default_factory=list)


@dataclass
class Lesson:
    front_matter: str | None
    front_matter_line: int  # file line of the first front-matter line
    pages: list[Page]


def split_front_matter(text: str, file: Path) -> tuple[str | None, int, int, list[Diagnostic]]:
    """(front matter, its first line, first body line, diagnostics)."""
    return _split_front_matter(text.split("\n"), file)


def _split_front_matter(lines: list[str], file: Path) -> tuple[str | None, int, int, list[Diagnostic]]:
    if not lines or lines[0].rstrip() != "---":
        return None, 1, 1, []
    for index, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:index - 1]), 2, index + 1, []
    return None, 2, 1, [Diagnostic(Code.FRONT_MATTER, _("the front matter opened on line 1 is never closed"),
                                   Span(file, 1), _("add a line with `---` after the last front-matter line"))]


def parse_lesson(text: str, file: Path) -> tuple[Lesson, list[Diagnostic]]:
    lines = text.split("\n")
    front_matter, fm_line, body_line, diagnostics = _split_front_matter(lines, file)
    scanner = _Scanner(file, diagnostics)
    scanner.scan(lines[body_line - 1:], body_line)
    return Lesson(front_matter, fm_line, scanner.pages), diagnostics


class _Scanner:
    def __init__(self, file: Path, diagnostics: list[Diagnostic]) -> None:
        self.file = file
        self.diagnostics = diagnostics
        self.pages = [Page(None, None, Span(file, 1))]
        self.text: list[str] = []
        self.text_line = 0

    def scan(self, lines: list[str], first_line: int) -> None:
        index, fence = 0, None
        while index < len(lines):
            line, number = lines[index], first_line + index
            if line[:1] not in _MARKUP_STARTS:  # most lines: plain text, in a fence or not
                self._add_text(line, number)
                index += 1
                continue
            code = _CODE_FENCE.match(line)
            if fence:
                fence = None if code and code.group(1)[0] == fence[0] and len(code.group(1)) >= len(fence) else fence
            elif code:
                fence = code.group(1)
            elif match := _DIRECTIVE_OPEN.match(line):
                index = self._directive(lines, index, first_line, match)
                continue
            elif _DIRECTIVE_CLOSE.match(line):
                self.diagnostics.append(Diagnostic(
                    Code.DIRECTIVE_SYNTAX, _("`:::` closes no open directive"), Span(self.file, number),
                    _("remove it, or open the directive with `:::{name} id`")))
                index += 1
                continue
            elif heading := _PAGE_HEADING.match(line):
                self._page(heading.group("title"), number)
                index += 1
                continue
            self._add_text(line, number)
            index += 1

        self._flush_text()

    def _add_text(self, line: str, number: int) -> None:
        if not self.text:
            if not line.strip():
                return
            self.text_line = number
        self.text.append(line)

    def _flush_text(self) -> None:
        content = "\n".join(self.text).strip()
        if content:
            self.pages[-1].parts.append(TextChunk(content + "\n", self.text_line))
        self.text = []

    def _page(self, heading: str, number: int) -> None:
        self._flush_text()
        id_match = _HEADING_ID.search(heading)
        title = heading[:id_match.start()] if id_match else heading
        page_id = id_match.group("id") if id_match else ""
        if not page_id:
            suggestion = slugify(title) or "page"
            self.diagnostics.append(Diagnostic(
                Code.PAGE_ID, _("the page « {title} » has no id").format(title=title), Span(self.file, number, 4),
                _("add an id at the end of the heading: `## {title} {{#{id}}}`").format(title=title, id=suggestion)))
        self.pages.append(Page(page_id or f"line-{number}", title.strip(), Span(self.file, number)))

    def _directive(self, lines: list[str], start: int, first_line: int, match: re.Match) -> int:
        self._flush_text()
        span = Span(self.file, first_line + start)
        name, argument = match.group("name").strip(), match.group("arg")
        if match.group("rest"):
            self.diagnostics.append(Diagnostic(
                Code.DIRECTIVE_SYNTAX, _("unexpected text after the id: '{text}'").format(text=match.group("rest")),
                Span(self.file, span.line, match.start("rest") + 1),
                _("the opening line holds only `:::{name} id`; put options on `:key: value` lines below")))
        options: dict[str, tuple[str, Span]] = {}
        index = start + 1
        while index < len(lines) and (option := _OPTION.match(lines[index])):
            key, option_span = option.group("key"), Span(self.file, first_line + index, 2)
            if key in options:
                self.diagnostics.append(Diagnostic(
                    Code.DIRECTIVE_SYNTAX, _("the option `:{key}:` is already given (line {line})").format(
                        key=key, line=options[key][1].line), option_span, _("keep one of the two")))
            options[key] = ((option.group("value") or "").strip(), option_span)
            index += 1
        body_start = index
        while index < len(lines) and not _DIRECTIVE_CLOSE.match(lines[index]):
            index += 1
        if index == len(lines):
            self.diagnostics.append(Diagnostic(
                Code.DIRECTIVE_SYNTAX, _("the directive `{{{name}}}` opened here is never closed").format(name=name),
                span,
                _("close it with a line holding only `:::`")))
        body = "\n".join(lines[body_start:index])
        self.pages[-1].parts.append(Directive(name, argument, options, body + "\n" if body else "",
                                              first_line + body_start, span))
        return index + 1
