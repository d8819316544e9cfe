"""Accessibility of lesson content: text alternatives, heading outline, link purpose, table headers.

These are the WCAG criteria an author controls in Markdown; the rest (contrast, keyboard use) belongs
to the platform and the XBlocks. Checks run on the Markdown of lessons only (code and YAML masked).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import _
from parcours.lint.regions import markdown_view, span_at

_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\](?=[(\[])")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_HTML_ALT = re.compile(r"\salt\s*=", re.I)
# Not after `!` (an image) or `]`: checked after the `[`, which the regex engine can then jump to.
_LINK = re.compile(r"\[(?<![!\]]\[)(?P<text>[^\]\n]*)\](?=[(\[])")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>", re.I)
_ADDRESS = re.compile(r"^(?:https?://|www\.|mailto:)\S+$", re.I)
# `#{1,6}` at the start of a line: the line start is checked after the first `#`, which the engine jumps to.
_HEADING = re.compile(r"(?P<hashes>#(?<=^#)#{0,5})[ \t]+\S", re.M)
_TABLE_HEAD = re.compile(r"^(?P<header>[ \t]*[^\n]*\|[^\n]*)\n[ \t]*\|?[ \t]*:?-+:?[ \t]*"
                         r"(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.M)
_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.I | re.S)
_HTML_HEADER_CELL = re.compile(r"<th\b", re.I)
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
# Link texts that only make sense next to the link; compared in lower case, without end punctuation.
VAGUE_LINK_TEXTS = frozenset({
    "ici", "cliquez ici", "cliquer ici", "lien", "ce lien", "le lien", "en savoir plus", "pour en savoir plus",
    "lire la suite", "la suite", "suite", "plus", "voir", "voir ici", "page", "cette page",
    "here", "click here", "link", "this link", "read more", "more", "learn more", "this page",
})


Found = Iterator[tuple[int, Code, str, str]]  # (offset in the text, code, message, hint)


def check(path: Path, text: str) -> list[Diagnostic]:
    """Every accessibility problem of a lesson's Markdown (none for other files)."""
    view = markdown_view(path, text)
    found = [*_images(view), *_links(view), *_headings(view), *_tables(view)]
    return [Diagnostic(code, message, span_at(path, text, offset), hint) for offset, code, message, hint in found]


def _images(view: str) -> Found:
    hint = _("describe what the image shows or teaches: `![Description](image.png)`; a purely decorative "
             "image takes `<img src=\"…\" alt=\"\">`")
    for match in _IMAGE.finditer(view):
        if not match["alt"].strip():
            yield match.start(), Code.IMAGE_ALT, _("image without a text alternative"), hint
    for match in _HTML_IMAGE.finditer(view):
        if not _HTML_ALT.search(match.group()):
            yield match.start(), Code.IMAGE_ALT, _("`<img>` without an `alt` attribute"), hint


def _links(view: str) -> Found:
    hint = _("name the destination in the link text: `[the Montréal Declaration](https://…)`, not "
             "`[here](https://…)`")
    for match in _LINK.finditer(view):
        if problem := _link_text_problem(match["text"]):
            yield match.start(), Code.LINK_TEXT, problem, hint
    for match in _AUTOLINK.finditer(view):
        yield (match.start(), Code.LINK_TEXT, _("the link text is an address"),
               _("write `[name of the destination](address)` instead of `<address>`"))


def _link_text_problem(text: str) -> str | None:
    words = re.sub(r"[*_`]", "", text).strip(" \t\u00a0\u202f")
    if not words:
        return _("link without text")
    if _ADDRESS.match(words):
        return _("the link text is an address")
    normal = " ".join(words.rstrip(".:;!?…\u00a0\u202f ").casefold().split())
    if normal in VAGUE_LINK_TEXTS:
        return _("the link text '{text}' does not say where the link goes").format(text=words)
    return None


def _headings(view: str) -> Found:
    """A page starts at level 2 (its `##` heading, or the lesson title for the first page)."""
    previous = 2
    for match in _HEADING.finditer(view):
        level = len(match["hashes"])
        if level == 1:
            yield (match.start(), Code.HEADING_LEVEL, _("level-1 heading (`#`) inside a lesson"),
                   _("a page starts with `## Title {#id}` and its sections with `###`"))
            continue
        if level > previous + 1:
            yield (match.start(), Code.HEADING_LEVEL,
                   _("heading level {level} follows level {previous}: level {skipped} is skipped").format(
                       level=level, previous=previous, skipped=previous + 1),
                   _("write `{hashes}` here, or add the missing level above").format(hashes="#" * (previous + 1)))
        previous = level


def _tables(view: str) -> Found:
    for match in _TABLE_HEAD.finditer(view):
        header = match["header"].strip()
        cells = _CELL_SEPARATOR.split(header.removeprefix("|").removesuffix("|"))
        if not any(cell.strip() for cell in cells):
            offset = match.start() + len(match["header"]) - len(match["header"].lstrip())
            yield (offset, Code.TABLE_HEADER, _("table whose header row is empty"),
                   _("name each column in the first row: `| Niveau | Effets |`"))
    for match in _HTML_TABLE.finditer(view):
        if not _HTML_HEADER_CELL.search(match.group()):
            yield (match.start(), Code.TABLE_HEADER, _("`<table>` without header cells"),
                   _("mark the header cells as `<th scope=\"col\">`"))
