"""Lowers a `Problem` to the body of an Open edX CAPA `<problem>` (olx.md §4).

The element and attribute names are the ones the CAPA engine reads (xblocks-contrib
`capa/responsetypes.py`, `capa/inputtypes.py`) and that Studio's Markdown editor writes. Author
texts are Markdown, rendered by the caller's `render` (the compiler's sanitizing renderer) and
parsed back into elements, so the result is one XML tree whatever the renderer emits.
"""
from __future__ import annotations

from collections.abc import Callable

import lxml.html
from lxml import etree

from parcours.quiz.ast import Choice, NumberAnswer, Problem, Question, RangeAnswer, Text, TextAnswer

Render = Callable[[str], str]


def to_capa(problem: Problem, render: Render) -> etree._Element:
    """`<problem>` holding one response per question, the explanation and the demand hints.

    The caller adds the block's settings (display_name, max_attempts, weight, showanswer).
    """
    root = etree.Element("problem")
    for question in problem.questions:
        root.append(_RESPONSES[question.kind](question, render))
    if problem.explanation is not None:
        solution = etree.SubElement(root, "solution")
        _fill(etree.SubElement(solution, "div", {"class": "detailed-solution"}), problem.explanation, render,
              block=True)
    if problem.hints:
        demand_hints = etree.SubElement(root, "demandhint")
        for hint in problem.hints:
            _fill(etree.SubElement(demand_hints, "hint"), hint, render)
    return root


# Responses -------------------------------------------------------------------------------------
def _response(tag: str, question: Question, render: Render, attributes: dict[str, str] | None = None,
              ) -> etree._Element:
    """The response element with the question's `<label>` and `<description>`, read by screen readers."""
    response = etree.Element(tag, attributes or {})
    _fill(etree.SubElement(response, "label"), question.label, render)
    if question.description is not None:
        _fill(etree.SubElement(response, "description"), question.description, render)
    return response


def _single_choice(question: Question, render: Render) -> etree._Element:
    response = _response("multiplechoiceresponse", question, render)
    group = etree.SubElement(response, "choicegroup", {"type": "MultipleChoice"})
    for choice in question.choices:
        element = _choice(group, choice, render)
        _optional_hint(element, "choicehint", choice.feedback, render)
    return response


def _multiple_choice(question: Question, render: Render) -> etree._Element:
    response = _response("choiceresponse", question, render)
    group = etree.SubElement(response, "checkboxgroup")
    for choice in question.choices:
        element = _choice(group, choice, render)
        _optional_hint(element, "choicehint", choice.feedback, render, {"selected": "true"})
        _optional_hint(element, "choicehint", choice.unselected_feedback, render, {"selected": "false"})
    return response


def _choice(group: etree._Element, choice: Choice, render: Render) -> etree._Element:
    return _fill(etree.SubElement(group, "choice", {"correct": _xml_bool(choice.correct)}), choice.text, render)


def _dropdown(question: Question, render: Render) -> etree._Element:
    response = _response("optionresponse", question, render)
    options = etree.SubElement(response, "optioninput")
    for choice in question.choices:
        # CAPA shows options in a <select> and grades by their text: plain text, never HTML.
        option = etree.SubElement(options, "option", {"correct": "True" if choice.correct else "False"})
        option.text = choice.text.markdown
        _optional_hint(option, "optionhint", choice.feedback, render)
    return response


def _text_input(question: Question, render: Render) -> etree._Element:
    main, *alternatives = question.answers
    match_type = "ci regexp" if question.regexp else "ci"
    response = _response("stringresponse", question, render, {"answer": _answer_value(main), "type": match_type})
    _optional_hint(response, "correcthint", main.feedback, render)
    _alternatives(response, alternatives, render)
    for wrong in question.wrong_answers:
        _optional_hint(response, "stringequalhint", wrong.feedback, render, {"answer": wrong.value})
    etree.SubElement(response, "textline", {"size": "20"})
    return response


def _numeric_input(question: Question, render: Render) -> etree._Element:
    main, *alternatives = question.answers
    response = _response("numericalresponse", question, render, {"answer": _answer_value(main)})
    if question.tolerance is not None:
        etree.SubElement(response, "responseparam", {"type": "tolerance", "default": question.tolerance})
    _alternatives(response, alternatives, render)
    etree.SubElement(response, "formulaequationinput")
    _optional_hint(response, "correcthint", main.feedback, render)
    return response


def _alternatives(response: etree._Element, answers: list[TextAnswer | NumberAnswer | RangeAnswer],
                  render: Render) -> None:
    for answer in answers:
        alternative = etree.SubElement(response, "additional_answer", {"answer": _answer_value(answer)})
        _optional_hint(alternative, "correcthint", answer.feedback, render)


def _answer_value(answer: TextAnswer | NumberAnswer | RangeAnswer) -> str:
    """The `answer` attribute CAPA grades against; a range is `[low, high]`, `(` excluding an end."""
    if isinstance(answer, RangeAnswer):
        return f"{'[' if answer.include_low else '('}{answer.low}, {answer.high}{']' if answer.include_high else ')'}"
    return answer.value


_RESPONSES: dict[str, Callable[[Question, Render], etree._Element]] = {
    "single": _single_choice,
    "multiple": _multiple_choice,
    "dropdown": _dropdown,
    "text": _text_input,
    "numeric": _numeric_input,
}


# Author text -----------------------------------------------------------------------------------
def _optional_hint(parent: etree._Element, tag: str, text: Text | None, render: Render,
                   attributes: dict[str, str] | None = None) -> None:
    if text is not None:
        _fill(etree.SubElement(parent, tag, attributes or {}), text, render)


def _fill(element: etree._Element, text: Text, render: Render, *, block: bool = False) -> etree._Element:
    """Puts the rendered Markdown inside `element`; a lone paragraph is unwrapped unless `block`."""
    fragment = _html_fragment(render(text.markdown))
    if not block and _is_one_paragraph(fragment):
        fragment = fragment[0]
    element.text = fragment.text
    for child in list(fragment):
        element.append(child)
    return element


def _html_fragment(html: str) -> etree._Element:
    """The HTML as the content of a plain XML `<div>` (named entities resolved, void tags closed),
    without the blank lines renderers put around blocks."""
    parsed = lxml.html.fragment_fromstring(html.strip(), create_parent="div")
    fragment = etree.fromstring(lxml.html.tostring(parsed, method="xml", encoding="unicode"))
    if len(fragment):
        fragment[-1].tail = (fragment[-1].tail or "").rstrip() or None
    return fragment


def _is_one_paragraph(fragment: etree._Element) -> bool:
    return (len(fragment) == 1 and fragment[0].tag == "p" and not fragment.text
            and not fragment[0].tail)


def _xml_bool(value: bool) -> str:
    return "true" if value else "false"
