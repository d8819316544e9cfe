"""SCORM packages run in headless Chromium against scorm-again, the real SCORM 1.2 runtime: a
learner goes through the pages by keyboard, answers the knowledge checks, works through the case
study and the self-assessment, and the test reads status, score and resume data back from the
runtime, then resumes a second session from them. Any HTTP error or script error fails."""
from __future__ import annotations

import json

import pytest

from tests.exports.scorm_player import cmi, serve_package, write_player
from tests.support.browser import describe_violations, launch, run_axe, watch_failed_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STATUS = ("cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max",
          "cmi.suspend_data", "cmi.core.lesson_location")


@pytest.fixture
def browser():
    with launch() as chromium:
        yield chromium


def open_player(browser, base, launch_path):
    page = browser.new_page()
    problems = watch_failed_requests(page)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" and "favicon.ico" not in str(message.location) else None)
    page.goto(base + launch_path)
    return page, problems, page.frame_locator("#sco").frame_locator("#pc-frame")


def next_page(frame, title):
    """Follow the « next page » link by keyboard, then wait for the page."""
    frame.locator("a.pc-next").focus()
    frame.locator("a.pc-next").press("Enter")
    frame.locator("h1", has_text=title).wait_for()


def check(frame, problem_id):
    frame.locator(f"form[id='{problem_id}'] button.pc-check").click()


def test_a_learner_completes_a_module_and_resumes_it(built, browser, tmp_path):
    archive = built["partenaire"] / "scorm12" / "modules" / "deneigement" / "package.zip"
    with serve_package(archive, tmp_path) as (root, base):
        page, problems, frame = open_player(browser, base, write_player(root, "sco-deneigement.html"))
        frame.locator("h1", has_text="Les trajets de déneigement").wait_for()
        assert cmi(page, "cmi.core.lesson_status")["cmi.core.lesson_status"] == "incomplete"

        next_page(frame, "Ce que l'outil optimise")
        frame.get_by_label("Le temps total de déneigement").check()
        check(frame, "deneigement.but-optimisation")
        frame.get_by_text("Exact.").wait_for()

        next_page(frame, "Quatre questions")
        frame.get_by_label("Un délai maximal par quartier").check()
        frame.get_by_label("La publication des résultats par quartier").check()
        check(frame, "deneigement.criteres-equite")
        frame.get_by_label("Quel format de fichier est ouvert?").select_option(label="CSV")
        check(frame, "deneigement.format-trajets")
        frame.locator("input[id='deneigement.sigle-loi-q0-input']").fill("loi 25")
        check(frame, "deneigement.sigle-loi")
        frame.locator("input[id='deneigement.kilometres-q0-input']").fill("200")  # wrong on purpose
        check(frame, "deneigement.kilometres")
        frame.locator("form[id='deneigement.kilometres'] .pc-incorrect").wait_for()

        next_page(frame, "Route-optimisation software")
        frame.get_by_label("Test the software in one district for one winter").check()
        frame.get_by_role("button", name="Confirmer ma décision").click()
        frame.get_by_text("The test shows a 12% shorter clearing time").wait_for()
        frame.get_by_role("button", name="Continuer").click()
        frame.locator("textarea").fill("Fixer un délai maximal par quartier avant d'optimiser, puis publier "
                                       "les résultats de chaque quartier après chaque tempête.")
        frame.get_by_role("button", name="Soumettre ma réponse").click()
        frame.get_by_text("Define fairness criteria").wait_for()
        frame.get_by_role("button", name="Continuer").click()
        frame.get_by_label("Present", exact=False).check()
        frame.get_by_role("button", name="Soumettre mon autoévaluation").click()
        frame.get_by_role("button", name="Continuer").click()
        frame.get_by_text("An optimisation optimises what it is told to").wait_for()

        next_page(frame, "Autoévaluation")
        frame.get_by_label("Le temps total").check()
        frame.locator("fieldset[data-question-id='q-vrai'] input[value='false']").check()
        frame.get_by_label("Un délai maximal par quartier").check()
        frame.get_by_label("La publication des résultats").check()
        frame.get_by_label("Tout à fait d'accord").check()
        frame.locator("button.saq-submit").click()
        frame.locator(".saq-result").wait_for()
        assert "100" in frame.locator(".saq-profile-table").inner_text()

        values = cmi(page, *STATUS)
        # Graded: the four questions (weights 2+1+1+1, one wrong) and the case study (weight 2, 1/1).
        assert values["cmi.core.lesson_status"] == "passed"
        assert float(values["cmi.core.score.raw"]) == pytest.approx(100 * 6 / 7, abs=0.01)
        assert (values["cmi.core.score.min"], values["cmi.core.score.max"]) == ("0", "100")
        assert values["cmi.core.lesson_location"] == "deneigement.autoevaluation-deneigement.page"
        suspend = json.loads(values["cmi.suspend_data"])
        assert len(values["cmi.suspend_data"]) <= 4096 and suspend["l"] == [0, 1, 2, 3, 4]
        assert suspend["r"]["problem:deneigement.kilometres"] == [0, 1]
        assert suspend["d"]["municipal_case_study:deneigement.cas-deneigement"]["path"][-1]["step"] == "debrief"
        axe = run_axe(page.frames[-1], context="body")
        assert axe["violations"] == [], describe_violations(axe)
        assert problems == []

        saved = {"core": {"lesson_location": values["cmi.core.lesson_location"], "lesson_status": "passed",
                          "entry": "resume"}, "suspend_data": values["cmi.suspend_data"]}
        page, problems, frame = open_player(browser, base, write_player(root, "sco-deneigement.html", saved,
                                                                         "resume.html"))
        frame.locator(".saq-result").wait_for()  # resumed on the last page, with the profile shown
        frame.locator("a.pc-toc-link, nav.pc-toc a", has_text="Quatre questions").first.click()
        frame.locator("form[id='deneigement.kilometres'] .pc-incorrect").wait_for()
        assert frame.locator("input[id='deneigement.kilometres-q0-input']").input_value() == "200"
        assert cmi(page, "cmi.core.lesson_status")["cmi.core.lesson_status"] == "passed"
        assert problems == []


@pytest.mark.parametrize(("course", "module"), [("exemple", "premiers-pas"), ("exemple", None)])
def test_the_example_course_runs_page_by_page(built, browser, tmp_path, course, module):
    """Every page of every SCO opens without an HTTP or script error; a learner who answers every
    knowledge check and self-assessment and works through every case study finishes each module."""
    folder = built[course] / "scorm12" / ("modules/" + module if module else "")
    with serve_package(folder / "package.zip", tmp_path) as (root, base):
        for launch_page in sorted(p.name for p in (root / "sco").glob("sco-*.html")):
            page, problems, frame = open_player(browser, base, write_player(root, launch_page))
            frame.locator("h1").wait_for()
            while True:
                for form in frame.locator("form.pc-problem").all():
                    _answer_anything(form)
                for quiz in frame.locator(".saq").all():
                    _rate_anything(quiz)
                for case in frame.locator(".mcs-case").all():
                    _work_through(case)
                if not frame.locator("a.pc-next").count():
                    break
                next_page(frame, frame.locator("a.pc-next").inner_text().split(" : ", 1)[1])
            values = cmi(page, *STATUS)
            assert values["cmi.core.lesson_status"] in ("completed", "passed", "failed"), (launch_page, values)
            assert problems == [], (launch_page, problems)


def _answer_anything(form):
    """Some answer to each question of a knowledge check, then « check »."""
    for question in form.locator(".pc-question").all():
        kind = question.get_attribute("data-kind")
        if kind in ("single", "multiple"):
            question.locator("input").first.check()
        elif kind == "dropdown":
            question.locator("select").select_option(index=1)
        else:
            question.locator("input").fill("42")
    form.locator("button.pc-check").click()
    form.locator(".pc-feedback p.pc-verdict").first.wait_for()


def _rate_anything(quiz):
    """The first option of every self-assessment question, then submit."""
    for question in quiz.locator("fieldset.saq-question").all():
        question.locator("input").first.check()
    quiz.locator("button.saq-submit").click()
    quiz.locator(".saq-result").wait_for()


def _work_through(case):
    """First option at each decision, a long enough reflection, the first level of each criterion,
    « continue » after each step, until the debrief."""
    step = case.locator(".mcs-app .mcs-step")
    for _ in range(40):
        if step.locator(".mcs-lessons").count():
            return
        form = step.locator("form")
        if form.count() and form.locator("textarea").count():
            form.locator("textarea").fill("Une réflexion assez longue pour l'étude de cas. " * 6)
            form.locator("button[type=submit]").click()
        elif form.count():
            for fieldset in form.locator("fieldset").all():
                fieldset.locator("input").first.check()
            form.locator("button[type=submit]").click()
        else:
            step.locator("p > button.mcs-button").click()
        case.page.wait_for_timeout(50)
    raise AssertionError("the case study never reached its debrief")
