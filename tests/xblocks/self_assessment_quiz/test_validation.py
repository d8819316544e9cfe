"""validate(): every schema error and every semantic rule, each with a path into the data."""
import copy

import pytest
from self_assessment_quiz import codec


def _problems(data):
    return [(problem.path, problem.message) for problem in codec.validate(data)]


def _mutated(data, change):
    data = copy.deepcopy(data)
    change(data)
    return data


def test_the_scenario_is_valid(quiz_data):
    assert codec.validate(quiz_data) == []


def test_problems_are_named_tuples_with_path_message_and_hint(quiz_data):
    problem = codec.validate(_mutated(quiz_data, lambda d: d["questions"][0].update(type="oui_non")))[0]
    assert problem.path == ("questions", 0, "type")
    assert "oui_non" in problem.message
    assert "single" in problem.hint and problem._fields == ("path", "message", "hint")


def test_all_schema_errors_are_reported_not_just_the_first(quiz_data):
    def break_three_things(data):
        del data["title"]
        data["max_attempts"] = -1
        data["dimensions"][0]["bands"][0]["min"] = "zéro"

    paths = [path for path, _ in _problems(_mutated(quiz_data, break_three_things))]
    assert () in paths  # 'title' is a required property
    assert ("max_attempts",) in paths
    assert ("dimensions", 0, "bands", 0, "min") in paths


SEMANTIC_CASES = {
    "duplicate dimension id": (
        lambda d: d["dimensions"].append(copy.deepcopy(d["dimensions"][0])),
        ("dimensions", 3, "id"), "duplicate dimension id 'comprendre'"),
    "duplicate question id": (
        lambda d: d["questions"][1].update(id="q-hallucination"),
        ("questions", 1, "id"), "duplicate question id"),
    "unknown dimension": (
        lambda d: d["questions"][0].update(dimension="ethique"),
        ("questions", 0, "dimension"), "unknown dimension 'ethique'"),
    "duplicate choice id": (
        lambda d: d["questions"][1]["choices"][1].update(id="a"),
        ("questions", 1, "choices", 1, "id"), "duplicate choice id 'a'"),
    "single with two correct": (
        lambda d: d["questions"][1]["choices"][1].update(correct=True),
        ("questions", 1, "choices"), "exactly one correct choice, found 2"),
    "single with none correct": (
        lambda d: d["questions"][1]["choices"][0].update(correct=False),
        ("questions", 1, "choices"), "exactly one correct choice, found 0"),
    "multiple with none correct": (
        lambda d: [c.pop("correct", None) for c in d["questions"][2]["choices"]],
        ("questions", 2, "choices"), "at least one correct choice"),
    "band gap": (
        lambda d: d["dimensions"][0]["bands"][1].update(min=55),
        ("dimensions", 0, "bands", 1, "min"), "gap in the bands: no band covers 50–54"),
    "band overlap": (
        lambda d: d["dimensions"][0]["bands"][1].update(min=40),
        ("dimensions", 0, "bands", 1, "min"), "bands overlap"),
    "bands stop short of 100": (
        lambda d: d["dimensions"][0]["bands"][2].update(max=99),
        ("dimensions", 0, "bands", 2, "max"), "the bands stop at 99"),
    "bands do not start at 0": (
        lambda d: d["dimensions"][0]["bands"][0].update(min=1),
        ("dimensions", 0, "bands", 0, "min"), "no band covers 0–0"),
    "band min above max": (
        lambda d: d["dimensions"][1]["bands"][0].update(max=-0) or d["dimensions"][1]["bands"][1].update(min=1)
        or d["dimensions"][1]["bands"][0].update(min=5, max=0),
        ("dimensions", 1, "bands", 0), "greater than its max"),
    "duplicate band label": (
        lambda d: d["dimensions"][0]["bands"][1].update(label="Acquis"),
        ("dimensions", 0, "bands", 2, "label"), "duplicate band label 'Acquis'"),
    "recommendation with module and url": (
        lambda d: d["dimensions"][0]["bands"][0]["recommendations"][0].update(url="https://a.qc.ca"),
        ("dimensions", 0, "bands", 0, "recommendations", 0), "exactly one of 'module' or 'url'"),
    "recommendation with neither": (
        lambda d: d["dimensions"][0]["bands"][0]["recommendations"][0].pop("module"),
        ("dimensions", 0, "bands", 0, "recommendations", 0), "exactly one of 'module' or 'url'"),
    "recommendation url not http": (
        lambda d: d["dimensions"][1]["bands"][0]["recommendations"][1].update(url="javascript:alert(1)"),
        ("dimensions", 1, "bands", 0, "recommendations", 1, "url"), "is not an http(s) URL"),
    "recommendation url that urlsplit cannot parse": (
        lambda d: d["dimensions"][1]["bands"][0]["recommendations"][1].update(url="http://[x"),
        ("dimensions", 1, "bands", 0, "recommendations", 1, "url"), "is not an http(s) URL"),
    "likert without any scale": (
        lambda d: d.pop("scale"),
        ("questions", 3), "this likert question has no scale"),
    "scale not increasing": (
        lambda d: d["scale"][2].update(value=2),
        ("scale", 2, "value"), "scale values must increase"),
    "dimension without question": (
        lambda d: d["dimensions"].append({"id": "ethique", "label": "Éthique",
                                          "bands": [{"min": 0, "max": 100, "label": "Tout"}]}),
        ("dimensions", 3), "no question measures dimension 'ethique'"),
    "control character": (
        lambda d: d["questions"][0].update(prompt="Bip\x07"),
        ("questions", 0, "prompt"), "U+0007 cannot be stored in OLX"),
    "relative markdown image": (
        lambda d: d["questions"][0].update(prompt="Voir ![carte](images/carte.png)"),
        ("questions", 0, "prompt"), "Markdown image 'images/carte.png' is a relative file path"),
}


@pytest.mark.parametrize("case", sorted(SEMANTIC_CASES))
def test_semantic_rule(case, quiz_data):
    change, path, message = SEMANTIC_CASES[case]
    problems = _problems(_mutated(quiz_data, change))
    assert any(p == path and message in m for p, m in problems), problems


def test_absolute_and_web_markdown_images_are_fine(quiz_data):
    def images(data):
        data["questions"][0]["prompt"] = "![a](/static/carte.png) ![b](https://ville.qc.ca/b.png)"

    assert codec.validate(_mutated(quiz_data, images)) == []


def test_schema_rejects_keys_that_belong_to_another_question_type(quiz_data):
    problems = _problems(_mutated(quiz_data, lambda d: d["questions"][0].update(choices=[])))
    assert problems and problems[0][0] == ("questions", 0)
    assert "choices" in problems[0][1]


def test_semantic_rules_wait_for_a_valid_shape(quiz_data):
    # A wrong shape would make the semantic rules crash; they are skipped until it is fixed.
    assert _problems(_mutated(quiz_data, lambda d: d.update(questions="aucune"))) == [
        (("questions",), "'aucune' is not of type 'array'")]
