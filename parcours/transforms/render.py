"""Stage 6: Markdown → sanitized HTML, with relative links and images resolved.

A relative image or file link becomes `/static/<name>` (the file is published with the course); a
link to another lesson of the course becomes `/jump_to_id/<url_name>`. A target that is missing, or
that lies outside the course folder, is reported at its line in the Markdown file.
"""
from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import nh3

from parcours.diagnostics import Code, Reporter
from parcours.model.nodes import Asset, Chapter, Course, CustomBlock, GeneratedBlock, HtmlBlock, Node
from parcours.pages import page_generators
from parcours.project import did_you_mean, inside
from parcours.sources import Span

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "attr_list", "abbr"]
_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "dl", "dt", "dd", "abbr", "caption"}
_ATTRIBUTES = {tag: {"id", "class", "title", "lang"} for tag in _TAGS} | {
    "a": {"href", "title", "id", "class", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "class"},
    "th": {"scope", "colspan", "rowspan", "style", "id", "class"},
    "td": {"colspan", "rowspan", "style", "class"},
    "abbr": {"title"},
}


@dataclass
class Links:
    """Resolves the relative references of one course and remembers the assets they publish."""

    root: Path
    units: dict[Path, str]  # lesson file → its subsection url_name
    reporter: Reporter
    assets: dict[str, Asset] = field(default_factory=dict)  # by published name

    def resolve(self, ref: str, base: Path, span: Span) -> str | None:
        """The published URL of `ref`, or None (reported) when it can't be published."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("/", "#")) or not parts.path:
            return None
        target = (base / unquote(parts.path)).resolve()
        if not inside(target, self.root):
            self.reporter.error(Code.ASSET_OUTSIDE, f"'{ref}' points outside the course folder", span,
                                "copy the file into the course folder and link to the copy")
        elif target in self.units:
            return f"/jump_to_id/{self.units[target]}"
        elif not target.is_file():
            self.reporter.error(Code.MISSING_ASSET, f"'{ref}' does not exist", span, did_you_mean(target))
        else:
            return f"/static/{self.publish(target).name}"
        return None

    def publish(self, source: Path) -> Asset:
        name = "_".join(source.relative_to(self.root.resolve()).parts)
        return self.assets.setdefault(name, Asset(name, source))


class _LinkRewriter(markdown.treeprocessors.Treeprocessor):
    def __init__(self, md: markdown.Markdown, links: Links) -> None:
        super().__init__(md)
        self.links = links
        self.base = Path()
        self.text = ""
        self.first_line = 1
        self.file = Path()

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            ref = element.get(attribute) if attribute else None
            if ref and (url := self.links.resolve(ref, self.base, self._span_of(ref))):
                element.set(attribute, url)

    def _span_of(self, ref: str) -> Span:
        """Python-Markdown keeps no positions: find the reference in the source text instead."""
        in_parentheses = self.text.find(f"({ref}")
        offset = in_parentheses + 1 if in_parentheses >= 0 else self.text.find(ref)
        before = self.text[:offset] if offset >= 0 else ""
        return Span(self.file, self.first_line + before.count("\n"), len(before.rsplit("\n", 1)[-1]) + 1)


class Renderer:
    """One Markdown instance (resetting between texts is much cheaper than building one each time).

    Without `links`, relative references are left as written (problem texts, rendered by emitters,
    which never touch source files).
    """

    def __init__(self, links: Links | None = None) -> None:
        self.md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
        self.rewriter = _LinkRewriter(self.md, links) if links else None
        if self.rewriter:
            self.md.treeprocessors.register(self.rewriter, "parcours-links", 5)

    def render(self, text: str, span: Span | None = None) -> str:
        if self.rewriter and span:
            self.rewriter.base, self.rewriter.file = span.file.parent, span.file
            self.rewriter.text, self.rewriter.first_line = text, span.line
        return sanitize(self.md.reset().convert(text))


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None,
                     url_schemes={"http", "https", "mailto"}).strip() + "\n"


def render_course(course: Course, reporter: Reporter) -> Course:
    """The same tree with every text rendered and every referenced file listed in `assets`."""
    units = {seq.span.file.resolve(): seq.id for ch in course.chapters for seq in ch.sequentials
             if seq.span.file.suffix == ".md"}
    links = Links(course.root, units, reporter)
    renderer = Renderer(links)
    render = _BlockRenderer(renderer, course, reporter)
    chapters = tuple(_replace_blocks(chapter, render) for chapter in course.chapters)
    for chapter in chapters:
        for block in _blocks(chapter):
            for source in block.assets.values() if isinstance(block, CustomBlock) else ():
                links.publish(source)
            for asset in block.assets if isinstance(block, HtmlBlock) else ():
                links.assets[asset.name] = asset
    description_html = renderer.render(course.description, course.span) if course.description else ""
    assets = tuple(sorted(links.assets.values(), key=lambda asset: asset.name))
    return dataclasses.replace(course, chapters=chapters, description_html=description_html, assets=assets)


@dataclass
class _BlockRenderer:
    renderer: Renderer
    course: Course
    reporter: Reporter

    def __call__(self, block: Node) -> Node:
        if isinstance(block, HtmlBlock):
            return dataclasses.replace(block, html=self.renderer.render(block.markdown, block.span))
        if isinstance(block, GeneratedBlock):
            return self.generate(block)
        return block

    def generate(self, block: GeneratedBlock) -> HtmlBlock:
        page = page_generators()[block.generator].render(block.data, self.course)
        for path, message, hint in page.problems:
            span = next((block.places[path[:n]] for n in range(len(path), -1, -1) if path[:n] in block.places),
                        block.span)
            self.reporter.error(Code.BLOCK_INVALID, message, span, hint)
        return HtmlBlock(id=block.id, title=block.title, span=block.span, markdown="", html=page.html,
                         assets=page.assets)


def _replace_blocks(node: Node, render: _BlockRenderer) -> Node:
    children = _CHILDREN.get(type(node).__name__)
    if children is None:
        return render(node)
    return dataclasses.replace(node, **{children: tuple(_replace_blocks(child, render)
                                                        for child in getattr(node, children))})


_CHILDREN = {"Chapter": "sequentials", "Sequential": "verticals", "Vertical": "blocks"}


def _blocks(chapter: Chapter) -> Iterator[Node]:
    for sequential in chapter.sequentials:
        for vertical in sequential.verticals:
            yield from vertical.blocks
