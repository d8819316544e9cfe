"""Stage 2: YAML with positions.

One PyYAML pass gives both the data and a table from each JSON path to its line and column, so the
validator can point at the exact value (a simple document is composed without PyYAML's scanner, into
the same nodes). The loader reads YAML the 1.2 way where 1.1 surprises
authors: only true/false are booleans and dates stay text; a repeated key is an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import N_, _, rephrased
from parcours.project import NOT_XML
from parcours.sources import Span

JsonPath = tuple[str | int, ...]

_LOOSE_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_YAML11_BOOLEANS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")

# PyYAML's messages (a problem, then what it was doing) that StrictLoader can raise, in its own words (see
# rephrased()).
_PYYAML_MESSAGES = (
    N_("could not find expected ':'"),
    N_("expected a comment or a line break, but found {found}"),
    N_("expected alphabetic or numeric character, but found {found}"),
    N_("expected chomping or indentation indicators, but found {found}"),
    N_("expected indentation indicator in the range 1-9, but found 0"),
    N_("expected escape sequence of {count} hexadecimal numbers, but found {found}"),
    N_("expected URI escape sequence of 2 hexadecimal numbers, but found {found}"),
    N_("expected URI, but found {found}"),
    N_("expected ' ', but found {found}"),
    N_("expected '!', but found {found}"),
    N_("expected '>', but found {found}"),
    N_("expected a digit, but found {found}"),
    N_("expected a digit or ' ', but found {found}"),
    N_("expected a digit or '.', but found {found}"),
    N_("expected '<document start>', but found {found}"),
    N_("expected <block end>, but found {found}"),
    N_("expected the node content, but found {found}"),
    N_("expected ',' or ']', but got {found}"),
    N_("expected ',' or '}}', but got {found}"),
    N_("expected a single document in the stream"),
    N_("but found another document"),
    N_("found character {character} that cannot start any token"),
    N_("found unknown escape character {character}"),
    N_("found unexpected document separator"),
    N_("found unexpected end of stream"),
    N_("found duplicate YAML directive"),
    N_("found incompatible YAML document (version 1.* is required)"),
    N_("found undefined tag handle {handle}"),
    N_("duplicate tag handle {handle}"),
    N_("found duplicate anchor {anchor}; first occurrence"),
    N_("second occurrence"),
    N_("found unhashable key"),
    N_("could not determine a constructor for the tag {tag}"),
    N_("invalid indentation or unclosed '[' or '{{'"),
    N_("mapping keys are not allowed here"),
    N_("mapping values are not allowed here"),
    N_("sequence entries are not allowed here"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a block scalar"),
    N_("while scanning a directive"),
    N_("while scanning a tag"),
    N_("while scanning an anchor"),
    N_("while scanning an alias"),
    N_("while scanning for the next token"),
    N_("while parsing a block collection"),
    N_("while parsing a block mapping"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow sequence"),
    N_("while parsing a block node"),
    N_("while parsing a flow node"),
    N_("while parsing a node"),
    N_("while parsing a directive"),
    N_("while parsing a tag"),
    N_("while constructing a mapping"),
)


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's yes/no/on/off booleans and implicit dates, and without aliases
    (`*name`): course sources don't need them, and they can hide cycles and huge expansions."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, _("the alias *{anchor} is not supported").format(
                anchor=event.anchor), event.start_mark)
        return super().compose_node(parent, index)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _LOOSE_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document starts."""

    values: dict[JsonPath, Span] = field(default_factory=dict)
    keys: dict[JsonPath, Span] = field(default_factory=dict)

    def locate(self, path: JsonPath, *, key: bool = False) -> Span | None:
        """The closest known place: the value itself, else its nearest ancestor."""
        table = self.keys if key and path in self.keys else self.values
        for length in range(len(path), -1, -1):
            span = table.get(path[:length]) or self.values.get(path[:length])
            if span:
                return span
        return None


@dataclass
class YamlDocument:
    data: Any
    positions: Positions


def load_yaml(text: str, file: Path, *, line_offset: int = 0) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one YAML document. `line_offset` is the file line just before the text (front matter)."""
    try:
        simple = _SimpleComposer(text).mapping()
        loader = _ComposedLoader(simple) if simple else StrictLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, found before any parsing
        before = text[:error.position]
        span = Span(file, line_offset + before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1)
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        return None, [Diagnostic(Code.YAML_SYNTAX, _("the character U+{codepoint:04X} is not allowed in YAML").format(
                                     codepoint=character), span,
                                 _("delete it; invisible control characters often come with pasted text"))]
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument({}, Positions({(): Span(file, line_offset + 1)})), []
        diagnostics = _check_nodes(node, file, line_offset)
        if any(d.code is Code.YAML_DUPLICATE_KEY for d in diagnostics):
            return None, diagnostics
        data = loader.construct_document(node)
        positions = Positions()
        _record(node, (), positions, file, line_offset)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_error(error, file, line_offset)]
    except yaml.YAMLError as error:  # e.g. a stray control character before any mark exists
        return None, [Diagnostic(Code.YAML_SYNTAX, str(error), Span(file, line_offset + 1))]
    except RecursionError:
        return None, [too_deep("YAML", Span(file, line_offset + 1))]
    except (ValueError, OverflowError) as error:  # YAML accepts it, Python can't hold it (month 13, 5000 digits)
        return None, [Diagnostic(Code.YAML_SYNTAX, _("a value cannot be read: {error}").format(error=error),
                                 Span(file, line_offset + 1),
                                 _("quote the value to keep it as text"))]
    finally:
        loader.dispose()
    if unwritable := _first_unwritable(node, file, line_offset):
        return None, [unwritable]
    return YamlDocument(data, positions), diagnostics


# Simple documents, as most front matters and module files are: a mapping whose keys map to plain
# scalars on their own line (`key: value`), to flow sequences of them on one line (`key: [a, b]`) or
# to block sequences of them (`key:` then `  - a` lines). PyYAML's pure-Python scanner spends ~100 µs
# on even a one-line document; _SimpleComposer builds the same nodes StrictLoader would (tags from its
# resolver, values, styles, start marks) in a few µs, and gives up on anything else. Why the patterns
# below read exactly as PyYAML does (reader.py, scanner.py):
# - every character is printable, and none is a tab or a line break other than \n (NON_PRINTABLE;
#   scan_plain refuses tabs; \x85, U+2028, U+2029 break lines), so the reader refuses nothing; nor
#   is any U+FEFF, which the reader does not count in columns (Reader.forward);
# - a key at column 0 (at most 100 characters, the simple-key limit is 1024) ends at `:` before a
#   space or the end of the line;
# - a plain value starts with no indicator nor space (check_plain), holds no `: ` (a key) nor ` #` (a
#   comment), ends with neither a space nor `:` (_reads_as_written), and the next line, indented
#   less, ends it (scan_plain); every character between is read as written;
# - a flow sequence item also ends at any of `,?[]{}`, so it holds none of them, nor `:` or `#`;
#   spaces after `[` and `,` are skipped;
# - block sequence items are `- ` lines indented alike by at least one space (at column 0 the parser
#   gives the sequence no flow style), each value ended by the next line's lesser indentation.
_CHARACTER = r"[\x21-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"  # not a space
_FIRST = rf"(?![-?:,\[\]{{}}#&*!|>'\"%@`]){_CHARACTER}"
_PLAIN = re.compile(rf"{_FIRST}(?: |{_CHARACTER})*")
_FLOW_ITEM = re.compile(rf"{_FIRST}(?: *(?![,?\[\]{{}}:#]){_CHARACTER})*")
_FLOW_SEQUENCE = re.compile(rf"\[ *{_FLOW_ITEM.pattern}(?:, *{_FLOW_ITEM.pattern})*\]")
_KEY_LINE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(?P<value>.*))?")
_ITEM_LINE = re.compile(rf"(?P<indent> +)- +(?P<value>{_PLAIN.pattern})")


def _reads_as_written(value: str) -> bool:
    """Whether a plain value matched by _PLAIN is a whole scalar, read exactly as written."""
    return ": " not in value and " #" not in value and not value.endswith((" ", ":"))


class _StrictResolver(yaml.resolver.BaseResolver):
    """StrictLoader's resolver alone: a scalar's tag from its text, the way StrictLoader gives it."""

    yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers


_RESOLVER = _StrictResolver()


class _SimpleComposer:
    """StrictLoader's node tree of a simple document, or None for any other. Only start marks are
    set: they are all that positions and diagnostics read."""

    def __init__(self, text: str) -> None:
        self.lines = text.removesuffix("\n").split("\n")
        self.line_starts = list(accumulate((len(line) + 1 for line in self.lines), initial=0))
        self.resolve = _RESOLVER.resolve

    def mapping(self) -> yaml.MappingNode | None:
        pairs, number = [], 0
        while number < len(self.lines):
            match = _KEY_LINE.fullmatch(self.lines[number])
            if match is None:
                return None
            key = self._scalar(match["key"], number, 0)
            if match["value"] is None:  # `key:` alone: a block sequence follows
                value, number = self._block_sequence(number + 1)
            else:
                value, number = self._inline_value(number, match.start("value")), number + 1
            if value is None:
                return None
            pairs.append((key, value))
        tag = self.resolve(yaml.MappingNode, None, True)
        return yaml.MappingNode(tag, pairs, self._mark(0, 0), flow_style=False)

    def _inline_value(self, number: int, column: int) -> yaml.Node | None:
        line = self.lines[number]
        if _PLAIN.fullmatch(line, column) and _reads_as_written(line[column:]):
            return self._scalar(line[column:], number, column)
        if _FLOW_SEQUENCE.fullmatch(line, column):
            items = [self._scalar(item.group(), number, item.start())
                     for item in _FLOW_ITEM.finditer(line, column + 1, len(line) - 1)]
            return self._sequence(items, number, column, flow_style=True)
        return None

    def _block_sequence(self, number: int) -> tuple[yaml.SequenceNode | None, int]:
        """The sequence of the `- value` lines from line `number` on, and the line after it."""
        first, indent, items = number, None, []
        while number < len(self.lines) and (match := _ITEM_LINE.fullmatch(self.lines[number])):
            indent = indent or match["indent"]
            if match["indent"] != indent or not _reads_as_written(match["value"]):
                return None, number
            items.append(self._scalar(match["value"], number, match.start("value")))
            number += 1
        if not items:
            return None, number
        return self._sequence(items, first, len(indent), flow_style=False), number

    def _sequence(self, items: list[yaml.Node], number: int, column: int, *, flow_style: bool) -> yaml.SequenceNode:
        tag = self.resolve(yaml.SequenceNode, None, True)
        return yaml.SequenceNode(tag, items, self._mark(number, column), flow_style=flow_style)

    def _scalar(self, value: str, number: int, column: int) -> yaml.ScalarNode:
        return yaml.ScalarNode(self.resolve(yaml.ScalarNode, value, (True, False)), value, self._mark(number, column))

    def _mark(self, number: int, column: int) -> yaml.Mark:
        return yaml.Mark("<unicode string>", self.line_starts[number] + column, number, column, None, None)


class _ComposedLoader(yaml.constructor.SafeConstructor):
    """StrictLoader's constructor with a document _SimpleComposer read: what load_yaml asks of a loader,
    without the scanner and parser StrictLoader sets up for every text (~4 µs, longer than composing)."""

    def __init__(self, node: yaml.MappingNode) -> None:
        super().__init__()
        self.node = node

    def get_single_node(self) -> yaml.MappingNode:
        return self.node

    def dispose(self) -> None:
        pass


def _first_unwritable(node: yaml.Node, file: Path, line_offset: int) -> Diagnostic | None:
    """A string whose escapes (`"\\ud800"`, `"\\x01"`) give a character XML cannot hold."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) and (bad := NOT_XML.search(current.value)):
            return Diagnostic(Code.YAML_SYNTAX, _("the character U+{codepoint:04X} cannot be written in Open edX XML")
                              .format(codepoint=ord(bad.group())), _span(current.start_mark, file, line_offset),
                              _("remove the escape sequence that writes it"))
        if isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def too_deep(language: str, span: Span) -> Diagnostic:
    return Diagnostic(Code.TOO_DEEP, _("this {language} nests too deeply to be read").format(language=language), span,
                      _("flatten the structure: a course source never needs hundreds of nested levels"))


def _span(mark: yaml.Mark, file: Path, line_offset: int) -> Span:
    return Span(file, mark.line + 1 + line_offset, mark.column + 1)


def _syntax_error(error: yaml.MarkedYAMLError, file: Path, line_offset: int) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    message = rephrased(error.problem, _PYYAML_MESSAGES) if error.problem else _("invalid YAML")
    if error.context:
        message = f"{message} ({rephrased(error.context, _PYYAML_MESSAGES)})"
    return Diagnostic(Code.YAML_SYNTAX, message, _span(mark, file, line_offset) if mark else None,
                      _syntax_hint(error.problem or "", error.context or ""))


def _syntax_hint(problem: str, context: str) -> str:
    """What to do, judged from PyYAML's own words, which are English."""
    if "alias" in problem or "alias" in context:
        return _("write the value out in full where it is needed")
    if "\t" in problem or "tab" in problem or "tab" in context:
        return _("YAML does not allow tabs for indentation; use spaces")
    if "mapping values are not allowed" in problem or "mapping values are not allowed" in context:
        return _("a value containing ': ' must be quoted")
    return _("check the indentation and the quotes just before this point")


def _check_nodes(node: yaml.Node, file: Path, line_offset: int) -> list[Diagnostic]:
    """Duplicate keys and YAML 1.1 booleans, found on the node tree before construction."""
    found: list[Diagnostic] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, value_node in current.value:
                key = getattr(key_node, "value", None)
                if isinstance(key_node, yaml.ScalarNode) and key in seen:
                    first = seen[key].start_mark.line + 1 + line_offset
                    found.append(Diagnostic(
                        Code.YAML_DUPLICATE_KEY,
                        _("duplicate key '{key}' (first at line {line})").format(key=key, line=first),
                        _span(key_node.start_mark, file, line_offset),
                        _("remove one of the two, or rename it"),
                        (_span(seen[key].start_mark, file, line_offset),)))
                elif isinstance(key_node, yaml.ScalarNode):
                    seen[key] = key_node
                stack.extend((key_node, value_node))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif (isinstance(current, yaml.ScalarNode) and current.style is None
              and _YAML11_BOOLEANS.match(current.value)):
            found.append(Diagnostic(
                Code.YAML_IMPLICIT_BOOL,
                _("'{value}' is read as text here, but as a boolean by YAML 1.1 tools").format(value=current.value),
                _span(current.start_mark, file, line_offset),
                _("write \"{value}\" (quoted) for text, or true/false for a boolean").format(value=current.value)))
    return found


def _record(node: yaml.Node, path: JsonPath, positions: Positions, file: Path, line_offset: int) -> None:
    positions.values[path] = _span(node.start_mark, file, line_offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            positions.keys[child] = _span(key_node.start_mark, file, line_offset)
            _record(value_node, child, positions, file, line_offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), positions, file, line_offset)
