"""Hostile request bodies and Studio YAML: a clear JSON error, never a 500, and no field changed.

Deep nesting exhausts the recursion of json and of PyYAML's composer (RecursionError); YAML
aliases expand ("billion laughs") or make a value contain itself; some scalars make Python raise
ValueError. All are refused where bodies and YAML are parsed (endpoints.read_json,
authoring.parse), so every handler gets the same answer. Pure: runs on Python 3.11 too.
"""
import json

import pytest
from self_assessment_quiz import authoring
from self_assessment_quiz.endpoints import MAX_BODY_BYTES, MAX_JSON_DEPTH

from .helpers import correct_answers, make_block, post, wrong_answers

TOO_DEEP_FR = "La requête imbrique trop profondément des listes ou des objets."


def _fields(block) -> dict:
    """Every field's value and whether it is set: what a refused request must leave alone."""
    return {name: (field.is_set_on(block), json.dumps(getattr(block, name), sort_keys=True, default=str))
            for name, field in block.fields.items()}


@pytest.fixture
def block(quiz_data):
    block = make_block(quiz_data)
    assert post(block, "submit", {"answers": wrong_answers(quiz_data)})[0] == 200  # state to protect
    block.runtime.publish.reset_mock()
    return block


def _nested(depth: int, leaf="a"):
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


JSON_HANDLERS = {"submit": "answers", "log_event": "action", "studio_submit": "yaml"}
DEEP_BODIES = {
    # 10 KB, far below the 64 KiB limit: json.loads raises RecursionError
    "bare array 5000 deep": lambda key: b"[" * 5000 + b"]" * 5000,
    "array 5000 deep in the expected key": lambda key: f'{{"{key}": {"[" * 5000}{"]" * 5000}}}'.encode(),
    "object 5000 deep": lambda key: ('{"a": ' * 5000 + "1" + "}" * 5000).encode(),
    # parsed fine by json, refused by the depth check
    "one level over the limit": lambda key: json.dumps({key: _nested(MAX_JSON_DEPTH)}).encode(),
}


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
@pytest.mark.parametrize("handler", sorted(JSON_HANDLERS))
def test_deeply_nested_json_is_refused_by_every_json_handler(handler, shape, block):
    body = DEEP_BODIES[shape](JSON_HANDLERS[handler])
    assert len(body) < MAX_BODY_BYTES
    before = _fields(block)
    status, reply = post(block, handler, body=body)
    assert (status, reply) == (400, {"error": {"code": "too_deep", "message": TOO_DEEP_FR}})
    assert _fields(block) == before
    assert block.runtime.publish.call_count == 0


def test_nesting_up_to_the_limit_reaches_the_handler(block, quiz_data):
    """The check refuses only what is deeper than MAX_JSON_DEPTH: this body gets the usual error."""
    answers = {**correct_answers(quiz_data), "q-usage": _nested(MAX_JSON_DEPTH - 2)}
    status, reply = post(block, "submit", {"answers": answers})
    assert (status, reply["error"]["code"], reply["error"]["question_id"]) == (400, "wrong_type", "q-usage")


LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdef", "bcdefg", strict=True)]
    + ["title: Lol"]
)
HOSTILE_YAML = {
    # name: (YAML text, words of the problem's message, its line)
    "flow sequences 5000 deep": ("x: " + "[" * 5000 + "]" * 5000, "nested more than 32 levels deep", 1),
    "flow mappings 5000 deep": ("x: " + "{a: " * 5000 + "1" + "}" * 5000, "nested more than 32 levels deep", 1),
    "billion laughs": (LAUGHS, "aliases (*a) are not accepted", 2),
    "recursive alias": ("a: &a [*a]\ntitle: x", "aliases (*a) are not accepted", 1),
    "mapping that contains itself": ("&q {title: x, intro: *q}", "aliases (*q) are not accepted", 1),
    "merge key": ("base: &b {title: x}\n<<: *b", "aliases (*b) are not accepted", 2),
    "integer of 6000 digits": ("title: x\nweight: 0x" + "f" * 5000, "integers beyond", 2),
    "not a number": ("title: x\nweight: .nan", "not a number (.nan)", 2),
    "impossible date": ("title: x\nintro: 2024-13-45", "month must be in 1..12", 2),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_studio_submit_refuses_hostile_yaml_and_saves_nothing(case, block):
    text, words, line = HOSTILE_YAML[case]
    before = _fields(block)
    status, reply = post(block, "studio_submit", {"yaml": text})
    assert status == 400
    error = reply["error"]
    assert error["code"] == "invalid_quiz"
    assert error["message"] == "Le questionnaire contient des erreurs; rien n’a été enregistré."
    assert len(error["problems"]) == 1
    assert words in error["problems"][0]["message"] and error["problems"][0]["line"] == line
    assert _fields(block) == before
    assert block.runtime.publish.call_count == 0


def test_an_alias_is_refused_even_in_an_otherwise_valid_quiz(quiz_data):
    valid = authoring.dump(quiz_data)
    data, problems = authoring.parse(valid.replace("title: ", "title: &t ", 1) + "subtitle: *t\n")
    assert data is None
    assert [p.message for p in problems] == ["YAML syntax: aliases (*t) are not accepted: write the value out"]
    assert authoring.parse(valid.replace("title: ", "title: &t ", 1))[1] == []  # an anchor alone is harmless


def test_nesting_up_to_the_yaml_limit_is_only_a_validation_problem():
    text = "title: x\nintro: " + "[" * (authoring.MAX_YAML_DEPTH - 1) + "]" * (authoring.MAX_YAML_DEPTH - 1)
    _, problems = authoring.parse(text)
    assert problems and not any("YAML syntax" in p.message for p in problems)


# A lone surrogate or an XML-incompatible control character is valid JSON ("\ud800" escape) but
# cannot be encoded as UTF-8 (the unknown_question error used to echo it: 500). read_json refuses
# it, keys and values at any depth, and replies are ASCII-escaped so their encoding cannot raise.
@pytest.mark.parametrize("body", [
    {"answers": {"\ud800": 1}},
    {"answers": {"q": "\udfff"}},
    {"answers": {"q": [["\x0b"]]}},
    {"action": "\ufffe"},
    {"\x00": 1, "yaml": "title: x"},
], ids=["answer key", "answer value", "deep value", "action", "top-level key"])
@pytest.mark.parametrize("handler", sorted(JSON_HANDLERS))
def test_xml_incompatible_strings_anywhere_in_the_body_are_refused(block, handler, body):
    before = _fields(block)
    status, reply = post(block, handler, body)
    assert status == 400
    assert reply["error"]["code"] == "invalid_json"
    assert _fields(block) == before
    assert not block.runtime.publish.called


def test_json_replies_are_ascii_so_encoding_them_cannot_fail():
    from self_assessment_quiz.endpoints import json_response
    response = json_response({"echo": "\ud800 é"})
    assert response.body == b'{"echo": "\\ud800 \\u00e9"}'
