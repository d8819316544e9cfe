"""Emitters are found by name among the `parcours.emitters` entry points; one that cannot visit every
kind of node is refused before it writes anything."""
from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from parcours.emit import base
from parcours.model.visitor import NodeVisitor


class EmitterWithoutCustomBlocks(NodeVisitor):
    """A partner's emitter that forgot a kind of content."""

    def visit_Course(self, course): ...
    def visit_Chapter(self, chapter): ...
    def visit_Sequential(self, sequential): ...
    def visit_Vertical(self, vertical): ...
    def visit_HtmlBlock(self, block): ...
    def visit_ProblemBlock(self, block): ...


def test_every_registered_emitter_visits_every_kind_of_node():
    for name in base.emitters():
        assert base.load_emitter(name).missing_methods() == [], name


def test_an_emitter_that_cannot_visit_a_node_is_refused_by_name(monkeypatch: pytest.MonkeyPatch):
    entry_point = EntryPoint("partial", f"{__name__}:EmitterWithoutCustomBlocks", base.GROUP)
    monkeypatch.setattr(base, "emitters", lambda: {"partial": entry_point})
    with pytest.raises(base.EmitterError, match="'partial' cannot write every kind of content: it has no "
                                                "visit_CustomBlock"):
        base.load_emitter("partial")
