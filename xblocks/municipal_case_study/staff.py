"""Anonymous aggregates for the teaching team (pure): counts only, never who did what (Loi 25).

Counts live in ``Scope.user_state_summary`` fields and grow with every decision and self-rating,
all attempts included (a learner who starts over counts again).
"""
from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

COUNTED = frozenset({"decision_made", "rubric_rated", "completed"})
CSV_COLUMNS = ("kind", "step_id", "step_title", "item_id", "item_label", "level", "level_label", "count")


def tally(decisions: Mapping, ratings: Mapping, completions: int, events: Iterable[tuple[str, dict]]):
    """New (decisions, ratings, completions) counts after a learner action's events."""
    decisions, ratings = copy.deepcopy(dict(decisions)), copy.deepcopy(dict(ratings))
    for name, payload in events:
        if name == "decision_made":
            per_step = decisions.setdefault(payload["step_id"], {})
            per_step[payload["option_id"]] = per_step.get(payload["option_id"], 0) + 1
        elif name == "rubric_rated":
            per_step = ratings.setdefault(payload["step_id"], {})
            for criterion_id, level in payload["ratings"].items():
                per_criterion = per_step.setdefault(criterion_id, {})
                per_criterion[str(level)] = per_criterion.get(str(level), 0) + 1
        elif name == "completed":
            completions += 1
    return decisions, ratings, completions


def summary(steps: list[Mapping[str, Any]], decisions: Mapping, ratings: Mapping) -> dict[str, list]:
    """Tables for the staff view, in case order, with zero counts shown."""
    decision_tables, rating_tables = [], []
    for step in steps:
        if step["type"] == "decision":
            counts = decisions.get(step["id"], {})
            decision_tables.append({
                "step": step,
                "rows": [(option["label"], counts.get(option["id"], 0)) for option in step["options"]],
            })
        elif step["type"] == "rubric":
            for criterion in step["criteria"]:
                counts = ratings.get(step["id"], {}).get(criterion["id"], {})
                rating_tables.append({
                    "step": step,
                    "criterion": criterion,
                    "rows": [(level["label"], counts.get(str(i), 0)) for i, level in enumerate(criterion["levels"])],
                })
    return {"decisions": decision_tables, "ratings": rating_tables}


def rows(steps: list[Mapping[str, Any]], decisions: Mapping, ratings: Mapping, completions: int):
    """CSV rows (without header): one per option, per criterion level, and the completions."""
    for step in steps:
        if step["type"] == "decision":
            for option in step["options"]:
                count = decisions.get(step["id"], {}).get(option["id"], 0)
                yield ("decision", step["id"], step["title"], option["id"], option["label"], "", "", count)
        elif step["type"] == "rubric":
            for criterion in step["criteria"]:
                counts = ratings.get(step["id"], {}).get(criterion["id"], {})
                for i, level in enumerate(criterion["levels"]):
                    yield ("rating", step["id"], step["title"], criterion["id"], criterion["label"], i,
                           level["label"], counts.get(str(i), 0))
    yield ("completion", "", "", "", "", "", "", completions)


def _cell(value: Any) -> Any:
    """Keep spreadsheets from running author text as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(steps, decisions, ratings, completions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows(steps, decisions, ratings, completions):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()
