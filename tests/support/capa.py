"""Build and grade a problem with the real CAPA engine of xblocks-contrib (olx.md §10.2).

Pytest-independent and reusable for any `<problem>` XML, whether from the quiz fixtures or from a
compiled course:

    problem = load_problem(xml)            # raises what the engine raises on a broken problem
    ids = answer_ids(problem)              # one input id per question, in document order
    grade(problem, ["choice_1", "Au"])     # -> ["correct", "incorrect"]

Django is configured once per process (tests.support.django_env); each problem costs a few ms.
"""
from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import lxml.html

from tests.support.django_env import configure_django

configure_django()  # xblocks-contrib reads Django settings at import time

from fs.memoryfs import MemoryFS  # noqa: E402  (fs 2.4 imports pkg_resources: needs setuptools<81)
from xblocks_contrib.problem.capa.capa_problem import LoncapaProblem, LoncapaSystem  # noqa: E402

#: A checkbox question is answered with the list of ticked choice names; the others with a string.
Submission = str | list[str]


class _Runtime:
    """Receives the tracking events CAPA publishes (e.g. a hint shown) and drops them."""

    def publish(self, block: object, event_type: str, event: dict) -> None:
        pass


@dataclass
class _ProblemOwner:
    """What LoncapaProblem reads from its ProblemBlock: names for logs and events, and a runtime."""

    display_name: str
    data: str
    runtime: _Runtime = field(default_factory=_Runtime)

    @property
    def usage_key(self) -> str:
        return self.display_name


@cache
def _system() -> LoncapaSystem:
    """One shared system: no Python execution, no xqueue, no files, templates not rendered, fixed seed."""
    return LoncapaSystem(
        ajax_url="/", anonymous_student_id="tests", cache=None,
        can_execute_unsafe_code=lambda: False,
        get_python_lib_zip=lambda: None, DEBUG=False, i18n=gettext.NullTranslations(),
        render_template=lambda template, context: "<div/>",
        resources_fs=MemoryFS(), seed=1, xqueue=None,
    )


def load_problem(xml: str, problem_id: str = "problem") -> LoncapaProblem:
    """The problem as the LMS builds it; fails if the engine finds nothing to answer."""
    problem = LoncapaProblem(xml, problem_id, _system(), _ProblemOwner(problem_id, xml), seed=1)
    if not problem.responders:
        raise ValueError(f"{problem_id}: no response element, nothing to answer or grade")
    return problem


def answer_ids(problem: LoncapaProblem) -> list[str]:
    """The input ids the LMS posts answers under, one per input, in document order."""
    return [answer_id for responder in problem.responders.values() for answer_id in responder.answer_ids]


def grade(problem: LoncapaProblem, submissions: Sequence[Submission]) -> list[str]:
    """Grades one submission per input (in `answer_ids` order): "correct", "incorrect", ..."""
    ids = answer_ids(problem)
    if len(ids) != len(submissions):
        raise ValueError(f"{len(ids)} inputs but {len(submissions)} submissions")
    correct_map = problem.grade_answers(dict(zip(ids, submissions, strict=True)))
    return [correct_map.get_correctness(answer_id) for answer_id in ids]


def feedback(problem: LoncapaProblem) -> list[str]:
    """The feedback text a learner reads under each input after the last `grade` ("" when none)."""
    messages = [problem.correct_map.get_msg(answer_id) for answer_id in answer_ids(problem)]
    return [lxml.html.fromstring(message).text_content() if message else "" for message in messages]
