"""Standalone lesson pages, shared by the SCORM 1.2 and Common Cartridge emitters.

One accessible HTML page per unit (vertical), working from the package's files alone: `lang`, a
skip link, landmarks (header, navigation, main, footer), one h1, a table of contents and
previous/next links within the module (plain links: keyboard and screen readers need nothing
more), and the licence and provenance in the footer. Course links are rewritten for the package:
`/static/x` to the package's copy, `/jump_to_id/<id>` to the page holding that id (or plain text
when the package lacks it). Custom blocks run in the page from their own data through the
`parcours.emit.players` adapters.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import ClassVar

from parcours.emit.base import PackageFiles, PublishedFiles
from parcours.emit.package import Provenance, packages, reproducible_zip
from parcours.emit.players import Player, player_for
from parcours.labels import labels_for
from parcours.model.nodes import Asset, Chapter, Course, CustomBlock, HtmlBlock, Sequential, Vertical
from parcours.model.visitor import NodeVisitor

PAGES_FOLDER = "pages"
STATIC_FOLDER = "static"
ASSETS_FOLDER = "assets"
STYLESHEET = "parcours.css"
PAGE_SCRIPT = "parcours-page.js"
_ASSET_FILES = resources.files("parcours.emit") / "players" / "assets"

_LABELS = {
    "fr": {"skip": "Aller au contenu", "toc": "Table des matières", "pages": "Pages du module",
           "previous": "Page précédente", "next": "Page suivante", "licence": "Licence", "version": "Version",
           "authors": "Conception", "source": "Sources", "built": "Date des sources", "about": "À propos de ce contenu",
           "module": "Module", "unknown": "inconnue", "current": "page actuelle"},
    "en": {"skip": "Skip to content", "toc": "Table of contents", "pages": "Module pages",
           "previous": "Previous page", "next": "Next page", "licence": "Licence", "version": "Version",
           "authors": "Authors", "source": "Sources", "built": "Date of the sources", "about": "About this content",
           "module": "Module", "unknown": "unknown", "current": "current page"},
}
_STATIC_ATTRIBUTE = re.compile(r'(href|src)="/static/([^"]+)"')
_JUMP_LINK = re.compile(r'<a\b([^>]*)\bhref="/jump_to_id/([^"#?]+)(#[^"]*)?"([^>]*)>(.*?)</a>', re.DOTALL)


@dataclass(frozen=True, slots=True)
class Page:
    """One unit of the course as a file of the package."""

    vertical: Vertical
    sequential: Sequential
    chapter: Chapter

    @property
    def name(self) -> str:
        """The page's file name, which links from the other pages use (they sit in the same folder)."""
        return f"{self.vertical.id}.html"

    @property
    def file(self) -> str:
        return f"{PAGES_FOLDER}/{self.name}"


def course_pages(course: Course) -> list[Page]:
    return [Page(vertical, sequential, chapter) for chapter in course.chapters
            for sequential in chapter.sequentials for vertical in sequential.verticals]


def page_of_each_id(pages: list[Page]) -> dict[str, str]:
    """Node id → file of the page showing it (a module or lesson: its first page)."""
    targets: dict[str, str] = {}
    for page in pages:
        for node in (page.chapter, page.sequential, page.vertical, *page.vertical.blocks):
            targets.setdefault(node.id, page.file)
    return targets


class StandalonePages(NodeVisitor):
    """Writes every page of a course into `root`; subclasses say how knowledge checks appear."""

    #: Scripts every page loads (paths inside the package), before the block players' own.
    page_scripts: ClassVar[tuple[str, ...]] = (f"{ASSETS_FOLDER}/{PAGE_SCRIPT}",)

    unpacked: bool = False
    #: The package's folder and archive names, within the emitter's folder for it.
    package_folder: ClassVar[str]
    archive: ClassVar[str]

    def __init__(self) -> None:
        self.published = PublishedFiles()

    def emit(self, course: Course, outdir: Path) -> list[Path]:
        """The course's package, then one per module (`parcours.emit.package.packages`). Each is built in
        memory, then written as its archive and, when `unpacked`, its folder."""
        written = []
        for folder, package in packages(course):
            files = self.package_files(package)
            (outdir / folder).mkdir(parents=True, exist_ok=True)
            reproducible_zip(files, outdir / folder / self.archive)
            written.append(outdir / folder / self.archive)
            if self.unpacked:
                files.write(outdir / folder / self.package_folder)
                written.insert(-1, outdir / folder / self.package_folder)
        return written

    def package_files(self, course: Course) -> PackageFiles:
        """Every file of the course's package, by path."""
        self.files = PackageFiles()
        self.visit(course)
        return self.files

    def write_pages(self, course: Course, about: Provenance) -> list[Page]:
        """Write pages, static files and scripts; return the pages in course order."""
        self.course, self.about = course, about
        self.text = labels_for(_LABELS, course.language)
        self.pages = course_pages(course)
        self.targets = page_of_each_id(self.pages)
        # Looked up for every page: by id, so that writing a page does not walk the whole course.
        self.page_of = {page.vertical.id: page for page in self.pages}
        self.pages_of_module: dict[str, list[Page]] = {}
        for page in self.pages:
            self.pages_of_module.setdefault(page.chapter.id, []).append(page)
        self.tocs: dict[str, str] = {}  # module id → its table of contents, no page marked
        self.shipped: set[str] = set()  # package files written by the players and scripts
        self.played: dict[str, Player] = {}  # custom block id → how its page runs it
        for chapter in course.chapters:
            self.visit(chapter)
        self._copy_assets(course.assets)
        self.ship(STYLESHEET, (_ASSET_FILES / STYLESHEET).read_bytes())
        self.ship(PAGE_SCRIPT, (_ASSET_FILES / PAGE_SCRIPT).read_bytes())
        return self.pages

    def ship(self, name: str, data: bytes) -> str:
        """Put a runtime file (script, style) in the package's assets folder; its package path."""
        path = f"{ASSETS_FOLDER}/{name}"
        if path not in self.shipped:
            self.shipped.add(path)
            self.files.add(path, data)
        return path

    def _copy_assets(self, assets: tuple[Asset, ...]) -> None:
        self.files.add(STATIC_FOLDER, None)
        for asset in assets:
            self.files.add(f"{STATIC_FOLDER}/{asset.name}", self.published.content(asset))

    # Tree ---------------------------------------------------------------------------------------
    def visit_Chapter(self, chapter: Chapter) -> None:
        for sequential in chapter.sequentials:
            self.visit(sequential)

    def visit_Sequential(self, sequential: Sequential) -> None:
        for vertical in sequential.verticals:
            self.visit(vertical)

    def visit_Vertical(self, vertical: Vertical) -> None:
        self.players: list[Player] = []
        self.page = self.page_of[vertical.id]  # the page being written, for the blocks' visits
        body = "\n".join(self.visit(block) for block in vertical.blocks)
        self.files.add(self.page.file, self.page_html(self.page, body))

    def visit_HtmlBlock(self, block: HtmlBlock) -> str:
        return f'<div class="pc-html" id="{escape(block.id)}">\n{self.package_links(block.html)}</div>'

    def visit_CustomBlock(self, block: CustomBlock) -> str:
        player = player_for(block, self)
        self.players.append(player)
        self.played[block.id] = player
        return f'<div class="pc-block pc-{escape(block.tag)}" id="{escape(block.id)}">\n{player.html}\n</div>'

    # Links --------------------------------------------------------------------------------------
    def package_links(self, html: str) -> str:
        """Course URLs rewritten for a page of the package (pages/…)."""
        html = _STATIC_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="../{STATIC_FOLDER}/{m.group(2)}"', html)
        return _JUMP_LINK.sub(self._jump_link, html)

    def _jump_link(self, match: re.Match) -> str:
        before, target, anchor, after, text = match.groups()
        file = self.targets.get(target)
        if file is None:
            return text
        return f'<a{before}href="{file.rpartition("/")[2]}{anchor or ""}"{after}>{text}</a>'

    def static_url(self, name: str) -> str:
        """URL, from a page, of a published course file."""
        return f"../{STATIC_FOLDER}/{name}"

    def asset_name(self, source: Path) -> str:
        return next(asset.name for asset in self.course.assets if asset.source == source)

    # Page ---------------------------------------------------------------------------------------
    def module_pages(self, chapter: Chapter) -> list[Page]:
        return self.pages_of_module[chapter.id]

    def page_html(self, page: Page, body: str) -> str:
        text, language = self.text, self.course.language
        siblings = self.module_pages(page.chapter)
        index = siblings.index(page)
        title = f"{page.vertical.title} — {page.chapter.title}"
        styles = [f"../{ASSETS_FOLDER}/{STYLESHEET}", *(f"../{p}" for pl in self.players for p in pl.styles)]
        scripts = [*(f"../{p}" for p in self.page_scripts), *(f"../{p}" for pl in self.players for p in pl.scripts)]
        head = "\n".join([f'<link rel="stylesheet" href="{escape(href)}">' for href in dict.fromkeys(styles)]
                         + [f'<script src="{escape(src)}" defer></script>' for src in dict.fromkeys(scripts)])
        config = {"package": self.about.identifier, "page": page.vertical.id, "module": page.chapter.id,
                  "pages": [p.vertical.id for p in siblings]}
        return f"""<!DOCTYPE html>
<html lang="{escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}
<script type="application/json" id="pc-page">{script_json(config)}</script>
</head>
<body>
<a class="pc-skip" href="#pc-main">{text['skip']}</a>
<header class="pc-header"><p class="pc-course">{escape(self.course.title)}</p></header>
<nav class="pc-toc" aria-label="{text['toc']}">
{self._toc(page)}
</nav>
<main id="pc-main" tabindex="-1">
<h1>{escape(page.vertical.title)}</h1>
{body}
</main>
{self._pager(siblings, index)}
{provenance_footer(self.about, text)}
</body>
</html>
"""

    def _toc(self, page: Page) -> str:
        """The module's lessons, each with its pages; the current page is marked."""
        if page.chapter.id not in self.tocs:
            self.tocs[page.chapter.id] = self._module_toc(page.chapter)
        link = f'<a href="{page.name}">'
        return self.tocs[page.chapter.id].replace(link, link[:-1] + ' aria-current="page">', 1)

    def _module_toc(self, chapter: Chapter) -> str:
        """The table of contents of a module's pages, none of them marked (file names are unique)."""
        items: dict[str, list[str]] = {sequential.id: [] for sequential in chapter.sequentials}
        for other in self.module_pages(chapter):
            items[other.sequential.id].append(f'<li><a href="{other.name}">{escape(other.vertical.title)}</a></li>')
        lessons = [f"<li>{escape(sequential.title)}\n<ol>\n" + "\n".join(items[sequential.id]) + "\n</ol></li>"
                   for sequential in chapter.sequentials]
        return (f'<p class="pc-toc-title">{self.text["module"]} : {escape(chapter.title)}</p>\n'
                "<ol>\n" + "\n".join(lessons) + "\n</ol>")

    def _pager(self, siblings: list[Page], index: int) -> str:
        links = []
        if index > 0:
            previous = siblings[index - 1]
            links.append(f'<a class="pc-previous" rel="prev" href="{previous.name}">'
                         f'{self.text["previous"]} : {escape(previous.vertical.title)}</a>')
        if index + 1 < len(siblings):
            following = siblings[index + 1]
            links.append(f'<a class="pc-next" rel="next" href="{following.name}">'
                         f'{self.text["next"]} : {escape(following.vertical.title)}</a>')
        return f'<nav class="pc-pager" aria-label="{self.text["pages"]}">\n' + "\n".join(links) + "\n</nav>"


def provenance_footer(about: Provenance, text: dict[str, str]) -> str:
    licence = escape(about.licence)
    if about.licence_url:
        licence = f'<a href="{escape(about.licence_url)}" rel="license">{licence}</a>'
    facts = [f"<dt>{text['licence']}</dt><dd>{licence}</dd>",
             f"<dt>{text['version']}</dt><dd>{escape(about.version)}</dd>"]
    if about.authors:
        facts.append(f"<dt>{text['authors']}</dt><dd>{escape(', '.join(about.authors))}</dd>")
    if about.repository:
        facts.append(f"<dt>{text['source']}</dt><dd><a href=\"{escape(about.repository)}\">"
                     f"{escape(about.repository)}</a></dd>")
    facts.append(f"<dt>{text['built']}</dt><dd>{escape(about.built or text['unknown'])}</dd>")
    return (f'<footer class="pc-footer">\n<h2 class="pc-footer-title">{text["about"]}</h2>\n'
            f"<dl>{''.join(facts)}</dl>\n</footer>")


def script_json(data) -> str:
    """JSON safe inside a <script> element: '<' escaped, so no text can close the element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
