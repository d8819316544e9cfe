"""OLX codec of the municipal case study (pure: lxml, stdlib and jsonschema only).

Shared by the block's ``parse_xml``/``add_xml_to_node`` and by the course compiler (entry point
``parcours.blocks``), so both write and read the same OLX. ``data`` is what an author writes in YAML,
minus ``type`` and ``id``. The OLX keeps one element per item and Markdown as element text::

    <municipal_case_study display_name="…" scoring="decisions" weight="1">
      <municipality fictional="true" population="48200"><name>…</name>…</municipality>
      <steps>
        <decision id="choix"><title>…</title><prompt>…</prompt>
          <options><option id="pilote" points="2" next="suite">…</option>…</options>
        </decision>
        …
      </steps>
    </municipal_case_study>

``from_element(to_element(data)) == data`` for every valid ``data`` (with the identity resolver).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from .validation import Problem, schema_problems, semantic_problems

__all__ = ["TAG", "Problem", "CodecError", "load_schema", "validate", "asset_refs", "to_element", "from_element"]

TAG = "municipal_case_study"


class CodecError(ValueError):
    """The element does not have the shape of a case study."""


@cache
def _schema_text() -> str:
    return resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")


def load_schema() -> dict:
    """The block's JSON Schema (draft 2020-12), a fresh copy on every call."""
    return json.loads(_schema_text())


def validate(data: Any) -> list[Problem]:
    """All schema violations; when there are none, the semantic rules (graph, lengths, levels…)."""
    problems = schema_problems(data, load_schema())
    return problems or semantic_problems(data)


def asset_refs(data: Mapping[str, Any]) -> list[tuple[tuple, str]]:
    """(path, file reference) of every figure image and downloadable file in the exhibits."""
    refs = []
    for index, exhibit in enumerate(data.get("exhibits", ())):
        key = {"figure": "image", "file": "file"}.get(exhibit.get("kind"))
        if key and key in exhibit:
            refs.append((("exhibits", index, key), exhibit[key]))
    return refs


# --- Scalars as attribute values -------------------------------------------------------------

_INTEGER = re.compile(r"-?[0-9]+")


def _number_from(text: str) -> int | float:
    return int(text) if _INTEGER.fullmatch(text) else float(text)


def _bool_from(text: str) -> bool:
    if text not in ("true", "false"):
        raise CodecError(f"expected true or false, got {text!r}")
    return text == "true"


def _scalar_to(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


_READERS: dict[str, Callable[[str], Any]] = {
    "str": str, "int": int, "float": float, "num": _number_from, "bool": _bool_from,
}


# --- Declarative shape: one description drives both directions ----------------------------------

@dataclass(frozen=True)
class Record:
    """A mapping stored as one element: scalars as attributes, the rest as child elements."""

    tag: str
    attrs: Mapping[str, str] = field(default_factory=dict)  # key → scalar kind ("str", "int", "num", "bool")
    children: Mapping[str, Any] = field(default_factory=dict)  # key → Text | Strings | Records | Record | Rows


@dataclass(frozen=True)
class Text:
    """A string stored as the text of ``<key>`` (Markdown stays Markdown)."""


@dataclass(frozen=True)
class Strings:
    """A list of strings: ``<key><item>…</item>…</key>``."""

    item: str


@dataclass(frozen=True)
class Records:
    """A list of mappings: ``<key><record/>…</key>``; with ``variants`` the tag is the discriminator's value."""

    item: Record | None = None
    discriminator: str | None = None
    variants: Mapping[str, Record] = field(default_factory=dict)


@dataclass(frozen=True)
class Rows:
    """Table rows of strings and numbers: ``<rows><row><cell type="int">4210</cell>…</row></rows>``."""


TEXT = Text()
LEVEL = Record("level", {"points": "num"}, {"label": TEXT, "description": TEXT})
CRITERION = Record(
    "criterion", {"id": "str"},
    {"label": TEXT, "description": TEXT, "expected": TEXT, "levels": Records(LEVEL)},
)
OPTION = Record(
    "option", {"id": "str", "points": "num", "next": "str"},
    {"label": TEXT, "consequence": TEXT, "feedback": TEXT},
)
STEPS = Records(discriminator="type", variants={
    "decision": Record("decision", {"id": "str", "next": "str"},
                       {"title": TEXT, "prompt": TEXT, "options": Records(OPTION)}),
    "reflection": Record("reflection", {"id": "str", "min_length": "int", "max_length": "int", "next": "str"},
                         {"title": TEXT, "prompt": TEXT, "expert_analysis": TEXT}),
    "rubric": Record("rubric", {"id": "str", "reflection": "str", "next": "str"},
                     {"title": TEXT, "prompt": TEXT, "criteria": Records(CRITERION)}),
    "debrief": Record("debrief", {"id": "str"},
                      {"title": TEXT, "body": TEXT, "key_lessons": Strings("lesson")}),
})
EXHIBITS = Records(discriminator="kind", variants={
    "table": Record("table", {}, {"caption": TEXT, "header": Strings("cell"), "rows": Rows(), "note": TEXT}),
    "figure": Record("figure", {"image": "str"}, {"caption": TEXT, "alt": TEXT, "description": TEXT}),
    "file": Record("file", {"file": "str"}, {"title": TEXT, "description": TEXT}),
})
REFERENCE = Record("reference", {"url": "str", "consulted": "str"}, {"title": TEXT, "publisher": TEXT, "note": TEXT})
MUNICIPALITY = Record(
    "municipality", {"fictional": "bool", "population": "int"},
    {"name": TEXT, "region": TEXT, "services": Strings("service"), "context": TEXT},
)
# The root: settings are attributes of the block element, as the platform's own fields would be.
ROOT = Record(TAG, {}, {
    "municipality": MUNICIPALITY,
    "introduction": TEXT,
    "sections": Records(Record("section", {}, {"title": TEXT, "body": TEXT})),
    "stakeholders": Records(Record("stakeholder", {}, {"name": TEXT, "role": TEXT, "interests": Strings("interest")})),
    "exhibits": EXHIBITS,
    "sources": Records(REFERENCE),
    "further_reading": Records(REFERENCE),
    "steps": STEPS,
})
SETTINGS = {"allow_reset": "bool", "scoring": "str", "weight": "num"}
# Root attributes the codec owns; any other one belongs to the runtime (url_name, due…).
ROOT_ATTRIBUTES = frozenset({"display_name", *SETTINGS})


# --- data → element -------------------------------------------------------------------------------

def to_element(data: Mapping[str, Any], resolve_asset: Callable[[str], str] = lambda ref: ref) -> etree._Element:
    """The OLX element of a case (root tag TAG, no url_name: the caller adds it).

    ``resolve_asset`` maps each figure image / downloadable file reference to its published URL.
    """
    data = _resolved(data, resolve_asset)
    root = _record_to(ROOT, {key: value for key, value in data.items() if key in ROOT.children})
    if "title" in data:
        root.set("display_name", data["title"])
    for key, value in data.get("settings", {}).items():
        root.set(key, _scalar_to(value))
    return root


def _resolved(data: Mapping[str, Any], resolve_asset: Callable[[str], str]) -> Mapping[str, Any]:
    refs = asset_refs(data)
    if not refs:
        return data
    exhibits = [dict(exhibit) for exhibit in data["exhibits"]]
    for (_, index, key), ref in refs:
        exhibits[index][key] = resolve_asset(ref)
    return {**data, "exhibits": exhibits}


def _record_to(spec: Record, value: Mapping[str, Any]) -> etree._Element:
    element = etree.Element(spec.tag)
    for key in spec.attrs:
        if key in value:
            element.set(key, _scalar_to(value[key]))
    for key, child in spec.children.items():
        if key in value:
            element.append(_child_to(key, child, value[key]))
    return element


def _child_to(key: str, spec: Any, value: Any) -> etree._Element:
    if isinstance(spec, Record):
        return _record_to(spec, value)
    element = etree.Element(key)
    if isinstance(spec, Text):
        element.text = value
    elif isinstance(spec, Strings):
        for item in value:
            etree.SubElement(element, spec.item).text = item
    elif isinstance(spec, Records):
        for item in value:
            if spec.discriminator:
                variant = spec.variants[item[spec.discriminator]]
                element.append(_record_to(variant, item))
            else:
                element.append(_record_to(spec.item, item))
    elif isinstance(spec, Rows):
        for row in value:
            row_element = etree.SubElement(element, "row")
            for cell in row:
                cell_element = etree.SubElement(row_element, "cell")
                cell_element.text = _scalar_to(cell)
                if not isinstance(cell, str):
                    cell_element.set("type", "int" if isinstance(cell, int) else "float")
    return element


# --- element → data -------------------------------------------------------------------------------

def from_element(element: etree._Element) -> dict:
    """The case data of an OLX element: the exact inverse of ``to_element``.

    Raises CodecError for an element, attribute or value that does not belong to the format, so a
    misspelt hand-written OLX fails loudly instead of losing content.
    """
    if element.tag != TAG:
        raise CodecError(f"expected <{TAG}>, got <{element.tag}>")
    data = _record_from(ROOT, element, path=TAG, skip_attributes=True)
    if "display_name" in element.attrib:
        data["title"] = element.get("display_name")
    settings = {key: _read(kind, element.get(key), f"{TAG}@{key}") for key, kind in SETTINGS.items()
                if key in element.attrib}
    if settings:
        data["settings"] = settings
    return data


def _read(kind: str, text: str, where: str) -> Any:
    try:
        return _READERS[kind](text)
    except ValueError as error:
        raise CodecError(f"{where}: {error}") from None


def _elements(element: etree._Element):
    """Child elements, skipping comments and processing instructions."""
    return (child for child in element if isinstance(child.tag, str))


def _record_from(spec: Record, element: etree._Element, path: str, skip_attributes: bool = False) -> dict:
    value: dict[str, Any] = {}
    for name, text in element.attrib.items():
        if name in spec.attrs:
            value[name] = _read(spec.attrs[name], text, f"{path}@{name}")
        elif not skip_attributes:
            raise CodecError(f"{path}: unexpected attribute {name!r}")
    for child in _elements(element):
        key = child.tag
        where = f"{path}/{key}"
        if key not in spec.children:
            raise CodecError(f"{path}: unexpected element <{key}>")
        if key in value:
            raise CodecError(f"{where}: repeated element")
        value[key] = _child_from(spec.children[key], child, where)
    _no_text_between(element, path)
    return value


def _child_from(spec: Any, element: etree._Element, path: str) -> Any:
    if isinstance(spec, Record):
        return _record_from(spec, element, path)
    if element.attrib and not isinstance(spec, Rows):
        raise CodecError(f"{path}: unexpected attribute {next(iter(element.attrib))!r}")
    if isinstance(spec, Text):
        return _text_of(element, path)
    if isinstance(spec, Strings):
        return [_text_of(item, f"{path}/{spec.item}") for item in _items(element, {spec.item}, path)]
    if isinstance(spec, Records):
        if spec.discriminator:
            return [
                {spec.discriminator: item.tag, **_record_from(spec.variants[item.tag], item, f"{path}/{item.tag}")}
                for item in _items(element, set(spec.variants), path)
            ]
        return [_record_from(spec.item, item, f"{path}/{spec.item.tag}")
                for item in _items(element, {spec.item.tag}, path)]
    return [[_cell_from(cell, f"{path}/row/cell") for cell in _items(row, {"cell"}, f"{path}/row")]
            for row in _items(element, {"row"}, path)]


def _items(element: etree._Element, tags: set[str], path: str):
    _no_text_between(element, path)
    items = list(_elements(element))
    for item in items:
        if item.tag not in tags:
            raise CodecError(f"{path}: unexpected element <{item.tag}>, expected " + " or ".join(
                f"<{tag}>" for tag in sorted(tags)))
    return items


def _no_text_between(element: etree._Element, path: str) -> None:
    """Containers hold elements only; stray text would otherwise vanish silently."""
    stray = [element.text] + [child.tail for child in element]
    if any(text and text.strip() for text in stray):
        raise CodecError(f"{path}: unexpected text between elements")


def _text_of(element: etree._Element, path: str) -> str:
    if any(True for _ in _elements(element)):
        raise CodecError(f"{path}: expected text only; write Markdown, not markup elements")
    return "".join(element.itertext())


def _cell_from(element: etree._Element, path: str) -> str | int | float:
    kind = element.get("type")
    if set(element.attrib) - {"type"} or kind not in (None, "int", "float"):
        raise CodecError(f"{path}: unexpected attributes {dict(element.attrib)!r}")
    text = _text_of(element, path)
    return text if kind is None else _read(kind, text, path)
