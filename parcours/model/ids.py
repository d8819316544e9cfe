"""Stable ids. An Open edX url_name is authored or derived from a file path, never from a position."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# Authored ids have no dot: dots join a module id, an authored id and a derived suffix, so a
# derived url_name (`m1.intro.text`) can never equal an authored one (`m1.intro`).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

# Suffixes of derived url_names: Open edX (and olxcleaner) want url_names unique across types.
FIRST_PAGE = "intro"  # the page before a lesson's first `##` heading
TEXT = "text"  # a text chunk, after the page or directive it follows
SECTION = "section"  # the subsection of a one-block unit
PAGE = "page"  # the page of a one-block unit
_ORDER_PREFIX = re.compile(r"^\d+[-_.]")


def slugify(text: str) -> str:
    """`Étude de cas : le 311` → `etude-de-cas-le-311`; stable, idempotent, within ID_PATTERN."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def id_from_path(path: Path) -> str:
    """`03-cadre-legal.md` → `cadre-legal`: the order prefix only sorts files, it is not part of the id."""
    return slugify(_ORDER_PREFIX.sub("", path.stem)) or slugify(path.stem)


def is_valid_id(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch(value))


def qualified(module_id: str, *parts: str) -> str:
    """Ids are unique within a module; the module id namespaces them in a course (`m1.intro`)."""
    return ".".join((module_id, *parts))
