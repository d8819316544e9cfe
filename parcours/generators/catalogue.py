"""Page generator `training_catalogue`: the map of existing trainings, as a resources page.

Each entry says who offers a training, to whom, in what format and languages, how long it lasts, what
it costs (free, an amount, or « non précisé » when the author could not confirm it), where it is
described and when that address was consulted. Entries are grouped by provider or by kind, groups
in the order of their first entry, each entry as a definition list under a heading that links to it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from parcours.generators import Problem, is_web_address, paragraphs, schema_problems
from parcours.i18n import _
from parcours.labels import labels_for
from parcours.model.nodes import Course
from parcours.pages import GeneratedPage

TYPE = "training_catalogue"
NBSP, NNBSP = "\u00a0", "\u202f"

_LABELS = {
    "fr": {
        "provider": "Organisme", "kind": "Type", "audiences": "Public", "format": "Format", "languages": "Langues",
        "length": "Durée", "cost": "Coût", "consulted": "Consulté le", "notes": "Remarques",
        "free": "Gratuit", "not_stated": "Non précisé", "count": f"Formations répertoriées{NBSP}: {{count}}.",
        "online": "En ligne", "in_person": "En présentiel", "hybrid": "Hybride",
        "mooc": "Cours en ligne ouverts (MOOC)", "continuing_education": "Formation continue universitaire",
        "public_programme": "Programmes publics", "workshop": "Ateliers et activités",
        "resource": "Ressources d'autoformation",
        "fr": "français", "en": "anglais", "es": "espagnol",
    },
    "en": {
        "provider": "Provider", "kind": "Kind", "audiences": "Audience", "format": "Format", "languages": "Languages",
        "length": "Length", "cost": "Cost", "consulted": "Consulted", "notes": "Notes",
        "free": "Free", "not_stated": "Not stated", "count": "Trainings listed: {count}.",
        "online": "Online", "in_person": "In person", "hybrid": "Hybrid",
        "mooc": "Massive open online courses (MOOCs)", "continuing_education": "University continuing education",
        "public_programme": "Public-sector programmes", "workshop": "Workshops and events",
        "resource": "Self-study resources",
        "fr": "French", "en": "English", "es": "Spanish",
    },
}


def validate(data: Any) -> list[Problem]:
    """The schema, then: https addresses with a real host, a kind on every entry when grouping by kind,
    no training listed twice."""
    problems = schema_problems(TYPE, data)
    if problems:
        return problems
    by_kind = data.get("group_by") == "kind"
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(data["entries"]):
        if not is_web_address(entry["url"]):
            problems.append((("entries", index, "url"),
                             _("'{url}' is not a well-formed https address").format(url=entry["url"]),
                             _("write the full address, as in https://www.exemple.quebec/formation")))
        if by_kind and "kind" not in entry:
            problems.append((("entries", index), _("this entry has no `kind`, and the catalogue is grouped by kind"),
                             _("add `kind:` (mooc, continuing_education, public_programme, workshop or resource)")))
        key = (entry["provider"].casefold(), entry["title"].casefold())
        if key in seen:
            problems.append((("entries", index, "title"), _("'{title}' of {provider} is listed twice").format(
                title=entry["title"], provider=entry["provider"]), _("keep one entry per training")))
        seen.add(key)
    return problems


def render(data: Mapping[str, Any], course: Course) -> GeneratedPage:
    """The resources page; the data needs nothing from the rest of the course."""
    labels = labels_for(_LABELS, course.language)
    french = labels is _LABELS["fr"]
    group_field = data.get("group_by", "provider")
    parts = ['<div class="parcours-catalogue">', *paragraphs(data.get("introduction", "")),
             f"<p>{escape(labels['count'].format(count=len(data['entries'])))}</p>"]
    for group, entries in _groups(data["entries"], group_field):
        heading = labels[group] if group_field == "kind" else group
        parts.append(f"<h3>{escape(heading)}</h3>")
        for entry in entries:
            parts += _entry(entry, group_field, labels, french)
    parts.append("</div>")
    return GeneratedPage("\n".join(parts) + "\n")


def _groups(entries: Sequence[Mapping[str, Any]], field: str) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Entries grouped by the value of `field`, groups in the order of their first entry."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(entry[field], []).append(entry)
    return list(groups.items())


def _entry(entry: Mapping[str, Any], group_field: str, labels: Mapping[str, str], french: bool) -> list[str]:
    other_field = "kind" if group_field == "provider" else "provider"
    rows = [
        (other_field, labels.get(entry[other_field], entry[other_field]) if other_field in entry else None),
        ("audiences", ", ".join(entry.get("audiences", ())) or labels["not_stated"]),
        ("format", labels[entry["format"]] if "format" in entry else labels["not_stated"]),
        ("languages", ", ".join(labels.get(code, code) for code in entry.get("languages", ())) or labels["not_stated"]),
        ("length", entry.get("length") or labels["not_stated"]),
        ("cost", _cost(entry.get("cost"), labels, french)),
        ("consulted", entry["consulted"]),
        ("notes", entry.get("notes")),
    ]
    items = "".join(f"<dt>{escape(labels[name])}</dt><dd>{escape(value)}</dd>" for name, value in rows if value)
    return [f'<h4><a href="{escape(entry["url"])}">{escape(entry["title"])}</a></h4>', f"<dl>{items}</dl>"]


def _cost(cost: Any, labels: Mapping[str, str], french: bool) -> str:
    if cost is None:
        return labels["not_stated"]
    if cost == "free":
        return labels["free"]
    amount = f"{cost['amount']:,.2f}".removesuffix(".00")
    if french:  # 1 234,50 CAD: narrow no-break space between thousands, decimal comma
        amount = amount.replace(",", NNBSP).replace(".", ",")
    text = f"{amount}{NBSP}{cost['currency']}" if french else f"{cost['currency']}{NBSP}{amount}"
    return f"{text} ({cost['note']})" if cost.get("note") else text
