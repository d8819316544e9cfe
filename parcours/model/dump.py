"""A readable dump of the course tree (kind, id, title, source position), for golden tests and
`parcours build -v` debugging: it shows what every emitter receives."""
from __future__ import annotations

from pathlib import Path

from parcours.model.nodes import Course, CustomBlock, HtmlBlock, Node, ProblemBlock, Sequential


def dump_tree(course: Course, root: Path) -> str:
    lines = []
    for node in course.walk():
        depth = _DEPTH.get(type(node).__name__, 4)
        lines.append("  " * depth + _describe(node, root))
    return "\n".join(lines) + "\n"


_DEPTH = {"Course": 0, "Chapter": 1, "Sequential": 2, "Vertical": 3}


def _describe(node: Node, root: Path) -> str:
    where = f"{node.span.file.resolve().relative_to(root.resolve()).as_posix()}:{node.span.line}"
    extra = ""
    if isinstance(node, Sequential) and node.graded_as:
        extra = f" graded={node.graded_as}"
    elif isinstance(node, ProblemBlock):
        extra = " " + ",".join(q.kind for q in node.problem.questions)
    elif isinstance(node, CustomBlock):
        extra = f" tag={node.tag}"
    elif isinstance(node, HtmlBlock):
        extra = f" {len(node.html)} chars"
    return f"{type(node).__name__} {node.id} « {node.title} » @{where}{extra}"
