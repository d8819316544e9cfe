"""Shared helpers for the case-study tests: fixture cases and a block on the XBlock test runtime.

Pure: XBlock, lxml and PyYAML only, so the Python 3.11 run (XBlock 6.1.0) collects it.
"""
from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from unittest import mock

import webob
import yaml

DATA = Path(__file__).parent / "data"
CASES = ("case_311_fr", "case_snow_en")


@cache
def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name / "case.yaml").read_text(encoding="utf-8"))


def case(name: str = "case_311_fr") -> dict:
    """A fresh copy of a fixture case (author data, as in a module file minus type and id)."""
    return copy.deepcopy(_load(name))


def make_block(data: dict | None = None, user_id: str = "learner-1", services: dict | None = None,
               field_data=None, usage_id: str = "usage-1"):
    """A MunicipalCaseStudyBlock on xblock.test.tools.TestRuntime; ``runtime.publish`` is a Mock."""
    from municipal_case_study.block import MunicipalCaseStudyBlock
    from xblock.field_data import DictFieldData
    from xblock.fields import ScopeIds
    from xblock.test.tools import TestRuntime

    runtime = TestRuntime(services={"field-data": field_data or DictFieldData({}), **(services or {})})
    runtime.publish = mock.Mock()
    runtime.handler_url = mock.Mock(return_value="/handler/staff_csv")
    block = runtime.construct_xblock_from_class(
        MunicipalCaseStudyBlock, ScopeIds(user_id, "municipal_case_study", "def-1", usage_id))
    if data is not None:
        block.store(data)
    return block


def post(block, handler: str, body) -> webob.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    return block.handle(handler, webob.Request.blank("/", method="POST", body=raw))


def act(block, action: str, **payload) -> tuple[int, dict]:
    """Run a learner action; (HTTP status, decoded JSON reply)."""
    response = post(block, "learner_action", {"action": action, **payload})
    return response.status_code, json.loads(response.body)


def published(block) -> list[tuple[str, dict]]:
    """(event name, payload) of every runtime.publish call so far."""
    return [(call.args[1], call.args[2]) for call in block.runtime.publish.call_args_list]


def state_fields(block) -> dict:
    return {name: copy.deepcopy(getattr(block, name)) for name in ("path", "drafts", "answers", "ratings",
                                                                   "raw_earned")}
