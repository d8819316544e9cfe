"""Which characters of a source file are prose: the views the content lints search.

A view is the file's text with every character that is not of interest replaced by `MASK`, so it has
the same length and the same lines as the file: a match at offset N in a view is at offset N in the
file, and a diagnostic points at the exact line and column. A lesson is cut the way the compiler reads
it (`parse_lesson`): its front matter and the bodies of custom-block directives are YAML, problem
bodies and the text between directives are Markdown, directive lines and options are markup.
"""
from __future__ import annotations

import re
from functools import lru_cache
from heapq import heapify, heappop, heappush
from itertools import accumulate
from pathlib import Path

import yaml

from parcours.model.lessons import PROBLEM
from parcours.parse.markdown import Directive, parse_lesson, split_front_matter
from parcours.parse.yaml import compose
from parcours.sources import Span

MASK = "\x00"
_STRING_TAG = "tag:yaml.org,2002:str"
_Parts = tuple[tuple[int, int, str], ...]  # (first line, line count, "markdown" | "yaml") of each part of a file

# YAML values that name or locate things rather than say them.
_NOT_PROSE_KEYS = frozenset({"id", "type", "url", "consulted", "date", "start", "end", "due", "language",
                             "languages", "licence", "version", "image", "repository", "units", "modules"})
_NOT_PROSE_VALUE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://\S*|mailto:\S*|\d{4}-\d{2}-\d{2}\S*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# `(``*)` rather than `(`+)`: the same code spans, but the engine sees that they open with a backtick.
_INLINE_CODE = re.compile(r"(``*)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_YAML_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)


def _at_word_start(word: str) -> str:
    r"""`\bword`, written so that the regex engine can jump to the word: the boundary is checked after it."""
    return rf"{word}(?<=\b{word})"


# Markdown and problem syntax inside prose that typography must not touch: the branches of one alternation,
# searched branch by branch (`_mask_markup`) so that each opens with a literal or a character class, which
# the regex engine jumps to; as a single alternation every branch was tried at every character.
_NOT_PROSE_MARKUP = tuple(re.compile(branch, re.S) for branch in [
    r"<!--.*?-->",                                    # HTML comments
    r"</?[A-Za-z][^<>]*>",                            # HTML tags with their attributes, autolinks
    r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)",  # link and image targets, titles
    r"(?m:^ {0,3}\[[^\]\n]+\]:[^\n]*$)",              # reference definitions (one line)
    _at_word_start("http") + r"s?://\S+",             # bare addresses
    _at_word_start("ftp") + r"://\S+",
    _at_word_start("mailto:") + r"\S+",
    _at_word_start(r"www\.") + r"\S+",
    r"\{[#.:][^}\n]*\}",                              # attribute lists: {#page-id}
    r"(?m:^[ \t]*:(?=[ \t]))",                        # definition-list markers
    r"(?m:^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$)",  # table delimiter rows
    r"!(?=\[)",                                       # the `!` of an image
    r">>|<<|\|\||\{\{|\}\}|\[\[|\]\]|\((?:[xX @!])\)|\[[xX ]\]|\[explanation\]",  # problem markers
    *(_at_word_start(word) for word in ("unselected:", "selected:", "or=", "not=")),
])


def _blank(text: str) -> str:
    """`text` with every character but line ends masked (line by line: much faster than per character)."""
    return "\n".join(MASK * len(line) for line in text.split("\n"))


def markdown_view(path: Path, text: str) -> str:
    """The Markdown of a lesson, without code (fenced or inline) and without YAML or directive lines."""
    return _read(path, text)[1]


def prose_view(path: Path, text: str) -> str:
    """What typography applies to: Markdown prose and YAML string values, without any markup."""
    parts, markdown = _read(path, text)
    view = _shown(markdown, text, _yaml_string_ranges(text, parts))
    return _mask_markup(_mask_matches(view, _INLINE_CODE))


@lru_cache(maxsize=4)  # `lint_file` asks for both views of each file: it is parsed and masked once
def _read(path: Path, text: str) -> tuple[_Parts, str]:
    """The parts of a file and its Markdown view."""
    parts = tuple(_parts(path, text))
    return parts, _markdown_view(text, parts)


def _parts(path: Path, text: str) -> list[tuple[int, int, str]]:
    """The parts of a file (see `_Parts`), as the compiler reads it."""
    if path.suffix in (".yaml", ".yml"):
        return [(1, text.count("\n") + 1, "yaml")]
    if path.suffix != ".md":
        return []
    front_matter, fm_line, body_line, _ = split_front_matter(text, path)
    parts = [(fm_line, body_line - 1 - fm_line, "yaml")] if front_matter is not None else []
    lesson, _ = parse_lesson(text, path)
    for page in lesson.pages:
        if page.title is not None:
            parts.append((page.span.line, 1, "markdown"))
        for part in page.parts:
            if isinstance(part, Directive):
                parts.append((part.body_line, part.body.count("\n"), "markdown" if part.name == PROBLEM else "yaml"))
            else:
                parts.append((part.line, part.text.count("\n"), "markdown"))
    return parts


def _markdown_view(text: str, parts: _Parts) -> str:
    lines = _line_offsets(text)
    markdown = [(lines[first - 1], lines[first - 1 + count]) for first, count, kind in parts if kind == "markdown"]
    view = _mask_fences(_shown(_blank(text), text, markdown), text)
    return _mask_matches(view, _INLINE_CODE)


def _line_offsets(text: str) -> list[int]:
    """Offset of the start of each line (1-based line N starts at [N - 1]), then the end of the text."""
    *starts, _ = accumulate((len(line) + 1 for line in text.split("\n")), initial=0)
    return [*starts, len(text)]


def _yaml_string_ranges(text: str, parts: _Parts) -> list[tuple[int, int]]:
    """(start, end) offsets of the prose string values of the YAML parts of a file."""
    lines = _line_offsets(text)
    ranges = []
    for first, count, kind in parts:
        if kind == "yaml":
            start, end = lines[first - 1], lines[min(first - 1 + count, len(lines) - 1)]
            ranges += _string_ranges(text[start:end], start)
    return ranges


def _string_ranges(yaml_text: str, offset: int) -> list[tuple[int, int]]:
    """Where each prose string value is written; never keys, ids, addresses or dates.

    A text with a YAML error (already reported by the compiler) simply has no prose here."""
    try:
        loader, root = compose(yaml_text)
    except (yaml.YAMLError, RecursionError, ValueError):  # ValueError: an escape beyond Unicode (`"\\U00110000"`)
        return []
    loader.dispose()
    ranges: list[tuple[int, int]] = []
    stack: list[tuple[yaml.Node | None, object]] = [(root, None)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, yaml.MappingNode):  # a key that is a list or a mapping (`[a]: b`) names nothing
            stack += [(value, key_node.value if isinstance(key_node, yaml.ScalarNode) else None)
                      for key_node, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, key) for item in node.value]
        elif (isinstance(node, yaml.ScalarNode) and node.tag == _STRING_TAG and key not in _NOT_PROSE_KEYS
              and not _NOT_PROSE_VALUE.match(node.value)):
            ranges += _scalar_ranges(yaml_text, node, offset)
    return ranges


def _scalar_ranges(yaml_text: str, node: yaml.ScalarNode, offset: int) -> list[tuple[int, int]]:
    """The written text of a scalar, without its quotes and, in double quotes, between its escapes."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style not in ('"', "'"):
        return [(offset + start, offset + end)]
    start, end = start + 1, end - 1
    if node.style == "'":
        return [(offset + start, offset + end)]
    ranges, position = [], start
    for escape in _YAML_ESCAPE.finditer(yaml_text, start, end):
        ranges.append((offset + position, offset + escape.start()))
        position = escape.end()
    return [*ranges, (offset + position, offset + end)]


def _shown(view: str, text: str, ranges: list[tuple[int, int]]) -> str:
    """`view` showing the characters of `text` in each (start, end) range; ranges may overlap."""
    pieces, position = [], 0
    for start, end in sorted(ranges):
        start = max(start, position)
        if start < end:
            pieces += [view[position:start], text[start:end]]
            position = end
    return "".join([*pieces, view[position:]])


def _mask_fences(view: str, text: str) -> str:
    """Mask fenced code blocks, delimiters included, found in the visible (Markdown) lines."""
    lines, fence = view.split("\n"), None  # the view has the text's line ends, and only "\n" ends a line
    for number, line in enumerate(text.split("\n")):
        visible = bool(line.strip()) and lines[number][0] != MASK
        opening = _FENCE.match(line) if visible or fence else None
        if fence or opening:
            lines[number] = MASK * len(line)
        if fence and opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
            fence = None
        elif not fence and opening:
            fence = opening.group(1)
    return "\n".join(lines)


def _mask_matches(view: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda match: _blank(match.group()), view)


def _mask_markup(view: str) -> str:
    """Mask what the alternation of `_NOT_PROSE_MARKUP` would match: from left to right, the leftmost match of
    any branch, the earliest branch among those matching there, then on from its end."""
    heap = [(match.start(), index, match) for index, branch in enumerate(_NOT_PROSE_MARKUP)
            if (match := branch.search(view))]
    heapify(heap)
    pieces, position = [], 0
    while heap:
        start, index, match = heappop(heap)
        if start >= position:  # the leftmost match, and the first branch there: no entry comes before it
            pieces += [view[position:start], _blank(match.group())]
            position = match.end()
        # an entry overlapping a mask (starting before `position`) is stale: its branch is searched again too
        if following := _NOT_PROSE_MARKUP[index].search(view, position):
            heappush(heap, (following.start(), index, following))
    return "".join([*pieces, view[position:]])


def span_at(path: Path, text: str, offset: int) -> Span:
    """The 1-based line and column of a character offset in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return Span(path, text.count("\n", 0, offset) + 1, offset - line_start + 1)
