"""The knowledge-check tree: what an author's problem means, independent of any output format.

Emitters lower it (CAPA for Open edX today; QTI 1.2 or a browser-side JSON later), so it keeps the
author's Markdown as written and records meaning, not CAPA markup. Every node carries the `Span` of
the construct in the lesson file, for diagnostics raised after parsing (a dead link in a hint).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from parcours.sources import Span

QuestionKind = Literal["single", "multiple", "dropdown", "text", "numeric"]


@dataclass(frozen=True)
class Text:
    """A piece of author Markdown (a label, a choice, a feedback, a hint, an explanation)."""

    markdown: str
    span: Span


@dataclass(frozen=True)
class Choice:
    """One option of a single-choice, multiple-choice or dropdown question.

    `feedback` is shown when the learner picks the choice; `unselected_feedback` (multiple choice
    only) when the learner leaves it unticked.
    """

    text: Text
    correct: bool
    span: Span
    feedback: Text | None = None
    unselected_feedback: Text | None = None


@dataclass(frozen=True)
class TextAnswer:
    """An accepted (`=`, `or=`) or anticipated wrong (`not=`) answer to a text question.

    Matching ignores case; `value` is a regular expression when the question says `regexp`.
    """

    value: str
    span: Span
    feedback: Text | None = None


@dataclass(frozen=True)
class NumberAnswer:
    """An accepted number, written as the author wrote it (a decimal literal such as `3.14`)."""

    value: str
    span: Span
    feedback: Text | None = None


@dataclass(frozen=True)
class RangeAnswer:
    """Every number between `low` and `high`; brackets say whether each end is included."""

    low: str
    high: str
    include_low: bool
    include_high: bool
    span: Span
    feedback: Text | None = None


Answer = TextAnswer | NumberAnswer | RangeAnswer


@dataclass(frozen=True)
class Question:
    """One question; which fields matter depends on `kind`.

    - single, multiple, dropdown: `choices` (a single choice and a dropdown have exactly one correct).
    - text: `answers` (TextAnswer; the first is the main answer), `wrong_answers`, `regexp`.
    - numeric: `answers` (one RangeAnswer, or NumberAnswers sharing `tolerance`, the first being
      the main answer). `tolerance` is absolute (`0.01`) or relative (`5%`).
    """

    kind: QuestionKind
    label: Text
    span: Span
    description: Text | None = None
    choices: tuple[Choice, ...] = ()
    answers: tuple[Answer, ...] = ()
    wrong_answers: tuple[TextAnswer, ...] = ()
    regexp: bool = False
    tolerance: str | None = None


@dataclass(frozen=True)
class Problem:
    """A knowledge check: its questions, the hints a learner may ask for, and an explanation."""

    questions: tuple[Question, ...]
    span: Span
    hints: tuple[Text, ...] = ()
    explanation: Text | None = None

    def texts(self) -> Iterator[Text]:
        """Every piece of author Markdown in the problem, in reading order (rendered once, upstream)."""
        for question in self.questions:
            yield from filter(None, (question.label, question.description))
            for choice in question.choices:
                yield from filter(None, (choice.text, choice.feedback, choice.unselected_feedback))
            yield from filter(None, (answer.feedback for answer in (*question.answers, *question.wrong_answers)))
        yield from self.hints
        if self.explanation:
            yield self.explanation
