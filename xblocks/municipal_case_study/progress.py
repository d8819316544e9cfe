"""The learner's way through a case (pure): which step they are on, what each action does, and what
they have earned the right to see.

The state is a path of visits (the current step is the last one) plus drafts, submitted answers and
self-ratings. Actions either return a new state and the analytics events they cause, or raise
ActionError and change nothing. ``learner_view`` is the only door to author content that must stay
hidden until earned: the consequence and feedback of the chosen option, the expert analysis after
submission, the expected answers after self-rating, the debrief once reached.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from . import graph, scoring

ACTIONS = ("choose", "save_draft", "submit", "rate", "advance", "reset")
Event = tuple[str, dict]
Render = Callable[[str], str]


class ActionError(Exception):
    """A refused action: ``code`` names the message, ``status`` the HTTP status, ``params`` fill it."""

    def __init__(self, code: str, status: int = 400, **params: Any):
        super().__init__(code)
        self.code, self.status, self.params = code, status, params


@dataclass(frozen=True)
class Visit:
    step: str
    option: str | None = None


@dataclass(frozen=True)
class LearnerState:
    path: tuple[Visit, ...] = ()
    drafts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    answers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    ratings: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_fields(cls, path, drafts, answers, ratings) -> LearnerState:
        """From the JSON-like values stored in the block's fields."""
        visits = tuple(Visit(item.get("step"), item.get("option")) for item in path if isinstance(item, dict))
        return cls(visits, dict(drafts), dict(answers), {key: dict(value) for key, value in ratings.items()})

    def to_fields(self) -> dict[str, Any]:
        return {
            "path": [{"step": visit.step, "option": visit.option} for visit in self.path],
            "drafts": dict(self.drafts),
            "answers": dict(self.answers),
            "ratings": {key: dict(value) for key, value in self.ratings.items()},
        }


class Case:
    """Read-only index over validated case data."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.steps = data["steps"]
        self.index = {}
        for position, step in enumerate(self.steps):
            self.index.setdefault(step["id"], position)
        self.by_id = {step_id: self.steps[position] for step_id, position in self.index.items()}
        settings = data.get("settings", {})
        self.allow_reset = settings.get("allow_reset", False)
        self.scoring = settings.get("scoring", "none")
        self.adjacency = graph.adjacency(self.steps)
        self.debriefs = {step["id"] for step in self.steps if step["type"] == "debrief"}

    @property
    def first(self) -> str:
        return self.steps[0]["id"]

    def successor(self, visit: Visit) -> str | None:
        position = self.index[visit.step]
        step = self.steps[position]
        if step["type"] == "decision":
            return graph.option_successor(self.steps, position, _option(step, visit.option))
        return graph.default_successor(self.steps, position)


def _option(step: Mapping[str, Any], option_id: str | None) -> Mapping[str, Any] | None:
    return next((option for option in step.get("options", ()) if option["id"] == option_id), None)


# --- State housekeeping -------------------------------------------------------------------------

def normalize(case: Case, state: LearnerState) -> LearnerState:
    """Drop what an edit of the case made meaningless, so a learner resumes where it still makes sense."""
    path = tuple(
        Visit(visit.step, visit.option if _option(case.by_id[visit.step], visit.option) else None)
        for visit in state.path if visit.step in case.by_id
    ) or (Visit(case.first),)
    reflections = {step_id for step_id, step in case.by_id.items() if step["type"] == "reflection"}
    return LearnerState(
        path=path,
        drafts={k: v for k, v in state.drafts.items() if k in reflections and isinstance(v, str)},
        answers={k: v for k, v in state.answers.items() if k in reflections and isinstance(v, str)},
        ratings={k: v for k, v in state.ratings.items() if _rating_fits(case.by_id.get(k), v)},
    )


def _rating_fits(step, rating) -> bool:
    if not step or step["type"] != "rubric" or not isinstance(rating, dict):
        return False
    expected = {criterion["id"]: len(criterion["levels"]) for criterion in step["criteria"]}
    return set(rating) == set(expected) and all(
        isinstance(level, int) and 0 <= level < expected[key] for key, level in rating.items())


def is_completed(case: Case, state: LearnerState) -> bool:
    return state.path[-1].step in case.debriefs


def is_done(case: Case, state: LearnerState, visit: Visit) -> bool:
    """Has the learner finished the step they are on, so they may continue?"""
    kind = case.by_id[visit.step]["type"]
    if kind == "decision":
        return visit.option is not None
    if kind == "reflection":
        return visit.step in state.answers
    if kind == "rubric":
        return visit.step in state.ratings
    return False


def score(case: Case, state: LearnerState) -> float | None:
    path = [(visit.step, visit.option) for visit in state.path]
    return scoring.fraction(case.scoring, case.by_id, path, state.ratings, is_completed(case, state))


def normalized_text(text: str) -> str:
    """Learner text as stored and measured: one kind of line break, no surrounding white space."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# --- Actions ------------------------------------------------------------------------------------

def apply(case: Case, state: LearnerState, payload: Mapping[str, Any]) -> tuple[LearnerState, list[Event]]:
    """Run one learner action; raises ActionError without any change when it is refused."""
    action = payload.get("action")
    if action not in ACTIONS:
        raise ActionError("unknown_action")
    if action == "reset":
        return _reset(case, state)
    if is_completed(case, state):
        raise ActionError("completed", 409)
    step_id = _field(payload, "step_id", str)
    if step_id not in case.by_id:
        raise ActionError("unknown_step")
    if step_id != state.path[-1].step:
        raise ActionError("step_not_current", 409)
    handler = {"choose": _choose, "save_draft": _save_draft, "submit": _submit, "rate": _rate,
               "advance": _advance}[action]
    return handler(case, state, case.by_id[step_id], payload)


def _field(payload: Mapping[str, Any], name: str, kind: type) -> Any:
    if name not in payload:
        raise ActionError("missing_field", field=name)
    value = payload[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ActionError("invalid_field", field=name)
    return value


def _expect_type(step, kind: str) -> None:
    if step["type"] != kind:
        raise ActionError("wrong_step_type")


def _choose(case, state, step, payload):
    _expect_type(step, "decision")
    option = _option(step, _field(payload, "option_id", str))
    if option is None:
        raise ActionError("unknown_option")
    if state.path[-1].option is not None:
        raise ActionError("already_decided", 409)
    visit = Visit(step["id"], option["id"])
    event = ("decision_made", {
        "step_id": step["id"], "option_id": option["id"], "points": option.get("points", 0),
        "next_step_id": case.successor(visit),
    })
    return replace(state, path=(*state.path[:-1], visit)), [event]


def _reflection_text(step, payload, state) -> str:
    _expect_type(step, "reflection")
    if step["id"] in state.answers:
        raise ActionError("already_submitted", 409)
    text = normalized_text(_field(payload, "text", str))
    if len(text) > step["max_length"]:
        raise ActionError("too_long", max=step["max_length"])
    return text


def _save_draft(case, state, step, payload):
    text = _reflection_text(step, payload, state)
    drafts = {**state.drafts, step["id"]: text}
    return replace(state, drafts=drafts), [("draft_saved", {"step_id": step["id"], "length": len(text)})]


def _submit(case, state, step, payload):
    text = _reflection_text(step, payload, state)
    minimum = step.get("min_length", 0)
    if len(text) < max(minimum, 1):
        raise ActionError("too_short", min=max(minimum, 1))
    drafts = {key: value for key, value in state.drafts.items() if key != step["id"]}
    answers = {**state.answers, step["id"]: text}
    event = ("reflection_submitted", {"step_id": step["id"], "length": len(text)})
    return replace(state, drafts=drafts, answers=answers), [event]


def _rate(case, state, step, payload):
    _expect_type(step, "rubric")
    if step["id"] in state.ratings:
        raise ActionError("already_rated", 409)
    given = _field(payload, "ratings", dict)
    criteria = {criterion["id"]: criterion for criterion in step["criteria"]}
    for criterion_id, level in given.items():
        if criterion_id not in criteria:
            raise ActionError("unknown_criterion", criterion=str(criterion_id)[:64])
        levels = criteria[criterion_id]["levels"]
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level < len(levels):
            raise ActionError("unknown_level", criterion=criterion_id)
    if set(given) != set(criteria):
        raise ActionError("missing_rating")
    points = sum(criteria[key]["levels"][level]["points"] for key, level in given.items())
    best = sum(max(level["points"] for level in criterion["levels"]) for criterion in criteria.values())
    event = ("rubric_rated", {"step_id": step["id"], "ratings": dict(given), "points": points, "max_points": best})
    return replace(state, ratings={**state.ratings, step["id"]: dict(given)}), [event]


def _advance(case, state, step, payload):
    visit = state.path[-1]
    if not is_done(case, state, visit):
        raise ActionError("step_not_done", 409)
    target = case.successor(visit)
    if target not in case.by_id:  # only an invalid case can lead nowhere; refuse rather than break
        raise ActionError("unknown_step")
    new = replace(state, path=(*state.path, Visit(target)))
    events = [("step_entered", {"step_id": target, "step_type": case.by_id[target]["type"],
                                "from_step_id": step["id"], "position": len(new.path)})]
    if is_completed(case, new):
        events.append(("completed", {"path": [v.step for v in new.path], "scoring": case.scoring,
                                     "score": score(case, new)}))
    return new, events


def _reset(case, state):
    if not case.allow_reset:
        raise ActionError("reset_not_allowed", 403)
    event = ("reset", {"steps_visited": len(state.path), "completed": is_completed(case, state)})
    return normalize(case, LearnerState()), [event]


# --- What the learner may see -------------------------------------------------------------------

def public_step(step: Mapping[str, Any], render: Render) -> dict[str, Any]:
    """A step as anyone may see it before acting: no consequence, feedback, points, next,
    expert analysis, expected answer or debrief content."""
    view: dict[str, Any] = {"id": step["id"], "type": step["type"], "title": step["title"]}
    if "prompt" in step:
        view["prompt_html"] = render(step["prompt"])
    if step["type"] == "decision":
        view["options"] = [{"id": option["id"], "label": option["label"]} for option in step["options"]]
    elif step["type"] == "reflection":
        view["min_length"] = step.get("min_length", 0)
        view["max_length"] = step["max_length"]
    elif step["type"] == "rubric":
        view["criteria"] = [
            {"id": criterion["id"], "label": criterion["label"], "description": criterion.get("description"),
             "levels": [{"label": level["label"], "points": level["points"],
                         "description": level.get("description")} for level in criterion["levels"]]}
            for criterion in step["criteria"]
        ]
    return view


def learner_view(case: Case, state: LearnerState, render: Render) -> dict[str, Any]:
    """Everything the learner's screen shows now, and nothing they have not earned."""
    visit = state.path[-1]
    step = case.by_id[visit.step]
    current = public_step(step, render)
    current["done"] = is_done(case, state, visit)
    current.update(_earned(case, state, step, visit, render))
    completed = is_completed(case, state)
    view = {
        "status": "completed" if completed else "in_progress",
        "progress": _progress(case, state),
        "path": [_path_entry(case, v) for v in state.path],
        "current": current,
        "can_reset": case.allow_reset and (len(state.path) > 1 or current["done"] or bool(state.drafts)),
    }
    if completed and case.scoring != "none":
        view["score"] = score(case, state)
    return view


def _earned(case, state, step, visit, render) -> dict[str, Any]:
    kind = step["type"]
    if kind == "decision" and visit.option is not None:
        option = _option(step, visit.option)
        chosen = {"id": option["id"], "label": option["label"], "consequence_html": render(option["consequence"])}
        if "feedback" in option:
            chosen["feedback_html"] = render(option["feedback"])
        return {"chosen": chosen}
    if kind == "reflection":
        if step["id"] in state.answers:
            return {"answer": state.answers[step["id"]], "expert_analysis_html": render(step["expert_analysis"])}
        return {"draft": state.drafts.get(step["id"], "")}
    if kind == "rubric":
        earned: dict[str, Any] = {}
        if step.get("reflection") in state.answers:
            earned["reflection_answer"] = state.answers[step["reflection"]]
        if step["id"] in state.ratings:
            earned["ratings"] = state.ratings[step["id"]]
            earned["expected_html"] = {c["id"]: render(c["expected"]) for c in step["criteria"]}
        return earned
    if kind == "debrief":
        earned = {"key_lessons_html": [render(lesson) for lesson in step["key_lessons"]]}
        if "body" in step:
            earned["body_html"] = render(step["body"])
        return earned
    return {}


def _path_entry(case: Case, visit: Visit) -> dict[str, Any]:
    step = case.by_id[visit.step]
    entry = {"step_id": visit.step, "title": step["title"], "type": step["type"]}
    if visit.option is not None:
        entry["decision"] = _option(step, visit.option)["label"]
    return entry


def _progress(case: Case, state: LearnerState) -> dict[str, Any]:
    """Position on the path and the total it may reach: a range when branches differ in length."""
    position = len(state.path)
    current = state.path[-1].step
    fewest = graph.distances_to(case.adjacency, case.debriefs).get(current, 0)
    most = graph.longest_to(case.adjacency, current, case.debriefs)
    return {"position": position, "low": position + fewest, "high": None if most is None else position + most}
