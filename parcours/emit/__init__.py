"""Stage 7: emitters. Each writes one package format from the same checked, rendered tree.

Emitters register in the `parcours.emitters` entry-point group; the built-in ones do it exactly as
a partner's would (see setup.py). This module only finds them, which is all a build whose inputs
have not changed needs; `parcours.emit.base` loads one and has what emitters are made of.
"""
from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint

from parcours.plugins import registered

GROUP = "parcours.emitters"


@cache
def emitters() -> dict[str, EntryPoint]:
    """Registered emitters by name, not imported yet: only the selected formats are loaded."""
    return {entry_point.name: entry_point for entry_point in registered(GROUP)}


class EmitterError(Exception):
    """A registered emitter cannot be loaded (an installation problem, not an authoring one)."""
