"""The block in real headless Chromium (Debian chromium + Playwright) against the workbench.

Keyboard only through a branch, focus after every action, drafts across reloads, two learners, two
instances on one page, axe-core with zero violations, and no unearned content in the page.
"""
import re
import uuid

import pytest

pytestmark = pytest.mark.browser
pytest.importorskip("playwright", reason="Playwright is not installed")

from tests.support.browser import describe_violations, rule_ids, run_axe  # noqa: E402

from .test_progress import SECRETS_311  # noqa: E402

BLOCK = "[data-block-type='municipal_case_study']"
FRENCH, ENGLISH, TWO = (f"/scenario/municipal_case_study.{index}/" for index in range(3))


def open_scenario(page, workbench, path, student=None):
    student = student or f"learner-{uuid.uuid4().hex[:8]}"
    page.goto(f"{workbench.url}{path}?student={student}")
    page.wait_for_selector(f"{BLOCK} .mcs-step")
    return student


def assert_accessible(page):
    results = run_axe(page, context=BLOCK)
    assert results["violations"] == [], describe_violations(results)
    assert not rule_ids(results, "incomplete") & {"duplicate-id-aria", "duplicate-id", "form-field-multiple-labels"}


def tab_to(page, selector, limit=250):
    """Press Tab until the focused element matches ``selector`` (keyboard only, as a learner would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def wait_for_focus(page, id_suffix):
    page.wait_for_function("(suffix) => (document.activeElement.id || '').endsWith(suffix)", arg=id_suffix)


def block_markup(page):
    return page.eval_on_selector(BLOCK, "node => node.outerHTML")


def decide_by_keyboard(page, arrow_downs=0):
    tab_to(page, f"{BLOCK} .mcs-step input[type=radio]")
    page.keyboard.press("Space")
    for _ in range(arrow_downs):
        page.keyboard.press("ArrowDown")
    tab_to(page, f"{BLOCK} .mcs-step button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_focus(page, "-consequence")


def continue_by_keyboard(page, next_title):
    tab_to(page, f"{BLOCK} .mcs-step .mcs-continue")
    page.keyboard.press("Enter")
    page.wait_for_function("(t) => document.activeElement.textContent === t", arg=next_title)


def test_a_whole_case_keyboard_only_through_a_branch(workbench, browser_page):
    page = browser_page
    open_scenario(page, workbench, FRENCH)
    assert page.text_content(f"{BLOCK} .mcs-progress") == "Étape 1 sur 4 à 6"
    markup = block_markup(page)
    for secret in SECRETS_311:
        assert secret not in markup
    assert_accessible(page)

    decide_by_keyboard(page, arrow_downs=1)  # "Un déploiement complet": the branch through the crisis
    markup = block_markup(page)
    assert "Le rabais est obtenu" in markup and "Le pilote démarre" not in markup
    assert_accessible(page)
    continue_by_keyboard(page, "Une erreur médiatisée")
    assert page.text_content(f"{BLOCK} .mcs-progress") == "Étape 2 sur 6"

    decide_by_keyboard(page)
    continue_by_keyboard(page, "Les données d’entraînement")
    decide_by_keyboard(page)
    continue_by_keyboard(page, "Votre recommandation au conseil")

    tab_to(page, f"{BLOCK} textarea")
    assert page.evaluate("() => document.activeElement.labels[0].textContent") == "Votre réponse"
    page.keyboard.type("Je recommande un projet pilote encadré, une EFVP et des indicateurs. " * 3)
    count = page.text_content(f"{BLOCK} .mcs-count")
    assert re.fullmatch(r"Caractères\u00a0: \d+ sur 1500", count), count
    page.wait_for_function(f"() => document.querySelector(\"{BLOCK} [aria-live=polite]\").textContent !== ''")
    assert "essai encadré" not in block_markup(page)
    assert_accessible(page)
    tab_to(page, f"{BLOCK} button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_focus(page, "-expert")
    assert "essai encadré" in block_markup(page)
    continue_by_keyboard(page, "Autoévaluation de votre recommandation")

    assert "Mentionner l’EFVP" not in block_markup(page)
    assert_accessible(page)
    for criterion, level_moves in enumerate((2, 1, 0)):
        tab_to(page, f"{BLOCK} input[name$='-criterion-{criterion}-level']")
        page.keyboard.press("Space")
        for _ in range(level_moves):
            page.keyboard.press("ArrowDown")
    tab_to(page, f"{BLOCK} button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_focus(page, "-criterion-0")
    assert "Mentionner l’EFVP" in block_markup(page)
    continue_by_keyboard(page, "Bilan du cas")

    path = page.locator(f"{BLOCK} .mcs-path li").all_text_contents()
    assert [item.split("Votre décision")[0] for item in path] == [
        "Quelle approche recommander?", "Une erreur médiatisée", "Les données d’entraînement",
        "Votre recommandation au conseil", "Autoévaluation de votre recommandation", "Bilan du cas"]
    assert "Un déploiement complet, sur tous les sujets, dès l’automne" in path[0]
    assert "Commencer petit, mesurer, puis décider." in page.text_content(f"{BLOCK} .mcs-lessons")
    assert page.text_content(f"{BLOCK} .mcs-outcome") == "Cas terminé. Votre résultat\u00a0: 63\u00a0%"
    assert_accessible(page)
    assert page.failed_requests == []


def walk_to_the_reflection(page):
    page.check(f"{BLOCK} input[value=embauche]")
    page.click(f"{BLOCK} button[type=submit]")
    page.click(f"{BLOCK} button:text('Continuer')")
    page.wait_for_selector(f"{BLOCK} textarea")


def test_draft_is_saved_and_restored_after_reload(workbench, browser_page):
    page = browser_page
    student = open_scenario(page, workbench, FRENCH)
    walk_to_the_reflection(page)
    page.fill(f"{BLOCK} textarea", "Premier jet : consulter le syndicat.")
    page.click(f"{BLOCK} button:text('Enregistrer le brouillon')")
    page.wait_for_selector(f"{BLOCK} [role=status]:text('Brouillon enregistré.')")
    open_scenario(page, workbench, FRENCH, student)
    assert page.input_value(f"{BLOCK} textarea") == "Premier jet : consulter le syndicat."
    assert page.text_content(f"{BLOCK} .mcs-progress") == "Étape 2 sur 4"
    page.click(f"{BLOCK} button[type=submit]")  # too short: a clear message, nothing submitted
    page.wait_for_selector(f"{BLOCK} [role=alert]:has-text('au moins 150 caractères')")
    open_scenario(page, workbench, FRENCH, student)
    assert page.input_value(f"{BLOCK} textarea") == "Premier jet : consulter le syndicat."
    (refused,) = page.failed_requests  # the refused submission, and nothing else
    assert refused.startswith("400 ") and "/learner_action/" in refused


def test_two_learners_do_not_share_state(workbench, browser_page):
    page = browser_page
    open_scenario(page, workbench, FRENCH)
    walk_to_the_reflection(page)
    open_scenario(page, workbench, FRENCH)
    assert page.text_content(f"{BLOCK} .mcs-progress") == "Étape 1 sur 4 à 6"
    assert page.locator(f"{BLOCK} input[type=radio]:checked").count() == 0


def test_two_instances_on_one_page_keep_ids_and_state_apart(workbench, browser_page):
    page = browser_page
    page.goto(f"{workbench.url}{TWO}?student=learner-{uuid.uuid4().hex[:8]}")
    page.wait_for_selector(f"{BLOCK} >> nth=1 >> .mcs-step")
    first, second = page.locator(BLOCK).nth(0), page.locator(BLOCK).nth(1)
    first.locator("input[value=relire]").check()
    first.locator("button[type=submit]").click()
    first.locator("button:text('Continuer')").click()
    second.locator("input[value=auto]").check()
    second.locator("button[type=submit]").click()
    second.locator("button:text('Continuer')").click()
    page.wait_for_selector(f"{BLOCK} >> nth=1 >> textarea")
    assert page.locator(f"{BLOCK} textarea").count() == 2
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert_accessible(page)
    first.locator("textarea").fill("La relecture garde une personne responsable.")
    first.locator("button[type=submit]").click()
    first.locator(".mcs-reveal").wait_for()
    assert second.locator(".mcs-reveal").count() == 0 and second.locator("textarea").input_value() == ""


def test_english_interface_follows_the_browser_language(workbench, chromium):
    context = chromium.new_context(locale="en-CA")
    page = context.new_page()
    try:
        open_scenario(page, workbench, ENGLISH)
        assert page.text_content(f"{BLOCK} .mcs-badge") == "Fictional municipality"
        assert page.text_content(f"{BLOCK} .mcs-progress") == "Step 1 of 4 to 5"
        assert page.text_content(f"{BLOCK} legend") == "Choose an option"
        assert_accessible(page)
    finally:
        context.close()
