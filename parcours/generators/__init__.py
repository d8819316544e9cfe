"""The page generators shipped with parcours (`parcours.pages` entry points, see parcours.pages): a
pathway of recommended routes and a catalogue of existing trainings, plus what they share.

Their data is checked against `schemas/generators/<TYPE>.schema.json` and then by their own rules;
pages are labelled in the course's language (French unless it is English).
"""
from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any
from urllib.parse import urlsplit

from jsonschema.exceptions import ValidationError

from parcours.validate.schema import validator

Problem = tuple[tuple, str, str | None]  # (JSON path in the data, message, hint), as parcours.pages expects


def schema_problems(generator_type: str, data: Any) -> list[Problem]:
    """Every violation of the generator's schema, each at the value (or the unknown key) concerned."""
    problems: list[Problem] = []
    for error in validator(f"generators/{generator_type}").iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = sorted(error.schema.get("properties", {}))
            problems += [((*path, key), f"unknown key '{key}'", f"allowed keys: {', '.join(known)}")
                         for key in error.instance if key not in known]
        else:
            problems.append((path, error.message, _hint(error)))
    return problems


def _hint(error: ValidationError) -> str | None:
    """The schema's description of what was expected (of the missing key, for a `required` error)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = next((key for key in error.validator_value if key not in error.instance), "")
        about = schema.get("properties", {}).get(missing, {}).get("description")
        return f"add `{missing}:`" + (f" — {about}" if about else "")
    return schema.get("description")


def is_web_address(url: str) -> bool:
    """An https address with a host name that has a domain (`https://exemple.quebec/...`)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme == "https" and "." in host.strip(".") and not any(char.isspace() for char in url)


def paragraphs(text: str) -> Iterator[str]:
    """Plain text as HTML: escaped, one <p> per block of lines separated by a blank line."""
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            yield f"<p>{escape(' '.join(paragraph.split()))}</p>"
