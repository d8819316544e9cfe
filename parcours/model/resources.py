"""The generated « Glossary and references » page of a module, written as Markdown from its data."""
from __future__ import annotations

from collections.abc import Sequence

from parcours.labels import labels_for
from parcours.model.nodes import GlossaryEntry, Reference

_LABELS = {
    "fr": {"title": "Glossaire et références", "glossary": "Glossaire", "references": "Références",
           "consulted": "consulté le"},
    "en": {"title": "Glossary and references", "glossary": "Glossary", "references": "References",
           "consulted": "consulted"},
}


def resources_markdown(glossary: Sequence[GlossaryEntry], references: Sequence[Reference],
                       language: str) -> tuple[str, str]:
    """(page title, Markdown body) with a definition list and a list of sources."""
    text = labels_for(_LABELS, language)
    lines: list[str] = []
    if glossary:
        lines += [f"### {text['glossary']}", ""]
        for entry in sorted(glossary, key=lambda e: e.term.casefold()):
            lines += [f"**{entry.term}**", f": {entry.definition}", ""]
    if references:
        lines += [f"### {text['references']}", ""]
        for ref in references:
            origin = ", ".join(part for part in (ref.publisher, ref.date) if part)
            origin = f" — {origin}" if origin else ""
            lines.append(f"- [{ref.title}]({ref.url}){origin} ({text['consulted']} {ref.consulted})")
        lines.append("")
    return text["title"], "\n".join(lines)
