"""The self-assessment quiz offline: the block's own form and `quiz_ui.js`, with a local backend.

The form, the interface strings and every piece of feedback HTML come from the block package
(`rendering`, `feedback`, the block's string table), so the page shows what the XBlock shows. The
browser scores with `saq-offline.js`, which follows the block's `scoring.py` rules; the answer
key is in the page, which is unavoidable without a server.
"""
from __future__ import annotations

from html import escape
from string import Template

from self_assessment_quiz import rendering
from self_assessment_quiz.i18n import language_or_default, translation
from self_assessment_quiz.messages import ui_strings
from self_assessment_quiz.scoring import KNOWLEDGE_TYPES, scale_for

from parcours.emit.pages import script_json
from parcours.emit.players import ASSETS, Player, Site, activity_key, block_file, dom_prefix, module_href, public_data
from parcours.model.nodes import CustomBlock

PACKAGE = "self_assessment_quiz"


def player(block: CustomBlock, site: Site) -> Player:
    data = public_data(block, site)
    language = language_or_default(data.get("language"))
    gettext = translation(language).gettext
    # The block keeps title, language, weight and max_attempts as settings; the rest is the quiz.
    quiz = {key: value for key, value in data.items() if key not in ("title", "language", "weight", "max_attempts")}
    max_attempts = data.get("max_attempts", 0)
    prefix = dom_prefix(block)
    public = rendering.public_quiz(quiz)
    html = Template(block_file(PACKAGE, "templates/student_view.html").decode()).substitute(
        prefix=prefix, language=language, title=escape(data["title"]), intro=public["intro_html"],
        attempts="", form=rendering.form_html(public, prefix, gettext), submit_label=escape(gettext("Submit")),
        retry_label=escape(gettext("Try again")), result_title=escape(gettext("Your profile")), staff="")
    strings = ui_strings(gettext)
    strings |= {"attemptsUnlimited": gettext("Attempts used: {attempts} (unlimited)"),
                "attemptsLimited": gettext("Attempts used: {attempts} of {max}")}
    graded = any(question["type"] in KNOWLEDGE_TYPES for question in quiz["questions"])
    config = {"key": activity_key(block), "prefix": prefix, "strings": strings, "dimensions": public["dimensions"],
              "quiz": answer_key(quiz, site), "maxAttempts": max_attempts, "graded": graded}
    scripts = tuple(site.ship(name, block_file(PACKAGE, f"static/js/{name}")) for name in ("quiz_ui.js",))
    scripts += (site.ship("saq-offline.js", (ASSETS / "saq-offline.js").read_bytes()),)
    styles = (site.ship("self_assessment_quiz.css", block_file(PACKAGE, "static/css/self_assessment_quiz.css")),)
    html += f'\n<script type="application/json" class="pc-saq-config">{script_json(config)}</script>'
    return Player(html, scripts, styles, scored=graded, weight=float(data.get("weight", 1.0)))


def answer_key(quiz: dict, site: Site) -> dict:
    """What `saq-offline.js` needs to score and to build the block's result payload."""
    render = rendering.render_markdown
    questions = []
    for question in quiz["questions"]:
        entry = {"id": question["id"], "type": question["type"], "dimension": question["dimension"],
                 "points": question.get("points", 1), "explanation_html": render(question.get("explanation"))}
        if question["type"] == "likert":
            entry["values"] = [point["value"] for point in scale_for(quiz, question)]
        elif question["type"] == "true_false":
            entry["answer"] = question["answer"]
            entry["feedback_html"] = {key: render(question.get(f"feedback_{key}")) for key in ("true", "false")}
        else:
            entry["choices"] = [choice["id"] for choice in question["choices"]]
            entry["correct"] = [c["id"] for c in question["choices"] if c.get("correct", False)]
            entry["feedback_html"] = {c["id"]: render(c.get("feedback")) for c in question["choices"]}
        questions.append(entry)
    dimensions = [{
        "id": dimension["id"], "label": dimension["label"],
        "bands": [{"label": band["label"], "min": band["min"], "max": band["max"],
                   "feedback_html": render(band.get("feedback")),
                   "recommendations": [_recommendation(item, site) for item in band.get("recommendations", [])]}
                  for band in dimension["bands"]],
    } for dimension in quiz["dimensions"]]
    return {"questions": questions, "dimensions": dimensions}


def _recommendation(item: dict, site: Site) -> dict:
    """As the block's feedback.py builds it; a module link points at the module's page."""
    if "url" in item:
        return {"title": item["title"], "href": item["url"], "kind": "url"}
    return {"title": item["title"], "href": module_href(site, item["module"]), "kind": "module",
            "module": item["module"]}
