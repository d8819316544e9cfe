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
    diagnostics = []
    for error in validator(name).iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            diagnostics += _unexpected_keys(error, path, positions)
        else:
            diagnostics.append(schema_diagnostic(error.message, path, positions, _hint(error)))
    return diagnostics


def schema_diagnostic(message: str, path: JsonPath, positions: Positions, hint: str | None,
                      *, key: bool = False) -> Diagnostic:
    where = f" (at {_json_path(path)})" if path else ""
    return Diagnostic(Code.SCHEMA, message + where, positions.locate(path, key=key), hint)


def _unexpected_keys(error: ValidationError, path: JsonPath, positions: Positions) -> list[Diagnostic]:
    known = list(error.schema.get("properties", {}))
    diagnostics = []
    for key in error.instance:
        if key in known or any(re.search(p, str(key)) for p in error.schema.get("patternProperties", {})):
            continue
        close = difflib.get_close_matches(str(key), known, 1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(known)}"
        diagnostics.append(schema_diagnostic(f"unknown key '{key}'", (*path, key), positions, hint, key=True))
    return diagnostics


def _json_path(path: JsonPath) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def _hint(error: ValidationError) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = next((key for key in error.validator_value if key not in error.instance), "")
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
