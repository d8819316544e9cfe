"""Interface sentences that are not in templates: handler errors and the JavaScript's strings.

English msgids; `_` only marks them for extraction, they are translated where shown.
"""


def _(message: str) -> str:
    """Extraction marker: the message is translated where it is shown."""
    return message


ERROR_MESSAGES = {
    "method_not_allowed": _("This action needs a POST request."),
    "payload_too_large": _("The request is too large."),
    "invalid_json": _("The request is not valid JSON."),
    "invalid_payload": _("The request does not have the expected fields."),
    "too_deep": _("The request nests lists or objects too deeply."),
    "invalid_answers": _("The answers are not in the expected format."),
    "unknown_question": _("An answer refers to a question that does not exist."),
    "missing_answer": _("Answer every question before submitting."),
    "wrong_type": _("An answer has the wrong type for its question."),
    "unknown_choice": _("An answer refers to a choice that does not exist."),
    "duplicate_choice": _("A choice is selected twice."),
    "no_attempts_left": _("You have used all your attempts."),
    "not_submitted": _("Submit your answers first."),
    "unknown_action": _("This event is not recorded."),
    "unknown_recommendation": _("This recommendation does not exist."),
    "staff_only": _("Only course staff can do this."),
    "invalid_quiz": _("The quiz has errors; nothing was saved."),
}


def ui_strings(gettext) -> dict:
    """The quiz UI's sentences, translated, for the JavaScript (which has no catalogue)."""
    _ = gettext
    return {
        "submitting": _("Sending your answers…"),
        "submitted": _("Answers sent. Your profile is below."),
        "missing": _("Answer this question."),
        "missingSummary": _("Some questions are unanswered: {count}."),
        "networkError": _("The server could not be reached. Your answers were not sent; try again."),
        "correct": _("Correct."),
        "incorrect": _("Not quite."),
        "partial": _("Partly correct."),
        "selfRating": _("Self-rating: there is no wrong answer."),
        "correctAnswer": _("Right answer: {answers}"),
        "yourAnswer": _("Your answer"),
        "explanation": _("Explanation"),
        "score": _("Score: {earned} of {possible} ({percent}%)"),
        "chartTitle": _("Profile by dimension, in percent"),
        "tableCaption": _("Your score per dimension"),
        "dimension": _("Dimension"),
        "scoreColumn": _("Score (%)"),
        "band": _("Level"),
        "recommendations": _("Recommended next"),
        "module": _("Course module"),
        "moduleNotLinked": _("(module of this course)"),
        "external": _("(external site, opens in a new tab)"),
        "noAttemptsLeft": _("You have used all your attempts."),
        "retryReady": _("The form is ready for a new attempt."),
        "percent": _("{value}%"),
    }


def studio_strings(gettext) -> dict:
    """The Studio editor's sentences, translated, for its JavaScript."""
    _ = gettext
    return {
        "saving": _("Saving…"),
        "saved": _("Saved."),
        "failed": _("The server did not answer; nothing was saved."),
        "line": _("line {line}"),
    }
