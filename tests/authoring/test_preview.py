"""`parcours preview`: a course made by `parcours new`, served on a free loopback port by a separate
process (stopped by its pid), driven in headless Chromium: the plan, a lesson, its knowledge check,
the self-assessment and case study players; then edits to the lesson file show up in the open
page, an error shows located in the diagnostics panel, and the fix brings the page back."""
from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from parcours.preview import site
from parcours.preview.server import Preview, exposure_warning
from parcours.scaffold import create
from tests.authoring.conftest import PARCOURS, run_parcours

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
    """`parcours preview COURSE --port 0` running, for a French-speaking author; its address (the port it picked)."""
    process = subprocess.Popen([str(PARCOURS), "preview", str(course), "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "LANGUAGE": "fr"})
    try:
        yield served_address(process)
    finally:
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        process.stdout.close()


def served_address(preview: subprocess.Popen) -> str:
    """The address a starting preview prints (in the author's words around it).

    Read by a thread, line by line: `select` on the pipe would not see a line already in the
    reader's buffer (two lines written at once), and wait for more."""
    lines, address = [], queue.Queue()

    def read() -> None:
        for line in preview.stdout:
            lines.append(line)
            if found := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
                address.put(found[1])
                return
        address.put(None)  # the preview ended

    threading.Thread(target=read, daemon=True).start()
    try:
        served = address.get(timeout=60)
    except queue.Empty:
        served = None
    if served is None:
        pytest.fail("the preview did not start:\n" + "".join(lines))
    return served


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
        # The verdict under the question; the form's status line announces it too (a moment later).
        page.locator("form.pc-problem .pc-verdict", has_text="Bonne réponse").wait_for()
        page.locator("form.pc-problem [role=status]", has_text="Bonne réponse").wait_for()

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


@pytest.mark.parametrize(("spoken", "words"), [
    ("fr", ["Plan du cours", "Aperçu local, construction nº 2", "Diagnostics (1)", "erreur PC204</strong>\u00a0: ",
            "Piste\u00a0: ", "Le cours contient des erreurs"]),
    ("en", ["Course plan", "Local preview, build 2", "Diagnostics (1)", "error PC204</strong>: ", "Hint: ",
            "The course has errors"]),
], ids=("fr", "en"))
def test_the_previews_own_words_are_in_the_authors_language(course: Path, monkeypatch, spoken: str,
                                                            words: list[str]):
    """The course is French; an English-speaking author reads the preview's words in English, marked as such."""
    monkeypatch.setenv("LANGUAGE", spoken)
    preview = Preview(course)
    try:
        home = site.home_page(preview.rebuild())
        edit(course / LESSON, PAGE_ID_LINE, "## Une deuxième page")
        broken = site.broken_page(preview.rebuild())
    finally:
        preview.stop()
    assert '<html lang="fr">' in home and f'<aside class="pcp-preview" lang="{spoken}"' in home
    assert f'<h1 lang="{spoken}">{words[0]}</h1>' in home
    assert all(word in broken for word in words[1:]), broken
    assert re.findall(r'lang="(\w+)"', broken) == [spoken] * 4  # a course that cannot be built: its words only


def test_the_server_stays_in_its_folder(preview_url: str):
    for path in ("../../etc/passwd", "%2e%2e/%2e%2e/etc/hostname", "pages/absente.html"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(preview_url + path, timeout=10)
        assert refused.value.code == 404
    with urllib.request.urlopen(preview_url + "_preview/generation", timeout=10) as answer:
        assert answer.read() == b'{"generation": 1}'


def test_a_port_in_use_is_a_usage_error(new_course: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_parcours("preview", new_course, "--port", port, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"cannot listen on 127.0.0.1:{port}: the port is already in use" in done.stderr
    assert "hint:" in done.stderr and "warning" not in done.stderr


@pytest.mark.parametrize("port", ["99999", "-1", "huit"])
def test_a_port_out_of_range_is_refused_by_the_argument_parser(new_course: Path, port: str):
    done = run_parcours("preview", new_course, "--port", port, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"argument --port: '{port}' is not a port: use a number from 0 to 65535" in done.stderr


def test_an_address_of_another_computer_is_a_usage_error_after_the_warning(new_course: Path):
    """192.0.2.1 (TEST-NET-1) is never this computer's: binding fails, nothing listens, no traffic."""
    done = run_parcours("preview", new_course, "--host", "192.0.2.1", "--port", "0", timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--host 192.0.2.1 lets other computers on the network see the preview" in done.stderr
    assert "no authentication" in done.stderr
    assert "192.0.2.1 is not an address of this computer" in done.stderr and "hint:" in done.stderr


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("127.0.0.2", False), ("localhost", False),
                                              ("::1", False), ("0.0.0.0", True), ("::", True),
                                              ("192.168.1.10", True), ("mon-poste.local", True)])
def test_only_loopback_hosts_are_served_without_a_warning(host: str, warned: bool):
    assert (exposure_warning(host) is not None) is warned


def test_an_internal_error_is_a_short_message_not_a_traceback(course: Path, monkeypatch):
    def crash(*args, **kwargs):
        raise TypeError("'int' object is not iterable")

    monkeypatch.setattr(site, "build", crash)
    preview = Preview(course)
    try:
        broken = preview.rebuild()
    finally:
        preview.stop()
    assert broken.broken and len(broken.problems) == 1
    problem = broken.problems[0]
    assert "TypeError: 'int' object is not iterable" in problem.message and "report" in problem.hint
    page = site.broken_page(broken)
    assert "Traceback" not in page and 'File "' not in page and "TypeError" in page


def session_processes(session: int) -> list[str]:
    listed = subprocess.run(["ps", "-o", "pid=,cmd=", "-s", str(session)], capture_output=True, text=True).stdout
    return [line.strip() for line in listed.splitlines() if "parcours" in line]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=("SIGTERM", "Ctrl+C"))
def test_stopping_the_preview_during_a_rebuild_leaves_no_process_and_no_page_behind(tmp_path: Path,
                                                                                     stop: signal.Signals):
    """Stopped while its workers render (Ctrl+C reaches the whole process group, as from a terminal)."""
    from tests.bench import generate

    lesson = generate(tmp_path / "grand", modules=4)[0]  # 200 lessons: rendered by worker processes
    scratch = tmp_path / "tmp"  # where the preview writes its pages
    scratch.mkdir()
    process = subprocess.Popen([str(PARCOURS), "preview", str(tmp_path / "grand"), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    try:
        served_address(process)
        # A new page id changes what links may point to: every text is rendered again.
        lesson.write_text(lesson.read_text(encoding="utf-8") + "\n## Page nouvelle {#nouvelle}\n\nTexte.\n",
                          encoding="utf-8")
        deadline = time.monotonic() + 60
        while len(session_processes(process.pid)) < 2:  # the server alone: the rebuild has not started
            assert time.monotonic() < deadline, "the rebuild never started its workers"
            time.sleep(0.01)
        os.killpg(process.pid, stop) if stop == signal.SIGINT else process.send_signal(stop)
        assert process.wait(timeout=60) == 0
        while session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(process.pid) == []
        assert list(scratch.iterdir()) == []
    finally:
        for line in session_processes(process.pid):
            os.kill(int(line.split()[0]), signal.SIGKILL)
        process.stdout.close()
