"""Page generator `pathway`: the recommended routes through the course, one per audience.

Each route lists module ids in the order to follow them; `prerequisites` says which modules should
come before which. The page shows a map of the routes (an SVG drawn at build time, with its text
alternative right below it), each route as an ordered list with its duration (the sum of its modules'
`duration_minutes`), and a table of modules by audience.
"""
from __future__ import annotations

import difflib
import hashlib
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from html import escape
from typing import Any

from parcours.generators import Problem, paragraphs, schema_problems
from parcours.i18n import _
from parcours.labels import audience_label, labels_for
from parcours.model.nodes import Asset, Chapter, Course
from parcours.pages import GeneratedPage

TYPE = "pathway"
NBSP = "\u00a0"

_LABELS = {
    "fr": {
        "map": "Carte des parcours", "text_alternative": "Description textuelle de la carte",
        "map_alt": f"Carte des parcours recommandés{NBSP}: {{count}} parcours, un par ligne, chacun avec ses "
                   "modules dans l'ordre; la description textuelle suit la figure.",
        "routes": "Parcours par public", "duration": "Durée totale", "step": "module", "steps": "modules",
        "prerequisites": "Préalables", "outside": "hors de ce parcours", "then": ", puis ",
        "summary": "Récapitulatif", "module": "Module", "colon": f"{NBSP}: ",
        "caption": f"Modules recommandés par public{NBSP}: le nombre donne l'ordre du module dans le parcours, "
                   "le tiret indique qu'il n'en fait pas partie.",
    },
    "en": {
        "map": "Pathway map", "text_alternative": "Text description of the map",
        "map_alt": "Map of the recommended routes: {count} routes, one per row, each with its modules in order; "
                   "the text description follows the figure.",
        "routes": "Routes by audience", "duration": "Total duration", "step": "module", "steps": "modules",
        "prerequisites": "Prerequisites", "outside": "outside this route", "then": ", then ",
        "summary": "Summary", "module": "Module", "colon": ": ",
        "caption": "Recommended modules by audience: the number is the module's place in the route, a dash "
                   "means it is not part of it.",
    },
}


@dataclass(frozen=True)
class _Route:
    label: str
    modules: tuple[Chapter, ...]
    notes: str

    @property
    def minutes(self) -> int:
        return sum(module.duration_minutes for module in self.modules)


def validate(data: Any) -> list[Problem]:
    """The schema, then the rules that need no course: one route per audience, no prerequisite cycle."""
    problems = schema_problems(TYPE, data)
    if problems:
        return problems
    seen: set[str] = set()
    for index, route in enumerate(data["routes"]):
        if route["audience"] in seen:
            problems.append((("routes", index, "audience"), _("a second route for '{audience}'").format(
                audience=route["audience"]), _("give each audience one route; merge the two")))
        seen.add(route["audience"])
    return problems + _cycle_problems(data.get("prerequisites", {}))


def _cycle_problems(prerequisites: Mapping[str, Sequence[str]]) -> list[Problem]:
    try:
        TopologicalSorter(prerequisites).prepare()
    except CycleError as error:
        cycle = error.args[1]
        return [(("prerequisites", cycle[0]),
                 _("the prerequisites form a cycle: {cycle}").format(cycle=" → ".join(cycle)),
                 _("a module cannot, even indirectly, be its own prerequisite"))]
    return []


def render(data: Mapping[str, Any], course: Course) -> GeneratedPage:
    """The pathway page and its map, or the problems that only the whole course reveals."""
    chapters = {chapter.id: chapter for chapter in course.chapters}
    problems = _reference_problems(data, chapters)
    if problems:
        return GeneratedPage("", problems=problems)
    labels = labels_for(_LABELS, course.language)
    routes = [_Route(route.get("title") or audience_label(route["audience"], course.language),
                     tuple(chapters[module_id] for module_id in route["modules"]), route.get("notes", ""))
              for route in data["routes"]]
    prerequisites = {module_id: tuple(chapters[required] for required in required_ids)
                     for module_id, required_ids in data.get("prerequisites", {}).items()}
    summaries = [_route_sentence(route, labels) for route in routes]
    svg, width, height = pathway_svg(data["title"], routes, " ".join(summaries), course.language)
    asset = Asset(f"pathway-map-{hashlib.sha256(svg).hexdigest()[:12]}.svg", data=svg)
    image = (f'<img src="/static/{asset.name}" width="{width}" height="{height}" '
             f'alt="{escape(labels["map_alt"].format(count=len(routes)))}">')
    parts = [
        '<div class="parcours-pathway">',
        *paragraphs(data.get("introduction", "")),
        f'<h3>{escape(labels["map"])}</h3>',
        f'<figure class="parcours-pathway-map">{image}<figcaption>{escape(data["title"])}</figcaption></figure>',
        f'<h4>{escape(labels["text_alternative"])}</h4>',
        "<ul>", *(f"<li>{escape(summary)}</li>" for summary in summaries), "</ul>",
        f'<h3>{escape(labels["routes"])}</h3>',
        *(line for route in routes for line in _route_section(route, prerequisites, labels)),
        f'<h3>{escape(labels["summary"])}</h3>',
        *_summary_table(routes, course, labels),
        "</div>",
    ]
    return GeneratedPage("\n".join(parts) + "\n", assets=(asset,))


def _reference_problems(data: Mapping[str, Any], chapters: Mapping[str, Chapter]) -> list[Problem]:
    """Module ids that are not modules of the course, and routes that put a module before its prerequisite."""
    prerequisites = data.get("prerequisites", {})
    problems = [_unknown_module(module_id, ("routes", index, "modules", step), chapters)
                for index, route in enumerate(data["routes"]) for step, module_id in enumerate(route["modules"])]
    problems += [_unknown_module(module_id, ("prerequisites", module_id), chapters) for module_id in prerequisites]
    problems += [_unknown_module(required, ("prerequisites", module_id, position), chapters)
                 for module_id, required_ids in prerequisites.items()
                 for position, required in enumerate(required_ids)]
    for index, route in enumerate(data["routes"]):
        place = {module_id: step for step, module_id in enumerate(route["modules"])}
        problems += [(("routes", index, "modules", step),
                      _("'{module}' comes before its prerequisite '{required}'").format(module=module_id,
                                                                                         required=required),
                      _("move '{required}' before '{module}' in this route").format(required=required,
                                                                                     module=module_id))
                     for step, module_id in enumerate(route["modules"])
                     for required in prerequisites.get(module_id, ()) if place.get(required, -1) > step]
    return [problem for problem in problems if problem]


def _unknown_module(module_id: str, path: tuple, chapters: Mapping[str, Chapter]) -> Problem | None:
    if module_id in chapters:
        return None
    close = difflib.get_close_matches(module_id, list(chapters), 1)
    hint = (_("did you mean '{name}'?").format(name=close[0]) if close
            else _("the modules of this course: {modules}").format(modules=", ".join(chapters)))
    return path, _("unknown module '{module}'").format(module=module_id), hint


def format_duration(minutes: int) -> str:
    """`90` → `1 h 30 min`, with no-break spaces (the same in French and English)."""
    hours, rest = divmod(minutes, 60)
    parts = ([f"{hours}{NBSP}h"] if hours else []) + ([f"{rest}{NBSP}min"] if rest or not hours else [])
    return NBSP.join(parts)


def _route_sentence(route: _Route, labels: Mapping[str, str]) -> str:
    """The route in words, for the text alternative: « Gestionnaires (1 h) : A, puis B. »"""
    order = labels["then"].join(module.title for module in route.modules)
    return f"{route.label} ({format_duration(route.minutes)}){labels['colon']}{order}."


def _route_section(route: _Route, prerequisites: Mapping[str, Sequence[Chapter]], labels: Mapping[str, str]):
    yield f"<h4>{escape(route.label)}</h4>"
    yield (f"<p>{escape(labels['duration'])}{escape(labels['colon'])}{format_duration(route.minutes)} "
           f"({len(route.modules)} {escape(labels['step' if len(route.modules) == 1 else 'steps'])})</p>")
    yield "<ol>"
    for module in route.modules:
        required = [escape(other.title) + ("" if other in route.modules else f" ({escape(labels['outside'])})")
                    for other in prerequisites.get(module.id, ())]
        extra = f" — {escape(labels['prerequisites'] + labels['colon'])}{', '.join(required)}" if required else ""
        yield (f'<li><a href="/jump_to_id/{escape(module.id)}">{escape(module.title)}</a> '
               f"({format_duration(module.duration_minutes)}){extra}</li>")
    yield "</ol>"
    yield from paragraphs(route.notes)


def _summary_table(routes: Sequence[_Route], course: Course, labels: Mapping[str, str]):
    """Modules (rows, in course order) by route (columns): the step number, or a dash."""
    used = [chapter for chapter in course.chapters if any(chapter in route.modules for route in routes)]
    yield f"<table><caption>{escape(labels['caption'])}</caption>"
    yield ("<thead><tr>" + f'<th scope="col">{escape(labels["module"])}</th>'
           + "".join(f'<th scope="col">{escape(route.label)}</th>' for route in routes) + "</tr></thead>")
    yield "<tbody>"
    for chapter in used:
        cells = "".join(f"<td>{route.modules.index(chapter) + 1 if chapter in route.modules else '—'}</td>"
                        for route in routes)
        yield f'<tr><th scope="row">{escape(chapter.title)}</th>{cells}</tr>'
    totals = "".join(f"<td>{format_duration(route.minutes)}</td>" for route in routes)
    yield f'<tr><th scope="row">{escape(labels["duration"])}</th>{totals}</tr>'
    yield "</tbody></table>"


# The map: rows are routes, boxes are modules in order. Sizes in pixels; text is wrapped by a character
# count (no font metrics at build time), which the generic sans-serif font keeps within the boxes.
_MARGIN, _HEADER, _ROW, _LABEL_WIDTH = 16, 44, 100, 190
_BOX_WIDTH, _BOX_HEIGHT, _GAP, _LINE = 156, 76, 32, 15
_BOX_CHARS, _LABEL_CHARS, _MAX_LINES = 21, 22, 3
_INK, _MUTED, _ACCENT, _FILL, _STRIPE = "#1b1b1b", "#454545", "#1f4e8c", "#eef3fb", "#f6f7f9"


def pathway_svg(title: str, routes: Sequence[_Route], description: str, language: str) -> tuple[bytes, int, int]:
    """The map as SVG bytes (identical for identical data), with its width and height."""
    longest = max(len(route.modules) for route in routes)
    width = 2 * _MARGIN + _LABEL_WIDTH + longest * (_BOX_WIDTH + _GAP) - _GAP
    height = _HEADER + len(routes) * _ROW + _MARGIN
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "width": str(width), "height": str(height),
        "viewBox": f"0 0 {width} {height}", "role": "img", "aria-labelledby": "map-title map-desc",
        "lang": language, "font-family": "sans-serif", "font-size": "12", "fill": _INK,
    })
    ET.SubElement(svg, "title", id="map-title").text = title
    ET.SubElement(svg, "desc", id="map-desc").text = description
    _arrow_marker(svg)
    ET.SubElement(svg, "rect", width=str(width), height=str(height), fill="#ffffff")
    _text(svg, _MARGIN, 28, [textwrap.shorten(title, (width - 2 * _MARGIN) // 9, placeholder=" …")], size=16, bold=True)
    for row, route in enumerate(routes):
        _route_row(svg, row, route, width)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="utf-8", xml_declaration=False) \
        + b"\n", width, height


def _arrow_marker(svg: ET.Element) -> None:
    marker = ET.SubElement(ET.SubElement(svg, "defs"), "marker", {
        "id": "arrow", "viewBox": "0 0 10 10", "refX": "9", "refY": "5", "markerWidth": "8", "markerHeight": "8",
        "orient": "auto"})
    ET.SubElement(marker, "path", d="M0 0 L10 5 L0 10 z", fill=_ACCENT)


def _route_row(svg: ET.Element, row: int, route: _Route, width: int) -> None:
    top = _HEADER + row * _ROW
    if row % 2 == 0:
        ET.SubElement(svg, "rect", x="0", y=str(top), width=str(width), height=str(_ROW), fill=_STRIPE)
    middle = top + _ROW // 2
    label = textwrap.wrap(route.label, _LABEL_CHARS, max_lines=_MAX_LINES - 1, placeholder=" …")
    _text(svg, _MARGIN, middle, label, note=format_duration(route.minutes), bold=True)
    box_top = top + (_ROW - _BOX_HEIGHT) // 2
    for step, module in enumerate(route.modules):
        left = _MARGIN + _LABEL_WIDTH + step * (_BOX_WIDTH + _GAP)
        ET.SubElement(svg, "rect", x=str(left), y=str(box_top), width=str(_BOX_WIDTH), height=str(_BOX_HEIGHT),
                      rx="6", fill=_FILL, stroke=_ACCENT, **{"stroke-width": "1.5"})
        lines = textwrap.wrap(f"{step + 1}. {module.title}", _BOX_CHARS, max_lines=_MAX_LINES, placeholder=" …")
        _text(svg, left + 8, middle, lines, note=format_duration(module.duration_minutes))
        if step + 1 < len(route.modules):
            ET.SubElement(svg, "line", x1=str(left + _BOX_WIDTH), y1=str(middle), x2=str(left + _BOX_WIDTH + _GAP - 2),
                          y2=str(middle), stroke=_ACCENT, **{"stroke-width": "1.5", "marker-end": "url(#arrow)"})


def _text(svg: ET.Element, x: int, middle: int, lines: Sequence[str], *, note: str = "", size: int = 12,
          bold: bool = False) -> None:
    """Lines of text vertically centred on `middle`, then an optional `note` line in a lighter style."""
    count = len(lines) + bool(note)
    first = middle - (count - 1) * _LINE // 2 + size // 3
    attributes = {"x": str(x), "y": str(first), "font-size": str(size)}
    if bold:
        attributes["font-weight"] = "bold"
    text = ET.SubElement(svg, "text", attributes)
    for index, line in enumerate(lines):
        ET.SubElement(text, "tspan", x=str(x), y=str(first + index * _LINE)).text = line
    if note:
        ET.SubElement(text, "tspan", {"x": str(x), "y": str(first + len(lines) * _LINE), "font-weight": "normal",
                                      "fill": _MUTED}).text = note
