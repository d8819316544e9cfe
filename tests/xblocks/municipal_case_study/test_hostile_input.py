"""Hostile request bodies and Studio YAML: a clear JSON error, never a 500, and no field changed.

Deep nesting exhausts the recursion of json and of PyYAML's composer (RecursionError); YAML
aliases expand ("billion laughs") or make a value contain itself; some scalars make Python raise
ValueError. All are refused where bodies and YAML are parsed (block._json_body, authoring.load),
so every handler gets the same answer. Pure: runs on Python 3.11 too.
"""
import json

import pytest
import yaml
from municipal_case_study import authoring
from municipal_case_study.block import MAX_BODY_BYTES, MAX_JSON_DEPTH

from .helpers import act, case, make_block, post, published

TOO_DEEP_FR = "La requête imbrique trop profondément des listes ou des objets."


def _fields(block) -> dict:
    """Every field's value and whether it is set: what a refused request must leave alone."""
    return {name: (field.is_set_on(block), json.dumps(getattr(block, name), sort_keys=True, default=str))
            for name, field in block.fields.items()}


@pytest.fixture
def block():
    block = make_block(case())
    assert act(block, "choose", step_id="approche", option_id="pilote")[0] == 200  # state to protect
    block.runtime.publish.reset_mock()
    return block


def _nested(depth: int, leaf="a"):
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


JSON_HANDLERS = {"learner_action": "action", "studio_submit": "source"}
DEEP_BODIES = {
    # 10 KB, far below the 128 KiB limit: json.loads raises RecursionError
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
    response = post(block, handler, body)
    assert response.status_code == 400 and response.content_type == "application/json"
    assert json.loads(response.body) == {"error": {"code": "too_deep", "message": TOO_DEEP_FR}}
    assert _fields(block) == before
    assert published(block) == []


def test_nesting_up_to_the_limit_reaches_the_handler(block):
    """The check refuses only what is deeper than MAX_JSON_DEPTH: this body gets the usual error."""
    response = post(block, "learner_action", {"action": "advance", "step_id": _nested(MAX_JSON_DEPTH - 1)})
    assert (response.status_code, json.loads(response.body)["error"]["code"]) == (400, "invalid_field")


LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdef", "bcdefg", strict=True)]
    + ["title: Lol"]
)
HOSTILE_YAML = {
    # name: (YAML text, words of the error message, its line)
    "flow sequences 5000 deep": ("x: " + "[" * 5000 + "]" * 5000, "nested more than 32 levels deep", 1),
    "flow mappings 5000 deep": ("x: " + "{a: " * 5000 + "1" + "}" * 5000, "nested more than 32 levels deep", 1),
    "billion laughs": (LAUGHS, "aliases (*a) are not accepted", 2),
    "recursive alias": ("a: &a [*a]\ntitle: x", "aliases (*a) are not accepted", 1),
    "mapping that contains itself": ("&s {title: x, steps: *s}", "aliases (*s) are not accepted", 1),
    "merge key": ("base: &b {title: x}\n<<: *b", "aliases (*b) are not accepted", 2),
    "integer of 6000 digits": ("title: x\nmunicipality: {population: 0x" + "f" * 5000 + "}", "integers beyond", 2),
    "not a number": ("title: x\nmunicipality: {population: .nan}", "not a number (.nan)", 2),
    "impossible date": ("title: x\nintroduction: 2024-13-45", "month must be in 1..12", 2),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
def test_studio_submit_refuses_hostile_yaml_and_saves_nothing(name, block):
    source, words, line = HOSTILE_YAML[name]
    before = _fields(block)
    response = post(block, "studio_submit", {"source": source})
    assert response.status_code == 400 and response.content_type == "application/json"
    error = json.loads(response.body)["error"]
    assert error["code"] == "invalid_case" and error["problems"] == []
    assert error["message"].startswith("Le YAML est illisible\u00a0: ")
    assert words in error["message"] and f"line {line}," in error["message"]
    assert _fields(block) == before
    assert published(block) == []


def test_an_alias_is_refused_even_in_an_otherwise_valid_case():
    valid = authoring.dump(case())
    with pytest.raises(yaml.YAMLError, match=r"aliases \(\*t\) are not accepted"):
        authoring.load(valid.replace("title: ", "title: &t ", 1) + "subtitle: *t\n")
    assert authoring.load(valid.replace("title: ", "title: &t ", 1)) == case()  # an anchor alone is harmless


def test_nesting_up_to_the_yaml_limit_loads():
    depth = authoring.MAX_SOURCE_DEPTH - 1  # the mapping is the first level
    assert authoring.load("x: " + "[" * depth + "]" * depth) == {"x": _nested(depth - 1, leaf=[])}


# A lone surrogate or an XML-incompatible control character is valid JSON ("\ud800" escape) but
# can be neither encoded as UTF-8 nor stored in OLX: _json_body refuses it, keys and values at any
# depth, before any state changes, and replies are ASCII-escaped so their encoding cannot raise.
XML_INCOMPATIBLE_CHARS = ["\ud800", "\udfff", "\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff"]
INVALID_JSON_FR = "La requête n’est pas du JSON valide."


def _at_reflection(block) -> str:
    """Walk the first options up to the first reflection step; its id."""
    status, view = act(block, "advance", step_id="approche")
    assert status == 200, view
    current = view["view"]["current"]
    while current["type"] == "decision":
        act(block, "choose", step_id=current["id"], option_id=current["options"][0]["id"])
        status, view = act(block, "advance", step_id=current["id"])
        current = view["view"]["current"]
    assert current["type"] == "reflection"
    return current["id"]


@pytest.mark.parametrize("char", XML_INCOMPATIBLE_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_draft_holding_an_xml_incompatible_character_is_refused_and_not_saved(block, char):
    step_id = _at_reflection(block)
    before = _fields(block)
    response = post(block, "learner_action", {"action": "save_draft", "step_id": step_id, "text": f"abc {char}"})
    assert response.status_code == 400
    assert json.loads(response.body)["error"] == {"code": "invalid_json", "message": INVALID_JSON_FR}
    assert _fields(block) == before
    block.student_view()  # still renders
    assert post(block, "student_view_user_state", {}).status_code == 200


@pytest.mark.parametrize("body", [
    {"action": "save_draft", "step_id": "justification", "text": "abc \ud800"},
    {"action": "rate", "step_id": "approche", "ratings": {"\ud800": 1}},
    {"action": "choose", "step_id": "approche", "option_id": "pilote", "extra": [[{"k": ["\x0b"]}]]},
    {"\ufffe": 1, "action": "reset"},
], ids=["value", "nested key", "deep value", "top-level key"])
@pytest.mark.parametrize("handler", sorted(JSON_HANDLERS))
def test_xml_incompatible_strings_anywhere_in_the_body_are_refused(block, handler, body):
    before = _fields(block)
    response = post(block, handler, body)
    assert response.status_code == 400
    assert json.loads(response.body)["error"]["code"] == "invalid_json"
    assert _fields(block) == before
    assert not published(block)


def test_tab_newline_and_astral_characters_are_still_accepted(block):
    step_id = _at_reflection(block)
    text = "ligne\tun\r\nligne deux \U0001F600 é"
    status, _ = act(block, "save_draft", step_id=step_id, text=text)
    assert status == 200
    assert block.drafts[step_id] == text.replace("\r\n", "\n")  # line ends are normalised


def test_json_replies_are_ascii_so_encoding_them_cannot_fail():
    from municipal_case_study.block import _json_response
    response = _json_response({"echo": "\ud800 é"})
    assert response.body == b'{"echo": "\\ud800 \\u00e9"}'


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\ufffe", "\ud800"], ids=lambda c: f"U+{ord(c):04X}")
def test_studio_refuses_characters_olx_cannot_hold_with_their_path(block, char):
    escaped = json.dumps(char)[1:-1]  # YAML double-quoted escape, e.g. \u000b
    valid = authoring.dump(case())
    source = valid.replace("  name: Ville de Saint-Exemple", f'  name: "Ville{escaped}"', 1)
    assert source != valid
    before = _fields(block)
    response = post(block, "studio_submit", {"source": source})
    assert response.status_code == 400
    problems = json.loads(response.body)["error"]["problems"]
    assert problems == [{"path": "municipality.name",
                         "message": f"character U+{ord(char):04X} cannot be stored in OLX",
                         "hint": "remove control characters (often pasted from a word processor)"}]
    assert _fields(block) == before
