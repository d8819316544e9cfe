"""Validation of a case's data (pure): the JSON Schema, then the rules a schema cannot express.

Every problem carries a JSON path into the data, so the compiler can point at the YAML line and the
Studio editor can name the faulty field. Messages are in English, like jsonschema's own.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator

from . import graph

Path = tuple[str | int, ...]
# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE, U+FFFF) and lone surrogates.
XML_INCOMPATIBLE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Problem(NamedTuple):
    """One thing wrong with a case, located by its path into the data."""

    path: Path
    message: str
    hint: str | None = None


def schema_problems(data: Any, schema: Mapping[str, Any]) -> list[Problem]:
    """Every schema violation (not only the first), in path order."""
    validator = Draft202012Validator(schema)
    problems = [
        Problem(tuple(error.absolute_path), error.message, _schema_hint(error))
        for error in validator.iter_errors(data)
    ]
    return sorted(set(problems), key=lambda p: ([str(part) for part in p.path], p.message))


def _schema_hint(error) -> str | None:
    if error.validator == "additionalProperties":
        return "remove the key or fix its spelling; allowed keys: " + ", ".join(sorted(error.schema["properties"]))
    if error.validator == "enum":
        return "use one of: " + ", ".join(map(str, error.validator_value))
    if error.validator == "pattern" and error.absolute_path and error.absolute_path[-1] == "consulted":
        return "write the date as YYYY-MM-DD in quotes, e.g. consulted: \"2025-03-14\""
    if error.validator == "type" and error.absolute_path and error.absolute_path[-1] == "consulted":
        return "quote the date in YAML, e.g. consulted: \"2025-03-14\""
    if error.validator == "pattern" and error.absolute_path and error.absolute_path[-1] in ("id", "next"):
        return "use letters, digits, '_' and '-' (at most 64 characters), starting with a letter or digit"
    return None


def semantic_problems(data: Mapping[str, Any]) -> list[Problem]:
    """The rules beyond the schema. Call only on data that passed the schema."""
    checks = (_duplicate_ids, _dangling_references, _lengths, _rubric_levels, _table_widths, _paths, _scoring)
    return [problem for check in checks for problem in check(data)] + list(_characters(data, ()))


def _characters(value: Any, path: Path) -> Iterator[Problem]:
    """Every string (key or value) must be storable in OLX: no control character, no lone surrogate."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _character_problem(key, (*path, key))
            yield from _characters(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _characters(item, (*path, index))
    elif isinstance(value, str):
        yield from _character_problem(value, path)


def _character_problem(text: str, path: Path) -> Iterator[Problem]:
    bad = XML_INCOMPATIBLE.search(text)
    if bad:
        yield Problem(path, f"character U+{ord(bad.group()):04X} cannot be stored in OLX",
                      "remove control characters (often pasted from a word processor)")


def _first_seen(items, key: str, path: Path, what: str) -> Iterator[Problem]:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        value = item[key]
        if value in seen:
            yield Problem(
                (*path, index, key),
                f"duplicate {what} {value!r} (first used at {'/'.join(map(str, (*path, seen[value])))})",
                f"give each {what} a distinct {key}",
            )
        else:
            seen[value] = index


def _duplicate_ids(data) -> Iterator[Problem]:
    steps = data["steps"]
    yield from _first_seen(steps, "id", ("steps",), "step id")
    for i, step in enumerate(steps):
        if step["type"] == "decision":
            yield from _first_seen(step["options"], "id", ("steps", i, "options"), "option id")
        elif step["type"] == "rubric":
            yield from _first_seen(step["criteria"], "id", ("steps", i, "criteria"), "criterion id")


def _dangling_references(data) -> Iterator[Problem]:
    steps = data["steps"]
    types = {}
    for step in steps:
        types.setdefault(step["id"], step["type"])
    hint = "existing step ids: " + ", ".join(types)
    for i, step in enumerate(steps):
        if "next" in step and step["next"] not in types:
            yield Problem(("steps", i, "next"), f"next step {step['next']!r} does not exist", hint)
        for j, option in enumerate(step.get("options", ())):
            if "next" in option and option["next"] not in types:
                yield Problem(("steps", i, "options", j, "next"), f"next step {option['next']!r} does not exist", hint)
        if "reflection" in step and types.get(step["reflection"]) != "reflection":
            yield Problem(
                ("steps", i, "reflection"),
                f"{step['reflection']!r} is not the id of a reflection step",
                "name the reflection step whose answer this rubric rates",
            )


def _lengths(data) -> Iterator[Problem]:
    for i, step in enumerate(data["steps"]):
        if step["type"] == "reflection" and step.get("min_length", 0) > step["max_length"]:
            yield Problem(
                ("steps", i, "min_length"),
                f"min_length {step['min_length']} is greater than max_length {step['max_length']}",
                "min_length must be less than or equal to max_length",
            )


def _rubric_levels(data) -> Iterator[Problem]:
    for i, step in enumerate(data["steps"]):
        for j, criterion in enumerate(step.get("criteria", ())):
            path = ("steps", i, "criteria", j, "levels")
            yield from _first_seen(criterion["levels"], "label", path, "level label")
            yield from _first_seen(criterion["levels"], "points", path, "level points value")


def _table_widths(data) -> Iterator[Problem]:
    for i, exhibit in enumerate(data.get("exhibits", ())):
        if exhibit["kind"] != "table":
            continue
        width = len(exhibit["header"])
        for r, row in enumerate(exhibit["rows"]):
            if len(row) != width:
                yield Problem(
                    ("exhibits", i, "rows", r),
                    f"row has {len(row)} cells but the header has {width}",
                    "give every row one cell per header column (use \"\" for an empty cell)",
                )


def _paths(data) -> Iterator[Problem]:
    """Every step reachable, and from every reachable step a way to a debrief."""
    steps = data["steps"]
    position = {}
    for i, step in enumerate(steps):
        position.setdefault(step["id"], i)
    debriefs = {step["id"] for step in steps if step["type"] == "debrief"}
    if not debriefs:
        yield Problem(("steps",), "the case has no debrief step", "end the case with a step of type debrief")
        return
    adjacency = graph.adjacency(steps)
    start = steps[0]["id"]
    reached = graph.reachable(adjacency, start)
    for step_id, i in position.items():
        if step_id not in reached:
            yield Problem(
                ("steps", i),
                f"step {step_id!r} can never be reached from the first step {start!r}",
                "point a next (of a step or an option) at it, or remove it",
            )
    for step_id in reached:
        i = position[step_id]
        for relative, target in graph.edges(steps, i):
            if target is None:
                yield Problem(
                    ("steps", i, *relative),
                    f"step {step_id!r} leads nowhere: it is the last step, is not a debrief and has no next",
                    "add a next, or place a debrief after it",
                )
    stuck = reached - set(graph.distances_to(adjacency, debriefs))
    for cycle in graph.closed_cycles(adjacency, stuck):
        ordered = sorted(cycle, key=position.__getitem__)
        loop = " → ".join([*ordered, ordered[0]])
        yield Problem(
            ("steps", position[ordered[0]]),
            f"steps {loop} form a cycle with no exit: no debrief can be reached from them",
            "give one of these steps, or one of their options, a next that leads towards a debrief",
        )


def _scoring(data) -> Iterator[Problem]:
    mode = data.get("settings", {}).get("scoring", "none")
    steps = data["steps"]
    if mode == "decisions" and not any(o.get("points") for s in steps for o in s.get("options", ())):
        yield Problem(
            ("settings", "scoring"),
            "scoring mode 'decisions' but no option carries points",
            "give points to the better options, or choose another scoring mode",
        )
    if mode == "rubric" and not any(step["type"] == "rubric" for step in steps):
        yield Problem(
            ("settings", "scoring"),
            "scoring mode 'rubric' but the case has no rubric step",
            "add a rubric step, or choose another scoring mode",
        )
