"""Lowering to CAPA: exact XML (fixtures/capa.md), and every case built and graded by the real engine."""
from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from lxml import etree

from parcours.quiz import Problem, parse_problem
from parcours.quiz.capa import to_capa
from tests.quiz.fixture_file import read_fixture_file
from tests.quiz.submissions import correct_submission, wrong_submission
from tests.support.capa import answer_ids, feedback, grade, load_problem

CASES = read_fixture_file("capa.md")
IDS = [case.id for case in CASES]


def parse(body: str) -> Problem:
    problem, diagnostics = parse_problem(body, file=Path("lesson.md"), first_line=1)
    assert diagnostics == []
    return problem


def capa_xml(problem: Problem) -> str:
    """What an emitter writes: the element as is."""
    return etree.tostring(to_capa(problem, markdown.markdown), encoding="unicode")


def pretty(problem: Problem) -> str:
    """The XML with its structure indented; mixed content (author text) is left byte for byte."""
    element = to_capa(problem, markdown.markdown)
    _indent(element, 0)
    return etree.tostring(element, encoding="unicode") + "\n"


def _indent(element: etree._Element, level: int) -> None:
    holds_text = (element.text or "").strip() or any((child.tail or "").strip() for child in element)
    if len(element) == 0 or holds_text:
        return
    element.text = "\n" + "  " * (level + 1)
    for child in element:
        _indent(child, level + 1)
        child.tail = element.text
    element[-1].tail = "\n" + "  " * level


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_lowering(case):
    assert pretty(parse(case.input)) == case.expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_capa_engine_builds_and_grades_it(case):
    problem = parse(case.input)
    gradable = [question for question in problem.questions if not question.regexp]
    capa = load_problem(capa_xml(problem))
    assert len(answer_ids(capa)) == len(problem.questions)
    if len(gradable) < len(problem.questions):
        pytest.skip("a regular expression answer: graded in test_regular_expression_answers")
    assert grade(capa, [correct_submission(q) for q in problem.questions]) == ["correct"] * len(gradable)
    assert grade(capa, [wrong_submission(q) for q in problem.questions]) == ["incorrect"] * len(gradable)


def test_lowering_is_deterministic():
    problem = parse(CASES[0].input)
    assert capa_xml(problem) == capa_xml(parse(CASES[0].input))


@pytest.mark.parametrize(("submission", "expected"), [
    ("quebec", "correct"), ("QUÉBEC CITY", "correct"), ("Montréal", "incorrect"), ("Québec City!", "incorrect"),
])
def test_regular_expression_answers(submission, expected):
    capa = load_problem(capa_xml(parse(">>Nom de la capitale?<<\n= |Qu[ée]bec( City)?\n")))
    assert grade(capa, [submission]) == [expected]


def test_choice_feedback_reaches_the_learner():
    capa = load_problem(capa_xml(parse(">>Capitale?<<\n( ) Montréal {{ Pas *elle*. }}\n(x) Québec\n")))
    grade(capa, ["choice_0"])
    assert "Pas elle." in feedback(capa)[0]  # rendered: no asterisks left


def test_checkbox_feedback_follows_each_box():
    body = ">>Fruits?<<\n[x] Pomme {{ selected: Oui. }, { unselected: Oubliée. }}\n[ ] Patate\n"
    capa = load_problem(capa_xml(parse(body)))
    grade(capa, [[]])
    assert "Oubliée." in feedback(capa)[0] and "Oui." not in feedback(capa)[0]
    grade(capa, [["choice_0"]])
    assert "Oui." in feedback(capa)[0]


def test_an_anticipated_mistake_gets_its_feedback():
    capa = load_problem(capa_xml(parse(">>Symbole de l'or?<<\n= Au\nnot= Ag {{ C'est l'argent. }}\n")))
    assert grade(capa, ["ag"]) == ["incorrect"]
    assert "C'est l'argent." in feedback(capa)[0]


def test_dropdown_feedback_reaches_the_learner():
    body = ">>Palier?<<\n[[\n  fédéral {{ Non, local. }}\n  (municipal)\n]]\n"
    capa = load_problem(capa_xml(parse(body)))
    assert grade(capa, ["fédéral"]) == ["incorrect"]
    assert "Non, local." in feedback(capa)[0]
