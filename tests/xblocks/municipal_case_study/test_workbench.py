"""The block in the xblock-sdk workbench, over HTTP: scenarios, languages, handlers, events, staff CSV."""
import json

import pytest
from lxml import html as lxml_html

from .test_progress import SECRETS_311

pytestmark = pytest.mark.sdk
pytest.importorskip("workbench", reason="xblock-sdk is not installed")

from tests.support.workbench import Client  # noqa: E402

BLOCK = "municipal_case_study"
FRENCH, ENGLISH, TWO = (f"/scenario/{BLOCK}.{index}/" for index in range(3))
PATH_311 = [("choose", {"step_id": "approche", "option_id": "deploiement"}), ("advance", {"step_id": "approche"}),
            ("choose", {"step_id": "crise", "option_id": "suspendre"}), ("advance", {"step_id": "crise"}),
            ("choose", {"step_id": "donnees", "option_id": "efvp"}), ("advance", {"step_id": "donnees"}),
            ("submit", {"step_id": "justification", "text": "Recommandation : " + "x" * 150}),
            ("advance", {"step_id": "justification"}),
            ("rate", {"step_id": "autoevaluation", "ratings": {"vie-privee": 2, "parties-prenantes": 2, "mesure": 1}}),
            ("advance", {"step_id": "autoevaluation"})]


def act(client, usage_id, action, **payload):
    status, content_type, text = client.call(usage_id, "learner_action",
                                             json.dumps({"action": action, **payload}).encode())
    assert content_type == "application/json"
    return status, json.loads(text)


def test_scenarios_render_in_the_browser_language(workbench):
    french = Client(workbench.url).page(FRENCH)
    assert "Municipalité fictive" in french and "Déroulement du cas" in french
    english = Client(workbench.url, language="en-CA").page(ENGLISH)
    assert "Fictional municipality" in english and "Town of Sampleton" in english
    two = Client(workbench.url)
    assert len(two.usage_ids(TWO, BLOCK)) == 2


def block_html(page: str) -> str:
    """The block's own markup; the workbench also prints every field value below it, for debugging."""
    (element,) = lxml_html.fromstring(page).xpath(f"//*[@data-block-type='{BLOCK}']")
    return lxml_html.tostring(element, encoding="unicode")


def test_the_block_markup_holds_no_unearned_content(workbench):
    html = block_html(Client(workbench.url).page(FRENCH))
    assert "Quelle approche recommander?" in html
    for secret in SECRETS_311:
        assert secret not in html


def test_a_whole_branch_over_http_publishes_documented_events_grade_and_completion(workbench):
    client = Client(workbench.url)
    usage_id = client.usage_ids(FRENCH, BLOCK)[0]
    earlier = len(workbench.events())  # the server is shared: other tests' learners publish too
    for action, payload in PATH_311:
        status, reply = act(client, usage_id, action, **payload)
        assert status == 200, reply
    assert reply["view"]["status"] == "completed" and reply["view"]["score"] == 0.625
    mine = [event for event in workbench.events()[earlier:] if event["usage_id"] == usage_id]
    names = [event["event_type"] for event in mine]
    assert names.count("parcours.case_study.decision_made") == 3
    assert names[-3:] == ["parcours.case_study.completed", "grade", "completion"]
    assert mine[-2]["data"] == {"value": 0.625, "max_value": 1.0, "only_if_higher": None}


def test_bad_requests_over_http_get_json_errors(workbench):
    client = Client(workbench.url)
    usage_id = client.usage_ids(FRENCH, BLOCK)[0]
    status, content_type, text = client.call(usage_id, "learner_action", b"{pas du json")
    assert (status, content_type, json.loads(text)["error"]["code"]) == (400, "application/json", "invalid_json")
    status, reply = act(client, usage_id, "choose", step_id="donnees", option_id="efvp")
    assert (status, reply["error"]["code"]) == (409, "step_not_current")
    assert "Ce n’est pas l’étape" in reply["error"]["message"]
    status, _, text = client.call(usage_id, "learner_action", body=None)
    assert status == 405


def test_two_learners_have_separate_state(workbench):
    alice, bob = Client(workbench.url), Client(workbench.url)
    usage_id = alice.usage_ids(FRENCH, BLOCK)[0]
    assert act(alice, usage_id, "choose", step_id="approche", option_id="pilote")[0] == 200
    bob.page(FRENCH)
    status, _, text = bob.call(usage_id, "student_view_user_state", body=None)
    assert status == 200 and "chosen" not in json.loads(text)["current"]


def test_staff_csv_counts_without_personal_information(workbench):
    learner = Client(workbench.url)
    usage_id = learner.usage_ids(ENGLISH, BLOCK)[0]
    act(learner, usage_id, "choose", step_id="pilot", option_id="one-district")
    assert learner.call(usage_id, "staff_csv", body=None)[0] == 403
    staff = Client(workbench.url, student="staff-teacher")
    assert "Summary for the teaching team" in staff.page(ENGLISH) or "Synthèse" in staff.page(ENGLISH)
    status, content_type, text = staff.call(usage_id, "staff_csv", body=None)
    assert (status, content_type) == (200, "text/csv")
    assert "decision,pilot,How to start?,one-district" in text and learner.student not in text


def test_studio_view_and_an_invalid_submission_that_saves_nothing(workbench):
    client = Client(workbench.url)
    page = client.page(f"{FRENCH}studio_view/")
    assert "Cas (YAML)" in page and "<textarea" in page
    usage_id = client.usage_ids(FRENCH, BLOCK)[0]
    status, _, text = client.call(usage_id, "studio_submit", json.dumps({"source": "title: seul"}).encode())
    problems = json.loads(text)["error"]["problems"]
    assert status == 400 and {"municipality", "steps"} <= {p["message"].split("'")[1] for p in problems}
    assert "Un agent conversationnel pour le 311" in client.page(FRENCH)
