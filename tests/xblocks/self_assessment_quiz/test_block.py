"""The XBlock on TestRuntime: views, handlers, grading, events, staff results, Studio, no leak."""
import json

import pytest
from self_assessment_quiz.block import SelfAssessmentQuizBlock
from self_assessment_quiz.endpoints import MAX_BODY_BYTES
from xblock.core import XBlock
from xblock.field_data import DictFieldData

from .helpers import correct_answers, make_block, post, wrong_answers

# Strings that only the answer key, feedback or results contain (French scenario).
SECRETS = [
    "Exact : ces systèmes",                # true/false feedback
    "inventer une référence",             # (prompt: public, control sample, see test below)
    "Oui : le document est public",       # choice feedback
    "Le risque dépend des données",       # explanation
    "La municipalité reste responsable",  # choice feedback (multiple)
    "En progression",                     # band label
    "méritent d’être revues",             # band feedback
    "m02-donnees",                        # recommended module id
    "Module 4 — Gouvernance",             # recommendation title
    "cai.gouv.qc.ca",                     # recommendation URL
    '"correct": true',                    # correctness in a reply
    "correct_choices",                    # the revealed answer key
    'correct="true"',                     # the OLX form of the key
]
PUBLIC_SAMPLE = "inventer une référence"


def _published(block, event_type):
    return [call.args[2] for call in block.runtime.publish.call_args_list if call.args[1] == event_type]


def _event_names(block):
    return [call.args[1] for call in block.runtime.publish.call_args_list]


@pytest.fixture
def block(quiz_data):
    return make_block(quiz_data)


# ----- declaration ---------------------------------------------------------------------------

def test_declares_scoring_completion_and_mobile_support():
    assert SelfAssessmentQuizBlock.has_score is True
    assert SelfAssessmentQuizBlock.fields["weight"].default == 1.0
    assert SelfAssessmentQuizBlock.has_custom_completion is True
    assert SelfAssessmentQuizBlock.completion_method == "completable"
    assert XBlock.supports("multi_device")  # decorator exists on this XBlock version
    assert SelfAssessmentQuizBlock.supports("multi_device")


def test_max_score_counts_knowledge_points_only(block):
    assert block.max_score() == 5.0


def test_a_new_block_has_valid_starter_content():
    from self_assessment_quiz import codec

    fresh = make_block()
    assert codec.validate(fresh.authored_data()) == []
    assert "Autoévaluation" in fresh.student_view().content


# ----- no leak before submission -----------------------------------------------------------

def _leaks(text):
    return [secret for secret in SECRETS if secret != PUBLIC_SAMPLE and secret in text]


def test_student_view_html_and_init_data_hold_no_answer_key_feedback_or_results(block):
    fragment = block.student_view()
    everything = fragment.body_html() + json.dumps(fragment.json_init_args, ensure_ascii=False)
    assert PUBLIC_SAMPLE in everything  # the check can see prompts...
    assert _leaks(everything) == []      # ...and sees none of the secrets


def test_student_view_data_holds_no_answer_key_feedback_or_results(block):
    data = json.dumps(block.student_view_data(), ensure_ascii=False)
    assert PUBLIC_SAMPLE in data
    assert _leaks(data) == []


def test_no_handler_reply_leaks_before_submission(block):
    replies = [
        post(block, "student_view_user_state", method="GET"),
        post(block, "submit", {"answers": {"q-usage": "a"}}),  # refused: incomplete
        post(block, "submit", body=b"{not json"),
        post(block, "log_event", {"action": "recommendation_opened", "dimension": "donnees", "index": 0}),
        post(block, "log_event", {"action": "retry_started"}),
        post(block, "export_csv", method="GET"),
        post(block, "studio_submit", {"yaml": "title: [\n"}),
    ]
    for status, reply in replies:
        assert _leaks(json.dumps(reply, ensure_ascii=False)) == [], (status, reply)
    assert all(status >= 400 for status, _ in replies[1:])


def test_secrets_do_appear_after_submission(block, quiz_data):
    status, reply = post(block, "submit", {"answers": correct_answers(quiz_data)})
    text = json.dumps(reply, ensure_ascii=False)
    assert status == 200
    assert "Exact : ces systèmes" in text and "Acquis" in text and "Le risque dépend des données" in text


# ----- submission, grade, completion, events ---------------------------------------------

def test_submit_scores_on_the_server_and_publishes_grade_completion_and_event(block, quiz_data):
    status, reply = post(block, "submit", {"answers": correct_answers(quiz_data)})
    assert status == 200
    assert reply["attempts"] == 1 and reply["can_submit"] is True
    assert reply["submission"]["result"]["score"] == {"graded": True, "earned": 5.0, "possible": 5.0,
                                                        "percent": 100}
    assert _published(block, "grade") == [{"value": 5.0, "max_value": 5.0, "only_if_higher": None}]
    assert _published(block, "completion") == [{"completion": 1.0}]
    submitted = _published(block, "parcours.self_assessment.submitted")[0]
    assert submitted["attempt"] == 1 and submitted["raw_earned"] == 5.0
    assert submitted["bands"]["comprendre"] == "Acquis"
    assert block.get_score() == (5.0, 5.0)


def test_a_forged_score_in_the_request_is_refused(block, quiz_data):
    status, reply = post(block, "submit", {"answers": wrong_answers(quiz_data), "score": 5})
    assert (status, reply["error"]["code"]) == (400, "invalid_payload")
    assert block.attempts == 0 and block.runtime.publish.call_count == 0


def test_no_grade_or_completion_outside_a_course(quiz_data):
    block = make_block(quiz_data, in_course=False)
    status, _ = post(block, "submit", {"answers": correct_answers(quiz_data)})
    assert status == 200
    assert _event_names(block) == ["parcours.self_assessment.submitted"]


def test_feedback_reveals_right_answers_only_once_no_attempt_is_left(block, quiz_data):
    _, first = post(block, "submit", {"answers": wrong_answers(quiz_data)})
    usage = first["submission"]["result"]["questions"]["q-usage"]
    assert usage["correct"] is False and "correct_choices" not in usage
    assert "Risque élevé" in usage["choice_feedback"]["b"]
    _, second = post(block, "submit", {"answers": wrong_answers(quiz_data)})
    assert second["can_submit"] is False
    assert second["submission"]["result"]["questions"]["q-usage"]["correct_choices"] == ["a"]


def test_result_links_modules_in_the_course_and_keeps_web_links(block, quiz_data):
    _, reply = post(block, "submit", {"answers": wrong_answers(quiz_data)})
    donnees = next(d for d in reply["submission"]["result"]["dimensions"] if d["id"] == "donnees")
    assert donnees["band"]["label"] == "À consolider"
    module, web = donnees["band"]["recommendations"]
    assert module["href"] == "/courses/course-v1:Ville+IA101+2026/jump_to_id/m02-donnees"
    assert web == {"title": "Commission d’accès à l’information du Québec", "href": "https://www.cai.gouv.qc.ca/",
                   "kind": "url"}


def test_reload_restores_the_last_submission_and_result(quiz_data):
    field_data = DictFieldData({})
    first = make_block(quiz_data, field_data=field_data)
    post(first, "submit", {"answers": wrong_answers(quiz_data)})
    reloaded = make_block(field_data=field_data)
    state = reloaded.student_view().json_init_args["state"]
    assert state["attempts"] == 1
    assert state["submission"]["answers"]["q-usage"] == wrong_answers(quiz_data)["q-usage"]
    assert state["submission"]["result"]["dimensions"][0]["band"]["label"] == "À consolider"
    status, user_state = post(reloaded, "student_view_user_state", method="GET")
    assert status == 200 and user_state == state


def test_max_attempts_is_enforced_and_the_refusal_changes_nothing(block, quiz_data):
    post(block, "submit", {"answers": wrong_answers(quiz_data)})
    post(block, "submit", {"answers": wrong_answers(quiz_data)})
    before = (block.answers, block.attempts, block.raw_earned, block.class_results)
    block.runtime.publish.reset_mock()
    status, reply = post(block, "submit", {"answers": correct_answers(quiz_data)})
    assert status == 409 and reply["error"]["code"] == "no_attempts_left"
    assert reply["error"]["message"] == "Vous avez utilisé toutes vos tentatives."
    assert (block.answers, block.attempts, block.raw_earned, block.class_results) == before
    assert block.runtime.publish.call_count == 0


def test_unlimited_attempts(quiz_data):
    quiz_data["max_attempts"] = 0
    block = make_block(quiz_data)
    for _ in range(4):
        assert post(block, "submit", {"answers": wrong_answers(quiz_data)})[0] == 200
    assert block.attempts == 4


def test_rescoring_uses_the_stored_answers(block, quiz_data):
    post(block, "submit", {"answers": wrong_answers(quiz_data)})
    block.runtime.publish.reset_mock()
    block.quiz["questions"][1]["choices"][1]["correct"] = True   # the author fixes the key...
    block.quiz["questions"][1]["choices"][0]["correct"] = False
    block.rescore(only_if_higher=False)                            # ...and staff rescore
    assert _published(block, "grade") == [{"value": 1.0, "max_value": 5.0, "only_if_higher": False}]


# ----- robustness: clear JSON errors, no state change ------------------------------------

ROBUSTNESS_CASES = {
    "malformed JSON": (dict(body=b'{"answers": '), 400, "invalid_json"),
    "not UTF-8": (dict(body=b'\xff\xfe{"answers": {}}'), 400, "invalid_json"),
    "JSON that is not an object": (dict(payload=["answers"]), 400, "invalid_payload"),
    "answers not an object": (dict(payload={"answers": "tout"}), 400, "invalid_answers"),
    "unknown question id": (dict(payload="UNKNOWN_QUESTION"), 400, "unknown_question"),
    "wrong type": (dict(payload="WRONG_TYPE"), 400, "wrong_type"),
    "unknown choice id": (dict(payload="UNKNOWN_CHOICE"), 400, "unknown_choice"),
    "missing answer": (dict(payload={"answers": {"q-usage": "a"}}), 400, "missing_answer"),
    "oversized payload": (dict(body=b'{"answers": {"q": "' + b"x" * MAX_BODY_BYTES + b'"}}'), 413,
                          "payload_too_large"),
    "GET instead of POST": (dict(method="GET"), 405, "method_not_allowed"),
}


def _robustness_request(case, quiz_data):
    request, status, code = ROBUSTNESS_CASES[case]
    request = dict(request)
    answers = correct_answers(quiz_data)
    special = {"UNKNOWN_QUESTION": {**answers, "q-autre": "a"},
               "WRONG_TYPE": {**answers, "q-donnees-pratique": "4"},
               "UNKNOWN_CHOICE": {**answers, "q-usage": "z"}}
    if isinstance(request.get("payload"), str):
        request["payload"] = {"answers": special[request["payload"]]}
    return request, status, code


@pytest.mark.parametrize("case", sorted(ROBUSTNESS_CASES))
def test_bad_submissions_get_a_clear_json_error_and_change_no_state(case, block, quiz_data):
    post(block, "submit", {"answers": wrong_answers(quiz_data)})  # some state to protect
    before = (dict(block.answers), block.attempts, block.raw_earned, json.dumps(block.class_results))
    block.runtime.publish.reset_mock()
    request, status, code = _robustness_request(case, quiz_data)
    got_status, reply = post(block, "submit", **request)
    assert (got_status, reply["error"]["code"]) == (status, code)
    assert reply["error"]["message"]  # a sentence for the learner, in the interface language
    assert (dict(block.answers), block.attempts, block.raw_earned, json.dumps(block.class_results)) == before
    assert block.runtime.publish.call_count == 0


def test_errors_name_the_question_concerned(block, quiz_data):
    answers = {**correct_answers(quiz_data), "q-usage": 7}
    _, reply = post(block, "submit", {"answers": answers})
    assert reply["error"]["question_id"] == "q-usage"
    assert reply["error"]["message"] == "Une réponse n’a pas le bon format pour sa question."


def test_learner_input_is_never_echoed_unescaped(block, quiz_data):
    answers = {**correct_answers(quiz_data), "<img src=x onerror=alert(1)>": "a"}
    _, reply = post(block, "submit", {"answers": answers})
    assert reply["error"]["code"] == "unknown_question"
    response = block.handle("submit", __import__("webob").Request.blank(
        "/", method="POST", body=json.dumps({"answers": answers}).encode()))
    assert response.content_type == "application/json"  # never rendered as HTML


# ----- analytics events: allow-listed, built by the server --------------------------------

def test_arbitrary_events_cannot_be_published(block, quiz_data):
    post(block, "submit", {"answers": correct_answers(quiz_data)})
    block.runtime.publish.reset_mock()
    for action in ("grade", "completion", "submitted", "parcours.self_assessment.submitted", None, 3):
        status, reply = post(block, "log_event", {"action": action, "value": 1})
        assert (status, reply["error"]["code"]) == (400, "unknown_action")
    assert block.runtime.publish.call_count == 0


def test_retry_started_is_published_only_when_a_retry_is_possible(block, quiz_data):
    assert post(block, "log_event", {"action": "retry_started"})[1]["error"]["code"] == "not_submitted"
    post(block, "submit", {"answers": wrong_answers(quiz_data)})
    assert post(block, "log_event", {"action": "retry_started"})[0] == 200
    assert _published(block, "parcours.self_assessment.retry_started") == [{"attempts": 1, "max_attempts": 2}]
    post(block, "submit", {"answers": wrong_answers(quiz_data)})
    assert post(block, "log_event", {"action": "retry_started"})[0] == 409


def test_recommendation_opened_is_resolved_by_the_server(block, quiz_data):
    post(block, "submit", {"answers": wrong_answers(quiz_data)})
    status, _ = post(block, "log_event", {"action": "recommendation_opened", "dimension": "donnees", "index": 1})
    assert status == 200
    assert _published(block, "parcours.self_assessment.recommendation_opened") == [{
        "dimension": "donnees", "band": "À consolider", "kind": "url",
        "target": "https://www.cai.gouv.qc.ca/", "title": "Commission d’accès à l’information du Québec"}]
    for bad in ({"dimension": "donnees", "index": 5}, {"dimension": "autre", "index": 0},
                {"dimension": "donnees", "index": "0"}, {"dimension": "donnees", "index": 0, "url": "x"}):
        assert post(block, "log_event", {"action": "recommendation_opened", **bad})[0] == 400


# ----- staff: anonymous class results ------------------------------------------------------

def test_staff_see_anonymous_class_results_and_learners_do_not(quiz_data):
    field_data = DictFieldData({})
    learner = make_block(quiz_data, field_data=field_data)
    post(learner, "submit", {"answers": correct_answers(quiz_data)})
    post(learner, "submit", {"answers": wrong_answers(quiz_data)})  # a retry replaces, not adds
    assert "saq-staff" not in learner.student_view().content
    staff_html = make_block(field_data=field_data, staff=True).student_view().content
    assert "Résultats du groupe (anonymes)" in staff_html
    assert "Personnes ayant soumis\u00a0: 1" in staff_html
    assert "/handler/export_csv" in staff_html


def test_csv_export_is_staff_only_and_has_no_personal_information(quiz_data):
    field_data = DictFieldData({})
    post(make_block(quiz_data, field_data=field_data), "submit", {"answers": correct_answers(quiz_data)})
    status, reply = post(make_block(field_data=field_data), "export_csv", method="GET")
    assert (status, reply["error"]["code"]) == (403, "staff_only")
    staff = make_block(field_data=field_data, staff=True)
    response = staff.handle("export_csv", __import__("webob").Request.blank("/"))
    text = response.body.decode("utf-8")
    assert response.content_type == "text/csv" and "attachment" in response.content_disposition
    assert text.splitlines()[1] == "learners,,,,,1,"
    assert "learner-1" not in text  # the user id of the learner who answered
    assert _published(staff, "parcours.self_assessment.results_exported") == [{"learners": 1}]


# ----- Studio editing ------------------------------------------------------------------------

def test_studio_view_shows_the_data_as_yaml(block):
    html = block.studio_view().content
    assert "<textarea" in html and "q-hallucination" in html and "<label" in html


def test_studio_submit_saves_valid_yaml(block, quiz_data):
    from self_assessment_quiz import authoring

    quiz_data["title"] = "Nouveau titre"
    quiz_data["max_attempts"] = 3
    status, reply = post(block, "studio_submit", {"yaml": authoring.dump(quiz_data)})
    assert (status, reply) == (200, {"ok": True})
    assert block.display_name == "Nouveau titre" and block.max_attempts == 3
    assert block.authored_data() == quiz_data


def test_studio_submit_saves_nothing_when_anything_is_invalid(block, quiz_data):
    from self_assessment_quiz import authoring

    before = block.authored_data()
    quiz_data["title"] = "Titre modifié"
    quiz_data["dimensions"][0]["bands"][1]["min"] = 55
    status, reply = post(block, "studio_submit", {"yaml": authoring.dump(quiz_data)})
    assert status == 400 and reply["error"]["code"] == "invalid_quiz"
    assert reply["error"]["message"] == "Le questionnaire contient des erreurs; rien n’a été enregistré."
    problem = reply["error"]["problems"][0]
    assert problem["location"] == "dimensions[0].bands[1].min" and problem["line"] > 1
    assert "gap in the bands" in problem["message"]
    assert block.authored_data() == before


def test_studio_submit_refuses_a_url_urlsplit_cannot_parse_at_its_path(block, quiz_data):
    from self_assessment_quiz import authoring

    before = block.authored_data()
    quiz_data["dimensions"][1]["bands"][0]["recommendations"][1]["url"] = "http://[x"  # Invalid IPv6 URL
    status, reply = post(block, "studio_submit", {"yaml": authoring.dump(quiz_data)})
    assert status == 400 and reply["error"]["code"] == "invalid_quiz"
    problem = reply["error"]["problems"][0]
    assert problem["location"] == "dimensions[1].bands[0].recommendations[1].url"
    assert "is not an http(s) URL" in problem["message"]
    assert block.authored_data() == before


def test_omitting_a_setting_in_studio_resets_it_to_its_default(block, quiz_data):
    from self_assessment_quiz import authoring

    del quiz_data["max_attempts"]
    assert post(block, "studio_submit", {"yaml": authoring.dump(quiz_data)})[0] == 200
    assert block.max_attempts == 0 and "max_attempts" not in block.authored_data()


# ----- HTML: sanitised author content, accessible form, per-instance ids ------------------

def test_author_html_is_sanitised(quiz_data):
    quiz_data["intro"] = "Bonjour <script>alert(1)</script> [lien](javascript:alert(2)) <b onclick=x()>gras</b>"
    html = make_block(quiz_data).student_view().content
    assert "<script>" not in html and "javascript:" not in html and "onclick" not in html
    assert "<b>gras</b>" in html


def test_choice_text_is_escaped(quiz_data):
    quiz_data["questions"][1]["choices"][0]["text"] = "<img src=x onerror=alert(1)>"
    html = make_block(quiz_data).student_view().content
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_every_question_is_a_fieldset_with_a_legend_and_labelled_controls(block):
    import re

    html = block.student_view().content
    assert html.count("<fieldset") == 6 and html.count("<legend") == 6
    input_ids = re.findall(r'<input [^>]*id="([^"]+)"', html)
    assert input_ids and all(f'<label for="{input_id}">' in html for input_id in input_ids)
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert 'tabindex="-1"' in html  # the result region can take focus after submission


def test_ids_are_unique_per_instance(quiz_data):
    import re

    first = make_block(quiz_data, usage_name="quiz1").student_view().content
    second = make_block(quiz_data, usage_name="quiz2").student_view().content
    ids_first, ids_second = re.findall(r' id="([^"]+)"', first), re.findall(r' id="([^"]+)"', second)
    assert len(ids_first) == len(set(ids_first))
    assert not set(ids_first) & set(ids_second)


# ----- language --------------------------------------------------------------------------------

def test_interface_is_french_by_default_and_english_on_request(quiz_data):
    del quiz_data["language"]
    french = make_block(quiz_data).student_view()
    assert "Soumettre" in french.content and 'lang="fr"' in french.content
    assert french.json_init_args["strings"]["submitting"] == "Envoi de vos réponses…"
    quiz_data["language"] = "en"
    english = make_block(quiz_data).student_view()
    assert ">Submit<" in english.content and 'lang="en"' in english.content
    assert "Question 1 of 6" in english.content
