"""Validation of the quiz data: JSON Schema first, then the rules a schema cannot express.

Pure (jsonschema + stdlib). Each `Problem.path` points into the data (JSON path), so the
compiler can map it to a YAML line and the Studio editor can show where it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

CHOICE_TYPES = ("single", "multiple")
TEXT_KEYS = ("intro", "description", "feedback", "prompt", "explanation", "feedback_true", "feedback_false")
# Markdown image whose target is neither absolute (/static/…) nor a URL: it would not
# resolve inside the LMS, whereas the question's `image` field goes through the assets.
_RELATIVE_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^)\s>]+)")
_XML_INCOMPATIBLE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Problem(NamedTuple):
    path: tuple
    message: str
    hint: str | None = None


def validate_data(data, schema: dict) -> list[Problem]:
    schema_problems = [_schema_problem(error) for error in _schema_errors(data, schema)]
    if schema_problems:
        # Semantic rules assume the shape the schema guarantees.
        return schema_problems
    return list(_semantic_problems(data))


def _schema_errors(data, schema: dict):
    errors = list(Draft202012Validator(schema).iter_errors(data))
    # With an unknown question type, every type-specific key looks "unevaluated": that
    # echo would bury the one useful message, so it is dropped.
    bad_types = {tuple(e.absolute_path)[:-1] for e in errors if list(e.absolute_path)[-1:] == ["type"]}
    errors = [e for e in errors
              if not (e.validator == "unevaluatedProperties" and tuple(e.absolute_path) in bad_types)]
    return sorted(errors, key=lambda error: [str(step) for step in error.absolute_path])


def _schema_problem(error) -> Problem:
    hint = None
    if error.validator == "enum":
        hint = "expected one of: " + ", ".join(map(str, error.validator_value))
    elif error.validator in ("additionalProperties", "unevaluatedProperties"):
        hint = "check the spelling of the key, or whether it belongs to this question type"
    elif error.validator == "pattern":
        hint = "use letters, digits, '_', '.' and '-' only, starting with a letter or digit"
    return Problem(tuple(error.absolute_path), error.message, hint)


def _semantic_problems(data: dict) -> Iterator[Problem]:
    dimension_ids = [dimension["id"] for dimension in data["dimensions"]]
    yield from _duplicates(dimension_ids, ("dimensions",), "dimension")
    yield from _duplicates([question["id"] for question in data["questions"]], ("questions",), "question")
    yield from _scale_problems(data.get("scale"), ("scale",))
    for index, dimension in enumerate(data["dimensions"]):
        yield from _band_problems(dimension["bands"], ("dimensions", index, "bands"))
    for index, question in enumerate(data["questions"]):
        yield from _question_problems(question, ("questions", index), dimension_ids, data)
    yield from _unmeasured_dimensions(data)
    yield from _text_problems(data, ())


def _duplicates(ids: list[str], path: tuple, what: str) -> Iterator[Problem]:
    first_index = {}
    for index, value in enumerate(ids):
        if value in first_index:
            yield Problem(
                (*path, index, "id"),
                f"duplicate {what} id '{value}'",
                f"already used at {'.'.join(map(str, path))}[{first_index[value]}]",
            )
        else:
            first_index[value] = index


def _scale_problems(scale, path: tuple) -> Iterator[Problem]:
    if scale is None:
        return
    for index in range(1, len(scale)):
        if scale[index]["value"] <= scale[index - 1]["value"]:
            yield Problem(
                (*path, index, "value"),
                "scale values must increase from one point to the next",
                "list the points from the lowest value to the highest",
            )


def _band_problems(bands: list[dict], path: tuple) -> Iterator[Problem]:
    expected_min = 0
    for index, band in enumerate(bands):
        if band["min"] > band["max"]:
            yield Problem((*path, index), f"band min {band['min']} is greater than its max {band['max']}")
        if band["min"] > expected_min:
            yield Problem(
                (*path, index, "min"),
                f"gap in the bands: no band covers {expected_min}–{band['min'] - 1}",
                "bands are inclusive integer ranges; each starts at the previous max + 1",
            )
        elif band["min"] < expected_min:
            yield Problem(
                (*path, index, "min"),
                f"bands overlap: {band['min']} is already covered (this band should start at {expected_min})",
                "list bands from lowest to highest; each starts at the previous max + 1",
            )
        expected_min = max(expected_min, band["max"] + 1)
    if expected_min <= 100:
        yield Problem(
            (*path, len(bands) - 1, "max"),
            f"the bands stop at {expected_min - 1}; the last one must end at 100",
        )
    yield from _duplicate_labels(bands, path)
    for index, band in enumerate(bands):
        for rec_index, recommendation in enumerate(band.get("recommendations", [])):
            yield from _recommendation_problems(recommendation, (*path, index, "recommendations", rec_index))


def _duplicate_labels(bands: list[dict], path: tuple) -> Iterator[Problem]:
    seen = set()
    for index, band in enumerate(bands):
        if band["label"] in seen:
            yield Problem((*path, index, "label"), f"duplicate band label '{band['label']}' in this dimension")
        seen.add(band["label"])


def _recommendation_problems(recommendation: dict, path: tuple) -> Iterator[Problem]:
    has_module, has_url = "module" in recommendation, "url" in recommendation
    if has_module == has_url:
        yield Problem(path, "a recommendation needs exactly one of 'module' or 'url'",
                      "module: <module id> for a module of the course, url: https://… for a web resource")
    if has_url:
        try:
            parts = urlsplit(recommendation["url"])
        except ValueError:  # e.g. "http://[x": Invalid IPv6 URL
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            yield Problem((*path, "url"), f"'{recommendation['url']}' is not an http(s) URL",
                          "write the full address, e.g. https://www.quebec.ca/…")


def _question_problems(question: dict, path: tuple, dimension_ids: list[str], data: dict) -> Iterator[Problem]:
    if question["dimension"] not in dimension_ids:
        yield Problem((*path, "dimension"), f"unknown dimension '{question['dimension']}'",
                      "known dimensions: " + ", ".join(dimension_ids))
    if question["type"] in CHOICE_TYPES:
        yield from _choice_problems(question, path)
    if question["type"] == "likert":
        if "scale" not in question and "scale" not in data:
            yield Problem(path, "this likert question has no scale",
                          "give the question a 'scale', or the quiz a default 'scale'")
        yield from _scale_problems(question.get("scale"), (*path, "scale"))


def _choice_problems(question: dict, path: tuple) -> Iterator[Problem]:
    choices = question["choices"]
    yield from _duplicates([choice["id"] for choice in choices], (*path, "choices"), "choice")
    correct = sum(1 for choice in choices if choice.get("correct", False))
    if question["type"] == "single" and correct != 1:
        yield Problem((*path, "choices"), f"a single-choice question needs exactly one correct choice, found {correct}",
                      "mark the right answer with 'correct: true'; use type: multiple for several")
    if question["type"] == "multiple" and correct == 0:
        yield Problem((*path, "choices"), "a multiple-choice question needs at least one correct choice",
                      "mark each right answer with 'correct: true'")


def _unmeasured_dimensions(data: dict) -> Iterator[Problem]:
    measured = {question["dimension"] for question in data["questions"]}
    for index, dimension in enumerate(data["dimensions"]):
        if dimension["id"] not in measured:
            yield Problem(("dimensions", index), f"no question measures dimension '{dimension['id']}'",
                          "add a question with this dimension, or remove the dimension")


def _text_problems(value, path: tuple) -> Iterator[Problem]:
    """Walk every string: XML-incompatible characters, relative Markdown images."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _text_problems(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_problems(item, (*path, index))
    elif isinstance(value, str):
        bad = _XML_INCOMPATIBLE.search(value)
        if bad:
            yield Problem(path, f"character U+{ord(bad.group()):04X} cannot be stored in OLX",
                          "remove control characters (often pasted from a word processor)")
        if path and path[-1] in TEXT_KEYS:
            for match in _RELATIVE_MARKDOWN_IMAGE.finditer(value):
                yield Problem(path, f"Markdown image '{match.group(1)}' is a relative file path",
                              "put the image in the question's 'image' field (src, alt), "
                              "which is copied with the course files")
