"""Server-side scoring: answers checked and normalised, then points, profile and bands."""
import pytest
from self_assessment_quiz.scoring import AnswerError, normalize_answers, score

from .helpers import correct_answers, wrong_answers


def test_all_correct_and_top_of_scale_gives_full_marks_and_top_bands(quiz_data):
    result = score(quiz_data, normalize_answers(quiz_data, correct_answers(quiz_data)))
    # knowledge points: true_false 1 + single 1 + multiple 1 + single (points: 2) 2
    assert (result.raw_earned, result.raw_possible) == (5.0, 5.0)
    assert {dim: r.score for dim, r in result.dimensions.items()} == {
        "comprendre": 100, "donnees": 100, "gouvernance": 100}
    assert result.dimensions["comprendre"].band_index == 2
    assert result.questions["q-donnees-pratique"].correct is None  # self-rating


def test_all_wrong_and_bottom_of_scale_gives_zero_and_lowest_bands(quiz_data):
    result = score(quiz_data, normalize_answers(quiz_data, wrong_answers(quiz_data)))
    assert result.raw_earned == 0.0 and result.raw_possible == 5.0
    assert all(r.score == 0 and r.band_index == 0 for r in result.dimensions.values())


def test_multiple_choice_gives_partial_credit_and_penalises_wrong_ticks(quiz_data):
    answers = correct_answers(quiz_data)
    answers["q-loi25"] = ["efvp"]
    assert score(quiz_data, answers).questions["q-loi25"].fraction == 0.5
    answers["q-loi25"] = ["efvp", "fournisseur"]
    assert score(quiz_data, answers).questions["q-loi25"].fraction == 0.0
    answers["q-loi25"] = ["efvp", "responsable", "fournisseur"]  # ticking everything earns nothing
    outcome = score(quiz_data, answers).questions["q-loi25"]
    assert (outcome.fraction, outcome.correct) == (0.5, False)


def test_likert_is_the_position_on_the_scale_and_not_graded(quiz_data):
    answers = correct_answers(quiz_data)
    answers["q-donnees-pratique"] = 2  # scale 1..4 -> (2-1)/(4-1)
    result = score(quiz_data, answers)
    assert result.questions["q-donnees-pratique"].fraction == pytest.approx(1 / 3)
    assert result.questions["q-donnees-pratique"].possible == 0.0
    # donnees = mean(q-loi25 = 1.0, likert = 1/3) = 66.67 -> 67, band "Acquis" (60-100)
    assert result.dimensions["donnees"].score == 67
    assert result.dimensions["donnees"].band_index == 1
    assert result.raw_earned == 5.0


def test_points_weigh_questions_inside_a_dimension(quiz_data):
    answers = correct_answers(quiz_data)
    answers["q-gouv-politique"] = 1  # likert 0 %, points 1; q-appel-offres right, points 2
    assert score(quiz_data, answers).dimensions["gouvernance"].score == 67


def test_percentages_round_half_up():
    quiz = {"dimensions": [{"id": "d", "label": "D", "bands": [{"min": 0, "max": 100, "label": "x"}]}],
            "questions": [{"id": f"q{i}", "type": "true_false", "dimension": "d", "prompt": "?", "answer": True,
                           "points": 1} for i in range(8)]}
    answers = {f"q{i}": "true" if i == 0 else "false" for i in range(8)}  # 1/8 = 12.5 %
    assert score(quiz, answers).dimensions["d"].score == 13


def test_a_quiz_of_self_ratings_only_gives_participation_credit():
    quiz = {"scale": [{"value": 0, "label": "non"}, {"value": 1, "label": "oui"}],
            "dimensions": [{"id": "d", "label": "D", "bands": [{"min": 0, "max": 100, "label": "x"}]}],
            "questions": [{"id": "q", "type": "likert", "dimension": "d", "prompt": "?"}]}
    result = score(quiz, normalize_answers(quiz, {"q": 0}))
    assert (result.raw_earned, result.raw_possible) == (1.0, 1.0)


def test_normalize_orders_multiple_answers_like_the_quiz(quiz_data):
    answers = correct_answers(quiz_data)
    answers["q-loi25"] = ["responsable", "efvp"]
    assert normalize_answers(quiz_data, answers)["q-loi25"] == ["efvp", "responsable"]


BAD_ANSWERS = {
    "not a mapping": (lambda a: ["q1"], "invalid_answers", None),
    "unknown question": (lambda a: {**a, "q-inconnue": "a"}, "unknown_question", "q-inconnue"),
    "missing answer": (lambda a: {k: v for k, v in a.items() if k != "q-usage"}, "missing_answer", "q-usage"),
    "single given a list": (lambda a: {**a, "q-usage": ["a"]}, "wrong_type", "q-usage"),
    "single unknown choice": (lambda a: {**a, "q-usage": "z"}, "unknown_choice", "q-usage"),
    "true_false given a boolean": (lambda a: {**a, "q-hallucination": True}, "wrong_type", "q-hallucination"),
    "true_false given another word": (lambda a: {**a, "q-hallucination": "vrai"}, "unknown_choice",
                                      "q-hallucination"),
    "multiple given a string": (lambda a: {**a, "q-loi25": "efvp"}, "wrong_type", "q-loi25"),
    "multiple empty": (lambda a: {**a, "q-loi25": []}, "wrong_type", "q-loi25"),
    "multiple with a number": (lambda a: {**a, "q-loi25": ["efvp", 3]}, "wrong_type", "q-loi25"),
    "multiple duplicate": (lambda a: {**a, "q-loi25": ["efvp", "efvp"]}, "duplicate_choice", "q-loi25"),
    "multiple unknown": (lambda a: {**a, "q-loi25": ["efvp", "autre"]}, "unknown_choice", "q-loi25"),
    "likert given a string": (lambda a: {**a, "q-donnees-pratique": "4"}, "wrong_type", "q-donnees-pratique"),
    "likert given a boolean": (lambda a: {**a, "q-donnees-pratique": True}, "wrong_type", "q-donnees-pratique"),
    "likert given a float": (lambda a: {**a, "q-donnees-pratique": 4.0}, "wrong_type", "q-donnees-pratique"),
    "likert off the scale": (lambda a: {**a, "q-donnees-pratique": 9}, "unknown_choice", "q-donnees-pratique"),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_unusable_answers_raise_a_coded_error(case, quiz_data):
    change, code, question_id = BAD_ANSWERS[case]
    with pytest.raises(AnswerError) as raised:
        normalize_answers(quiz_data, change(correct_answers(quiz_data)))
    assert (raised.value.code, raised.value.question_id) == (code, question_id)


def test_unknown_question_ids_are_cut_short_in_errors(quiz_data):
    with pytest.raises(AnswerError) as raised:
        normalize_answers(quiz_data, {"x" * 10_000: "a"})
    assert len(raised.value.question_id) == 64
