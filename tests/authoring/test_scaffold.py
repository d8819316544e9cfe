"""`parcours new`: what it creates validates with zero diagnostics, and lists are edited in place."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parcours.cli import main
from parcours.scaffold import ScaffoldError, add_to_list, create, slug
from tests.authoring.conftest import ROOT, run_parcours


def test_every_kind_then_strict_validation_is_clean(new_course: Path):
    module = new_course / "modules" / "02-données"
    assert main(["new", "module", str(module), "--title", "Données municipales"]) == 0
    assert main(["new", "lesson", str(module / "02-qualite"), "--title", "Qualité : les bases"]) == 0
    assert main(["new", "case-study", str(module / "03-cas-311.yaml"), "--id", "cas-311"]) == 0
    assert main(["new", "self-assessment", str(module / "04-autoevaluation")]) == 0
    done = run_parcours("validate", "--strict", new_course)
    assert done.returncode == 0, done.stderr
    assert "0 error(s), 0 warning(s)" in done.stderr
    listed = yaml.safe_load((module / "module.yaml").read_text(encoding="utf-8"))
    assert listed["id"] == "donnees"
    assert listed["units"] == ["01-introduction.md", "02-qualite.md", "03-cas-311.yaml", "04-autoevaluation.yaml"]
    course = yaml.safe_load((new_course / "course.yaml").read_text(encoding="utf-8"))
    assert course["modules"] == ["modules/01-premier-module", "modules/02-données"]


def test_yaml_files_name_their_schema_relative_to_themselves(new_course: Path):
    create("case-study", new_course / "modules" / "01-premier-module" / "02-cas.yaml")
    for path in new_course.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file() and schema.parent == (ROOT / "schemas"), (path, schema)


def test_units_follow_the_schema_folder_the_course_names(tmp_path: Path):
    """A content repository that keeps its own copy of the schemas: new files point at that copy."""
    schemas = tmp_path / "vendored-schemas"
    schemas.mkdir()
    course = tmp_path / "cours"
    create("course", course)
    text = (course / "course.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    (course / "course.yaml").write_text("# yaml-language-server: $schema=../vendored-schemas/course.schema.json\n"
                                        + text, encoding="utf-8")
    create("module", course / "modules" / "02-suite")
    first = (course / "modules" / "02-suite" / "module.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../vendored-schemas/module.schema.json"


def test_a_lesson_with_its_own_id_says_so_in_its_front_matter(new_course: Path):
    lesson = new_course / "modules" / "01-premier-module" / "02-notions.md"
    create("lesson", lesson, "Notions", "notions-de-base")
    assert lesson.read_text(encoding="utf-8").startswith("---\nid: notions-de-base\ntitle: Notions\n")


def test_comments_and_layout_of_the_list_are_kept(tmp_path: Path):
    module = tmp_path / "module.yaml"
    module.write_text("id: m  # le module\nunits:\n    # d'abord\n    - 01-a.md   # première\n\n"
                      "    - 02-b.md\n# fin\nglossary: []\n", encoding="utf-8")
    add_to_list(module, "units", "03-c.md")
    assert module.read_text(encoding="utf-8") == ("id: m  # le module\nunits:\n    # d'abord\n"
                                                  "    - 01-a.md   # première\n\n    - 02-b.md\n    - 03-c.md\n"
                                                  "# fin\nglossary: []\n")


@pytest.mark.parametrize(("before", "after"), [
    ("units: [01-a.md]  # suite\n", "units: [01-a.md, 02-b.md]  # suite\n"),
    ("units: []\nid: m\n", "units:\n  - 02-b.md\nid: m\n"),
    ("units:\n  - {file: x}\n  - y\n", "units:\n  - {file: x}\n  - y\n  - 02-b.md\n"),
])
def test_flow_and_block_lists(tmp_path: Path, before: str, after: str):
    path = tmp_path / "module.yaml"
    path.write_text(before, encoding="utf-8")
    add_to_list(path, "units", "02-b.md")
    assert path.read_text(encoding="utf-8") == after


def test_refusals_are_usage_errors(tmp_path: Path, new_course: Path, capsys):
    assert main(["new", "lesson", str(tmp_path / "seule.md")]) == 2
    assert "no module.yaml" in capsys.readouterr().err
    assert main(["new", "module", str(tmp_path / "ailleurs" / "m")]) == 2
    lesson = new_course / "modules" / "01-premier-module" / "01-introduction.md"
    assert main(["new", "lesson", str(lesson)]) == 2
    assert "already exists" in capsys.readouterr().err
    with pytest.raises(ScaffoldError, match="ORG\\+NUMBER\\+RUN"):
        create("course", tmp_path / "c", identifier="pas une clé")


def test_course_id_sets_the_course_key(tmp_path: Path):
    create("course", tmp_path / "c", "Cours", "course-v1:MaVille+IA101+2027")
    course = yaml.safe_load((tmp_path / "c" / "course.yaml").read_text(encoding="utf-8"))
    assert (course["org"], course["number"], course["run"]) == ("MaVille", "IA101", "2027")


def test_ids_come_from_names():
    assert slug("02-Qualité des données") == "qualite-des-donnees"
    assert slug("01-") == "01"
    assert slug("«»") == "nouveau"
