"""`parcours preview`: a course made by `parcours new`, served on a free loopback port by a separate
process (stopped by its pid), driven in headless Chromium: the plan, a lesson, its knowledge check,
the self-assessment and case study players; then edits to the lesson file show up in the open
page, an error shows located in the diagnostics panel, and the fix brings the page back."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from parcours.preview.server import Preview
from parcours.scaffold import create
from tests.authoring.conftest import PARCOURS

MODULE = Path("modules") / "01-premier-module"
LESSON = MODULE / "01-introduction.md"
PAGE_ID_LINE = "## Une deuxième page {#introduction-suite}"


@pytest.fixture
def course(new_course: Path) -> Path:
    create("case-study", new_course / MODULE / "02-cas-311.yaml", "Un robot pour le 311")
    create("self-assessment", new_course / MODULE / "03-autoevaluation.yaml", "Où en êtes-vous?")
    return new_course


@pytest.fixture
def preview_url(course: Path) -> Iterator[str]:
    """`parcours preview COURSE --port 0` running; its address (the port it picked)."""
    process = subprocess.Popen([str(PARCOURS), "preview", str(course), "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            found = re.search(r" on (http://127\.0\.0\.1:\d+/) ", line)
            if found:
                break
        else:
            pytest.fail("the preview did not start:\n" + "".join(lines))
        yield found[1]
    finally:
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        process.stdout.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.browser
def test_edits_errors_and_fixes_show_in_the_open_page(course: Path, preview_url: str):
    from tests.support.browser import launch, watch_failed_requests

    lesson = course / LESSON
    with launch() as browser:
        page = browser.new_page()
        failures = watch_failed_requests(page)
        page.goto(preview_url)
        page.get_by_role("link", name="Une deuxième page").click()
        page.locator("h1", has_text="Une deuxième page").wait_for()
        assert page.locator("#pcp-diagnostics").inner_text() == "Aucun diagnostic."

        edit(lesson, "Chaque titre de niveau 2 commence une page", "Texte modifié dans l'éditeur")
        page.get_by_text("Texte modifié dans l'éditeur").wait_for(timeout=15_000)
        assert page.locator("h1").inner_text() == "Une deuxième page"

        edit(lesson, PAGE_ID_LINE, "## Une deuxième page")  # PC204: a page heading without its id
        line = lesson.read_text(encoding="utf-8").splitlines().index("## Une deuxième page") + 1
        page.locator("h1", has_text="Le cours contient des erreurs").wait_for(timeout=15_000)
        panel = page.locator("#pcp-diagnostics").inner_text()
        assert f"{LESSON.as_posix()}:{line}:" in panel and "PC204" in panel

        edit(lesson, "## Une deuxième page", PAGE_ID_LINE)
        page.locator("h1", has_text="Une deuxième page").wait_for(timeout=15_000)
        assert page.get_by_text("Texte modifié dans l'éditeur").is_visible()
        assert failures == []


@pytest.mark.browser
def test_knowledge_checks_self_assessments_and_case_studies_work(preview_url: str):
    from tests.support.browser import launch, watch_failed_requests

    with launch() as browser:
        page = browser.new_page()
        failures = watch_failed_requests(page)
        page.goto(preview_url)
        assert [module.inner_text() for module in page.locator(".pcp-plan h2").all()] == ["Premier module"]

        page.get_by_role("link", name="Une deuxième page").click()
        page.get_by_label("Deux").check()
        page.locator("form.pc-problem button.pc-check").click()
        page.get_by_text("Bonne réponse").wait_for()

        page.goto(preview_url)
        page.get_by_role("link", name="Où en êtes-vous?").click()
        for question in page.locator("fieldset.saq-question").all():
            question.locator("input").first.check()
        page.locator("button.saq-submit").click()
        page.locator(".saq-result").wait_for()

        page.goto(preview_url)
        page.get_by_role("link", name="Un robot pour le 311").click()
        page.get_by_label("Un projet pilote limité").check()
        page.get_by_role("button", name="Confirmer ma décision").click()
        page.get_by_text("Le pilote révèle les besoins réels.").wait_for()
        assert failures == []


def test_a_broken_course_has_no_pages_until_fixed(course: Path):
    preview = Preview(course)
    try:
        first = preview.rebuild()
        assert first.generation == 1 and not first.broken and (first.folder / "pages").is_dir()
        edit(course / LESSON, PAGE_ID_LINE, "## Une deuxième page")
        broken = preview.rebuild()
        assert broken.generation == 2 and broken.broken and not first.folder.exists()
        assert [problem.code for problem in broken.problems] == ["PC204"]
        assert broken.problems[0].where.startswith(f"{LESSON.as_posix()}:")
    finally:
        preview.stop()


def test_the_server_stays_in_its_folder(preview_url: str):
    for path in ("../../etc/passwd", "%2e%2e/%2e%2e/etc/hostname", "pages/absente.html"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(preview_url + path, timeout=10)
        assert refused.value.code == 404
    with urllib.request.urlopen(preview_url + "_preview/generation", timeout=10) as answer:
        assert answer.read() == b'{"generation": 1}'
