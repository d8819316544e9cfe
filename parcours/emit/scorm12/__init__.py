"""The SCORM 1.2 emitter: one package for the course and one per module (`modules/<id>/`).

Each package is a reproducible zip (`package.zip`), which Moodle, Brightspace and others import as
is, and with `--unpacked` the same files in a folder (`package/`). Each module is one SCO: a launch
page (`sco-<module>.html`, see assets/sco.js) that holds the SCORM session and shows the module's
pages, which are the standalone lesson pages of `parcours.emit.pages` with knowledge checks as HTML
forms graded in the browser. Everything the pages load is in the package; nothing is fetched from
the network.
"""
from __future__ import annotations

from importlib import resources
from typing import ClassVar

from parcours.emit.package import provenance
from parcours.emit.pages import ASSETS_FOLDER, StandalonePages, script_json
from parcours.emit.players import ASSETS as PLAYER_ASSETS
from parcours.emit.players import activity_key
from parcours.emit.scorm12.knowledge_check import knowledge_check, problem_key
from parcours.emit.scorm12.manifest import launch_page, manifest, metadata
from parcours.model.nodes import Chapter, Course, CustomBlock, ProblemBlock

PACKAGE_FOLDER = "package"
ARCHIVE = "package.zip"
_ASSETS = resources.files(__package__) / "assets"
STATE_SCRIPT = "parcours-state.js"


class Scorm12Emitter(StandalonePages):
    name: ClassVar[str] = "scorm12"
    description: ClassVar[str] = "SCORM 1.2 packages (course and each module), for Moodle, Brightspace…"
    page_scripts = (f"{ASSETS_FOLDER}/{STATE_SCRIPT}", *StandalonePages.page_scripts,
                    f"{ASSETS_FOLDER}/knowledge-check.js")
    package_folder: ClassVar[str] = PACKAGE_FOLDER
    archive: ClassVar[str] = ARCHIVE

    def visit_Course(self, course: Course) -> None:
        about = provenance(course)
        pages = self.write_pages(course, about)
        self.ship(STATE_SCRIPT, (PLAYER_ASSETS / STATE_SCRIPT).read_bytes())
        self.ship("knowledge-check.js", (_ASSETS / "knowledge-check.js").read_bytes())
        self.ship("sco.js", (_ASSETS / "sco.js").read_bytes())
        mastery = min(course.grading.cutoffs.values(), default=None)
        for chapter in course.chapters:
            config = {"module": chapter.id, "pages": [p.vertical.id for p in pages if p.chapter is chapter],
                      "items": self.graded_activities(chapter), "mastery": mastery}
            self.files.add(sco_file(chapter), launch_page(chapter, course.language, script_json(config)))
        self.files.add("metadata.xml", metadata(about))
        self.files.add("imsmanifest.xml", manifest(course, about, self.files.file_names(), mastery))

    def graded_activities(self, chapter: Chapter) -> dict[str, float]:
        """Tracker key → weight of what counts towards the module's score: as in Open edX, the
        problems and scored blocks of graded subsections."""
        items = {}
        for sequential in (s for s in chapter.sequentials if s.graded_as):
            for block in (b for vertical in sequential.verticals for b in vertical.blocks):
                if isinstance(block, ProblemBlock):
                    items[problem_key(block)] = problem_weight(block)
                elif isinstance(block, CustomBlock) and self.played[block.id].scored:
                    items[activity_key(block)] = self.played[block.id].weight
        return items

    def visit_ProblemBlock(self, block: ProblemBlock) -> str:
        max_attempts = int(block.settings.get("max_attempts", self.course.defaults.get("max_attempts", 0)) or 0)
        return knowledge_check(block, block.render, self.course.language, max_attempts,
                               problem_weight(block))


def problem_weight(block: ProblemBlock) -> float:
    """As Open edX weighs a problem: its `weight`, else one point per question."""
    return float(block.settings.get("weight", len(block.problem.questions)))


def sco_file(chapter: Chapter) -> str:
    return f"sco-{chapter.id}.html"
