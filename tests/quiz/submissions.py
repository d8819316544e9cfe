"""What a learner would submit to each question of a parsed problem, right and wrong.

Derived from the source tree, not from the CAPA XML, so grading through the engine checks the
lowering: the choice marked `(x)` in Markdown must be the one CAPA accepts.
"""
from __future__ import annotations

from parcours.quiz.ast import NumberAnswer, Question, RangeAnswer
from tests.support.capa import Submission


def correct_submission(question: Question) -> Submission:
    """An answer CAPA must grade correct. Text is shouted, since matching ignores case."""
    correct = [index for index, choice in enumerate(question.choices) if choice.correct]
    if question.kind == "single":
        return f"choice_{correct[0]}"
    if question.kind == "multiple":
        return [f"choice_{index}" for index in correct]
    if question.kind == "dropdown":
        return question.choices[correct[0]].text.markdown
    if question.kind == "text":
        if question.regexp:
            raise ValueError("no example string is derived from a regular expression")
        return question.answers[0].value.upper()
    answer = question.answers[0]
    if isinstance(answer, RangeAnswer):
        return str((float(answer.low) + float(answer.high)) / 2)
    return answer.value


def wrong_submission(question: Question) -> Submission:
    """An answer CAPA must grade incorrect."""
    if question.kind == "single":
        return f"choice_{next(i for i, choice in enumerate(question.choices) if not choice.correct)}"
    if question.kind == "multiple":
        ticked = {f"choice_{i}" for i, choice in enumerate(question.choices) if choice.correct}
        return sorted(ticked ^ {"choice_0"})  # the first box flipped
    if question.kind == "dropdown":
        return next(choice.text.markdown for choice in question.choices if not choice.correct)
    if question.kind == "text":
        return "\N{NOT EQUAL TO}" + "".join(answer.value for answer in question.answers)
    return str(_far_from_every_answer(question))


def _far_from_every_answer(question: Question) -> float:
    """A number outside every accepted answer, whatever the tolerance (a relative one included)."""
    ends = [abs(float(value)) for answer in question.answers for value in _numbers(answer)]
    tolerance = float((question.tolerance or "0").rstrip("%"))
    return 10 * (max(ends) + 1) * (1 + tolerance)


def _numbers(answer: NumberAnswer | RangeAnswer) -> tuple[str, ...]:
    return (answer.low, answer.high) if isinstance(answer, RangeAnswer) else (answer.value,)
