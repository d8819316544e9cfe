"""Pure OLX codec of the self-assessment quiz: authored data <-> the block's XML element.

Used by the block's `parse_xml`/`add_xml_to_node` and by the course compiler (entry point
`parcours.blocks`), so both agree by construction. lxml + stdlib + jsonschema only.

`data` is what an author writes in YAML, less `type` and `id`. The element keeps it
readable: scalars are attributes, Markdown is element text, lists are child elements.

    <self_assessment_quiz display_name="…" max_attempts="2">
      <intro>Markdown…</intro>
      <dimension id="donnees" label="Données">
        <band min="0" max="49" label="À consolider">
          <feedback>Markdown…</feedback>
          <recommendation module="m02" title="Module 2"/>
        </band>
      </dimension>
      <question id="q1" type="single" dimension="donnees">
        <prompt>Markdown…</prompt>
        <choice id="a" correct="true"><text>…</text><feedback>…</feedback></choice>
        <explanation>Markdown…</explanation>
      </question>
    </self_assessment_quiz>

The mapping is declared once (`ROOT` below) and read in both directions, so the
inverse holds for every key: `from_element(to_element(d)) == d`. `from_element` also
returns keys in the declared order, which the Studio editor relies on for readable YAML.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from importlib import resources

from lxml import etree

from .validation import Problem, validate_data

TAG = "self_assessment_quiz"
SCHEMA_FILE = "schema.json"

__all__ = ["TAG", "Problem", "asset_refs", "from_element", "load_schema", "to_element", "validate"]


@dataclass(frozen=True)
class Attr:
    """A scalar stored as an XML attribute."""

    key: str
    kind: str = "str"  # str | int | number | bool
    xml_name: str | None = None

    @property
    def name(self) -> str:
        return self.xml_name or self.key


@dataclass(frozen=True)
class Text:
    """A (Markdown) string stored as the text of a child element named like the key."""

    key: str


@dataclass(frozen=True)
class Children:
    """A list of objects, one child element each, optionally inside a wrapper element."""

    key: str
    tag: str
    fields: tuple
    wrapper: str | None = None


@dataclass(frozen=True)
class Child:
    """One nested object stored as a child element."""

    key: str
    tag: str
    fields: tuple


SCALE_POINT = (Attr("value", "int"), Attr("label"))
RECOMMENDATION = (Attr("module"), Attr("url"), Attr("title"))
BAND = (
    Attr("min", "int"), Attr("max", "int"), Attr("label"),
    Text("feedback"), Children("recommendations", "recommendation", RECOMMENDATION),
)
DIMENSION = (Attr("id"), Attr("label"), Text("description"), Children("bands", "band", BAND))
CHOICE = (Attr("id"), Text("text"), Attr("correct", "bool"), Text("feedback"))
IMAGE = (Attr("src"), Attr("alt"))
QUESTION = (
    Attr("id"), Attr("type"), Attr("dimension"), Attr("points", "number"),
    Text("prompt"), Child("image", "image", IMAGE), Children("choices", "choice", CHOICE),
    Attr("answer", "bool"), Text("feedback_true"), Text("feedback_false"),
    Children("scale", "point", SCALE_POINT, wrapper="scale"), Text("explanation"),
)
ROOT = (
    Attr("title", xml_name="display_name"), Attr("language"),
    Attr("weight", "number"), Attr("max_attempts", "int"),
    Text("intro"), Children("scale", "point", SCALE_POINT, wrapper="scale"),
    Children("dimensions", "dimension", DIMENSION), Children("questions", "question", QUESTION),
)

_INTEGER = re.compile(r"^-?\d+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def load_schema() -> dict:
    """The block's JSON Schema (draft 2020-12), packaged beside this module."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def validate(data: dict) -> list[Problem]:
    """Every schema error, then (only if the shape is right) every semantic problem."""
    return validate_data(data, load_schema())


def asset_refs(data: dict) -> list[tuple[tuple, str]]:
    """(path, reference) of each question image that names a course file (relative path)."""
    refs = []
    for index, question in enumerate(data.get("questions", [])):
        src = question.get("image", {}).get("src", "")
        if src and not src.startswith("/") and not _SCHEME.match(src):
            refs.append((("questions", index, "image", "src"), src))
    return refs


def course_refs(data: dict) -> list[tuple[tuple, str]]:
    """(path, id) of each recommended module: the compiler checks that the course has it."""
    return [(("dimensions", d, "bands", b, "recommendations", r, "module"), recommendation["module"])
            for d, dimension in enumerate(data.get("dimensions", []))
            for b, band in enumerate(dimension.get("bands", []))
            for r, recommendation in enumerate(band.get("recommendations", []))
            if "module" in recommendation]


def to_element(data: dict, resolve_asset=lambda ref: ref) -> etree._Element:
    """The block's OLX element (no url_name: the caller adds it). `data` must be valid."""
    resolved = copy.deepcopy(data)
    for path, ref in asset_refs(data):
        _set_at(resolved, path, resolve_asset(ref))
    element = etree.Element(TAG)
    _write(element, resolved, ROOT)
    return element


def from_element(element) -> dict:
    """The authored data back from an element; the exact inverse of `to_element`.

    Unknown attributes (url_name, xblock-family) and unknown children are ignored;
    a value that does not convert (e.g. max_attempts="deux") raises ValueError.
    """
    return _read(element, ROOT)


def _write(element, data: dict, fields: tuple) -> None:
    for spec in fields:
        if spec.key not in data:
            continue
        value = data[spec.key]
        if isinstance(spec, Attr):
            element.set(spec.name, _to_text(value, spec.kind))
        elif isinstance(spec, Text):
            etree.SubElement(element, spec.key).text = value
        elif isinstance(spec, Child):
            _write(etree.SubElement(element, spec.tag), value, spec.fields)
        else:
            parent = etree.SubElement(element, spec.wrapper) if spec.wrapper else element
            for item in value:
                _write(etree.SubElement(parent, spec.tag), item, spec.fields)


def _read(element, fields: tuple) -> dict:
    data = {}
    for spec in fields:
        if isinstance(spec, Attr):
            if spec.name in element.attrib:
                data[spec.key] = _from_text(element.get(spec.name), spec.kind, spec.name)
        elif isinstance(spec, Text):
            found = _first_child(element, spec.key)
            if found is not None:
                data[spec.key] = found.text or ""
        elif isinstance(spec, Child):
            found = _first_child(element, spec.tag)
            if found is not None:
                data[spec.key] = _read(found, spec.fields)
        else:
            parent = _first_child(element, spec.wrapper) if spec.wrapper else element
            items = [] if parent is None else _children(parent, spec.tag)
            if items or (spec.wrapper and parent is not None):
                data[spec.key] = [_read(item, spec.fields) for item in items]
    return data


def _children(element, tag: str) -> list:
    # Comments and processing instructions have non-string tags.
    return [child for child in element if isinstance(child.tag, str) and child.tag == tag]


def _first_child(element, tag: str):
    found = _children(element, tag)
    return found[0] if found else None


def _to_text(value, kind: str) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if kind == "number" and isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    return str(value)


def _from_text(text: str, kind: str, name: str):
    if kind == "str":
        return text
    if kind == "bool":
        if text not in ("true", "false"):
            raise ValueError(f"attribute {name}: expected true or false, got {text!r}")
        return text == "true"
    if kind == "int" or _INTEGER.match(text.strip()):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"attribute {name}: expected an integer, got {text!r}") from None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"attribute {name}: expected a number, got {text!r}") from None


def _set_at(data, path: tuple, value) -> None:
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
