"""The JSON Schema: well-formed, shipped twice identically, and accepting the fixture cases."""
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from municipal_case_study import codec

from .helpers import CASES, case

ROOT = Path(__file__).resolve().parents[3]
PACKAGED = ROOT / "xblocks" / "municipal_case_study" / "schema.json"
COMPILER_COPY = ROOT / "schemas" / "blocks" / "municipal_case_study.schema.json"


def test_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(codec.load_schema())


def test_schema_copies_are_byte_identical():
    assert PACKAGED.read_bytes() == COMPILER_COPY.read_bytes()


def test_schema_id_is_versioned():
    assert codec.load_schema()["$id"] == "https://parcours-ia.quebec/schemas/blocks/municipal_case_study/v1.json"


def test_load_schema_returns_an_independent_copy():
    codec.load_schema()["title"] = "changed"
    assert codec.load_schema()["title"] != "changed"


@pytest.mark.parametrize("example", codec.load_schema()["examples"])
def test_schema_examples_are_valid_cases(example):
    assert codec.validate(example) == []


@pytest.mark.parametrize("name", CASES)
def test_fixture_cases_are_valid(name):
    assert codec.validate(case(name)) == []


def test_every_definition_is_documented_in_french_and_english():
    """Each property with a title carries both languages (separated by an em dash)."""
    def titled(node):
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                yield node["title"]
            for key, value in node.items():
                if key != "examples":
                    yield from titled(value)
        elif isinstance(node, list):
            for value in node:
                yield from titled(value)

    titles = list(titled(codec.load_schema()))
    assert titles and all(" — " in title for title in titles), [t for t in titles if " — " not in t]
