"""The course tree: frozen, typed, every node mapped to its source. No output format leaks in here."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from parcours.quiz.ast import Problem
from parcours.sources import Span


def place_of(places: Mapping[tuple, Span], path: tuple, default: Span) -> Span:
    """Where a value of a block's data was written: the value, else its nearest written ancestor."""
    return next((places[path[:n]] for n in range(len(path), -1, -1) if path[:n] in places), default)


@dataclass(frozen=True, kw_only=True)
class Node:
    id: str  # stable url_name: authored or derived from a file path, never from a position
    title: str
    span: Span
    field_spans: Mapping[str, Span] = field(default_factory=dict)  # where single settings were written


@dataclass(frozen=True, kw_only=True)
class Block(Node):
    kind: ClassVar[str]


@dataclass(frozen=True)
class Asset:
    """A file the course publishes under /static/<name>: copied from `source`, or generated `data`."""

    name: str
    source: Path | None = None
    data: bytes | None = None


@dataclass(frozen=True, kw_only=True)
class HtmlBlock(Block):
    """Markdown text; `html` is filled by the render transform."""

    kind: ClassVar[str] = "html"
    markdown: str
    html: str = ""
    assets: tuple[Asset, ...] = ()  # generated files the html refers to


@dataclass(frozen=True, kw_only=True)
class GeneratedBlock(Block):
    """Data for a page generator (`parcours.pages`), e.g. a pathway; the render transform turns it
    into an HtmlBlock once the whole course is known, so emitters never see one."""

    kind: ClassVar[str] = "html"
    generator: str
    data: Mapping[str, Any]
    places: Mapping[tuple, Span] = field(default_factory=dict)  # JSON path in `data` → source position


@dataclass(frozen=True, kw_only=True)
class ProblemBlock(Block):
    kind: ClassVar[str] = "problem"
    problem: Problem
    settings: Mapping[str, Any] = field(default_factory=dict)  # max_attempts, weight, showanswer, shuffle
    rendered: Mapping[str, str] = field(default_factory=dict)  # each text's Markdown → its HTML (render transform)

    def render(self, markdown: str) -> str:
        """A text of the problem as HTML: emitters lower problems with this, never with a renderer."""
        return self.rendered[markdown]


@dataclass(frozen=True, kw_only=True)
class CustomBlock(Block):
    """A block from a `parcours.blocks` plugin; `data` already passed the block's own validation."""

    kind: ClassVar[str] = "custom"
    tag: str
    data: Mapping[str, Any]
    assets: Mapping[str, Path] = field(default_factory=dict)  # authored reference → file
    places: Mapping[tuple, Span] = field(default_factory=dict)  # JSON path in `data` → source position


@dataclass(frozen=True, kw_only=True)
class Vertical(Node):
    blocks: tuple[Block, ...]


@dataclass(frozen=True, kw_only=True)
class Sequential(Node):
    verticals: tuple[Vertical, ...]
    graded_as: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str


@dataclass(frozen=True)
class Reference:
    title: str
    url: str
    consulted: str
    publisher: str | None = None
    date: str | None = None


@dataclass(frozen=True, kw_only=True)
class Chapter(Node):
    """One module of the sources: the unit of reuse between courses and partners."""

    version: str
    duration_minutes: int
    audiences: tuple[str, ...]
    objectives: tuple[str, ...]
    licence: str
    authors: tuple[str, ...]
    sequentials: tuple[Sequential, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    references: tuple[Reference, ...] = ()
    folder: Path = Path()

    def walk(self) -> Iterator[Node]:
        """This chapter and every node below it, depth first, in course order."""
        yield self
        for sequential in self.sequentials:
            yield sequential
            for vertical in sequential.verticals:
                yield vertical
                yield from vertical.blocks


@dataclass(frozen=True)
class Grader:
    type: str
    weight: float
    short_label: str
    min_count: int = 1
    drop_count: int = 0


@dataclass(frozen=True)
class Grading:
    graders: tuple[Grader, ...]
    cutoffs: Mapping[str, float]


@dataclass(frozen=True, kw_only=True)
class Course(Node):
    org: str
    number: str
    run: str
    language: str
    start: str
    end: str
    self_paced: bool
    licence: str
    grading: Grading
    chapters: tuple[Chapter, ...]
    root: Path
    short_description: str = ""
    description: str = ""  # Markdown
    description_html: str = ""
    audiences: tuple[str, ...] = ()
    duration_hours: float | None = None
    effort: str | None = None
    authors: tuple[str, ...] = ()
    repository: str | None = None
    image: Asset | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    assets: tuple[Asset, ...] = ()

    def walk(self) -> Iterator[Node]:
        """Every node, depth first, in course order."""
        yield self
        for chapter in self.chapters:
            yield from chapter.walk()

    def custom_tags(self) -> list[str]:
        return sorted({node.tag for node in self.walk() if isinstance(node, CustomBlock)})


_CHILDREN = {Chapter: "sequentials", Sequential: "verticals", Vertical: "blocks"}


def map_blocks(node: Node, change: Callable[[Block], Block]) -> Node:
    """`node` with `change` applied to every block below it; the very same objects wherever nothing
    changed, so that what emitters made of them can be reused."""
    children = _CHILDREN.get(type(node))
    if children is None:
        return change(node)
    old = getattr(node, children)
    new = tuple(map_blocks(child, change) for child in old)
    return node if all(a is b for a, b in zip(old, new, strict=True)) else dataclasses.replace(node, **{children: new})
