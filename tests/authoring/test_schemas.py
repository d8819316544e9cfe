"""The schemas editors use: stable, versioned identifiers, and every modeline points at one.

Rule (docs/editeurs.md): the file `schemas/<name>.schema.json` has the `$id`
`https://parcours-ia.quebec/schemas/<name>/v<major>.json`; a change that can reject a source that
was valid (a new required field, a narrower pattern) bumps the major version.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from parcours.diagnostics import Code
from tests.authoring.conftest import ROOT

SCHEMAS = ROOT / "schemas"
SCHEMA_FILES = sorted(SCHEMAS.rglob("*.schema.json"))
ID_PATTERN = re.compile(r"https://parcours-ia\.quebec/schemas/(?P<name>[a-z_/]+)/v(?P<major>[1-9][0-9]*)\.json")
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.relative_to(SCHEMAS).as_posix())
def test_id_names_the_file_and_a_major_version(path: Path):
    document = schema(path)
    match = ID_PATTERN.fullmatch(document["$id"])
    assert match, document["$id"]
    assert match["name"] == path.relative_to(SCHEMAS).as_posix().removesuffix(".schema.json")
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document.get("title") and document.get("description")
    Draft202012Validator.check_schema(document)


def test_ids_are_unique():
    ids = [schema(path)["$id"] for path in SCHEMA_FILES]
    assert len(ids) == len(set(ids)) == len(SCHEMA_FILES) >= 9


def test_package_ships_every_schema():
    patterns = re.search(r'"parcours\.schemas": \[([^]]*)\]', (ROOT / "setup.py").read_text(encoding="utf-8"))[1]
    shipped = {path for pattern in re.findall(r'"([^"]+)"', patterns) for path in SCHEMAS.glob(pattern)}
    assert set(SCHEMA_FILES) <= shipped


def test_every_modeline_of_the_courses_points_at_a_schema():
    checked = 0
    for path in sorted((ROOT / "courses").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.match(first)
        if match:
            target = (path.parent / match[1]).resolve()
            assert target in {schema_file.resolve() for schema_file in SCHEMA_FILES}, (path, match[1])
            checked += 1
    assert checked >= 3


def test_editor_settings_in_the_docs_name_real_schemas():
    docs = (ROOT / "docs" / "editeurs.md").read_text(encoding="utf-8")
    settings = json.loads(re.search(r"```json\n(.*?)```", docs, re.DOTALL)[1])
    for schema_path, glob in settings["yaml.schemas"].items():
        assert (ROOT / schema_path).is_file() and glob.startswith("**/"), schema_path
    for code in re.findall(r"parcours explain (PC\d+)", docs):
        assert Code.lookup(code), code
