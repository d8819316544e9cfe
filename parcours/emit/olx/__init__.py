"""The Open edX emitter: the importable `course.tar.gz` of the course and of each module, and with
`--unpacked` their OLX folders too (to read or diff; Studio imports the archive).

See docs/format.md, docs/partenaires.md. Course settings live in policy.json only (one place, so olxcleaner
sees no overrides); custom XBlocks are written inline in their vertical, which every Open edX
release imports; every file is written in a stable order, so two builds are byte-identical.
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar

from lxml import etree

from parcours.blocks import block_codecs
from parcours.cache import ResultCache
from parcours.emit.base import PackageFiles, PublishedFiles
from parcours.emit.olx.about import about_pages
from parcours.emit.package import packages
from parcours.model.nodes import (
    Asset,
    Chapter,
    Course,
    CustomBlock,
    HtmlBlock,
    Node,
    ProblemBlock,
    Sequential,
    Vertical,
)
from parcours.model.visitor import NodeVisitor
from parcours.parallel import workers
from parcours.quiz.capa import to_capa
from parcours.transforms.render import published

PACKAGE_FOLDER = "course"
ARCHIVE = "course.tar.gz"
# olxcleaner requires a course image; a course that names none gets this plain one.
DEFAULT_IMAGE = Asset("course_image.png", Path(__file__).parent / "assets" / "default_course_image.png")


def xml_bytes(element: etree._Element) -> str:
    etree.indent(element, space="  ")
    return etree.tostring(element, encoding="unicode") + "\n"


def olx_date(value: str) -> str:
    """ISO 8601 with a time and a zone, as Studio writes dates."""
    return value if "T" in value else f"{value}T00:00:00Z"


class OlxEmitter(NodeVisitor):
    name: ClassVar[str] = "olx"
    description: ClassVar[str] = "Open edX course (OLX folder and course.tar.gz for Studio import)"
    cache: ResultCache | None = None
    unpacked: bool = False

    def emit(self, course: Course, outdir: Path) -> list[Path]:
        """The course package, then one per module under modules/<module id>/: each an archive and,
        when `unpacked`, its folder.

        Packages are built in memory, then written and archived on every core. A unit's files are
        made once for every package that holds it (a module's package repeats its chapter), and
        once for every build of a process that builds again, as long as the unit is the very same
        object (see ResultCache.memo).
        """
        if self.cache is None:
            self.cache = ResultCache()  # in memory: the packages still share their chapters' members
        self.units = self.cache.memo("olx units")
        self.published = PublishedFiles()
        built = [(outdir / folder, self._package_files(package)) for folder, package in packages(course)]
        built[0][1].compress_parts(PACKAGE_FOLDER, self.cache)  # the chapters, which the modules' packages share
        with ThreadPoolExecutor(workers()) as pool:
            return [path for paths in pool.map(self._write_package, built) for path in paths]

    def _write_package(self, built: tuple[Path, PackageFiles]) -> list[Path]:
        folder, files = built
        folder.mkdir(parents=True, exist_ok=True)
        files.write_targz(folder / ARCHIVE, PACKAGE_FOLDER, self.cache)
        if not self.unpacked:
            return [folder / ARCHIVE]
        files.write(folder / PACKAGE_FOLDER)
        return [folder / PACKAGE_FOLDER, folder / ARCHIVE]

    def _package_files(self, course: Course) -> PackageFiles:
        self.files = PackageFiles()
        self.course = course
        self.visit(course)
        return self.files

    def _write(self, relative: str, content: str | bytes | None) -> None:
        self.files.add(relative, content)

    def _write_xml(self, kind: str, url_name: str, element: etree._Element) -> None:
        self._write(f"{kind}/{url_name}.xml", xml_bytes(element))

    def visit_Course(self, course: Course) -> None:
        run = course.run
        self._write("course.xml", xml_bytes(etree.Element("course", url_name=run, org=course.org,
                                                          course=course.number)))
        element = etree.Element("course")
        for chapter in course.chapters:
            etree.SubElement(element, "chapter", url_name=chapter.id)
            self.visit(chapter)
        self._write_xml("course", run, element)
        self._write(f"policies/{run}/policy.json", _json({f"course/{run}": _course_policy(course)}))
        self._write(f"policies/{run}/grading_policy.json", _json(_grading_policy(course)))
        self._write("policies/assets.json", "{}\n")
        for name, html in about_pages(course).items():
            self._write(f"about/{name}.html", html)
        self._write("info/updates.html", "<ol></ol>\n")
        self._write("info/updates.items.json", "[]\n")
        self._write("info/handouts.html", "<ol></ol>\n")
        self._write("static", None)
        for asset in (*course.assets, course.image or DEFAULT_IMAGE):
            self._write(f"static/{asset.name}", self.published.content(asset))

    def visit_Chapter(self, chapter: Chapter) -> None:
        """The chapter's files as one part (one archive member), the same object for the same units:
        a module's package and the next build find it compressed already."""
        xml = xml_bytes(self._container_element("chapter", chapter, chapter.sequentials, "sequential"))
        self.files.add_part(self.units.get(chapter.sequentials, lambda *_: self._chapter_files(chapter, xml),
                                           context=(self.course.root, chapter.id, xml)))

    def _chapter_files(self, chapter: Chapter, xml: str) -> PackageFiles:
        outer, self.files = self.files, PackageFiles()
        self._write(f"chapter/{chapter.id}.xml", xml)
        for sequential in chapter.sequentials:
            self.files.update(self.units.get((sequential,), self._unit_files, context=self.course.root))
        chapter_files, self.files = self.files, outer
        return chapter_files

    def _unit_files(self, sequential: Sequential) -> PackageFiles:
        outer, self.files = self.files, PackageFiles()
        self.visit(sequential)
        unit_files, self.files = self.files, outer
        return unit_files

    def visit_Sequential(self, sequential: Sequential) -> None:
        settings = {"graded": "true", "format": sequential.graded_as} if sequential.graded_as else {}
        if sequential.due:
            settings["due"] = olx_date(sequential.due)
        self._container("sequential", sequential, sequential.verticals, "vertical", settings)

    def _container(self, tag: str, node: Node, children: tuple[Node, ...], child_tag: str,
                   settings: dict[str, str] | None = None) -> None:
        """A container's file: its settings and a pointer to each child, whose files are written too."""
        for child in children:
            self.visit(child)
        self._write_xml(tag, node.id, self._container_element(tag, node, children, child_tag, settings))

    @staticmethod
    def _container_element(tag: str, node: Node, children: tuple[Node, ...], child_tag: str,
                           settings: dict[str, str] | None = None) -> etree._Element:
        element = etree.Element(tag, display_name=node.title, **(settings or {}))
        for child in children:
            etree.SubElement(element, child_tag, url_name=child.id)
        return element

    def visit_Vertical(self, vertical: Vertical) -> None:
        element = etree.Element("vertical", display_name=vertical.title)
        for block in vertical.blocks:
            element.append(self.visit(block))
        self._write_xml("vertical", vertical.id, element)

    def visit_HtmlBlock(self, block: HtmlBlock) -> etree._Element:
        self._write_xml("html", block.id, etree.Element("html", filename=block.id, display_name=block.title))
        self._write(f"html/{block.id}.html", block.html)
        return etree.Element("html", url_name=block.id)

    def visit_ProblemBlock(self, block: ProblemBlock) -> etree._Element:
        element = to_capa(block.problem, block.render)
        element.set("display_name", block.title)
        for key in ("max_attempts", "weight", "showanswer"):
            if key in block.settings:
                element.set(key, str(block.settings[key]))
        self._write_xml("problem", block.id, element)
        return etree.Element("problem", url_name=block.id)

    def visit_CustomBlock(self, block: CustomBlock) -> etree._Element:
        urls = {ref: f"/static/{published(path, self.course.root).name}" for ref, path in block.assets.items()}
        element = block_codecs()[block.tag].to_element(dict(block.data), lambda ref: urls.get(ref, ref))
        element.set("url_name", block.id)
        element.set("xblock-family", "xblock.v1")
        return element


def _course_policy(course: Course) -> dict:
    policy = {
        "display_name": course.title,
        "language": course.language,
        "start": olx_date(course.start),
        "end": olx_date(course.end),
        "self_paced": course.self_paced,
        "advanced_modules": course.custom_tags(),
    }
    policy["course_image"] = (course.image or DEFAULT_IMAGE).name
    policy.update({key: course.defaults[key] for key in ("showanswer", "max_attempts") if key in course.defaults})
    return policy


def _grading_policy(course: Course) -> dict:
    return {
        "GRADER": [{"type": g.type, "short_label": g.short_label, "min_count": g.min_count,
                    "drop_count": g.drop_count, "weight": g.weight} for g in course.grading.graders],
        "GRADE_CUTOFFS": dict(course.grading.cutoffs),
    }


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
