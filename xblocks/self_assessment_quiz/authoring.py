"""The Studio editor's text format: the same YAML an author writes in a course module.

Pure (pyyaml + stdlib). `parse` never returns half-valid data: either the data and no
problems, or problems (each with the YAML line when it can be found) and no data.
"""
from __future__ import annotations

from typing import NamedTuple

import yaml

from . import codec

MAX_YAML_CHARS = 200_000
# Deepest nesting the editor accepts (a quiz needs 6 levels: dimensions, bands, recommendations…).
MAX_YAML_DEPTH = 32
# Largest integer accepted: a browser holds it exactly, and Python can print it (0x with 5000
# digits is an int whose repr raises ValueError).
MAX_INTEGER = 2**53 - 1


class EditorProblem(NamedTuple):
    location: str  # "questions[2].choices[0].correct"
    line: int | None  # 1-based line in the YAML text
    message: str
    hint: str | None


def dump(data: dict) -> str:
    """YAML with keys in the order an author writes them (stores may sort keys: the
    workbench's does), which the codec's declared order gives back."""
    ordered = codec.from_element(codec.to_element(data))
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)


class _EditorLoader(yaml.SafeLoader):
    """yaml.SafeLoader for text typed in Studio, whose every refusal is a yaml.YAMLError with a line.

    No alias (`*name`): a "billion laughs" expands to millions of values once walked, and
    `a: &a [*a]` is a list that contains itself. At most MAX_YAML_DEPTH levels: deeper text
    exhausts the composer's recursion. A value Python refuses (the date 2024-13-45, an
    integer of 5000 digits) is an error at its line, not a ValueError, and so is an integer beyond
    MAX_INTEGER.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not accepted: write the value out", event.start_mark)
        if self._depth >= MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            value = super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(None, None, str(error), node.start_mark) from None
        if type(value) is int and abs(value) > MAX_INTEGER:
            raise yaml.constructor.ConstructorError(
                None, None, f"integers beyond ±{MAX_INTEGER} are not accepted", node.start_mark)
        if value != value:  # NaN, the only value unequal to itself: it passes every minimum and maximum
            raise yaml.constructor.ConstructorError(None, None, "not a number (.nan): write a number", node.start_mark)
        return value


def _compose_and_construct(text: str):
    """(root node, data) of the YAML text; raises yaml.YAMLError only."""
    loader = _EditorLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None
    finally:
        loader.dispose()


def parse(text: str) -> tuple[dict | None, list[EditorProblem]]:
    if len(text) > MAX_YAML_CHARS:
        return None, [EditorProblem("", None, f"the text is longer than {MAX_YAML_CHARS} characters", None)]
    try:
        root, data = _compose_and_construct(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        message = getattr(error, "problem", None) or str(error)
        return None, [EditorProblem("", line, f"YAML syntax: {message}", "check the indentation and the colons")]
    if not isinstance(data, dict):
        return None, [EditorProblem("", 1, "the text must be a YAML mapping (key: value lines)", None)]
    for key in ("type", "id"):
        # Allowed so that a block copied from a module file pastes as is.
        data.pop(key, None)
    problems = codec.validate(data)
    if problems:
        return None, [EditorProblem(_location(p.path), _line(root, p.path), p.message, p.hint) for p in problems]
    return data, []


def _location(path: tuple) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _line(node, path: tuple) -> int | None:
    """The 1-based line of the YAML key or item at `path` (or of its nearest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        found = _child(node, step)
        if found is None:
            break
        line, node = found
    return line


def _child(node, step):
    """(line, node) of `step` inside `node`: the key's line for a mapping entry."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return key.start_mark.line + 1, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        item = node.value[step]
        return item.start_mark.line + 1, item
    return None
