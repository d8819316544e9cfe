"""A knowledge check (the problem AST) lowered to an accessible HTML form and the key that
`knowledge-check.js` grades it with in the browser, offline.

One fieldset (choices) or one labelled control (dropdown, text, number) per question, its
description tied with aria-describedby, feedback in a polite live region, demand hints one at a
time. Grading follows the CAPA engine's rules for what we emit (quiz/capa.py): a single choice or
a dropdown is right on the correct option, checkboxes on exactly the correct set, text ignores
case (or matches the author's regular expression), numbers within the tolerance or range. The
key ships in the page: an offline package cannot hide answers from a determined learner.
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape

import lxml.html

from parcours.emit.pages import script_json
from parcours.model.nodes import ProblemBlock
from parcours.quiz.ast import Choice, NumberAnswer, Question, RangeAnswer, Text

Render = Callable[[str], str]

STRINGS = {
    "fr": {"check": "Vérifier", "hint": "Afficher un indice ({n} sur {total})", "correct": "✓ Bonne réponse.",
           "incorrect": "✗ Réponse incorrecte.", "partial": "◐ Réponse en partie correcte : {right} sur {total}.",
           "attempts": "Essais utilisés : {used} sur {max}", "attemptsUnlimited": "Essais utilisés : {used}",
           "noAttempts": "Vous avez utilisé tous vos essais.", "missing": "Répondez à chaque question.",
           "explanation": "Explication", "answer": "Réponse attendue : {answer}", "choose": "Choisissez…"},
    "en": {"check": "Check", "hint": "Show a hint ({n} of {total})", "correct": "✓ Correct.",
           "incorrect": "✗ Incorrect.", "partial": "◐ Partly correct: {right} of {total}.",
           "attempts": "Attempts used: {used} of {max}", "attemptsUnlimited": "Attempts used: {used}",
           "noAttempts": "You have used all your attempts.", "missing": "Answer every question.",
           "explanation": "Explanation", "answer": "Expected answer: {answer}", "choose": "Choose…"},
}


def knowledge_check(block: ProblemBlock, render: Render, language: str, max_attempts: int, weight: float) -> str:
    """The form of one problem block, with its grading key in a JSON script element."""
    problem = block.problem
    base = block.id
    questions = [_question(question, f"{base}-q{index}", render) for index, question in enumerate(problem.questions)]
    explanation = ""
    if problem.explanation is not None:
        explanation = (f'<div class="pc-explanation" id="{base}-explanation" hidden>'
                       f'<h3>{STRINGS[_lang(language)]["explanation"]}</h3>{render(problem.explanation.markdown)}</div>')
    key = {
        "key": problem_key(block), "maxAttempts": max_attempts, "weight": weight,
        "questions": [_question_key(question, render) for question in problem.questions],
        "hints": [render(hint.markdown) for hint in problem.hints],
        "strings": STRINGS[_lang(language)],
    }
    hint_button = '<button type="button" class="pc-secondary pc-hint-button"></button>' if problem.hints else ""
    return (f'<form class="pc-problem" id="{escape(base)}" novalidate aria-labelledby="{escape(base)}-title">\n'
            f'<h2 id="{escape(base)}-title">{escape(block.title)}</h2>\n' + "\n".join(questions) + "\n"
            f'<div class="pc-hints" id="{escape(base)}-hints" aria-live="polite"></div>\n'
            f'<div class="pc-actions"><button type="submit" class="pc-check"></button>{hint_button}</div>\n'
            f'<p class="pc-attempts"></p>\n<div class="pc-status" role="status" aria-live="polite"></div>\n'
            f'{explanation}\n<script type="application/json" class="pc-problem-key">{script_json(key)}</script>\n'
            "</form>")


def problem_key(block: ProblemBlock) -> str:
    """Names the problem's attempts and result in the tracker (and in cmi.suspend_data)."""
    return f"problem:{block.id}"


def _lang(language: str) -> str:
    primary = language.split("-")[0]
    return primary if primary in STRINGS else "fr"


def inline(render: Render, text: Text) -> str:
    """Rendered Markdown without the paragraph around a one-paragraph text (for labels)."""
    html = render(text.markdown).strip()
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    if len(fragment) == 1 and fragment[0].tag == "p" and not (fragment.text or "").strip():
        paragraph = fragment[0]
        return (paragraph.text and escape(paragraph.text) or "") + "".join(
            lxml.html.tostring(child, encoding="unicode") for child in paragraph)
    return html


def _question(question: Question, base: str, render: Render) -> str:
    description = ""
    described = ""
    if question.description is not None:
        description = f'<p class="pc-help" id="{escape(base)}-description">{inline(render, question.description)}</p>'
        described = f' aria-describedby="{escape(base)}-description"'
    label = inline(render, question.label)
    feedback = f'<div class="pc-feedback" id="{escape(base)}-feedback"></div>'
    if question.kind in ("single", "multiple"):
        kind = "radio" if question.kind == "single" else "checkbox"
        choices = "".join(
            f'<div class="pc-choice"><input type="{kind}" id="{escape(base)}-c{i}" name="{escape(base)}" value="{i}">'
            f'<label for="{escape(base)}-c{i}">{inline(render, choice.text)}</label></div>'
            for i, choice in enumerate(question.choices))
        body = f"<fieldset{described}><legend>{label}</legend>{description}{choices}</fieldset>"
    elif question.kind == "dropdown":
        options = "".join(f'<option value="{i}">{escape(choice.text.markdown)}</option>'
                          for i, choice in enumerate(question.choices))
        body = (f'<label class="pc-question-label" for="{escape(base)}-input">{label}</label>{description}'
                f'<select id="{escape(base)}-input" name="{escape(base)}"{described}><option value="">—</option>'
                f"{options}</select>")
    else:
        mode = ' inputmode="decimal"' if question.kind == "numeric" else ""
        body = (f'<label class="pc-question-label" for="{escape(base)}-input">{label}</label>{description}'
                f'<input type="text" id="{escape(base)}-input" name="{escape(base)}" autocomplete="off"'
                f"{mode}{described}>")
    return f'<div class="pc-question" data-kind="{question.kind}">{body}{feedback}</div>'


def _question_key(question: Question, render: Render) -> dict:
    def html(text: Text | None) -> str | None:
        return render(text.markdown) if text is not None else None

    key: dict = {"kind": question.kind}
    if question.choices:
        key["choices"] = [_choice_key(choice, html) for choice in question.choices]
    if question.kind == "text":
        key["regexp"] = question.regexp
        key["answers"] = [{"value": a.value, "feedback_html": html(a.feedback)} for a in question.answers]
        key["wrong"] = [{"value": a.value, "feedback_html": html(a.feedback)} for a in question.wrong_answers]
    elif question.kind == "numeric":
        key["tolerance"] = question.tolerance
        key["answers"] = [_number_key(answer, html) for answer in question.answers]
    return key


def _choice_key(choice: Choice, html) -> dict:
    return {"text": choice.text.markdown, "correct": choice.correct, "feedback_html": html(choice.feedback),
            "unselected_html": html(choice.unselected_feedback)}


def _number_key(answer: NumberAnswer | RangeAnswer, html) -> dict:
    if isinstance(answer, RangeAnswer):
        return {"low": float(answer.low), "high": float(answer.high), "includeLow": answer.include_low,
                "includeHigh": answer.include_high, "feedback_html": html(answer.feedback)}
    return {"value": float(answer.value), "text": answer.value, "feedback_html": html(answer.feedback)}
