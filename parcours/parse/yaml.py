"""Stage 2: YAML with positions.

One PyYAML pass gives both the data and a table from each JSON path to its line and column, so the
validator can point at the exact value. The loader reads YAML the 1.2 way where 1.1 surprises
authors: only true/false are booleans and dates stay text; a repeated key is an error.

Documents are read by libyaml when PyYAML has it (about ten times faster than in Python), with the
same resolvers and constructors. A document that libyaml refuses, that holds anything the two read
differently (see `_PYTHON_ONLY` and `_python_reads_otherwise`), or about which there is anything to
say is read again in Python, whose readings, positions and messages are the ones kept.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import N_, _, rephrased
from parcours.project import NOT_XML
from parcours.sources import Span

JsonPath = tuple[str | int, ...]

_LOOSE_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_FLOAT = "tag:yaml.org,2002:float"
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


# Where libyaml and PyYAML part ways, Python reads: libyaml accepts tabs and a comment right after a
# block scalar's `|` or `>`, which PyYAML refuses, and leaves a byte-order mark out of its columns; the
# characters PyYAML refuses are reported in its words.
_PYTHON_ONLY = re.compile(f"[\t\ufeff]|[|>][-+0-9]{{0,2}}#|{yaml.reader.Reader.NON_PRINTABLE.pattern}")

_PYTHON_DEPTH = 100  # nesting read in Python: far below where its recursion stops, far above any course's
_STANDARD_TAG, _STRING_TAG = "tag:yaml.org,2002:", "tag:yaml.org,2002:str"

if yaml.__with_libyaml__:
    class _StrictCLoader(yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """StrictLoader reading through libyaml. (libyaml writes a plain scalar's style as '', not None.)"""

        yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def compose(text: str) -> tuple[Any, yaml.Node | None]:
    """The loader that read `text`, and its node tree; raises what StrictLoader raises."""
    if yaml.__with_libyaml__ and not _PYTHON_ONLY.search(text):
        loader = _StrictCLoader(text)
        try:
            node = loader.get_single_node()
            if not _python_reads_otherwise(node, text):
                return loader, node
        except yaml.YAMLError:
            pass
        loader.dispose()
    return compose_in_python(text)


def compose_in_python(text: str) -> tuple[StrictLoader, yaml.Node | None]:
    loader = StrictLoader(text)
    try:
        return loader, loader.get_single_node()
    except BaseException:
        loader.dispose()
        raise


def _python_reads_otherwise(node: yaml.Node | None, text: str) -> bool:
    """What PyYAML may read otherwise, or refuse: a root that is not a mapping, an alias (libyaml reads it
    as the node of its anchor: a node met twice), a tag of one's own or the bare `!`, an empty key, an
    empty value in a text that may have `?` keys, in a flow collection an empty value or a `?` in plain
    text, and nesting deep enough that Python might not read it (it then says so, PC106)."""
    if not isinstance(node, yaml.MappingNode):
        return True
    seen: set[int] = set()
    stack = [(node, 0, False)]  # a node, its depth, whether it is inside a flow collection
    while stack:
        current, depth, in_flow = stack.pop()
        if id(current) in seen or depth > _PYTHON_DEPTH or not current.tag.startswith(_STANDARD_TAG):
            return True
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            if not current.style and (current.tag == _STRING_TAG and not current.value  # `!` or `!!str` alone
                                      or in_flow and (not current.value or "?" in current.value)):
                return True
            continue
        in_flow = in_flow or bool(current.flow_style)
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if _empty(key) or _empty(value) and "?" in text:
                    return True
                stack += [(key, depth + 1, in_flow), (value, depth + 1, in_flow)]
        else:
            stack.extend((item, depth + 1, in_flow) for item in current.value)
    return False


def _empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.style and not node.value


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
    """Parse one YAML document. `line_offset` is the file line just before the text (front matter).
    Whatever there is to say of it is found, and worded, by PyYAML's own reading."""
    (document, diagnostics), by_libyaml = _load(text, file, line_offset, compose)
    if by_libyaml and (document is None or diagnostics):
        (document, diagnostics), _ = _load(text, file, line_offset, compose_in_python)
    return document, diagnostics


def _load(text: str, file: Path, line_offset: int,
          composer: Callable[[str], tuple[Any, yaml.Node | None]]
          ) -> tuple[tuple[YamlDocument | None, list[Diagnostic]], bool]:
    """The document and what reading it found, and whether libyaml read it."""
    loader = None
    try:
        loader, node = composer(text)
        return _document(loader, node, file, line_offset), _by_libyaml(loader)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, found before any parsing
        found = [_unreadable(error, text, file, line_offset)]
    except yaml.MarkedYAMLError as error:
        found = [_syntax_error(error, file, line_offset)]
    except yaml.YAMLError as error:  # e.g. a stray control character before any mark exists
        found = [Diagnostic(Code.YAML_SYNTAX, str(error), Span(file, line_offset + 1))]
    except RecursionError:
        found = [too_deep("YAML", Span(file, line_offset + 1))]
    except (ArithmeticError, LookupError, AttributeError, TypeError, ValueError) as error:
        # YAML accepts it, Python can't hold it (month 13, 5000 digits), or PyYAML can't build it (`!!int`)
        found = [Diagnostic(Code.YAML_SYNTAX, _("a value cannot be read: {error}").format(error=error),
                            Span(file, line_offset + 1), _("quote the value to keep it as text"))]
    finally:
        if loader is not None:
            loader.dispose()
    return (None, found), _by_libyaml(loader)


def _by_libyaml(loader: Any) -> bool:
    return loader is not None and not isinstance(loader, StrictLoader)


def _document(loader: Any, node: yaml.Node | None, file: Path,
              line_offset: int) -> tuple[YamlDocument | None, list[Diagnostic]]:
    if node is None:
        return YamlDocument({}, Positions({(): Span(file, line_offset + 1)})), []
    diagnostics = _check_nodes(node, file, line_offset)
    if any(d.code is Code.YAML_DUPLICATE_KEY for d in diagnostics):
        return None, diagnostics
    data = loader.construct_document(node)
    positions = Positions()
    _record(node, (), positions, file, line_offset)
    if unwritable := _first_unwritable(node, file, line_offset):
        return None, [unwritable]
    return YamlDocument(data, positions), diagnostics


def _unreadable(error: yaml.reader.ReaderError, text: str, file: Path, line_offset: int) -> Diagnostic:
    before = text[:error.position]
    span = Span(file, line_offset + before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1)
    character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
    return Diagnostic(Code.YAML_SYNTAX, _("the character U+{codepoint:04X} is not allowed in YAML").format(
                          codepoint=character), span,
                      _("delete it; invisible control characters often come with pasted text"))


def _first_unwritable(node: yaml.Node, file: Path, line_offset: int) -> Diagnostic | None:
    """A string whose escapes (`"\\ud800"`, `"\\x01"`) give a character XML cannot hold, or a number
    that is not a number (`.nan`): it passes every minimum and maximum, and JSON cannot hold it."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) and (bad := NOT_XML.search(current.value)):
            return Diagnostic(Code.YAML_SYNTAX, _("the character U+{codepoint:04X} cannot be written in Open edX XML")
                              .format(codepoint=ord(bad.group())), _span(current.start_mark, file, line_offset),
                              _("remove the escape sequence that writes it"))
        if isinstance(current, yaml.ScalarNode) and current.tag == _FLOAT and "nan" in current.value.lower():
            return Diagnostic(Code.YAML_SYNTAX, _("`{value}` is not a number").format(value=current.value),
                              _span(current.start_mark, file, line_offset), _("write a number"))
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
        elif (isinstance(current, yaml.ScalarNode) and not current.style
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
