"""The block in the xblock-sdk workbench, over HTTP: scenarios, handlers, events, staff CSV."""
import http.cookiejar
import json
import re
import urllib.error
import urllib.request
import uuid

import pytest

from .helpers import correct_answers, scenario_data

pytestmark = pytest.mark.sdk

FRENCH = "/scenario/self_assessment_quiz.0/"
ENGLISH = "/scenario/self_assessment_quiz.1/"
TWO = "/scenario/self_assessment_quiz.2/"


class Client:
    """One browser-like session: cookie jar, CSRF token, one `?student=`."""

    def __init__(self, base_url, student=None):
        self.base_url = base_url
        self.student = student or f"learner-{uuid.uuid4().hex[:8]}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def page(self, path):
        with self.opener.open(f"{self.base_url}{path}?student={self.student}") as response:
            return response.read().decode("utf-8")

    def usage_ids(self, path):
        return re.findall(r"data-usage='([^']+)' data-block-type='self_assessment_quiz'", self.page(path))

    def call(self, usage_id, handler, body: bytes | None = b"{}"):
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        request = urllib.request.Request(
            f"{self.base_url}/handler/{usage_id}/{handler}/?student={self.student}", data=body,
            headers={"X-CSRFToken": token, "Content-Type": "application/json"},
            method="POST" if body is not None else "GET")
        try:
            with self.opener.open(request) as response:
                return response.status, response.headers.get_content_type(), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), error.read().decode("utf-8")

    def submit(self, usage_id, answers):
        status, _, text = self.call(usage_id, "submit", json.dumps({"answers": answers}).encode())
        return status, json.loads(text)


@pytest.fixture
def french_answers():
    return correct_answers(scenario_data("01-autodiagnostic-municipal.xml"))


def test_the_three_scenarios_are_listed_and_render(workbench):
    client = Client(workbench.url)
    index = client.page("/")
    for path in (FRENCH, ENGLISH, TWO):
        assert path in index
    assert "Soumettre" in client.page(FRENCH)
    assert ">Submit<" in client.page(ENGLISH)
    assert len(client.usage_ids(TWO)) == 2


def test_submit_over_http_scores_and_publishes_the_documented_event(workbench, french_answers):
    client = Client(workbench.url)
    usage_id = client.usage_ids(FRENCH)[0]
    status, reply = client.submit(usage_id, french_answers)
    assert status == 200 and reply["submission"]["result"]["score"]["percent"] == 100
    events = workbench.events(student=client.student)
    # The workbench is not a course: no grade, no completion; just the analytics event.
    assert [(e["event_type"], e["usage_id"]) for e in events] == [("parcours.self_assessment.submitted", usage_id)]
    assert events[0]["data"]["answers"] == french_answers and events[0]["data"]["raw_earned"] == 5.0


def test_malformed_requests_get_json_errors_over_http(workbench):
    client = Client(workbench.url)
    usage_id = client.usage_ids(FRENCH)[0]
    status, content_type, text = client.call(usage_id, "submit", b"{pas du json")
    assert (status, content_type, json.loads(text)["error"]["code"]) == (400, "application/json", "invalid_json")
    status, _, text = client.call(usage_id, "submit", b'{"answers": {"x": 1}}')
    assert (status, json.loads(text)["error"]["message"]) == (400, "Une réponse désigne une question qui n’existe pas.")


def test_two_learners_have_separate_state(workbench, french_answers):
    alice, bob = Client(workbench.url), Client(workbench.url)
    usage_id = alice.usage_ids(FRENCH)[0]
    bob.page(FRENCH)
    assert alice.submit(usage_id, french_answers)[0] == 200
    _, _, text = bob.call(usage_id, "student_view_user_state", body=None)
    assert json.loads(text)["attempts"] == 0 and json.loads(text)["submission"] is None


def test_csv_is_for_staff_only(workbench, french_answers):
    learner = Client(workbench.url)
    usage_id = learner.usage_ids(FRENCH)[0]
    learner.submit(usage_id, french_answers)
    assert learner.call(usage_id, "export_csv", body=None)[0] == 403
    staff = Client(workbench.url, student=f"staff-{uuid.uuid4().hex[:6]}")
    assert "Résultats du groupe (anonymes)" in staff.page(FRENCH)
    status, content_type, text = staff.call(usage_id, "export_csv", body=None)
    assert (status, content_type) == (200, "text/csv")
    assert text.startswith("section,id,label,item_id,item_label,count,mean")
    assert learner.student not in text
