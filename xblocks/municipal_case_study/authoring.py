"""The YAML an author edits in Studio (pure): the same shape as in a course module file."""
from __future__ import annotations

from typing import Any

import yaml

MAX_SOURCE_CHARS = 400_000
# Deepest nesting accepted (a case needs about 6 levels: steps, options, rubric criteria, levels…).
MAX_SOURCE_DEPTH = 32
# Largest integer accepted: a browser holds it exactly, and Python can print it (0x with 5000
# digits is an int whose repr raises ValueError).
MAX_INTEGER = 2**53 - 1


class _Dumper(yaml.SafeDumper):
    """Multi-line text (Markdown) as literal blocks, the way authors write it."""


def _represent_str(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _SourceLoader(yaml.SafeLoader):
    """yaml.SafeLoader for the Studio editor, whose every refusal is a yaml.YAMLError with a line.

    No alias (``*name``): a "billion laughs" expands to millions of values once walked, and
    ``a: &a [*a]`` is a list that contains itself. At most MAX_SOURCE_DEPTH levels: deeper text
    exhausts the composer's recursion. A value Python refuses (the date 2024-13-45, an integer
    of 5000 digits) is an error at its line, not a ValueError, and so is an integer beyond MAX_INTEGER.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not accepted: write the value out", event.start_mark)
        if self._depth >= MAX_SOURCE_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_SOURCE_DEPTH} levels deep", event.start_mark)
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


def load(source: str) -> Any:
    """Parse an author's YAML; ``type``/``id`` of a pasted module block are dropped (the block has them).

    Raises yaml.YAMLError only (see _SourceLoader).
    """
    try:
        data = yaml.load(source, Loader=_SourceLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in ("type", "id")}
    return data


def format_path(path: tuple) -> str:
    """('steps', 2, 'next') → 'steps[2].next', the way authors count in their YAML."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(case)"
