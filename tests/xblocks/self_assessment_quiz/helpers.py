"""Helpers for the self-assessment quiz tests (pure: XBlock + lxml only, Python 3.11 too)."""
import copy
import json
from pathlib import Path
from unittest import mock

import webob
from lxml import etree
from self_assessment_quiz import codec
from self_assessment_quiz.block import SelfAssessmentQuizBlock
from xblock.field_data import DictFieldData
from xblock.fields import ScopeIds
from xblock.test.tools import TestRuntime

PACKAGE = Path(codec.__file__).parent
SCENARIOS = PACKAGE / "scenarios"


def scenario_data(name: str) -> dict:
    """Authored data of a scenario file whose root is the block itself."""
    return codec.from_element(etree.parse(str(SCENARIOS / name)).getroot())


class CourseKey:
    """Stands for opaque-keys' CourseLocator: `is_course` is what the block checks."""

    is_course = True

    def __str__(self):
        return "course-v1:Ville+IA101+2026"


class CourseUsageId:
    """Stands for the LMS's BlockUsageLocator (a usage inside a course)."""

    def __init__(self, name):
        self.context_key = CourseKey()
        self.block_id = name

    def __str__(self):
        return f"block-v1:Ville+IA101+2026+type@self_assessment_quiz+block@{self.block_id}"


class StaffUser:
    def __init__(self, is_staff):
        self.opt_attrs = {"edx-platform.user_is_staff": is_staff}


def make_block(data=None, *, in_course=True, staff=False, field_data=None, usage_name="quiz1"):
    """A block on TestRuntime with publish recorded in `block.runtime.publish` (a Mock)."""
    user_service = mock.Mock(get_current_user=mock.Mock(return_value=StaffUser(staff)))
    runtime = TestRuntime(services={"field-data": field_data or DictFieldData({}), "user": user_service})
    runtime.publish = mock.Mock()
    runtime.handler_url = lambda block, name, suffix="", query="", thirdparty=False: f"/handler/{name}"
    usage_id = CourseUsageId(usage_name) if in_course else usage_name
    block = runtime.construct_xblock_from_class(
        SelfAssessmentQuizBlock, ScopeIds("learner-1", codec.TAG, f"def-{usage_name}", usage_id)
    )
    if data is not None:
        block.apply_data(copy.deepcopy(data))
    return block


def post(block, handler: str, payload=None, *, body: bytes | None = None, method="POST"):
    """Call a handler like the LMS does; returns (status code, decoded JSON or text)."""
    if body is None:
        body = b"" if payload is None else json.dumps(payload).encode("utf-8")
    response = block.handle(handler, webob.Request.blank("/", method=method, body=body))
    text = response.body.decode("utf-8")
    is_json = response.content_type == "application/json"
    return response.status_code, (json.loads(text) if is_json else text)


def correct_answers(data: dict) -> dict:
    """Answers that are right for every knowledge question and top of the scale otherwise."""
    answers = {}
    for question in data["questions"]:
        if question["type"] == "true_false":
            answers[question["id"]] = "true" if question["answer"] else "false"
        elif question["type"] == "single":
            answers[question["id"]] = next(c["id"] for c in question["choices"] if c.get("correct"))
        elif question["type"] == "multiple":
            answers[question["id"]] = [c["id"] for c in question["choices"] if c.get("correct")]
        else:
            scale = question.get("scale") or data["scale"]
            answers[question["id"]] = scale[-1]["value"]
    return answers


def wrong_answers(data: dict) -> dict:
    """Answers that are wrong for every knowledge question and bottom of the scale otherwise."""
    answers = {}
    for question in data["questions"]:
        if question["type"] == "true_false":
            answers[question["id"]] = "false" if question["answer"] else "true"
        elif question["type"] in ("single", "multiple"):
            wrong = next(c["id"] for c in question["choices"] if not c.get("correct"))
            answers[question["id"]] = [wrong] if question["type"] == "multiple" else wrong
        else:
            scale = question.get("scale") or data["scale"]
            answers[question["id"]] = scale[0]["value"]
    return answers
