"""What the learner sees after submitting: feedback per question and the profile.

Pure. Called only by the submit handler and for a learner who has already submitted,
so nothing here can leak before submission.
"""
from __future__ import annotations

from .rendering import render_markdown
from .scoring import KNOWLEDGE_TYPES, QuestionResult, Result


def result_payload(quiz: dict, answers: dict, result: Result, *, reveal_answers: bool,
                   expand_urls=lambda html: html, module_href=lambda module_id: None) -> dict:
    """JSON-ready result. `reveal_answers`: also name the right choices (no attempt left).

    `module_href` turns a recommended module id into a link, or None where the course
    cannot be linked (outside the LMS).
    """
    def html(text):
        return expand_urls(render_markdown(text))

    possible = result.raw_possible
    return {
        "score": {
            "graded": any(question["type"] in KNOWLEDGE_TYPES for question in quiz["questions"]),
            "earned": round(result.raw_earned, 4),
            "possible": round(possible, 4),
            "percent": round(100 * result.raw_earned / possible) if possible else 0,
        },
        "questions": {
            question["id"]: _question_feedback(question, answers[question["id"]],
                                               result.questions[question["id"]], reveal_answers, html)
            for question in quiz["questions"]
        },
        "dimensions": [
            _dimension_result(dimension, result, html, module_href)
            for dimension in quiz["dimensions"] if dimension["id"] in result.dimensions
        ],
    }


def _question_feedback(question: dict, answer, outcome: QuestionResult, reveal_answers: bool, html) -> dict:
    feedback = {
        "correct": outcome.correct,
        "partial": outcome.correct is False and outcome.fraction > 0,
        "explanation_html": html(question.get("explanation")),
    }
    if question["type"] == "true_false":
        text = question.get(f"feedback_{answer}")
        feedback["choice_feedback"] = {answer: html(text)} if text else {}
        if reveal_answers:
            feedback["correct_choices"] = ["true" if question["answer"] else "false"]
    elif question["type"] in ("single", "multiple"):
        chosen = answer if isinstance(answer, list) else [answer]
        feedback["choice_feedback"] = {
            choice["id"]: html(choice["feedback"])
            for choice in question["choices"] if choice["id"] in chosen and choice.get("feedback")
        }
        if reveal_answers:
            feedback["correct_choices"] = [c["id"] for c in question["choices"] if c.get("correct", False)]
    return feedback


def _dimension_result(dimension: dict, result: Result, html, module_href) -> dict:
    outcome = result.dimensions[dimension["id"]]
    payload = {"id": dimension["id"], "label": dimension["label"], "score": outcome.score, "band": None}
    if outcome.band_index is not None:
        band = dimension["bands"][outcome.band_index]
        payload["band"] = {
            "label": band["label"],
            "min": band["min"],
            "max": band["max"],
            "feedback_html": html(band.get("feedback")),
            "recommendations": [_recommendation(item, module_href) for item in band.get("recommendations", [])],
        }
    return payload


def _recommendation(item: dict, module_href) -> dict:
    if "url" in item:
        return {"title": item["title"], "href": item["url"], "kind": "url"}
    return {"title": item["title"], "href": module_href(item["module"]), "kind": "module", "module": item["module"]}
