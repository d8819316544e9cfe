"""HTML of the block: author Markdown (sanitised) and the learner's form (escaped).

Pure (markdown + nh3 + stdlib). Nothing here reads answers, feedback or bands: the form
and `public_quiz` are built only from what a learner may see before submitting.
"""
from __future__ import annotations

import hashlib
from html import escape

import markdown
import nh3

URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]


def render_markdown(text: str | None) -> str:
    """Author Markdown -> sanitised HTML (raw HTML is allowed only as far as nh3 keeps it)."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return nh3.clean(html, url_schemes=URL_SCHEMES)


def dom_prefix(usage_id) -> str:
    """Per-instance prefix for element ids: two blocks on one page never share an id."""
    return "saq-" + hashlib.sha1(str(usage_id).encode("utf-8")).hexdigest()[:12]


def public_quiz(quiz: dict, expand_urls=lambda html: html) -> dict:
    """What a learner may see before submitting (student_view_data, the form).

    Leaves out correct answers, choice feedback, explanations and score bands.
    """
    return {
        "intro_html": expand_urls(render_markdown(quiz.get("intro"))),
        "dimensions": [
            {"id": dimension["id"], "label": dimension["label"],
             "description_html": expand_urls(render_markdown(dimension.get("description")))}
            for dimension in quiz.get("dimensions", [])
        ],
        "questions": [_public_question(quiz, question, expand_urls) for question in quiz.get("questions", [])],
    }


def _public_question(quiz: dict, question: dict, expand_urls) -> dict:
    public = {
        "id": question["id"],
        "type": question["type"],
        "dimension": question["dimension"],
        "prompt_html": expand_urls(render_markdown(question["prompt"])),
    }
    if "image" in question:
        public["image"] = {"src": expand_urls(question["image"]["src"]), "alt": question["image"]["alt"]}
    if question["type"] in ("single", "multiple"):
        public["choices"] = [{"id": choice["id"], "text": choice["text"]} for choice in question["choices"]]
    if question["type"] == "likert":
        public["scale"] = question.get("scale") or quiz.get("scale") or []
    return public


def form_html(public: dict, prefix: str, gettext) -> str:
    """The questions as an accessible form: one fieldset per question, a label per control."""
    _ = gettext
    total = len(public["questions"])
    parts = []
    for number, question in enumerate(public["questions"], start=1):
        parts.append(_fieldset(question, number, total, prefix, _))
    return "\n".join(parts)


def _fieldset(question: dict, number: int, total: int, prefix: str, _) -> str:
    base = f"{prefix}-q-{question['id']}"
    legend = escape(_("Question {number} of {total}").format(number=number, total=total))
    hint = _hint(question, _)
    image = ""
    if "image" in question:
        image = (f'<img class="saq-image" src="{escape(question["image"]["src"])}" '
                 f'alt="{escape(question["image"]["alt"])}">')
    return (
        f'<fieldset class="saq-question saq-type-{escape(question["type"])}" id="{base}" '
        f'data-question-id="{escape(question["id"])}" data-type="{escape(question["type"])}" '
        f'aria-labelledby="{base}-legend {base}-prompt" aria-describedby="{base}-hint">'
        f'<legend class="saq-legend" id="{base}-legend">{legend}</legend>'
        f'<div class="saq-prompt" id="{base}-prompt">{question["prompt_html"]}</div>{image}'
        f'<p class="saq-hint" id="{base}-hint">{escape(hint)}</p>'
        f'<div class="saq-options">{_options(question, base, _)}</div>'
        f'<p class="saq-missing" id="{base}-missing" hidden></p>'
        f'<div class="saq-question-feedback" id="{base}-feedback" hidden></div>'
        "</fieldset>"
    )


def _hint(question: dict, _) -> str:
    return {
        "single": _("Choose one answer."),
        "multiple": _("Choose every answer that applies."),
        "true_false": _("Choose true or false."),
        "likert": _("Rate yourself on the scale."),
    }[question["type"]]


def _options(question: dict, base: str, _) -> str:
    kind = question["type"]
    if kind == "true_false":
        options = [("true", _("True")), ("false", _("False"))]
    elif kind == "likert":
        options = [(str(point["value"]), point["label"]) for point in question["scale"]]
    else:
        options = [(choice["id"], choice["text"]) for choice in question["choices"]]
    input_type = "checkbox" if kind == "multiple" else "radio"
    return "".join(_option(input_type, base, index, value, label)
                   for index, (value, label) in enumerate(options))


def _option(input_type: str, base: str, index: int, value: str, label: str) -> str:
    # Ids use the position, not the author's id: choice ids may contain "." (valid in ids,
    # but awkward in CSS selectors) and positions are unique by construction.
    option_id = f"{base}-o{index}"
    return (
        f'<div class="saq-option" data-value="{escape(value)}">'
        f'<input type="{input_type}" id="{option_id}" name="{base}" value="{escape(value)}">'
        f'<label for="{option_id}">{escape(label)}</label>'
        f'<span class="saq-option-mark" aria-hidden="true"></span>'
        "</div>"
    )


def staff_html(table: dict, csv_url: str, prefix: str, gettext) -> str:
    """Anonymous class results for course staff: tables plus the CSV link."""
    _ = gettext
    heading = f"{prefix}-staff-title"
    dimension_rows = "".join(
        f"<tr><th scope=\"row\">{escape(row['label'])}</th>"
        f"<td>{'—' if row['mean'] is None else escape(_format_number(row['mean'], _))}</td></tr>"
        for row in table["dimensions"]
    )
    band_rows = "".join(
        f"<tr><th scope=\"row\">{escape(row['label'])}</th><td>{escape(row['item_label'])} "
        f"({escape(row['item_id'])})</td><td>{row['count']}</td></tr>"
        for row in table["bands"]
    )
    choice_rows = "".join(
        f"<tr><th scope=\"row\">{escape(row['id'])}</th><td>{escape(row['item_label'])}</td>"
        f"<td>{row['count']}</td></tr>"
        for row in table["choices"]
    )
    learners = _("Learners who submitted: {count}").format(count=table["learners"])
    return (
        f'<section class="saq-staff" aria-labelledby="{heading}">'
        f'<h3 id="{heading}">{escape(_("Class results (anonymous)"))}</h3>'
        f"<p>{escape(learners)}</p>"
        f'<table class="saq-table"><caption>{escape(_("Mean score per dimension (%)"))}</caption>'
        f'<thead><tr><th scope="col">{escape(_("Dimension"))}</th><th scope="col">{escape(_("Mean"))}</th>'
        f"</tr></thead><tbody>{dimension_rows}</tbody></table>"
        f'<table class="saq-table"><caption>{escape(_("Learners per score band"))}</caption>'
        f'<thead><tr><th scope="col">{escape(_("Dimension"))}</th><th scope="col">{escape(_("Band"))}</th>'
        f'<th scope="col">{escape(_("Learners"))}</th></tr></thead><tbody>{band_rows}</tbody></table>'
        f'<table class="saq-table"><caption>{escape(_("Answers per choice"))}</caption>'
        f'<thead><tr><th scope="col">{escape(_("Question"))}</th><th scope="col">{escape(_("Answer"))}</th>'
        f'<th scope="col">{escape(_("Count"))}</th></tr></thead><tbody>{choice_rows}</tbody></table>'
        f'<p><a class="saq-csv" href="{escape(csv_url)}" download>{escape(_("Download the results (CSV)"))}</a></p>'
        "</section>"
    )


def _format_number(value: float, _) -> str:
    # Translators: the decimal separator (French: a comma).
    return f"{value:g}".replace(".", _("."))
