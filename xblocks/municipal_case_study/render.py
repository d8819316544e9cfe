"""Server-side HTML of the block (pure): built as an lxml tree, so every learner- or author-supplied
string is escaped by construction, and author Markdown arrives already sanitised (markup.py).

Only public case content is rendered here; the steps are drawn by the JavaScript from the learner
view (progress.learner_view), which holds nothing unearned. Ids all start with the instance prefix.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lxml import html as lxml_html
from lxml.html import builder as E

from .i18n import format_integer

Translate = Callable[[str], str]
Render = Callable[[str], str]


def _markup(html: str, css_class: str) -> lxml_html.HtmlElement:
    """A <div> holding already-sanitised HTML."""
    container = E.DIV(E.CLASS(css_class))
    for part in lxml_html.fragments_fromstring(html) if html.strip() else ():
        if isinstance(part, str):
            container.text = (container.text or "") + part
        else:
            container.append(part)
    return container


def _section(prefix: str, name: str, heading: str, *content) -> lxml_html.HtmlElement:
    """A part of the case under its heading. Not a landmark: two instances of one case on a page
    would repeat landmark names."""
    return E.DIV({"class": f"mcs-part mcs-{name}"}, E.H3({"id": f"{prefix}-{name}"}, heading), *content)


def to_string(element) -> str:
    return lxml_html.tostring(element, encoding="unicode")


def case_html(data: Mapping[str, Any], prefix: str, t: Translate, language: str, render: Render,
              view_json: str, staff_panel=None) -> str:
    """The public part of the case plus the region the JavaScript fills with the steps.

    The learner view travels as an attribute value, which lxml escapes, rather than in the runtime's
    init-args script element, which some runtimes fill with unescaped JSON (a learner's
    "</script>" would end it).
    """
    town = data["municipality"]
    root = E.DIV({"class": "mcs-case", "id": prefix})
    root.append(E.H2({"id": f"{prefix}-title", "class": "mcs-title"}, data["title"]))
    root.append(_profile(town, prefix, t, language, render))
    if "introduction" in data:
        root.append(_markup(render(data["introduction"]), "mcs-introduction"))
    for number, section in enumerate(data.get("sections", ()), start=1):
        root.append(_section(prefix, f"section-{number}", section["title"], _markup(render(section["body"]), "mcs-md")))
    if data.get("stakeholders"):
        root.append(_section(prefix, "stakeholders", t("stakeholders"), _stakeholders(data["stakeholders"], t)))
    if data.get("exhibits"):
        exhibits = [_exhibit(exhibit, prefix, number, t, render)
                    for number, exhibit in enumerate(data["exhibits"], start=1)]
        root.append(_section(prefix, "exhibits", t("exhibits"), *exhibits))
    root.append(_section(
        prefix, "steps", t("steps_region"),
        E.DIV({"class": "mcs-app", "id": f"{prefix}-app", "data-view": view_json}),
        E.NOSCRIPT(E.P(t("noscript"))),
    ))
    for key in ("sources", "further_reading"):
        if data.get(key):
            root.append(_section(prefix, key.replace("_", "-"), t(key), _references(data[key], t)))
    if staff_panel is not None:
        root.append(staff_panel)
    return to_string(root)


def _profile(town, prefix, t, language, render):
    facts = E.DL(
        E.DT(t("region")), E.DD(town["region"]),
        E.DT(t("population")), E.DD(format_integer(town["population"], language)),
    )
    if town.get("services"):
        facts.append(E.DT(t("services")))
        facts.append(E.DD(E.UL(*[E.LI(service) for service in town["services"]])))
    name = E.P({"class": "mcs-town"}, E.STRONG(town["name"]))
    if town["fictional"]:
        # Said in words, not only by styling: the case must never pass for a real town.
        name.append(E.SPAN({"class": "mcs-badge"}, t("fictional")))
    parts = [name, facts]
    if "context" in town:
        parts += [E.H4(t("context")), _markup(render(town["context"]), "mcs-md")]
    return _section(prefix, "profile", t("profile"), *parts)


def _stakeholders(stakeholders, t):
    items = []
    for person in stakeholders:
        item = E.LI(E.P(E.STRONG(person["name"])))
        if "role" in person:
            item.append(E.P({"class": "mcs-role"}, person["role"]))
        item.append(E.P(t("interests")))
        item.append(E.UL(*[E.LI(interest) for interest in person["interests"]]))
        items.append(item)
    return E.UL({"class": "mcs-stakeholders-list"}, *items)


def _exhibit(exhibit, prefix, number, t, render):
    kind = exhibit["kind"]
    if kind == "table":
        table = E.TABLE(
            {"class": "mcs-table"},
            E.CAPTION(exhibit["caption"]),
            E.THEAD(E.TR(*[E.TH({"scope": "col"}, label) for label in exhibit["header"]])),
            E.TBODY(*[E.TR(*[E.TD(str(cell)) for cell in row]) for row in exhibit["rows"]]),
        )
        block = E.DIV({"class": "mcs-exhibit", "id": f"{prefix}-exhibit-{number}"},
                      E.DIV({"class": "mcs-scroll"}, table))
        if "note" in exhibit:
            block.append(_markup(render(exhibit["note"]), "mcs-note"))
        return block
    if kind == "figure":
        figure = E.FIGURE(
            {"class": "mcs-exhibit", "id": f"{prefix}-exhibit-{number}"},
            E.IMG({"src": exhibit["image"], "alt": exhibit["alt"]}),
            E.FIGCAPTION(exhibit["caption"]),
        )
        if "description" in exhibit:
            details = _markup(render(exhibit["description"]), "mcs-md")
            figure.append(E.DETAILS(E.SUMMARY(t("long_description")), details))
        return figure
    link = E.A({"href": exhibit["file"], "download": ""}, t("download").format(title=exhibit["title"]))
    block = E.P({"class": "mcs-exhibit mcs-file", "id": f"{prefix}-exhibit-{number}"}, link)
    if "description" in exhibit:
        block.append(E.BR())
        block.append(E.SPAN(exhibit["description"]))
    return block


def _references(references, t):
    items = []
    for ref in references:
        item = E.LI(E.A({"href": ref["url"], "rel": "noopener noreferrer"}, ref["title"]))
        details = [ref[key] for key in ("publisher", "note") if key in ref]
        details.append(t("consulted").format(date=ref["consulted"]))
        item.append(E.SPAN(", " + ", ".join(details)))
        items.append(item)
    return E.UL({"class": "mcs-references"}, *items)


def staff_panel(prefix: str, tables: Mapping[str, list], completions: int, csv_url: str, t: Translate):
    """Aggregated, anonymous counts with a CSV link (staff only)."""
    section = _section(prefix, "staff", t("title"), E.P(t("explain")),
                       E.P(t("completions").format(count=completions)))
    for table in tables["decisions"]:
        section.append(_count_table(t("decisions_caption").format(step=table["step"]["title"]), t("option"),
                                    table["rows"], t))
    for table in tables["ratings"]:
        caption = t("ratings_caption").format(criterion=table["criterion"]["label"], step=table["step"]["title"])
        section.append(_count_table(caption, t("level"), table["rows"], t))
    section.append(E.P(E.A({"href": csv_url, "download": ""}, t("csv"))))
    return section


def _count_table(caption, item_heading, rows, t):
    return E.TABLE(
        {"class": "mcs-table"},
        E.CAPTION(caption),
        E.THEAD(E.TR(E.TH({"scope": "col"}, item_heading), E.TH({"scope": "col"}, t("count")))),
        E.TBODY(*[E.TR(E.TH({"scope": "row"}, label), E.TD(str(count))) for label, count in rows]),
    )


def studio_html(prefix: str, source: str, t: Translate) -> str:
    """The Studio editor: the case as YAML in one labelled textarea, with a problem list."""
    form = E.FORM(
        {"class": "mcs-studio", "id": prefix, "novalidate": ""},
        E.LABEL({"for": f"{prefix}-source"}, t("label")),
        E.P({"id": f"{prefix}-help", "class": "mcs-help"}, t("help")),
        E.TEXTAREA({"id": f"{prefix}-source", "name": "source", "rows": "30", "spellcheck": "false",
                    "aria-describedby": f"{prefix}-help {prefix}-status"}, source),
        E.DIV({"id": f"{prefix}-status", "class": "mcs-studio-status", "role": "status"}),
        E.DIV({"class": "mcs-actions"},
              E.BUTTON({"type": "submit", "class": "mcs-button"}, t("save")),
              E.BUTTON({"type": "button", "class": "mcs-button mcs-secondary", "data-role": "cancel"}, t("cancel"))),
    )
    return to_string(form)
