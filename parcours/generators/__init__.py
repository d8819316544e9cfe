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

from parcours.validate import schema as validation

Problem = tuple[tuple, str, str | None]  # (JSON path in the data, message, hint), as parcours.pages expects


def schema_problems(generator_type: str, data: Any) -> list[Problem]:
    """Every violation of the generator's schema, each at the value (or the unknown key) concerned."""
    return [(path, message, hint) for path, message, hint, _ in
            validation.schema_problems(validation.validator(f"generators/{generator_type}"), data)]


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
