"""The JSON Schema: valid draft 2020-12, one source of truth in two identical copies."""
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from self_assessment_quiz import codec

from .helpers import PACKAGE, SCENARIOS

REPO = Path(__file__).resolve().parents[3]
SHARED_COPY = REPO / "schemas" / "blocks" / "self_assessment_quiz.schema.json"


def test_packaged_schema_and_shared_copy_are_byte_identical():
    assert (PACKAGE / "schema.json").read_bytes() == SHARED_COPY.read_bytes()


def test_schema_is_valid_draft_2020_12_with_its_versioned_id():
    schema = codec.load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://parcours-ia.quebec/schemas/blocks/self_assessment_quiz/v1.json"


def test_load_schema_reads_the_packaged_file():
    assert codec.load_schema() == json.loads((PACKAGE / "schema.json").read_text(encoding="utf-8"))


def _examples(schema):
    """(sub-schema, example) for every `examples` list in the schema."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for example in node.get("examples", []):
                found.append((node, example))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


@pytest.mark.parametrize("index", range(len(_examples(codec.load_schema()))))
def test_every_example_in_the_schema_is_valid_for_its_own_sub_schema(index):
    schema = codec.load_schema()
    sub_schema, example = _examples(schema)[index]
    resolver_schema = {**sub_schema, "$defs": schema["$defs"]}
    resolver_schema.pop("$id", None)
    errors = list(Draft202012Validator(resolver_schema).iter_errors(example))
    assert errors == [], [error.message for error in errors]


def test_titles_and_descriptions_are_bilingual():
    schema = codec.load_schema()
    assert "FR :" in schema["description"] and "EN:" in schema["description"]
    for key, sub in schema["properties"].items():
        assert "FR :" in sub["description"] and "EN:" in sub["description"], key


@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIOS.glob("0[12]-*.xml")))
def test_scenarios_are_valid_quizzes(name):
    from .helpers import scenario_data

    assert codec.validate(scenario_data(name)) == []


def test_the_readme_example_is_a_valid_quiz():
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    example = yaml.safe_load(readme.split("```yaml\n", 1)[1].split("```", 1)[0])
    assert (example.pop("type"), example.pop("id")) == ("self_assessment_quiz", "autodiag-ia")
    assert codec.validate(example) == []
