"""Stage 6: Markdown → sanitized HTML, with relative links and images resolved.

A relative image or file link becomes `/static/<name>` (the file is published with the course); a
link to another lesson of the course becomes `/jump_to_id/<url_name>`. A target that is missing, or
that lies outside the course folder, is reported at its line in the Markdown file.

Texts are independent, so they render on every core, and a text whose rendering is in the build
cache (same text, same file, same lessons) is not rendered again.
"""
from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

import markdown
import nh3

from parcours.cache import ResultCache, digest
from parcours.diagnostics import Code, Diagnostic, Reporter
from parcours.i18n import _
from parcours.model.nodes import (
    Asset,
    Chapter,
    Course,
    CustomBlock,
    GeneratedBlock,
    HtmlBlock,
    Node,
    ProblemBlock,
    Sequential,
    map_blocks,
    place_of,
)
from parcours.pages import page_generators
from parcours.parallel import parallel_map
from parcours.parse.yaml import too_deep
from parcours.project import MODULE_FILE, did_you_mean, inside, loop_hint, resolved, still_resolves
from parcours.sources import Span
from parcours.transforms import block_stage, inline

_TAG = re.compile(r"<[^>]*>")
_MAX_UNCLOSED_BRACKETS = 200
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "attr_list", "abbr"]
URL_SCHEMES = {"http", "https", "mailto"}  # the links the sanitizer keeps
_TAGS = nh3.ALLOWED_TAGS | {"figure", "figcaption", "dl", "dt", "dd", "abbr", "caption"}
_ATTRIBUTES = {tag: {"id", "class", "title", "lang"} for tag in _TAGS} | {
    "a": {"href", "title", "id", "class", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "class"},
    "th": {"scope", "colspan", "rowspan", "style", "id", "class"},
    "td": {"colspan", "rowspan", "style", "class"},
    "abbr": {"title"},
}


Reference = tuple[Path, Path]  # a relative reference as written (joined to its folder), the file it resolved to


@dataclass(frozen=True)
class Rendered:
    """One text's HTML, what it publishes, and its problems (lines counted from the text's start)."""

    html: str
    assets: tuple[Asset, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    references: tuple[Reference, ...] = ()  # of the files it publishes


@dataclass(frozen=True)
class LinkTarget:
    """A unit of the course that lessons may link to, and its pages by their authored id."""

    url_name: str
    pages: Mapping[str, str] = field(default_factory=dict)  # `#page-id` → the page's url_name


@dataclass
class Links:
    """Resolves the relative references of one course; collects what the current text publishes."""

    root: Path
    units: dict[Path, LinkTarget]  # unit file → where a link to it goes
    assets: list[Asset] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def resolve(self, ref: str, base: Path, span: Span, image: bool) -> str | None:
        """The published URL of `ref`, or None (reported when it can't be published).

        Web addresses and absolute paths (an LMS page) are left as written, but an image must
        come with the course: a package works offline and shows nothing from elsewhere.
        """
        try:
            parts = urlsplit(ref)
        except ValueError:  # e.g. `http://[oops`: an address Python cannot even split
            self._report(Code.MISSING_ASSET, _("'{ref}' is not a valid address").format(ref=ref), span,
                         _("check the link's address"))
            return None
        if parts.scheme and parts.scheme.lower() not in URL_SCHEMES and not image:
            self._report(Code.MISSING_ASSET, _("'{ref}' is not a web address: the link would be removed").format(
                ref=ref), span, _("link to a web page (https://…), or to a file of the course by its relative path"))
            return None
        if _elsewhere(parts, ref):
            if image:
                self._report(Code.REMOTE_IMAGE, _("the image '{ref}' is not a file of the course").format(ref=ref),
                             span, _("copy the image into the course folder (check its licence) and link it "
                                     "relatively"))
            return None
        if not parts.path:
            return None  # `#anchor` within the page
        written = base / unquote(parts.path)
        target = resolved(written)
        if target is None:
            self._report(Code.MISSING_ASSET, _("'{ref}' is a symbolic-link loop").format(ref=ref), span, loop_hint())
        elif not inside(target, self.root):
            self._report(Code.ASSET_OUTSIDE, _("'{ref}' points outside the course folder").format(ref=ref), span,
                         _("copy the file into the course folder and link to the copy"))
        elif target in self.units:
            return self._unit_url(self.units[target], parts.fragment, ref, span)
        elif not target.is_file():
            self._report(Code.MISSING_ASSET, _("'{ref}' does not exist").format(ref=ref), span, did_you_mean(target))
        else:
            asset = published(target, self.root)
            self.assets.append(asset)
            self.references.append((written, target))
            return f"/static/{asset.name}" + (f"#{parts.fragment}" if parts.fragment else "")
        return None

    def _unit_url(self, unit: LinkTarget, fragment: str, ref: str, span: Span) -> str | None:
        if not fragment:
            return f"/jump_to_id/{unit.url_name}"
        if fragment in unit.pages:
            return f"/jump_to_id/{unit.pages[fragment]}"
        self._report(Code.MISSING_ASSET, _("'{ref}' names no page of that lesson").format(ref=ref), span,
                     _("its pages: {pages} (the `{{#id}}` of its `##` headings)").format(
                         pages=", ".join(unit.pages) or _("none with an id")))
        return None

    def report_raw(self, ref: str, span: Span) -> None:
        """A relative reference written in raw HTML, which no link resolution sees."""
        self._report(Code.MISSING_ASSET, _("'{ref}' in raw HTML is neither checked nor published").format(ref=ref),
                     span, _("write it in Markdown: `![text]({ref})` for an image, `[text]({ref})` for a link")
                     .format(ref=ref))

    def _report(self, code: Code, message: str, span: Span, hint: str) -> None:
        self.diagnostics.append(Diagnostic(code, message, span, hint))


def published(source: Path, root: Path) -> Asset:
    """A course file under its /static/ name: its path in the course, flattened."""
    return Asset("_".join(source.relative_to(root.resolve()).parts), source)


class _LinkRewriter(markdown.treeprocessors.Treeprocessor):
    def __init__(self, md: markdown.Markdown, links: Links) -> None:
        super().__init__(md)
        self.links = links
        self.file = Path()
        self.text = ""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            ref = element.get(attribute) if attribute else None
            if ref and (url := self.links.resolve(ref, self.file.parent, self.span_of(ref), element.tag == "img")):
                element.set(attribute, url)

    def span_of(self, ref: str) -> Span:
        """Python-Markdown keeps no positions: find the reference in the source text instead."""
        in_parentheses = self.text.find(f"({ref}")
        offset = in_parentheses + 1 if in_parentheses >= 0 else self.text.find(ref)
        before = self.text[:offset] if offset >= 0 else ""
        return Span(self.file, 1 + before.count("\n"), len(before.rsplit("\n", 1)[-1]) + 1)


class Renderer:
    """One Markdown instance for many texts (resetting it is much cheaper than building one)."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self._new_markdown()

    def _new_markdown(self) -> None:
        self.md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
        inline.install(self.md)
        block_stage.install(self.md)
        self.rewriter = _LinkRewriter(self.md, self.links)
        self.md.treeprocessors.register(self.rewriter, "parcours-links", 5)

    def render_file_text(self, text: str, file: Path) -> Rendered:
        self.links.assets, self.links.references, self.links.diagnostics = [], [], []
        for opening, closing in ("[]", "<>"):
            if text.count(opening) - text.count(closing) > _MAX_UNCLOSED_BRACKETS:
                # Python-Markdown's search for a link's end, and its HTML parser's for a tag's end, grow with
                # the square of the brackets left open: minutes, not seconds.
                return Rendered("", diagnostics=(too_deep(f"Markdown (unclosed `{opening}`)", Span(file, 1)),))
        self.rewriter.file, self.rewriter.text = file, text
        try:
            html = sanitize(self.md.reset().convert(text))
        except RecursionError:
            # The parse stopped halfway, and `reset` does not empty the block parser's state (the lists
            # it was in): the next texts would render as if inside them. A new instance starts clean.
            self._new_markdown()
            return Rendered("", diagnostics=(too_deep("Markdown", Span(file, 1)),))
        if _too_deep(html):
            return Rendered("", diagnostics=(too_deep("HTML", Span(file, 1)),))
        for ref in _relative_references(self.md.htmlStash.rawHtmlBlocks):
            self.links.report_raw(ref, self.rewriter.span_of(ref))
        return Rendered(html, tuple(self.links.assets), tuple(self.links.diagnostics), tuple(self.links.references))


# Built once: configuring a sanitizer costs more than cleaning a page with it.
_SANITIZER = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, link_rel=None, url_schemes=URL_SCHEMES)


# An image's or a link's address in raw HTML (a tag as written: in a code block, `<` is `&lt;`).
_RAW_REFERENCE = re.compile(r"<(?:img|a)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)


def _relative_references(raw_html: list[str]) -> list[str]:
    """The addresses in raw HTML that name a file of the course."""
    return [ref for block in raw_html for ref in _RAW_REFERENCE.findall(block) if _names_a_file(ref)]


def _names_a_file(ref: str) -> bool:
    """What `Links.resolve` would look for in the course: not an anchor in the page, nor elsewhere."""
    try:
        parts = urlsplit(ref)
    except ValueError:  # not even an address
        return False
    return bool(parts.path) and not _elsewhere(parts, ref)


def _elsewhere(parts: SplitResult, ref: str) -> bool:
    """A web address or an LMS page (`/…`): left as written."""
    return bool(parts.scheme or parts.netloc or ref.startswith("/"))


def sanitize(html: str) -> str:
    return _SANITIZER.clean(html).strip() + "\n"


# Open edX reads HTML with lxml, which refuses elements nested 256 deep; no page needs a tenth of that.
_MAX_DEPTH = 200
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID = frozenset({"area", "br", "col", "hr", "img", "wbr"})  # the void elements the sanitizer keeps


def _too_deep(html: str) -> bool:
    """Whether sanitized (so balanced) HTML nests elements more than `_MAX_DEPTH` deep."""
    if html.count("<") <= 2 * _MAX_DEPTH:  # each level opens and closes a tag
        return False
    depth = 0
    for closing, name in _TAG_NAME.findall(html):
        if name.lower() not in _VOID:
            depth += -1 if closing else 1
            if depth > _MAX_DEPTH:
                return True
    return False


_worker_renderer: Renderer | None = None


def _start_worker(root: Path, units: dict[Path, LinkTarget]) -> None:
    global _worker_renderer
    _worker_renderer = Renderer(Links(root, units))


def _render_job(job: tuple[str, Path]) -> Rendered:
    return _worker_renderer.render_file_text(*job)


def render_texts(jobs: list[tuple[str, Path]], root: Path, units: dict[Path, LinkTarget], keys: list[str],
                 cache: ResultCache) -> list[Rendered]:
    """Each (Markdown, file) rendered, from the cache (under its key in `keys`) when it can be, else
    on every core."""
    results = [_still_valid(cache.get(key)) for key in keys]
    missing = [index for index, result in enumerate(results) if result is None]
    fresh = parallel_map(_render_job, [jobs[index] for index in missing], _start_worker, (root, units))
    for index, result in zip(missing, fresh, strict=True):
        results[index] = result
        if not result.diagnostics:  # a problem is worth reporting again (the file may be back)
            cache.put(keys[index], result)
    return results


def _still_valid(result: Rendered | None) -> Rendered | None:
    """A cached rendering stands as long as its references still lead to the files it publishes."""
    if result is None or not all(still_resolves(*reference) for reference in result.references):
        return None
    return result


def link_target(chapter: Chapter, sequential: Sequential) -> LinkTarget:
    """Where links to a unit go; its authored pages (`<module>.<page>`) can be linked to by id."""
    prefix = f"{chapter.id}."
    pages = {vertical.id.removeprefix(prefix): vertical.id for vertical in sequential.verticals
             if vertical.id.startswith(prefix) and "." not in vertical.id.removeprefix(prefix)}
    return LinkTarget(sequential.id, pages)


@dataclass(frozen=True)
class RenderedUnit:
    """A unit with its texts rendered, and the files they publish."""

    unit: Sequential
    text_assets: tuple[Asset, ...]  # the files its Markdown refers to
    text_references: tuple[Reference, ...]  # how its Markdown refers to them
    block_assets: tuple[Asset, ...]  # the files its blocks publish

    def still_valid(self) -> bool:
        return all(still_resolves(*reference) for reference in self.text_references)


def render_course(course: Course, reporter: Reporter, cache: ResultCache | None = None) -> Course:
    """The same tree with every text rendered and every referenced file listed in `assets`.

    A process that builds again (--watch, the preview) reuses the rendering of every unit whose
    tree is the very object it rendered last time, with the same link targets, as long as that
    build found nothing (silenced diagnostics included) and the files the unit publishes are still
    there, as they were.
    """
    cache = cache or ResultCache()
    # Unit files are resolved when the course is read, as link targets are when links are.
    units = {seq.span.file: link_target(chapter, seq) for chapter in course.chapters
             for seq in chapter.sequentials if seq.span.file.name != MODULE_FILE}  # not generated pages
    units_key = digest(*sorted(f"{path}={target.url_name}:{sorted(target.pages.items())}"
                               for path, target in units.items()))
    memo, context = cache.memo("rendered units"), (units_key, course.root)
    done: dict[int, RenderedUnit] = {}
    for chapter in course.chapters:
        for seq in chapter.sequentials:
            if (hit := memo.lookup((seq,), context)) is not None and hit.still_valid():
                done[id(seq)] = hit
    todo = [(seq, _texts(seq)) for chapter in course.chapters for seq in chapter.sequentials if id(seq) not in done]
    reported = reporter.found
    description = (course.description, course.span.file)
    texts = _render_texts(course, todo, units, units_key, reporter, cache)
    render = _BlockRenderer(texts.html, course, reporter)
    for seq, unit_texts in todo:
        unit = map_blocks(seq, render)
        results = [texts.rendered[text] for text in unit_texts]
        done[id(seq)] = RenderedUnit(unit, tuple(asset for result in results for asset in result.assets),
                                     tuple(reference for result in results for reference in result.references),
                                     _block_assets(unit, course.root))
    # Only when nothing was found, even silenced (a missing file may be there next time; such a text's
    # rendering is not in the cache either), and not a unit made of the whole course.
    if reporter.found == reported:
        for seq, unit_texts in todo:
            if not any(isinstance(node, GeneratedBlock) for node in _blocks(seq)):
                memo.put((seq,), done[id(seq)], context, tuple(texts.cache_keys[text] for text in unit_texts))
    chapters = tuple(_with_units(chapter, done) for chapter in course.chapters)
    rendered = [done[id(seq)] for chapter in course.chapters for seq in chapter.sequentials]
    assets = {asset.name: asset for asset in texts.rendered[description].assets} if course.description else {}
    assets.update((asset.name, asset) for unit in rendered for asset in unit.text_assets)
    assets.update((asset.name, asset) for unit in rendered for asset in unit.block_assets)
    return dataclasses.replace(course, chapters=chapters, description_html=texts.html.get(description, ""),
                               assets=tuple(sorted(assets.values(), key=lambda asset: asset.name)))


TextKey = tuple[str, Path]  # (Markdown, the file it was written in): the same in both renders the same


@dataclass(frozen=True)
class _RenderedTexts:
    html: dict[TextKey, str]
    rendered: dict[TextKey, Rendered]
    cache_keys: dict[TextKey, str]  # where each rendering is in the build cache


def _render_texts(course: Course, units_todo: list[tuple[Sequential, dict[TextKey, Span]]],
                  units: dict[Path, LinkTarget], units_key: str, reporter: Reporter,
                  cache: ResultCache) -> _RenderedTexts:
    """Every text of `units_todo` (each unit's texts) and the course's description rendered, each
    different text once; what rendering them found, reported."""
    first_place: dict[TextKey, Span] = {}
    for _unit, unit_texts in units_todo:
        for key, span in unit_texts.items():
            first_place.setdefault(key, span)
    if course.description:
        first_place.setdefault((course.description, course.span.file), course.span)
    cache_keys = {(text, file): digest(units_key, str(file), text) for text, file in first_place}
    results = render_texts(list(first_place), course.root, units, list(cache_keys.values()), cache)
    rendered = dict(zip(first_place, results, strict=True))
    for key, result in rendered.items():
        line = first_place[key].line - 1
        reporter.extend(dataclasses.replace(d, span=d.span.shifted(line)) for d in result.diagnostics)
    return _RenderedTexts({key: result.html for key, result in rendered.items()}, rendered, cache_keys)


def _texts(seq: Sequential) -> dict[TextKey, Span]:
    """The unit's Markdown texts, each with where it was first written."""
    found: dict[TextKey, Span] = {}
    for block in _blocks(seq):
        if isinstance(block, HtmlBlock) and block.markdown:
            found.setdefault((block.markdown, block.span.file), block.span)
        elif isinstance(block, ProblemBlock):
            for text in block.problem.texts():
                found.setdefault((text.markdown, block.span.file), text.span)
    return found


def _blocks(seq: Sequential):
    return (block for vertical in seq.verticals for block in vertical.blocks)


def _block_assets(unit: Sequential, root: Path) -> tuple[Asset, ...]:
    """The files a rendered unit's blocks publish: custom blocks' files, generated pages' files."""
    assets = []
    for block in _blocks(unit):
        if isinstance(block, CustomBlock):
            assets += [published(source, root) for source in block.assets.values()]
        elif isinstance(block, HtmlBlock):
            assets += block.assets
    return tuple(assets)


def _with_units(chapter: Chapter, done: dict[int, RenderedUnit]) -> Chapter:
    units = tuple(done[id(seq)].unit for seq in chapter.sequentials)
    if all(a is b for a, b in zip(units, chapter.sequentials, strict=True)):
        return chapter
    return dataclasses.replace(chapter, sequentials=units)


@dataclass
class _BlockRenderer:
    html: dict[tuple[str, Path], str]  # (Markdown, file it was written in) → HTML
    course: Course
    reporter: Reporter

    def __call__(self, block: Node) -> Node:
        if isinstance(block, HtmlBlock) and block.markdown:
            return dataclasses.replace(block, html=self.html[block.markdown, block.span.file])
        if isinstance(block, ProblemBlock):
            rendered = {text.markdown: self.html[text.markdown, block.span.file] for text in block.problem.texts()}
            for text in block.problem.texts():
                if not _TAG.sub("", rendered[text.markdown]).strip() and "<img" not in rendered[text.markdown]:
                    self.reporter.error(Code.QUIZ_SYNTAX, _("this text shows nothing once rendered"), text.span,
                                        _("raw HTML such as <script> or <iframe> is removed; write the text in "
                                          "Markdown"))
            return dataclasses.replace(block, rendered=rendered)
        if isinstance(block, GeneratedBlock):
            return self.generate(block)
        return block

    def generate(self, block: GeneratedBlock) -> HtmlBlock:
        page = page_generators()[block.generator].render(block.data, self.course)
        for path, message, hint in page.problems:
            self.reporter.error(Code.BLOCK_INVALID, message, place_of(block.places, path, block.span), hint)
        return HtmlBlock(id=block.id, title=block.title, span=block.span, markdown="", html=page.html,
                         assets=page.assets)



