"""Stage 3: JSON Schema validation, with every error placed at its YAML line and column."""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from parcours.diagnostics import Code, Diagnostic
from parcours.i18n import N_, _, rephrased
from parcours.parse.yaml import JsonPath, Positions

_REQUIRED = re.compile(r"^'(.*)' is a required property$")  # jsonschema's message names the one key

_LONGEST_MESSAGE = 200

# jsonschema's messages for the keywords of parcours's schemas, in its own words (see rephrased()).
_JSONSCHEMA_MESSAGES = (
    N_("{value} is a required property"),
    N_("{value} is not of type {types}"),
    N_("{value} is not one of {values}"),
    N_("{value} was expected"),
    N_("{value} does not match {pattern}"),
    N_("{value} is less than the minimum of {minimum}"),
    N_("{value} is less than or equal to the minimum of {minimum}"),
    N_("{value} is greater than the maximum of {maximum}"),
    N_("{value} should be non-empty"),
    N_("{value} is too short"),
    N_("{value} is too long"),
    N_("{value} has non-unique elements"),
    N_("{value} is not a {format}"),
    N_("{value} is not valid under any of the given schemas"),
    N_("{value} is valid under each of {schemas}"),
    N_("Unevaluated properties are not allowed ({keys} was unexpected)"),
    N_("Unevaluated properties are not allowed ({keys} were unexpected)"),
)


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in the package (`parcours.schemas`), so validation never needs the network."""
    text = resources.files("parcours.schemas").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _pattern(schema_validator: Draft202012Validator, pattern: str, instance: Any,
             _schema: dict) -> Iterator[ValidationError]:
    """`pattern` as JSON Schema reads it (ECMA-262): a final `$` ends the text. Python's `$` also
    matches before a final newline, which would let `id: "intro\\n"` through as an id, and Open edX
    refuses it."""
    if schema_validator.is_type(instance, "string") and not re.search(_ecma(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _ecma(pattern: str) -> str:
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def validator(name: str) -> Draft202012Validator:
    return _Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


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
            problems.append((path, rephrased(error.message, _JSONSCHEMA_MESSAGES), _hint(error), False))
    return problems


def schema_diagnostic(message: str, path: JsonPath, positions: Positions, hint: str | None,
                      *, key: bool = False) -> Diagnostic:
    if len(message) > _LONGEST_MESSAGE:  # jsonschema quotes the whole value, however long it is
        message = message[:_LONGEST_MESSAGE - 1] + "…"
    if path:
        message = _("{message} (at {path})").format(message=message, path=_json_path(path))
    return Diagnostic(Code.SCHEMA, message, positions.locate(path, key=key), hint)


def _unexpected_keys(error: ValidationError, path: JsonPath) -> list[tuple[JsonPath, str, str, bool]]:
    known = list(error.schema.get("properties", {}))
    problems = []
    for key in error.instance:
        if key in known or any(re.search(p, str(key)) for p in error.schema.get("patternProperties", {})):
            continue
        close = difflib.get_close_matches(str(key), known, 1)
        hint = (_("did you mean '{name}'?").format(name=close[0]) if close
                else _("allowed keys: {keys}").format(keys=", ".join(known)))
        problems.append(((*path, key), _("unknown key '{key}'").format(key=key), hint, True))
    return problems


def _json_path(path: JsonPath) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def _hint(error: ValidationError) -> str | None:
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = _REQUIRED.match(error.message).group(1) if _REQUIRED.match(error.message) else ""
        about = schema.get("properties", {}).get(missing, {}).get("description", "")
        return _("add `{key}:` here").format(key=missing) + (f" — {about}" if about else "")
    if error.validator == "type" and error.validator_value == "boolean" and isinstance(error.instance, str):
        return _("write true or false")
    if error.validator == "enum":
        return _("valid values: {values}").format(values=", ".join(map(str, schema.get("enum", []))))
    if error.validator == "type" and error.validator_value in ("integer", "number"):
        return _("write a number, without quotes")
    if error.validator == "type" and error.validator_value == "string":
        return _("quote the value to keep it as text")
    if error.validator == "pattern" and "description" in schema:
        return schema["description"]
    description = schema.get("description")
    return description if isinstance(description, str) else None
