"""The learner state machine (pure): actions, refusals without change, and what the learner may see."""
import json

import pytest
from municipal_case_study import progress
from municipal_case_study.progress import ActionError, Case, LearnerState, Visit

from .helpers import case

SECRETS_311 = ("Le pilote démarre", "Un pilote limite", "Le rabais est obtenu", "essai encadré",
               "Mentionner l’EFVP", "Commencer petit", "succès dépend moins")


def start(name="case_311_fr"):
    built = Case(case(name))
    return built, progress.normalize(built, LearnerState())


def run(built, state, *actions):
    events = []
    for action in actions:
        state, new = progress.apply(built, state, action)
        events += new
    return state, events


def choose(step, option):
    return {"action": "choose", "step_id": step, "option_id": option}


def advance(step):
    return {"action": "advance", "step_id": step}


def plain(html):
    return html


def test_a_new_learner_is_on_the_first_step():
    built, state = start()
    assert state.path == (Visit("approche"),)
    assert not progress.is_completed(built, state)


def test_branching_path_to_the_debrief_with_events():
    built, state = start()
    state, events = run(built, state,
                        choose("approche", "deploiement"), advance("approche"),
                        choose("crise", "suspendre"), advance("crise"),
                        choose("donnees", "efvp"), advance("donnees"),
                        {"action": "submit", "step_id": "justification", "text": "x" * 200},
                        advance("justification"),
                        {"action": "rate", "step_id": "autoevaluation",
                         "ratings": {"vie-privee": 2, "parties-prenantes": 1, "mesure": 0}},
                        advance("autoevaluation"))
    assert [v.step for v in state.path] == ["approche", "crise", "donnees", "justification", "autoevaluation",
                                            "bilan"]
    assert progress.is_completed(built, state)
    names = [name for name, _ in events]
    assert names.count("decision_made") == 3 and names[-1] == "completed"
    assert events[0] == ("decision_made", {"step_id": "approche", "option_id": "deploiement", "points": 0,
                                           "next_step_id": "crise"})
    assert events[-1][1] == {"path": [v.step for v in state.path], "scoring": "decisions", "score": round(5 / 8, 4)}


def test_other_branch_skips_the_crisis_step():
    built, state = start()
    state, _ = run(built, state, choose("approche", "embauche"), advance("approche"))
    assert state.path[-1].step == "justification"


ALL_REFUSALS = [
    ({"action": "fly"}, "unknown_action", 400),
    ({"action": "choose"}, "missing_field", 400),
    ({"action": "choose", "step_id": 3, "option_id": "pilote"}, "invalid_field", 400),
    ({"action": "choose", "step_id": "approche", "option_id": True}, "invalid_field", 400),
    ({"action": "choose", "step_id": "nulle-part", "option_id": "pilote"}, "unknown_step", 400),
    ({"action": "choose", "step_id": "approche", "option_id": "inconnue"}, "unknown_option", 400),
    ({"action": "choose", "step_id": "donnees", "option_id": "efvp"}, "step_not_current", 409),
    ({"action": "advance", "step_id": "approche"}, "step_not_done", 409),
    ({"action": "submit", "step_id": "approche", "text": "abc"}, "wrong_step_type", 400),
    ({"action": "reset"}, "reset_not_allowed", 403),
]


@pytest.mark.parametrize(("payload", "code", "status"), ALL_REFUSALS, ids=[c for _, c, _ in ALL_REFUSALS])
def test_refused_actions_raise_with_code_and_status(payload, code, status):
    data = case()
    data["settings"]["allow_reset"] = False
    built = Case(data)
    state = progress.normalize(built, LearnerState())
    with pytest.raises(ActionError) as raised:
        progress.apply(built, state, payload)
    assert (raised.value.code, raised.value.status) == (code, status)


def on_reflection():
    built, state = start()
    state, _ = run(built, state, choose("approche", "embauche"), advance("approche"))
    return built, state


@pytest.mark.parametrize(("text", "code"), [("court", "too_short"), ("   " + "x" * 149 + "\n ", "too_short"),
                                            ("x" * 1501, "too_long"), (["liste"], "invalid_field")])
def test_reflection_length_and_type_rules(text, code):
    built, state = on_reflection()
    with pytest.raises(ActionError) as raised:
        progress.apply(built, state, {"action": "submit", "step_id": "justification", "text": text})
    assert raised.value.code == code


def test_length_counts_code_points_without_surrounding_space():
    built, state = on_reflection()
    accented = "é" * 150
    state, events = progress.apply(built, state, {"action": "submit", "step_id": "justification",
                                                  "text": "\r\n  " + accented + "  \r\n"})
    assert state.answers["justification"] == accented
    assert events == [("reflection_submitted", {"step_id": "justification", "length": 150})]


def test_draft_then_submit_then_no_second_submission():
    built, state = on_reflection()
    state, events = progress.apply(built, state, {"action": "save_draft", "step_id": "justification",
                                                  "text": "Début"})
    assert state.drafts == {"justification": "Début"} and events[0][1]["length"] == 5
    state, _ = progress.apply(built, state, {"action": "submit", "step_id": "justification", "text": "y" * 160})
    assert state.drafts == {}
    for action in ("submit", "save_draft"):
        with pytest.raises(ActionError, match="already_submitted"):
            progress.apply(built, state, {"action": action, "step_id": "justification", "text": "z" * 160})


def test_oversized_draft_is_refused():
    built, state = on_reflection()
    with pytest.raises(ActionError, match="too_long"):
        progress.apply(built, state, {"action": "save_draft", "step_id": "justification", "text": "x" * 1501})


@pytest.mark.parametrize(("ratings", "code"), [
    ({"vie-privee": 2, "parties-prenantes": 1}, "missing_rating"),
    ({"vie-privee": 2, "parties-prenantes": 1, "mesure": 3}, "unknown_level"),
    ({"vie-privee": True, "parties-prenantes": 1, "mesure": 0}, "unknown_level"),
    ({"vie-privee": 2, "parties-prenantes": 1, "mesure": 0, "autre": 1}, "unknown_criterion"),
    ("2,1,0", "invalid_field"),
])
def test_rubric_rating_rules(ratings, code):
    built, state = on_reflection()
    state, _ = run(built, state, {"action": "submit", "step_id": "justification", "text": "y" * 160},
                   advance("justification"))
    with pytest.raises(ActionError) as raised:
        progress.apply(built, state, {"action": "rate", "step_id": "autoevaluation", "ratings": ratings})
    assert raised.value.code == code


def completed_state():
    built, state = on_reflection()
    state, _ = run(built, state, {"action": "submit", "step_id": "justification", "text": "y" * 160},
                   advance("justification"),
                   {"action": "rate", "step_id": "autoevaluation",
                    "ratings": {"vie-privee": 2, "parties-prenantes": 2, "mesure": 2}},
                   advance("autoevaluation"))
    return built, state


def test_nothing_but_reset_after_completion():
    built, state = completed_state()
    for payload in (choose("bilan", "x"), advance("bilan"), {"action": "save_draft", "step_id": "bilan", "text": ""}):
        with pytest.raises(ActionError) as raised:
            progress.apply(built, state, payload)
        assert (raised.value.code, raised.value.status) == ("completed", 409)
    fresh, events = progress.apply(built, state, {"action": "reset"})
    assert fresh == progress.normalize(built, LearnerState())
    assert events == [("reset", {"steps_visited": 4, "completed": True})]


def test_cycle_revisits_a_decision_and_scores_the_first_choice_only():
    data = case("case_snow_en")
    data["steps"][1]["options"][1]["next"] = "complaints"  # "ignore" loops back to the same decision
    built = Case(data)
    state = progress.normalize(built, LearnerState())
    state, _ = run(built, state, choose("pilot", "sign"), advance("pilot"), choose("complaints", "ignore"),
                   advance("complaints"))
    assert progress.learner_view(built, state, plain)["progress"] == {"position": 3, "low": 6, "high": None}
    state, _ = run(built, state, choose("complaints", "audit"), advance("complaints"))
    assert [v.step for v in state.path] == ["pilot", "complaints", "complaints", "fairness"]
    # "sign" (0 of 2), then "ignore" (0 of 1); the later "audit" at the same step does not count.
    assert progress.score(built, state) == 0.0


def test_progress_is_a_range_when_branches_differ():
    built, state = start()
    assert progress.learner_view(built, state, plain)["progress"] == {"position": 1, "low": 4, "high": 6}
    state, _ = run(built, state, choose("approche", "pilote"), advance("approche"))
    assert progress.learner_view(built, state, plain)["progress"] == {"position": 2, "low": 5, "high": 5}


def test_learner_view_reveals_only_what_was_earned():
    built, state = start()
    before = json.dumps(progress.learner_view(built, state, plain), ensure_ascii=False)
    for secret in SECRETS_311:
        assert secret not in before
    state, _ = progress.apply(built, state, choose("approche", "pilote"))
    after = json.dumps(progress.learner_view(built, state, plain), ensure_ascii=False)
    assert "Le pilote démarre" in after and "Un pilote limite" in after
    assert "Le rabais est obtenu" not in after  # another option's consequence stays hidden


def test_reflection_view_shows_the_expert_analysis_only_after_submission():
    built, state = on_reflection()
    state, _ = progress.apply(built, state, {"action": "save_draft", "step_id": "justification",
                                             "text": "<b>brouillon</b>"})
    view = progress.learner_view(built, state, plain)["current"]
    assert view["draft"] == "<b>brouillon</b>" and "expert_analysis_html" not in view
    state, _ = progress.apply(built, state, {"action": "submit", "step_id": "justification", "text": "y" * 160})
    view = progress.learner_view(built, state, plain)["current"]
    assert "essai encadré" in view["expert_analysis_html"] and view["answer"] == "y" * 160


def test_rubric_view_shows_expected_answers_only_after_rating():
    built, state = on_reflection()
    state, _ = run(built, state, {"action": "submit", "step_id": "justification", "text": "y" * 160},
                   advance("justification"))
    view = progress.learner_view(built, state, plain)["current"]
    assert "expected_html" not in view and "Mentionner" not in json.dumps(view, ensure_ascii=False)
    assert view["reflection_answer"] == "y" * 160
    built, state = completed_state()
    debrief = progress.learner_view(built, state, plain)
    assert debrief["status"] == "completed" and debrief["score"] == 0.3333  # "embauche": 1 of 3 points
    assert [entry["step_id"] for entry in debrief["path"]] == ["approche", "justification", "autoevaluation", "bilan"]
    assert debrief["path"][0]["decision"].startswith("Embaucher")


def test_public_steps_hide_consequences_points_next_and_expected_answers():
    text = json.dumps([progress.public_step(step, plain) for step in case()["steps"]], ensure_ascii=False)
    for secret in SECRETS_311 + ('"next"', "consequence", "feedback", "expected", "key_lessons"):
        assert secret not in text
    decisions = [progress.public_step(step, plain) for step in case()["steps"] if step["type"] == "decision"]
    assert all(set(option) == {"id", "label"} for step in decisions for option in step["options"])


def test_normalize_drops_what_an_edit_made_meaningless():
    built = Case(case())
    stored = LearnerState.from_fields(
        [{"step": "approche", "option": "supprimee"}, {"step": "retiree"}, "garbage"],
        {"justification": "ok", "approche": "not a reflection"}, {"justification": 5},
        {"autoevaluation": {"vie-privee": 9}})
    state = progress.normalize(built, stored)
    assert state.path == (Visit("approche", None),)
    assert state.drafts == {"justification": "ok"} and state.answers == {} and state.ratings == {}


def test_state_survives_its_field_representation():
    built, state = completed_state()
    assert LearnerState.from_fields(**state.to_fields()) == state
