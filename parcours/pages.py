"""Page generators: unit types that become an HTML page built from validated data (a pathway, a
training catalogue), found through the `parcours.pages` entry-point group like any plugin.

A generator module offers `TYPE`, `validate(data) -> [(path, message, hint)]` (its schema and its own
rules, checked while the sources are read) and `render(data, course) -> GeneratedPage` (called once
the whole course is known, so it may check references to modules; its `problems` are reported at
the data's source lines).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from parcours.model.nodes import Asset
from parcours.plugins import registered

GROUP = "parcours.pages"


@dataclass(frozen=True)
class GeneratedPage:
    html: str  # trusted: produced by the generator, with every data value escaped
    assets: tuple[Asset, ...] = ()
    problems: list = field(default_factory=list)  # (path, message, hint), as a codec's validate()


@cache
def page_generators() -> dict[str, ModuleType]:
    return {entry_point.name: entry_point.load() for entry_point in registered(GROUP)}
