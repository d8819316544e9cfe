"""The municipal case study offline: the block's own HTML and `municipal_case_study.js`, with a
local backend (`mcs-offline.js`) that plays `progress.py` in the browser.

Every text the learner can earn (consequences, feedback, expert analyses, expectations, the
debrief) is rendered here with the block's own Markdown renderer and handed to the engine with
the graph facts it needs (successors, distances to a debrief), so the browser never parses
Markdown or walks the graph itself. Nothing can stay hidden in a file a learner downloads; the
interface still reveals each text only once earned.
"""
from __future__ import annotations

import json

from municipal_case_study import graph, i18n, markup, progress, render
from municipal_case_study.messages import ERRORS, UI

from parcours.emit.pages import script_json
from parcours.emit.players import ASSETS, Player, Site, activity_key, block_file, dom_prefix, public_data
from parcours.model.nodes import CustomBlock

PACKAGE = "municipal_case_study"


def player(block: CustomBlock, site: Site) -> Player:
    data = public_data(block, site)
    language = i18n.interface_language(_Language(site.course.language))
    gettext = i18n.translations(language).gettext
    strings = {key: gettext(message) for key, message in UI.items()}
    case = progress.Case(data)
    view = progress.learner_view(case, progress.normalize(case, progress.LearnerState()), markup.render_markdown)
    prefix = dom_prefix(block)
    html = render.case_html(data, prefix, strings.__getitem__, language, markup.render_markdown,
                            json.dumps(view, ensure_ascii=False))
    config = {"key": activity_key(block), "prefix": prefix, "strings": strings,
              "errors": {key: gettext(message) for key, message in ERRORS.items()}, "case": engine_data(case)}
    scripts = (site.ship("municipal_case_study.js", block_file(PACKAGE, "static/js/municipal_case_study.js")),
               site.ship("mcs-offline.js", (ASSETS / "mcs-offline.js").read_bytes()))
    styles = (site.ship("municipal_case_study.css", block_file(PACKAGE, "static/css/municipal_case_study.css")),)
    html += f'\n<script type="application/json" class="pc-mcs-config">{script_json(config)}</script>'
    scored = case.scoring != "none"
    return Player(html, scripts, styles, scored=scored, weight=float(data.get("settings", {}).get("weight", 1)))


def engine_data(case: progress.Case) -> dict:
    """Steps with their earned texts rendered, successors resolved and distances to a debrief."""
    md = markup.render_markdown
    steps = []
    for position, step in enumerate(case.steps):
        entry = {"public": progress.public_step(step, md), "next": graph.default_successor(case.steps, position)}
        if step["type"] == "decision":
            entry["options"] = {option["id"]: {
                "label": option["label"], "consequence_html": md(option["consequence"]),
                "feedback_html": md(option["feedback"]) if "feedback" in option else None,
                "points": option.get("points", 0),
                "next": graph.option_successor(case.steps, position, option)} for option in step["options"]}
        elif step["type"] == "reflection":
            entry["expert_analysis_html"] = md(step["expert_analysis"])
            entry["reflection"] = True
        elif step["type"] == "rubric":
            entry["reflection"] = step.get("reflection")
            entry["expected_html"] = {c["id"]: md(c["expected"]) for c in step["criteria"]}
            entry["levels"] = {c["id"]: [level["points"] for level in c["levels"]] for c in step["criteria"]}
        elif step["type"] == "debrief":
            entry["key_lessons_html"] = [md(lesson) for lesson in step["key_lessons"]]
            if "body" in step:
                entry["body_html"] = md(step["body"])
        steps.append(entry)
    fewest = graph.distances_to(case.adjacency, case.debriefs)
    return {
        "steps": steps, "first": case.first, "allowReset": case.allow_reset, "scoring": case.scoring,
        "fewest": {step_id: fewest.get(step_id, 0) for step_id in case.by_id},
        "most": {step_id: graph.longest_to(case.adjacency, step_id, case.debriefs) for step_id in case.by_id},
    }


class _Language:
    """The course language, offered as the block's i18n service would offer it."""

    def __init__(self, code: str):
        self.code = code

    def get_language(self) -> str:
        return self.code
