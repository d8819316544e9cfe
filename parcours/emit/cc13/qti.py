"""Knowledge checks (the problem AST) lowered to QTI 1.2 assessments in the Common Cartridge
profile (CC 1.3, "Assessment" part of the profile).

Mapping: a single choice or a dropdown → `cc.multiple_choice.v0p1`, checkboxes →
`cc.multiple_response.v0p1`, a text answer → `cc.fib.v0p1` (case-insensitive matches of every
accepted answer). The profile has no regular expressions and no numeric answers with a tolerance
or range: `maps(problem)` says no, and the emitter shows such a problem as web content with a note.
Choice feedback becomes `itemfeedback` shown by `displayfeedback`; the explanation is general
feedback. Scores are 0-100 per item (`SCORE`), as the profile requires.
"""
from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from parcours.quiz.ast import Problem, Question

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{QTI} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd"
PROFILES = {"single": "cc.multiple_choice.v0p1", "dropdown": "cc.multiple_choice.v0p1",
            "multiple": "cc.multiple_response.v0p1", "text": "cc.fib.v0p1"}
Render = Callable[[str], str]


def maps(problem: Problem) -> bool:
    """Can every question be graded by a Common Cartridge platform?"""
    return all(q.kind in PROFILES and not (q.kind == "text" and q.regexp) for q in problem.questions)


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), attributes)
    element.text = text
    return element


def _metadata(parent: etree._Element, fields: dict[str, str]) -> None:
    metadata = _sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field = _sub(metadata, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _material(parent: etree._Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype="text/html")


def assessment(ident: str, title: str, problem: Problem, render: Render, max_attempts: int) -> etree._Element:
    """`<questestinterop>` with one assessment holding one item per question."""
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    test = _sub(root, "assessment", ident=ident, title=title)
    _metadata(test, {"cc_profile": "cc.exam.v0p1", "qmd_assessmenttype": "Examination",
                     "cc_maxattempts": str(max_attempts) if max_attempts else "unlimited"})
    section = _sub(test, "section", ident=f"{ident}_section")
    for index, question in enumerate(problem.questions):
        general = render(problem.explanation.markdown) if problem.explanation and index == 0 else None
        section.append(_item(f"{ident}_q{index}", title, question, render, general))
    return root


def _item(ident: str, title: str, question: Question, render: Render, general: str | None) -> etree._Element:
    item = etree.Element(_q("item"), ident=ident, title=title)
    _metadata(_sub(item, "itemmetadata"), {"cc_profile": PROFILES[question.kind], "cc_weighting": "1"})
    presentation = _sub(item, "presentation")
    label = render(question.label.markdown)
    if question.description is not None:
        label += render(question.description.markdown)
    _material(presentation, label)
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    feedbacks: dict[str, str] = {}
    if question.kind == "text":
        _fill_in_the_blank(presentation, processing, question)
    else:
        _choices(presentation, processing, question, render, feedbacks)
    if general:
        feedbacks["general_fb"] = general
        condition = _sub(processing, "respcondition", **{"continue": "Yes"})
        _sub(_sub(condition, "conditionvar"), "other")
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    for feedback_id, html in feedbacks.items():
        feedback = _sub(item, "itemfeedback", ident=feedback_id)
        _material(_sub(feedback, "flow_mat"), html)
    return item


def _choices(presentation, processing, question: Question, render: Render, feedbacks: dict[str, str]) -> None:
    cardinality = "Multiple" if question.kind == "multiple" else "Single"
    response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    choices = _sub(response, "render_choice")
    for index, choice in enumerate(question.choices):
        _material(_sub(choices, "response_label", ident=f"c{index}"), render(choice.text.markdown))
    condition = _sub(processing, "respcondition", **{"continue": "No"})
    test = _sub(condition, "conditionvar")
    if question.kind == "multiple":
        test = _sub(test, "and")
        for index, choice in enumerate(question.choices):
            parent = test if choice.correct else _sub(test, "not")
            _sub(parent, "varequal", f"c{index}", respident="response1")
    else:
        correct = next(index for index, choice in enumerate(question.choices) if choice.correct)
        _sub(test, "varequal", f"c{correct}", respident="response1")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    for index, choice in enumerate(question.choices):
        if choice.feedback is not None:
            feedbacks[f"c{index}_fb"] = render(choice.feedback.markdown)
            shown = _sub(processing, "respcondition", **{"continue": "Yes"})
            _sub(_sub(shown, "conditionvar"), "varequal", f"c{index}", respident="response1")
            _sub(shown, "displayfeedback", feedbacktype="Response", linkrefid=f"c{index}_fb")


def _fill_in_the_blank(presentation, processing, question: Question) -> None:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib"), "response_label", ident="answer1")
    condition = _sub(processing, "respcondition", **{"continue": "No"})
    test = _sub(condition, "conditionvar")
    if len(question.answers) > 1:
        test = _sub(test, "or")
    for answer in question.answers:
        _sub(test, "varequal", answer.value, respident="response1", case="No")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
