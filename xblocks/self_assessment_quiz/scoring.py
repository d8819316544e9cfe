"""Scoring of a submission: learner answers -> per-question results, dimension profile, grade.

Pure (stdlib only) and run on the server only: the browser sends answers, never scores.

Rules (README "Scoring"):
- single / true_false: full points if the chosen answer is correct, else 0.
- multiple: points × max(0, (correct chosen − wrong chosen) / correct choices), so ticking
  everything earns nothing.
- likert: no right answer; the point's position on the scale (lowest 0 %, highest 100 %)
  feeds the profile but not the grade.
- dimension score: points-weighted mean of its questions' fractions, as a whole percentage
  (rounded half up), then the band whose [min, max] contains it.
- grade: earned / possible over the knowledge questions; a quiz with only likert questions
  gives full credit for a complete submission (it is a participation activity).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

KNOWLEDGE_TYPES = ("single", "multiple", "true_false")
MAX_ANSWER_TEXT = 64  # longest choice id (schema maxLength) or "true"/"false"


class AnswerError(ValueError):
    """The learner's answers are unusable; nothing must be saved.

    `code` is stable (for the JSON reply and the tests); `question_id` says where.
    """

    def __init__(self, code: str, question_id: str | None = None):
        super().__init__(f"{code}: {question_id}" if question_id else code)
        self.code = code
        self.question_id = question_id


@dataclass(frozen=True)
class QuestionResult:
    earned: float
    possible: float
    fraction: float
    correct: bool | None  # None: self-rating, neither right nor wrong


@dataclass(frozen=True)
class DimensionResult:
    score: int  # 0..100
    band_index: int | None  # None only if the author's bands do not cover the score


@dataclass(frozen=True)
class Result:
    questions: dict[str, QuestionResult]
    dimensions: dict[str, DimensionResult]
    raw_earned: float
    raw_possible: float


def scale_for(quiz: dict, question: dict) -> list[dict]:
    return question.get("scale") or quiz.get("scale") or []


def choice_ids(quiz: dict, question: dict) -> list[str]:
    """The answer values a question accepts (as strings, except likert: integers)."""
    if question["type"] == "true_false":
        return ["true", "false"]
    if question["type"] == "likert":
        return [point["value"] for point in scale_for(quiz, question)]
    return [choice["id"] for choice in question["choices"]]


def normalize_answers(quiz: dict, answers) -> dict:
    """Check the learner's answers against the quiz; return them in canonical form.

    Every question must be answered. single/true_false: a choice id string ("true" /
    "false"); multiple: a non-empty list of distinct choice ids (stored in quiz order);
    likert: an integer value of the scale. Raises AnswerError otherwise.
    """
    if not isinstance(answers, dict):
        raise AnswerError("invalid_answers")
    questions = {question["id"]: question for question in quiz["questions"]}
    for question_id in answers:
        if question_id not in questions:
            raise AnswerError("unknown_question", str(question_id)[:MAX_ANSWER_TEXT])
    normalized = {}
    for question_id, question in questions.items():
        if question_id not in answers:
            raise AnswerError("missing_answer", question_id)
        normalized[question_id] = _normalize_one(quiz, question, answers[question_id])
    return normalized


def _normalize_one(quiz: dict, question: dict, answer):
    accepted = choice_ids(quiz, question)
    if question["type"] == "likert":
        if type(answer) is not int:  # noqa: E721 (bool is an int subclass; refuse it)
            raise AnswerError("wrong_type", question["id"])
        if answer not in accepted:
            raise AnswerError("unknown_choice", question["id"])
        return answer
    if question["type"] == "multiple":
        if not isinstance(answer, list) or not answer or not all(isinstance(item, str) for item in answer):
            raise AnswerError("wrong_type", question["id"])
        if len(set(answer)) != len(answer):
            raise AnswerError("duplicate_choice", question["id"])
        if not set(answer) <= set(accepted):
            raise AnswerError("unknown_choice", question["id"])
        return [choice_id for choice_id in accepted if choice_id in answer]
    if not isinstance(answer, str):
        raise AnswerError("wrong_type", question["id"])
    if answer not in accepted:
        raise AnswerError("unknown_choice", question["id"])
    return answer


def score(quiz: dict, answers: dict) -> Result:
    """Score normalized answers (see `normalize_answers`)."""
    questions = {question["id"]: _score_question(quiz, question, answers[question["id"]])
                 for question in quiz["questions"]}
    knowledge = [q for q in quiz["questions"] if q["type"] in KNOWLEDGE_TYPES]
    raw_possible = sum(questions[q["id"]].possible for q in knowledge)
    raw_earned = sum(questions[q["id"]].earned for q in knowledge)
    if not knowledge:
        raw_earned = raw_possible = 1.0
    return Result(questions, _dimensions(quiz, questions), raw_earned, raw_possible)


def _score_question(quiz: dict, question: dict, answer) -> QuestionResult:
    points = question.get("points", 1)
    kind = question["type"]
    if kind == "likert":
        values = [point["value"] for point in scale_for(quiz, question)]
        fraction = (answer - values[0]) / (values[-1] - values[0])
        return QuestionResult(0.0, 0.0, fraction, None)
    if kind == "true_false":
        fraction = 1.0 if (answer == "true") == question["answer"] else 0.0
    elif kind == "single":
        fraction = 1.0 if answer in _correct_ids(question) else 0.0
    else:
        correct = _correct_ids(question)
        hits = sum(1 for choice_id in answer if choice_id in correct)
        fraction = max(0.0, (hits - (len(answer) - hits)) / len(correct))
    return QuestionResult(points * fraction, float(points), fraction, fraction == 1.0)


def _correct_ids(question: dict) -> set[str]:
    return {choice["id"] for choice in question["choices"] if choice.get("correct", False)}


def _dimensions(quiz: dict, results: dict[str, QuestionResult]) -> dict[str, DimensionResult]:
    profile = {}
    for dimension in quiz["dimensions"]:
        members = [q for q in quiz["questions"] if q["dimension"] == dimension["id"]]
        total = sum(q.get("points", 1) for q in members)
        if not total:
            continue
        mean = sum(q.get("points", 1) * results[q["id"]].fraction for q in members) / total
        percent = math.floor(round(mean * 100, 6) + 0.5)  # round first: 0.285 * 100 is 28.4999…
        profile[dimension["id"]] = DimensionResult(percent, band_index(dimension, percent))
    return profile


def band_index(dimension: dict, percent: int) -> int | None:
    for index, band in enumerate(dimension["bands"]):
        if band["min"] <= percent <= band["max"]:
            return index
    return None
