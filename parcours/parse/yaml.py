"""Stage 2: YAML with positions.

One PyYAML pass gives both the data and a table from each JSON path to its line and column, so the
validator can point at the exact value. The loader reads YAML the 1.2 way where 1.1 surprises
authors: only true/false are booleans and dates stay text; a repeated key is an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from parcours.diagnostics import Code, Diagnostic
from parcours.project import NOT_XML
from parcours.sources import Span

JsonPath = tuple[str | int, ...]

_LOOSE_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_YAML11_BOOLEANS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's yes/no/on/off booleans and implicit dates, and without aliases
    (`*name`): course sources don't need them, and they can hide cycles and huge expansions."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"the alias *{event.anchor} is not supported",
                                              event.start_mark)
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
        loader = StrictLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, found before any parsing
        before = text[:error.position]
        span = Span(file, line_offset + before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1)
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        return None, [Diagnostic(Code.YAML_SYNTAX, f"the character U+{character:04X} is not allowed in YAML", span,
                                 "delete it; invisible control characters often come with pasted text")]
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
        return None, [Diagnostic(Code.YAML_SYNTAX, f"a value cannot be read: {error}", Span(file, line_offset + 1),
                                 "quote the value to keep it as text")]
    finally:
        loader.dispose()
    if unwritable := _first_unwritable(node, file, line_offset):
        return None, [unwritable]
    return YamlDocument(data, positions), diagnostics


def _first_unwritable(node: yaml.Node, file: Path, line_offset: int) -> Diagnostic | None:
    """A string whose escapes (`"\\ud800"`, `"\\x01"`) give a character XML cannot hold."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) and (bad := NOT_XML.search(current.value)):
            return Diagnostic(Code.YAML_SYNTAX, f"the character U+{ord(bad.group()):04X} cannot be written in "
                              "Open edX XML", _span(current.start_mark, file, line_offset),
                              "remove the escape sequence that writes it")
        if isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def too_deep(language: str, span: Span) -> Diagnostic:
    return Diagnostic(Code.TOO_DEEP, f"this {language} nests too deeply to be read", span,
                      "flatten the structure: a course source never needs hundreds of nested levels")


def _span(mark: yaml.Mark, file: Path, line_offset: int) -> Span:
    return Span(file, mark.line + 1 + line_offset, mark.column + 1)


def _syntax_error(error: yaml.MarkedYAMLError, file: Path, line_offset: int) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    message = error.problem or "invalid YAML"
    if error.context:
        message = f"{message} ({error.context})"
    hint = "check the indentation and the quotes just before this point"
    if "alias" in message:
        hint = "write the value out in full where it is needed"
    elif "\t" in (error.problem or "") or "tab" in message:
        hint = "YAML does not allow tabs for indentation; use spaces"
    elif "mapping values are not allowed" in message:
        hint = "a value containing ': ' must be quoted"
    return Diagnostic(Code.YAML_SYNTAX, message, _span(mark, file, line_offset) if mark else None, hint)


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
                        Code.YAML_DUPLICATE_KEY, f"duplicate key '{key}' (first at line {first})",
                        _span(key_node.start_mark, file, line_offset),
                        "remove one of the two, or rename it",
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
                f"'{current.value}' is read as text here, but as a boolean by YAML 1.1 tools",
                _span(current.start_mark, file, line_offset),
                f"write \"{current.value}\" (quoted) for text, or true/false for a boolean"))
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
