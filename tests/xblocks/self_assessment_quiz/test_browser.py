"""The quiz in headless Chromium against the workbench: keyboard, persistence, limits, a11y, no leak."""
import re
import time
import uuid

import pytest

pytest.importorskip("playwright")

from tests.support.browser import describe_violations, rule_ids, run_axe  # noqa: E402

from .helpers import correct_answers, scenario_data, wrong_answers  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.sdk]

FRENCH = "/scenario/self_assessment_quiz.0/"
ENGLISH = "/scenario/self_assessment_quiz.1/"
TWO = "/scenario/self_assessment_quiz.2/"
FRENCH_DATA = scenario_data("01-autodiagnostic-municipal.xml")
# Only the answer key, feedback and results contain these (see test_block.SECRETS).
SECRETS = ["Exact : ces systèmes", "Oui : le document est public", "Le risque dépend des données",
           "En progression", "méritent d’être revues", "m02-donnees", "cai.gouv.qc.ca", "correct_choices",
           '"correct": true']


def open_quiz(page, server, path, student=None):
    student = student or f"learner-{uuid.uuid4().hex[:8]}"
    page.goto(f"{server.url}{path}?student={student}")
    page.wait_for_function("() => document.querySelector('.saq-attempts') !== null")
    return student


def active_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def option_indices(question, answer):
    """Positions of the options to choose, as rendered (true/false: Vrai then Faux)."""
    if question["type"] == "true_false":
        return [0 if answer == "true" else 1]
    if question["type"] == "likert":
        scale = question.get("scale") or FRENCH_DATA["scale"]
        return [[point["value"] for point in scale].index(answer)]
    ids = [choice["id"] for choice in question["choices"]]
    return [ids.index(value) for value in ([answer] if isinstance(answer, str) else answer)]


def answer_with_keyboard(page, answers):
    """Tab into the form, answer every question with Space/arrows only, submit with Enter."""
    fieldsets = page.locator(".saq-question")
    first_input = fieldsets.nth(0).locator("input").first.get_attribute("id")
    for _ in range(30):
        page.keyboard.press("Tab")
        if active_id(page) == first_input:
            break
    assert active_id(page) == first_input, "Tab never reached the first question"
    for index, question in enumerate(FRENCH_DATA["questions"]):
        inputs = fieldsets.nth(index).locator("input")
        chosen = option_indices(question, answers[question["id"]])
        if question["type"] == "multiple":
            for position in range(inputs.count()):
                assert active_id(page) == inputs.nth(position).get_attribute("id")
                if position in chosen:
                    page.keyboard.press("Space")
                if position < inputs.count() - 1:
                    page.keyboard.press("Tab")
        else:
            assert active_id(page) == inputs.nth(0).get_attribute("id")
            page.keyboard.press("Space")
            for _ in range(chosen[0]):
                page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('saq-submit')")
    page.keyboard.press("Enter")


def wait_for_result(page):
    page.wait_for_selector(".saq-result:not([hidden]) .saq-chart")


def checked_values(page):
    return page.eval_on_selector_all(".saq-question input:checked", "nodes => nodes.map(n => n.value)")


def wait_for_event(server, student, event_type, data, timeout=5.0):
    """True once the server log shows the learner's event (the page does not wait for the reply)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(e["event_type"] == event_type and e["data"] == data for e in server.events(student=student)):
            return True
        time.sleep(0.1)
    return False


def assert_no_axe_violations(page, context=".xblock-v1"):
    results = run_axe(page, context)
    assert results["violations"] == [], describe_violations(results)
    return results


# ----- a full attempt with the keyboard only -------------------------------------------------

def test_keyboard_only_attempt_shows_the_profile_and_moves_focus_to_it(browser_page, workbench):
    page = browser_page
    student = open_quiz(page, workbench, FRENCH)
    answer_with_keyboard(page, wrong_answers(FRENCH_DATA))
    wait_for_result(page)
    result_id = page.locator(".saq-result").get_attribute("id")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{result_id}'")
    page.wait_for_function("() => document.querySelector('.saq-status').textContent.includes('Réponses envoyées')")
    assert page.locator(".saq-score").inner_text() == "Score\u00a0: 0 sur 5 (0\u00a0%)"
    # The chart is drawn by the block and has a text alternative; the table says the same.
    chart = page.locator("svg.saq-chart")
    assert chart.get_attribute("role") == "img"
    assert "Comprendre l’IA : 0\u00a0%" in chart.locator("desc").text_content()
    rows = page.locator(".saq-profile-table tbody tr")
    assert rows.count() == 3 and rows.nth(0).inner_text().split("\t") == ["Comprendre l’IA", "0", "À consolider"]
    # Verdicts are words (not colour only), with per-choice feedback and explanation.
    usage = page.locator(".saq-question").nth(1)
    assert "✗ Pas tout à fait." in usage.locator(".saq-verdict").inner_text()
    assert "Risque élevé" in usage.locator(".saq-choice-feedback").inner_text()
    assert "Le risque dépend des données" in usage.locator(".saq-explanation").inner_text()
    assert page.locator(".saq-question input:not([disabled])").count() == 0
    # Recommendations: module shown (not linkable outside a course) and a web link.
    links = page.locator(".saq-recommendations a")
    assert links.first.get_attribute("href") == "https://www.cai.gouv.qc.ca/"
    assert "(module de ce cours)" in page.locator(".saq-recommendations").first.inner_text()
    assert page.failed_requests == []
    # Opening a recommendation is recorded (the server names the target, not the browser).
    page.context.route("https://www.cai.gouv.qc.ca/**", lambda route: route.fulfill(body="ok"))
    with page.context.expect_page():
        links.first.click()
    expected = {"dimension": "donnees", "band": "À consolider", "kind": "url", "target": "https://www.cai.gouv.qc.ca/",
                "title": "Commission d’accès à l’information du Québec"}
    assert wait_for_event(workbench, student, "parcours.self_assessment.recommendation_opened", expected)


def test_unanswered_questions_are_named_and_nothing_is_sent(browser_page, workbench):
    page = browser_page
    open_quiz(page, workbench, FRENCH)
    page.locator(".saq-question").nth(0).locator("input").first.check()
    page.locator(".saq-submit").click()
    page.wait_for_function("() => document.querySelector('.saq-status').textContent.includes('5')")
    second = page.locator(".saq-question").nth(1)
    assert second.locator(".saq-missing").inner_text() == "Répondez à cette question."
    assert active_id(page) == second.locator("input").first.get_attribute("id")
    assert second.locator("input").first.get_attribute("aria-describedby") == \
        second.locator(".saq-missing").get_attribute("id")
    assert page.locator(".saq-result").is_hidden()


# ----- persistence, learners, attempts ------------------------------------------------------

def test_reload_restores_answers_and_result_and_another_learner_starts_fresh(browser_page, workbench):
    page = browser_page
    student = open_quiz(page, workbench, FRENCH)
    answers = correct_answers(FRENCH_DATA)
    answer_with_keyboard(page, answers)
    wait_for_result(page)
    before = checked_values(page)
    page.reload()
    wait_for_result(page)
    assert checked_values(page) == before
    assert page.locator(".saq-attempts").inner_text() == "Tentatives utilisées\u00a0: 1 sur 2"
    assert page.locator(".saq-score").inner_text() == "Score\u00a0: 5 sur 5 (100\u00a0%)"
    assert page.locator(".saq-retry").is_visible()
    open_quiz(page, workbench, FRENCH, student=student + "-autre")
    assert checked_values(page) == []
    assert page.locator(".saq-result").is_hidden() and page.locator(".saq-submit").is_visible()


def test_retry_is_offered_until_max_attempts_then_refused(browser_page, workbench):
    page = browser_page
    student = open_quiz(page, workbench, FRENCH)
    answer_with_keyboard(page, wrong_answers(FRENCH_DATA))
    wait_for_result(page)
    page.locator(".saq-retry").focus()
    page.keyboard.press("Enter")
    assert page.locator(".saq-result").is_hidden()
    first_input = page.locator(".saq-question input").first
    assert first_input.is_enabled() and active_id(page) == first_input.get_attribute("id")
    page.locator(".saq-question").nth(1).locator("input").first.check()  # q-usage: right answer now
    page.locator(".saq-submit").click()
    page.wait_for_function("() => document.querySelector('.saq-attempts').textContent.includes('2 sur 2')")
    assert page.locator(".saq-retry").is_hidden() and page.locator(".saq-submit").is_hidden()
    assert page.locator(".saq-no-attempts").inner_text() == "Vous avez utilisé toutes vos tentatives."
    # With no attempt left, the right answers are shown.
    assert "Bonne réponse\u00a0: Vrai" in page.locator(".saq-question").nth(0).inner_text()
    # The server refuses a third submission even if the page is bypassed.
    reply = page.evaluate("""async (answers) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const el = document.querySelector('.xblock-v1');
        const url = '/handler/' + el.dataset.usage + '/submit/' + location.search;
        const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token}, body: JSON.stringify({answers})});
        return [r.status, await r.json()];
    }""", correct_answers(FRENCH_DATA))
    assert reply[0] == 409 and reply[1]["error"]["code"] == "no_attempts_left"
    assert wait_for_event(workbench, student, "parcours.self_assessment.retry_started",
                          {"attempts": 1, "max_attempts": 2})


# ----- two instances on one page -------------------------------------------------------------

def test_two_instances_have_distinct_ids_and_independent_state(browser_page, workbench):
    page = browser_page
    open_quiz(page, workbench, TWO)
    ids = page.eval_on_selector_all(".xblock-v1 [id]", "nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids)) and len(ids) > 20
    results = assert_no_axe_violations(page, ".preview")
    assert not rule_ids(results, "incomplete") & {"duplicate-id-aria", "duplicate-id", "form-field-multiple-labels"}
    first, second = page.locator(".saq").nth(0), page.locator(".saq").nth(1)
    first.locator(".saq-question").nth(0).locator("input").first.check()
    first.locator(".saq-question").nth(1).locator("input").last.check()
    first.locator(".saq-submit").click()
    page.wait_for_selector(".saq >> nth=0 >> .saq-result:not([hidden])")
    assert second.locator(".saq-result").is_hidden()
    assert second.locator("input:checked").count() == 0
    page.reload()
    page.wait_for_selector(".saq >> nth=0 >> .saq-result:not([hidden])")
    assert page.locator(".saq").nth(1).locator(".saq-result").is_hidden()
    assert page.locator(".saq").nth(1).locator(".saq-submit").is_visible()


# ----- accessibility audits ------------------------------------------------------------------

@pytest.mark.parametrize("path", [FRENCH, ENGLISH])
def test_axe_finds_no_violation_before_and_after_submission(browser_page, workbench, path):
    page = browser_page
    open_quiz(page, workbench, path)
    assert_no_axe_violations(page)
    for fieldset in page.locator(".saq-question").all():
        fieldset.locator("input").first.check()
    page.locator(".saq-submit").click()
    wait_for_result(page)
    assert_no_axe_violations(page)
    if path == FRENCH:  # first choices: q-loi25 half right, so a decimal score, French style
        assert page.locator(".saq-score").inner_text() == "Score\u00a0: 2,5 sur 5 (50\u00a0%)"


def test_axe_finds_no_violation_in_the_staff_view(browser_page, workbench):
    page = browser_page
    open_quiz(page, workbench, FRENCH, student=f"staff-{uuid.uuid4().hex[:6]}")
    assert page.locator(".saq-staff").is_visible()
    assert_no_axe_violations(page)


def test_english_scenario_speaks_english(browser_page, workbench):
    page = browser_page
    open_quiz(page, workbench, ENGLISH)
    assert page.locator(".saq-submit").inner_text() == "Submit"
    assert page.locator(".saq-legend").first.inner_text() == "Question 1 of 3"
    assert page.locator(".saq").get_attribute("lang") == "en"


# ----- Studio editor ------------------------------------------------------------------------------

def test_studio_editor_refuses_invalid_yaml_with_its_line_and_saves_valid_yaml(browser_page, workbench):
    page = browser_page
    page.goto(f"{workbench.url}{ENGLISH}studio_view/?student=staff-editor")
    textarea = page.get_by_label("Self-assessment data (YAML)")
    original = textarea.input_value()
    assert original.startswith("title: Where does your municipality stand with AI?\nlanguage: en\n")
    assert "- id: q1\n  type: true_false\n" in original  # author's key order, not the store's
    assert_no_axe_violations(page)
    broken = original.replace("max: 59", "max: 58", 1)
    textarea.fill(broken)
    page.locator(".save-button").click()
    page.wait_for_selector(".saq-studio-errors li")
    message = page.locator(".saq-studio-errors li").first.inner_text()
    line = broken.splitlines().index("  - min: 60") + 1
    assert message.startswith(f"line {line}, dimensions[0].bands[1].min : gap in the bands")
    open_quiz(page, workbench, ENGLISH)
    assert page.locator(".saq-title").inner_text() == "Where does your municipality stand with AI?"
    page.goto(f"{workbench.url}{ENGLISH}studio_view/?student=staff-editor")
    page.locator(".save-button").click()  # unchanged, valid: saved
    page.wait_for_function("() => document.querySelector('.saq-studio-errors').textContent === 'Saved.'")


# ----- no leak ---------------------------------------------------------------------------------

def test_nothing_secret_reaches_the_browser_before_submission(browser_page, workbench):
    page = browser_page
    bodies = []
    page.on("response", lambda response: bodies.append(response.text()) if "/handler/" in response.url else None)
    open_quiz(page, workbench, FRENCH)
    # The block's markup with its init data. (Outside it, the workbench's developer panel
    # prints the scenario XML; an LMS page has no such panel.)
    html = page.eval_on_selector_all(".xblock-v1", "nodes => nodes.map(n => n.outerHTML).join('')")
    assert "xblock_json_init_args" in html
    assert "inventer une référence" in html  # prompts are there...
    assert [secret for secret in SECRETS if secret in html] == []  # ...the key is not
    assert [secret for body in bodies for secret in SECRETS if secret in body] == []
    assert not re.search(r"data-correct|correct=", html)
