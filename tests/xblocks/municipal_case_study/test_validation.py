"""validate(): every schema error and every semantic rule, each located by its JSON path."""
from pathlib import Path

import pytest
import yaml
from municipal_case_study import codec

from .helpers import DATA, case

INVALID = yaml.safe_load((DATA / "invalid" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", INVALID, ids=[item["name"] for item in INVALID])
def test_invalid_case_reports_exactly_the_expected_problems(fixture):
    problems = codec.validate(fixture["case"])
    found = [(list(problem.path), problem.message) for problem in problems]
    for path, fragment in fixture["expected"]:
        assert any(p == path and fragment in message for p, message in found), (path, fragment, found)
    assert len(problems) == len(fixture["expected"]), found


def test_problems_are_named_tuples_with_json_paths_and_hints():
    problem = codec.validate(INVALID[3]["case"])[0]
    assert problem._fields == ("path", "message", "hint")
    assert all(isinstance(part, (str, int)) for part in problem.path)
    assert problem.hint


def test_quoted_date_hint_for_an_unquoted_yaml_date():
    problems = codec.validate(INVALID[0]["case"])
    hint = next(p.hint for p in problems if p.path == ("sources", 0, "consulted"))
    assert "quote" in hint


def test_rubric_scoring_needs_a_rubric_step():
    data = case("case_311_fr")
    data["settings"]["scoring"] = "rubric"
    assert codec.validate(data) == []
    data["steps"] = [step for step in data["steps"] if step["type"] != "rubric"]
    assert [p.path for p in codec.validate(data)] == [("settings", "scoring")]


def test_non_mapping_data_is_a_problem_not_a_crash():
    assert codec.validate(["not", "a", "case"])[0].path == ()


def test_module_file_keys_type_and_id_are_not_case_data():
    data = {**case("case_snow_en"), "type": "municipal_case_study"}
    assert [p.path for p in codec.validate(data)] == [()]
    assert "'type' was unexpected" in codec.validate(data)[0].message


def test_fixture_file_exists():
    assert Path(DATA / "invalid" / "cases.yaml").is_file()
