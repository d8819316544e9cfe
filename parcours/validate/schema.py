"""Stage 3: JSON Schema validation, with every error placed at its YAML line and column."""
from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from parcours.diagnostics import Code, Diagnostic
from parcours.parse.yaml import JsonPath, Positions

_REQUIRED = re.compile(r"^'(.*)' is a required property$")  # jsonschema's message names the one key

_LONGEST_MESSAGE = 200
SCHEMA_NAMES = ("course", "module", "lesson", "problem", "unit")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in the package (`parcours.schemas`), so validation never needs the network."""
    text = resources.files("parcours.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(name: str, data: Any, positions: Positions) -> list[Diagnostic]:
    """Every schema error of `data`, each at the value (or the unexpected key) it is about."""
    return [schema_diagnostic(message, path, positions, hint, key=about_key)
            for path, message, hint, about_key in schema_problems(validator(name), data)]


def schema_problems(schema_validator: Draft202012Validator, data: Any) -> list[tuple[JsonPath, str, str | None, bool]]:
    """(JSON path, message, hint, whether the path names a key rather than a value) of every error;
    an unexpected key is reported at the key itself, with the closest allowed one."""
    problems = []
    for error in schema_validator.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            problems += _unexpected_keys(error, path)
        else:
            problems.append((path, error.message, _hint(error), False))
    return problems


def schema_diagnostic(message: str, path: JsonPath, positions: Positions, hint: str | None,
                      *, key: bool = False) -> Diagnostic:
    where = f" (at {_json_path(path)})" if path else ""
    if len(message) > _LONGEST_MESSAGE:  # jsonschema quotes the whole value, however long it is
        message = message[:_LONGEST_MESSAGE - 1] + "…"
    return Diagnostic(Code.SCHEMA, message + where, positions.locate(path, key=key), hint)


def _unexpected_keys(error: ValidationError, path: JsonPath) -> list[tuple[JsonPath, str, str, bool]]:
    known = list(error.schema.get("properties", {}))
    problems = []
    for key in error.instance:
        if key in known or any(re.search(p, str(key)) for p in error.schema.get("patternProperties", {})):
            continue
        close = difflib.get_close_matches(str(key), known, 1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(known)}"
        problems.append(((*path, key), f"unknown key '{key}'", hint, True))
    return problems


def _json_path(path: JsonPath) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def _hint(error: ValidationError) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = _REQUIRED.match(error.message).group(1) if _REQUIRED.match(error.message) else ""
        about = schema.get("properties", {}).get(missing, {}).get("description", "")
        return f"add `{missing}:` here" + (f" — {about}" if about else "")
    if error.validator == "type" and error.validator_value == "boolean" and isinstance(error.instance, str):
        return "write true or false"
    if error.validator == "enum":
        return "valid values: " + ", ".join(map(str, schema.get("enum", [])))
    if error.validator == "type" and error.validator_value in ("integer", "number"):
        return "write a number, without quotes"
    if error.validator == "type" and error.validator_value == "string":
        return "quote the value to keep it as text"
    if error.validator == "pattern" and "description" in schema:
        return schema["description"]
    description = schema.get("description")
    return description if isinstance(description, str) else None
