"""Anonymous class results (Scope.user_state_summary): counts and means, no identities.

Pure. Each learner counts once, with their latest submission: the block stores what a
learner added (`contribution`) and takes it back out before adding a new one.

    aggregates = {"learners": 3,
                  "choices": {"q1": {"a": 2, "b": 1}},          # per question, per answer
                  "dimension_totals": {"donnees": 195},        # sum of scores (mean = / learners)
                  "bands": {"donnees": {"À consolider": 1, "Acquis": 2}}}
"""
from __future__ import annotations

import copy
import csv
import io

from .scoring import Result

CSV_COLUMNS = ["section", "id", "label", "item_id", "item_label", "count", "mean"]
# Spreadsheets run cells that start with these as formulas (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def contribution(quiz: dict, answers: dict, result: Result) -> dict:
    """What one submission adds to the aggregates."""
    bands = {}
    for dimension in quiz["dimensions"]:
        outcome = result.dimensions.get(dimension["id"])
        if outcome is not None and outcome.band_index is not None:
            bands[dimension["id"]] = dimension["bands"][outcome.band_index]["label"]
    return {
        "choices": {qid: [str(item) for item in (value if isinstance(value, list) else [value])]
                    for qid, value in answers.items()},
        "dimensions": {dim: outcome.score for dim, outcome in result.dimensions.items()},
        "bands": bands,
    }


def add(aggregates: dict, part: dict, sign: int = 1) -> dict:
    """A new aggregates dict with `part` added (sign=1) or taken out (sign=-1)."""
    updated = copy.deepcopy(aggregates) or {}
    updated["learners"] = max(0, updated.get("learners", 0) + sign)
    for question_id, values in part["choices"].items():
        counts = updated.setdefault("choices", {}).setdefault(question_id, {})
        for value in values:
            counts[value] = max(0, counts.get(value, 0) + sign)
    totals = updated.setdefault("dimension_totals", {})
    for dimension_id, score in part["dimensions"].items():
        totals[dimension_id] = max(0, totals.get(dimension_id, 0) + sign * score)
    for dimension_id, label in part["bands"].items():
        counts = updated.setdefault("bands", {}).setdefault(dimension_id, {})
        counts[label] = max(0, counts.get(label, 0) + sign)
    return updated


def summary(quiz: dict, aggregates: dict, gettext) -> dict:
    """Rows for the staff table and the CSV, in the quiz's own order."""
    _ = gettext
    learners = aggregates.get("learners", 0)
    choices, dimensions, bands = [], [], []
    for question in quiz["questions"]:
        counts = aggregates.get("choices", {}).get(question["id"], {})
        for value, label in _answer_options(quiz, question, _):
            choices.append({"id": question["id"], "label": question["prompt"],
                            "item_id": value, "item_label": label, "count": counts.get(value, 0)})
    for dimension in quiz["dimensions"]:
        total = aggregates.get("dimension_totals", {}).get(dimension["id"], 0)
        dimensions.append({"id": dimension["id"], "label": dimension["label"],
                           "mean": round(total / learners, 1) if learners else None})
        counts = aggregates.get("bands", {}).get(dimension["id"], {})
        for band in dimension["bands"]:
            bands.append({"id": dimension["id"], "label": dimension["label"],
                          "item_id": f"{band['min']}-{band['max']}", "item_label": band["label"],
                          "count": counts.get(band["label"], 0)})
    return {"learners": learners, "choices": choices, "dimensions": dimensions, "bands": bands}


def _answer_options(quiz: dict, question: dict, _) -> list[tuple[str, str]]:
    if question["type"] == "true_false":
        return [("true", _("True")), ("false", _("False"))]
    if question["type"] == "likert":
        scale = question.get("scale") or quiz.get("scale") or []
        return [(str(point["value"]), point["label"]) for point in scale]
    return [(choice["id"], choice["text"]) for choice in question["choices"]]


def to_csv(table: dict) -> str:
    """The summary as CSV (UTF-8 text, header row); no learner is named or identified."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(_safe(["learners", "", "", "", "", table["learners"], ""]))
    for row in table["choices"]:
        writer.writerow(_safe(["choice", row["id"], row["label"], row["item_id"], row["item_label"], row["count"], ""]))
    for row in table["dimensions"]:
        mean = "" if row["mean"] is None else row["mean"]
        writer.writerow(_safe(["dimension", row["id"], row["label"], "", "", table["learners"], mean]))
    for row in table["bands"]:
        writer.writerow(_safe(["band", row["id"], row["label"], row["item_id"], row["item_label"], row["count"], ""]))
    return out.getvalue()


def _safe(row: list) -> list:
    return [f"'{cell}" if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS) else cell for cell in row]
