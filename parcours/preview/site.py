"""One build of the preview: the course compiled with the build cache, its learners' pages written
by the SCORM emitter (the same standalone pages, knowledge checks and block players as the partner
packages), and the validator's diagnostics. A course with errors has no pages: the preview shows
its diagnostics instead of a stale page.

The preview's own HTML is small: a course plan (modules, lessons, pages), a diagnostics panel, and
a script that reloads the page after each build. They are added around the learners' pages when
served, so the page files stay exactly those of the packages. Their words are in the author's
language (as the commands', read at each request), marked with `lang`: the course may be in another.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from parcours.cache import ResultCache
from parcours.diagnostics import Diagnostic, Reporter, Severity
from parcours.emit.pages import course_pages
from parcours.emit.scorm12 import Scorm12Emitter
from parcours.i18n import _, language
from parcours.labels import colon
from parcours.model.nodes import Course
from parcours.pipeline import compile_course
from parcours.project import KeptTexts, Workspace

ASSETS_URL = "/_preview/"


@dataclass(frozen=True)
class Problem:
    """A diagnostic as the panel shows it."""

    where: str  # file:line:col, relative to the course folder
    code: str
    severity: Severity
    message: str
    hint: str | None

    @classmethod
    def of(cls, diagnostic: Diagnostic, course_dir: Path) -> Problem:
        where = diagnostic.span.display(course_dir) if diagnostic.span else ""
        return cls(where, diagnostic.code.code, diagnostic.level, diagnostic.message, diagnostic.hint)


@dataclass(frozen=True)
class Build:
    """What the server shows after one build; replaced as a whole by the next build."""

    generation: int
    title: str
    language: str  # the course's; the author's while the course cannot be built
    folder: Path | None = None  # the pages, or None when the course has errors
    plan: str = ""  # the course plan's list (HTML)
    problems: tuple[Problem, ...] = field(default=())

    @property
    def broken(self) -> bool:
        return self.folder is None


class PreviewPages(Scorm12Emitter):
    """The SCORM emitter writing one package folder, whose pages the preview serves."""

    def write(self, course: Course, folder: Path, cache: ResultCache) -> None:
        self.cache = cache
        self.package_files(course).write(folder)


def build(course_dir: Path, generation: int, cache: ResultCache, texts: KeptTexts, workspace_root: Path) -> Build:
    """Compile the course (reusing `cache` and the unchanged `texts` of the last build) and, if it has
    no error, write its pages in a new folder."""
    reporter = Reporter()
    course = compile_course(course_dir, Workspace(reporter, kept=texts), cache=cache)
    problems = tuple(Problem.of(d, course_dir) for d in reporter.sorted())
    if course is None:
        return Build(generation, course_dir.name, language(), problems=problems)  # its own words only
    folder = Path(tempfile.mkdtemp(prefix=f"build-{generation}-", dir=workspace_root))
    PreviewPages().write(course, folder, cache)
    cache.save()  # in memory: forgets what this build did not use (a failed build would forget too much)
    return Build(generation, course.title, course.language, folder, plan_html(course), problems)


def discard(previous: Build | None) -> None:
    if previous is not None and previous.folder is not None:
        shutil.rmtree(previous.folder, ignore_errors=True)


# HTML ---------------------------------------------------------------------------------------------
def plan_html(course: Course) -> str:
    """Modules, their lessons, and each lesson's pages, linked."""
    pages = course_pages(course)
    modules = []
    for chapter in course.chapters:
        lessons = []
        for sequential in chapter.sequentials:
            links = "".join(f'<li><a href="/{page.file}">{escape(page.vertical.title)}</a></li>'
                            for page in pages if page.sequential is sequential)
            lessons.append(f"<li>{escape(sequential.title)}<ol>{links}</ol></li>")
        modules.append(f'<li><h2>{escape(chapter.title)}</h2><ol>{"".join(lessons)}</ol></li>')
    return f'<nav class="pcp-plan" aria-label="{escape(_("Course plan"))}"><ol>{"".join(modules)}</ol></nav>'


def diagnostics_html(problems: tuple[Problem, ...]) -> str:
    if not problems:
        return f'<p class="pcp-diagnostics" id="pcp-diagnostics">{escape(_("No diagnostics."))}</p>'
    items = []
    for problem in problems:
        hint = (f'<p class="pcp-hint">{escape(_("Hint: {hint}").format(hint=problem.hint))}</p>'
                if problem.hint else "")
        items.append(f'<li class="pcp-diagnostic pcp-{problem.severity.label}">'
                     f'<code class="pcp-where">{escape(problem.where)}</code> '
                     f'<strong>{problem.severity.word()} {problem.code}</strong>{colon(language())}'
                     f'{escape(problem.message)}{hint}</li>')
    title = escape(_("Diagnostics ({count})").format(count=len(problems)))
    return (f'<section class="pcp-diagnostics" id="pcp-diagnostics" aria-labelledby="pcp-diagnostics-title">'
            f'<h2 id="pcp-diagnostics-title">{title}</h2><ol>{"".join(items)}</ol></section>')


def chrome(current: Build) -> str:
    """What the preview adds at the end of every page: plan link, diagnostics, reload script."""
    build = escape(_("Local preview, build {number}").format(number=current.generation))
    return (f'<link rel="stylesheet" href="{ASSETS_URL}preview.css">'
            f'<aside class="pcp-preview" lang="{language()}" aria-label="{escape(_("Local preview"))}">'
            f'<p><a href="/">{escape(_("Course plan"))}</a> · {build}</p>'
            f"{diagnostics_html(current.problems)}</aside>"
            f'<script src="{ASSETS_URL}preview.js" data-generation="{current.generation}"></script>')


def with_chrome(page: str, current: Build) -> str:
    return page.replace("</body>", chrome(current) + "</body>", 1)


def standalone_page(current: Build, heading: str, body: str) -> str:
    """The plan, or the diagnostics of a broken course, as a page of its own."""
    return f"""<!DOCTYPE html>
<html lang="{escape(current.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)} — {escape(current.title)}</title>
</head>
<body>
<main class="pcp-main" id="pcp-main">
<p>{escape(current.title)}</p>
<h1 lang="{language()}">{escape(heading)}</h1>
{body}
</main>
</body>
</html>
"""


def home_page(current: Build) -> str:
    if current.broken:
        return broken_page(current)
    return with_chrome(standalone_page(current, _("Course plan"), current.plan), current)


def broken_page(current: Build) -> str:
    """Shown for every page while the course has errors: fix them, the page comes back."""
    body = _paragraph(_("The course cannot be built. Fix the errors below: the page reloads by itself."))
    return with_chrome(standalone_page(current, _("The course has errors"), body), current)


def missing_page(current: Build) -> str:
    body = _paragraph(_("This page is not (or no longer) in the course."))
    return with_chrome(standalone_page(current, _("Page not found"), body), current)


def _paragraph(text: str) -> str:
    """A paragraph of the preview's own, in the author's language."""
    return f'<p lang="{language()}">{escape(text)}</p>'

