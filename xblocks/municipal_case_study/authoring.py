"""The YAML an author edits in Studio (pure): the same shape as in a course module file."""
from __future__ import annotations

from typing import Any

import yaml

MAX_SOURCE_CHARS = 400_000


class _Dumper(yaml.SafeDumper):
    """Multi-line text (Markdown) as literal blocks, the way authors write it."""


def _represent_str(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load(source: str) -> Any:
    """Parse an author's YAML; ``type``/``id`` of a pasted module block are dropped (the block has them)."""
    data = yaml.safe_load(source)
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key not in ("type", "id")}
    return data


def format_path(path: tuple) -> str:
    """('steps', 2, 'next') → 'steps[2].next', the way authors count in their YAML."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(case)"
