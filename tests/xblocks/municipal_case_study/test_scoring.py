"""Scores are fractions computed from the learner's own path."""
import pytest
from municipal_case_study import scoring

STEPS = {
    "d1": {"type": "decision", "options": [{"id": "a", "points": 3}, {"id": "b", "points": 1}, {"id": "c"}]},
    "d2": {"type": "decision", "options": [{"id": "x", "points": 2}, {"id": "y", "points": 0}]},
    "r": {"type": "rubric", "criteria": [
        {"id": "c1", "levels": [{"points": 0}, {"points": 1}, {"points": 2}]},
        {"id": "c2", "levels": [{"points": 0}, {"points": 4}]},
    ]},
    "fin": {"type": "debrief"},
}


def test_none_mode_has_no_score():
    assert scoring.fraction("none", STEPS, [("fin", None)], {}, True) is None


def test_completion_mode():
    assert scoring.fraction("completion", STEPS, [("d1", "a")], {}, False) == 0.0
    assert scoring.fraction("completion", STEPS, [("d1", "a"), ("fin", None)], {}, True) == 1.0


def test_decisions_count_the_first_choice_at_each_step_of_the_path():
    path = [("d1", "b"), ("d1", "a"), ("d2", "x"), ("fin", None)]
    assert scoring.decision_points(STEPS, path) == (3.0, 5.0)
    assert scoring.fraction("decisions", STEPS, path, {}, True) == 0.6


def test_decisions_without_points_on_the_path_give_full_score_at_completion():
    no_points = {"d": {"type": "decision", "options": [{"id": "a"}, {"id": "b"}]}, "fin": {"type": "debrief"}}
    assert scoring.fraction("decisions", no_points, [("d", "a"), ("fin", None)], {}, True) == 1.0
    assert scoring.fraction("decisions", no_points, [("d", "a")], {}, False) == 0.0


def test_rubric_points_over_best_levels():
    assert scoring.rubric_points(STEPS, {"r": {"c1": 1, "c2": 1}}) == (5.0, 6.0)
    assert scoring.fraction("rubric", STEPS, [], {"r": {"c1": 1, "c2": 1}}, True) == pytest.approx(0.8333)
