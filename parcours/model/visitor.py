"""Dispatch on node classes, as docutils' NodeVisitor does: `visit_<ClassName>(node)`."""
from __future__ import annotations

from typing import Any

from parcours.model import nodes

NODE_CLASSES = (nodes.Course, nodes.Chapter, nodes.Sequential, nodes.Vertical,
                nodes.HtmlBlock, nodes.ProblemBlock, nodes.CustomBlock)


class NodeVisitor:
    def visit(self, node: nodes.Node) -> Any:
        return getattr(self, f"visit_{type(node).__name__}")(node)

    @classmethod
    def missing_methods(cls) -> list[str]:
        """The `visit_` methods a subclass lacks (`load_emitter` refuses an emitter that lacks any)."""
        return [f"visit_{node_class.__name__}" for node_class in NODE_CLASSES
                if not hasattr(cls, f"visit_{node_class.__name__}")]
