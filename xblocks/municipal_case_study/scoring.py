"""Scores, computed only on the server (pure). A score is a fraction in [0, 1]; the platform
multiplies it by the block's weight.

- ``none``: no score.
- ``completion``: 1 once the debrief is reached.
- ``decisions``: points of the options chosen, over the best points available at the same
  decision steps. Only the first choice at a step counts, so looping back cannot raise it.
- ``rubric``: points of the self-ratings given, over the best levels of the same criteria.

Branches differ in length, so each learner is measured on the steps of their own path. When no
points were at stake on that path, reaching the debrief earns the full score.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def decision_points(steps_by_id: Mapping[str, Mapping[str, Any]], path: Sequence[tuple[str, str | None]]):
    """(earned, possible) over the first choice made at each decision step of the path."""
    earned = possible = 0.0
    counted = set()
    for step_id, option_id in path:
        step = steps_by_id[step_id]
        if step["type"] != "decision" or option_id is None or step_id in counted:
            continue
        counted.add(step_id)
        points = {option["id"]: option.get("points", 0) for option in step["options"]}
        earned += points[option_id]
        possible += max(points.values())
    return earned, possible


def rubric_points(steps_by_id: Mapping[str, Mapping[str, Any]], ratings: Mapping[str, Mapping[str, int]]):
    """(earned, possible) over every criterion rated."""
    earned = possible = 0.0
    for step_id, given in ratings.items():
        for criterion in steps_by_id[step_id]["criteria"]:
            levels = [level["points"] for level in criterion["levels"]]
            earned += levels[given[criterion["id"]]]
            possible += max(levels)
    return earned, possible


def fraction(mode: str, steps_by_id, path, ratings, completed: bool) -> float | None:
    """The learner's score for ``mode`` (None when the mode gives no score)."""
    if mode == "none":
        return None
    if mode == "decisions":
        earned, possible = decision_points(steps_by_id, path)
    elif mode == "rubric":
        earned, possible = rubric_points(steps_by_id, ratings)
    else:
        earned = possible = 0.0
    if possible:
        return round(earned / possible, 4)
    return 1.0 if completed else 0.0
