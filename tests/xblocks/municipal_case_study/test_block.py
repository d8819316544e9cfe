"""The block on xblock.test.tools.TestRuntime: handlers, grading, events, views, staff, Studio.

Pure (no xblock-sdk, no Django): runs on Python 3.11 with XBlock 6.1.0 too.
"""
import json
import re
from pathlib import Path

import pytest
import webob
from lxml import html as lxml_html
from municipal_case_study import authoring
from municipal_case_study import block as block_module
from municipal_case_study.block import EVENT_PREFIX, EVENTS, MunicipalCaseStudyBlock
from xblock.field_data import DictFieldData
from xblock.reference.user_service import UserService, XBlockUser

from .helpers import act, case, make_block, post, published, state_fields
from .test_progress import SECRETS_311


class FakeUser(UserService):
    def __init__(self, staff):
        super().__init__(user=None)
        self.staff = staff

    def get_current_user(self):
        user = XBlockUser(is_current_user=True, emails=["learner@example.org"], full_name="Camille Tremblay")
        user.opt_attrs["edx-platform.user_is_staff"] = self.staff
        return user


class EnglishI18n:
    def get_language(self):
        return "en-us"


def walk_to_the_end(block, option="pilote"):
    replies = [act(block, "choose", step_id="approche", option_id=option), act(block, "advance", step_id="approche"),
               act(block, "choose", step_id="donnees", option_id="efvp"), act(block, "advance", step_id="donnees"),
               act(block, "submit", step_id="justification", text="Ma recommandation : " + "x" * 160),
               act(block, "advance", step_id="justification"),
               act(block, "rate", step_id="autoevaluation",
                   ratings={"vie-privee": 2, "parties-prenantes": 1, "mesure": 1}),
               act(block, "advance", step_id="autoevaluation")]
    assert all(status == 200 for status, _ in replies), replies
    return replies[-1][1]["view"]


def test_declares_scoring_multi_device_and_needs_i18n():
    block = make_block(case())
    assert block.has_score and block.max_score() == 1.0 and block.weight == 1
    assert MunicipalCaseStudyBlock.has_custom_completion
    assert block.has_support(block.student_view, "multi_device")
    assert MunicipalCaseStudyBlock.service_declaration("i18n") == "need"
    assert block.fields["weight"].__class__.__name__ == "Float"


def test_no_score_in_none_mode():
    data = case()
    data["settings"]["scoring"] = "none"
    block = make_block(data)
    assert not block.has_score and block.max_score() is None
    walk_to_the_end(block)
    names = [name for name, _ in published(block)]
    assert "grade" not in names and names[-1] == "completion"


def test_grade_and_completion_are_published_once_by_the_server_at_the_end():
    block = make_block(case())
    view = walk_to_the_end(block)
    events = published(block)
    grades = [payload for name, payload in events if name == "grade"]
    assert grades == [{"value": 1.0, "max_value": 1.0, "only_if_higher": None}]  # pilote 3/3 + efvp 3/3
    assert [payload for name, payload in events if name == "completion"] == [{"completion": 1.0}]
    assert view["status"] == "completed" and view["score"] == 1.0
    assert block.get_score().raw_earned == 1.0 and block.has_submitted_answer()


def test_only_allow_listed_analytics_events_are_published():
    block = make_block(case())
    walk_to_the_end(block)
    assert act(block, "reset")[0] == 200
    names = {name for name, _ in published(block)} - {"grade", "completion"}
    assert names == {EVENT_PREFIX + event for event in EVENTS} - {EVENT_PREFIX + "draft_saved"}
    assert not hasattr(block, "publish_event")  # no handler forwards browser events


def test_no_grade_or_completion_outside_a_course():
    locator = pytest.importorskip("opaque_keys.edx.locator")
    LibraryLocatorV2, LibraryUsageLocatorV2 = locator.LibraryLocatorV2, locator.LibraryUsageLocatorV2  # noqa: N806
    library_usage = LibraryUsageLocatorV2(LibraryLocatorV2("Org", "lib"), "municipal_case_study", "c1")
    block = make_block(case(), usage_id=library_usage)
    walk_to_the_end(block)
    names = [name for name, _ in published(block)]
    assert "grade" not in names and "completion" not in names
    assert EVENT_PREFIX + "completed" in names


BAD_REQUESTS = [
    (b"{not json", "invalid_json", 400),
    (b"\xff\xfe", "invalid_json", 400),
    (b"[1, 2]", "expected_object", 400),
    (json.dumps({"action": "submit", "step_id": "approche", "text": "x" * 200_000}).encode(), "payload_too_large", 413),
    ({"action": "choose", "step_id": "donnees", "option_id": "efvp"}, "step_not_current", 409),
    ({"action": "choose", "step_id": "approche", "option_id": 7}, "invalid_field", 400),
    ({"action": "choose", "step_id": "inconnue", "option_id": "x"}, "unknown_step", 400),
    ({"action": "publish", "event_type": "grade", "value": 1}, "unknown_action", 400),
]


@pytest.mark.parametrize(("body", "code", "status"), BAD_REQUESTS, ids=[c for _, c, _ in BAD_REQUESTS])
def test_bad_requests_get_a_clear_json_error_and_change_nothing(body, code, status):
    block = make_block(case())
    act(block, "save_draft", step_id="approche", text="x")  # refused too: wrong step type
    before = state_fields(block)
    response = post(block, "learner_action", body)
    reply = json.loads(response.body)
    assert (response.status_code, reply["error"]["code"]) == (status, code)
    assert reply["error"]["message"] and response.content_type == "application/json"
    assert state_fields(block) == before
    assert not [name for name, _ in published(block) if name in ("grade", "completion")]


def test_get_is_refused_with_405():
    response = make_block(case()).handle("learner_action", webob.Request.blank("/", method="GET"))
    assert response.status_code == 405 and json.loads(response.body)["error"]["code"] == "method_not_allowed"


def test_submission_after_completion_is_refused_without_change():
    block = make_block(case())
    walk_to_the_end(block)
    before = state_fields(block)
    status, reply = act(block, "choose", step_id="bilan", option_id="x")
    assert (status, reply["error"]["code"]) == (409, "completed")
    assert reply["error"]["message"] == "Le cas est déjà terminé."
    assert state_fields(block) == before


def test_error_messages_follow_the_course_language():
    block = make_block(case(), services={"i18n": EnglishI18n()})
    status, reply = act(block, "advance", step_id="approche")
    assert reply["error"]["message"] == "Finish this step before continuing."
    assert "Fictional municipality" in block.student_view().content


def test_french_is_the_default_interface_language():
    content = make_block(case("case_snow_en")).student_view().content
    assert "Municipalité fictive" in content and "Profil de la municipalité" in content


def test_reset_is_refused_unless_the_author_allows_it():
    data = case()
    del data["settings"]["allow_reset"]
    block = make_block(data)
    act(block, "choose", step_id="approche", option_id="pilote")
    before = state_fields(block)
    assert act(block, "reset")[1]["error"]["code"] == "reset_not_allowed"
    assert state_fields(block) == before


def test_reset_starts_over_and_keeps_the_published_grade():
    block = make_block(case())
    walk_to_the_end(block)
    status, reply = act(block, "reset")
    assert status == 200 and reply["view"]["current"]["id"] == "approche"
    assert block.path == [{"step": "approche", "option": None}] and block.answers == {}
    assert block.raw_earned == 1.0


def test_resumes_where_the_learner_left_off():
    block = make_block(case())
    act(block, "choose", step_id="approche", option_id="embauche")
    act(block, "advance", step_id="approche")
    act(block, "save_draft", step_id="justification", text="Mon brouillon")
    view = json.loads(app_element(block)["data-view"])
    assert view["current"]["id"] == "justification" and view["current"]["draft"] == "Mon brouillon"
    assert view["progress"]["position"] == 2


def app_element(block):
    tree = lxml_html.fromstring(block.student_view().content)
    return tree.xpath("//*[@class='mcs-app']")[0].attrib


def test_student_view_html_never_holds_unearned_content():
    block = make_block(case())
    content = block.student_view().content
    for secret in SECRETS_311:
        assert secret not in content
    act(block, "choose", step_id="approche", option_id="pilote")
    content = block.student_view().content
    assert "Le pilote démarre" in content and "Le rabais est obtenu" not in content


def test_student_view_data_and_user_state_never_hold_unearned_content():
    block = make_block(case())
    data = json.dumps(block.student_view_data(), ensure_ascii=False)
    state = post(block, "student_view_user_state", {}).body.decode("utf-8")
    for secret in SECRETS_311:
        assert secret not in data and secret not in state
    assert json.loads(state)["current"]["id"] == "approche"


def test_learner_text_is_escaped_in_the_page():
    block = make_block(case())
    act(block, "choose", step_id="approche", option_id="embauche")
    act(block, "advance", step_id="approche")
    act(block, "save_draft", step_id="justification", text="</script><script>alert(1)</script>")
    content = block.student_view().content
    assert "<script>alert(1)" not in content
    assert json.loads(app_element(block)["data-view"])["current"]["draft"] == "</script><script>alert(1)</script>"


def test_author_html_is_sanitised():
    data = case()
    data["introduction"] = 'Texte <script>alert(1)</script><img src=x onerror="alert(2)"> [lien](javascript:alert(3))'
    content = make_block(data).student_view().content
    assert "<script" not in content and "onerror" not in content and "javascript:" not in content


def test_page_structure_headings_tables_and_fictional_badge():
    block = make_block(case())
    tree = lxml_html.fromstring(block.student_view().content)
    assert tree.xpath("//h2")[0].text_content() == "Un agent conversationnel pour le 311 de Saint-Exemple"
    assert tree.xpath("//*[@class='mcs-badge']")[0].text_content() == "Municipalité fictive"
    table = tree.xpath("//table")[0]
    assert table.xpath("caption")[0].text_content() == "Appels au 311 par motif, 2024"
    assert {th.get("scope") for th in table.xpath(".//th")} == {"col"}
    assert tree.xpath("//img")[0].get("alt").startswith("Histogramme")
    assert "48\u202f200" in tree.text_content()


def test_ids_are_unique_and_derived_from_the_usage_id():
    first, second = make_block(case(), usage_id="u-1"), make_block(case(), usage_id="u-2")
    ids = [re.findall(r'id="([^"]+)"', b.student_view().content) for b in (first, second)]
    assert len(set(ids[0])) == len(ids[0])
    assert not set(ids[0]) & set(ids[1])
    assert all(i.startswith(first.id_prefix) for i in ids[0]) and first.id_prefix != second.id_prefix


def test_staff_panel_and_csv_show_anonymous_counts_only():
    field_data = DictFieldData({})
    learner = make_block(case(), user_id="learner-1", field_data=field_data)
    walk_to_the_end(learner)
    staff = make_block(case(), user_id="staff-1", field_data=field_data, services={"user": FakeUser(staff=True)})
    content = staff.student_view().content
    assert "Synthèse pour l’équipe enseignante (anonyme)" in content and "Cas terminés" in content
    response = staff.handle("staff_csv", webob.Request.blank("/"))
    assert response.status_code == 200 and response.content_type == "text/csv"
    rows = response.body.decode("utf-8").splitlines()
    assert rows[0] == "kind,step_id,step_title,item_id,item_label,level,level_label,count"
    assert "decision,approche,Quelle approche recommander?,pilote," in "\n".join(rows)
    assert rows[-1] == "completion,,,,,,,1"
    for personal in ("learner-1", "Camille", "example.org", "Ma recommandation"):
        assert personal not in response.body.decode("utf-8") and personal not in content


def test_staff_csv_is_refused_to_learners():
    block = make_block(case(), services={"user": FakeUser(staff=False)})
    assert "Synthèse" not in block.student_view().content
    response = block.handle("staff_csv", webob.Request.blank("/"))
    assert response.status_code == 403 and json.loads(response.body)["error"]["code"] == "staff_only"


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    from municipal_case_study import staff
    data = case()
    data["steps"][0]["options"][0]["label"] = "=HYPERLINK(\"http://x\")"
    assert "'=HYPERLINK" in staff.to_csv(data["steps"], {}, {}, 0)


def test_studio_view_has_a_labelled_yaml_editor():
    tree = lxml_html.fromstring(make_block(case()).studio_view().content)
    textarea = tree.xpath("//textarea")[0]
    assert tree.xpath(f"//label[@for='{textarea.get('id')}']")
    assert "title: Un agent conversationnel" in textarea.text and "scoring: decisions" in textarea.text


def test_studio_submit_saves_a_valid_case_pasted_from_a_module_file():
    block = make_block(case())
    source = "type: municipal_case_study\nid: cas-neige\n" + authoring.dump(case("case_snow_en"))
    response = post(block, "studio_submit", {"source": source})
    assert response.status_code == 200, response.body
    assert block.authored_data() == case("case_snow_en")


@pytest.mark.parametrize(("source", "expected"), [
    ("title: [unclosed", "Le YAML est illisible"),
    ("- a list", "Le YAML doit décrire un dictionnaire"),
    (None, "n’a pas le bon type"),
])
def test_studio_submit_refuses_unreadable_sources(source, expected):
    block = make_block(case())
    response = post(block, "studio_submit", {"source": source})
    assert response.status_code == 400 and expected in json.loads(response.body)["error"]["message"]
    assert block.authored_data() == case()


def test_studio_submit_refuses_an_invalid_case_and_saves_nothing():
    data = case("case_snow_en")
    data["title"] = "Nouveau titre"
    data["steps"][0]["options"][0]["next"] = "nulle-part"
    block = make_block(case())
    response = post(block, "studio_submit", {"source": authoring.dump(data)})
    error = json.loads(response.body)["error"]
    assert response.status_code == 400 and error["code"] == "invalid_case"
    assert error["problems"][0]["path"] == "steps[0].options[0].next"
    assert "does not exist" in error["problems"][0]["message"]
    assert block.authored_data() == case() and block.display_name != "Nouveau titre"


def test_settings_are_exported_only_when_set():
    data = case()
    del data["settings"]
    block = make_block(data)
    assert block.authored_data() == data
    assert (block.scoring, block.allow_reset, block.weight) == ("none", False, 1.0)


def test_event_names_are_documented_in_the_readme():
    text = (Path(block_module.__file__).parent / "README.md").read_text(encoding="utf-8")
    for event in EVENTS:
        assert f"`{EVENT_PREFIX}{event}`" in text
