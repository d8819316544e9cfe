"""`parcours new`: what it creates validates with zero diagnostics, and lists are edited in place."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours import scaffold
from parcours.cli import main
from parcours.parse.yaml import StrictLoader, load_yaml
from parcours.project import NOT_XML
from parcours.scaffold import ScaffoldError, add_to_list, create, slug, yaml_scalar
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


# Refusals that used to be tracebacks, and nothing half-written ------------------------------------
@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_that_cannot_be_made_is_a_usage_error(capsys):
    assert main(["new", "course", "/proc/parcours-x"]) == 2
    err = capsys.readouterr().err
    assert "cannot write '/proc/parcours-x'" in err and "hint:" in err and "Traceback" not in err


def test_a_course_where_a_file_is_is_a_usage_error(tmp_path: Path, capsys):
    taken = tmp_path / "fichier"
    taken.write_text("déjà là\n", encoding="utf-8")
    assert main(["new", "course", str(taken)]) == 2
    assert main(["new", "course", str(taken / "sous-dossier")]) == 2
    err = capsys.readouterr().err
    assert err.count("is a file, not a folder") == 2 and "hint:" in err
    assert [path.name for path in tmp_path.iterdir()] == ["fichier"]
    assert taken.read_text(encoding="utf-8") == "déjà là\n"


def test_a_module_yaml_with_a_syntax_error_is_located_and_nothing_is_written(new_course: Path):
    module = new_course / "modules" / "01-premier-module"
    broken = (module / "module.yaml").read_text(encoding="utf-8") + "x: [\n"
    (module / "module.yaml").write_text(broken, encoding="utf-8")
    done = run_parcours("new", "lesson", module / "09-half.md", cwd=new_course)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    last_line = broken.count("\n") + 1
    assert f"modules/01-premier-module/module.yaml:{last_line}:1: error[PC101]" in done.stderr
    assert "nothing was written" in done.stderr
    assert not (module / "09-half.md").exists()
    assert (module / "module.yaml").read_text(encoding="utf-8") == broken


def test_a_module_yaml_without_its_units_list_leaves_no_orphan(new_course: Path, capsys):
    module = new_course / "modules" / "01-premier-module"
    renamed = (module / "module.yaml").read_text(encoding="utf-8").replace("\nunits:", "\nunites:")
    (module / "module.yaml").write_text(renamed, encoding="utf-8")
    assert main(["new", "lesson", str(module / "09-half.md")]) == 2
    assert "no top-level 'units:' list" in capsys.readouterr().err
    assert not (module / "09-half.md").exists()
    assert (module / "module.yaml").read_text(encoding="utf-8") == renamed


def test_a_write_that_fails_midway_is_undone(new_course: Path, monkeypatch, capsys):
    """The new module's files are written, then the course's list edit fails: all are removed."""
    course_text = (new_course / "course.yaml").read_text(encoding="utf-8")

    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scaffold, "_replace", refuse)
    assert main(["new", "module", str(new_course / "modules" / "02-suite")]) == 2
    assert "Permission denied; nothing was written" in capsys.readouterr().err
    assert not (new_course / "modules" / "02-suite").exists()
    assert (new_course / "course.yaml").read_text(encoding="utf-8") == course_text


# What is written reads back as written ------------------------------------------------------------
def test_odd_names_make_files_that_validate_strictly(new_course: Path):
    """Names that YAML 1.1 or the compiler's loader would read as numbers, nulls or booleans."""
    modules = new_course / "modules"
    for name in ("99", "01-2024", "04-null", "09-true", "07-0x1F", "03-no", "05-y", "08-n", "10-1e3", "11-~"):
        assert main(["new", "module", str(modules / name)]) == 0, name
    first = modules / "01-premier-module"
    for kind, name in (("case-study", "05-2024.yaml"), ("self-assessment", "06-true.yaml"),
                       ("lesson", "06-y.md"), ("lesson", "07-off.md"), ("case-study", "08-on.yaml")):
        assert main(["new", kind, str(first / name)]) == 0, name
    done = run_parcours("validate", "--strict", new_course)
    assert done.returncode == 0, done.stderr
    assert "0 error(s), 0 warning(s)" in done.stderr
    module = yaml.load((modules / "04-null" / "module.yaml").read_text(encoding="utf-8"), Loader=StrictLoader)
    assert (module["id"], module["title"]) == ("null", "Null")


def test_a_lesson_id_in_front_matter_is_quoted_when_needed(new_course: Path):
    lesson = new_course / "modules" / "01-premier-module" / "02-notions.md"
    create("lesson", lesson, "Notions", "2024")
    assert lesson.read_text(encoding="utf-8").startswith('---\nid: "2024"\ntitle: Notions\n')


def test_a_name_with_a_line_break_is_refused(new_course: Path, capsys):
    module = new_course / "modules" / "01-premier-module"
    assert main(["new", "lesson", str(module / "02-a\nb.md")]) == 2
    assert "a name with a control character or a line break (U+000A)" in capsys.readouterr().err
    assert sorted(path.name for path in module.iterdir()) == ["01-introduction.md", "module.yaml"]


def test_an_id_that_is_not_an_id_is_refused(new_course: Path, capsys):
    module = new_course / "modules" / "01-premier-module"
    assert main(["new", "case-study", str(module / "02-cas.yaml"), "--id", "Cas 311"]) == 2
    assert "'Cas 311' is not an id" in capsys.readouterr().err
    assert not (module / "02-cas.yaml").exists()


def _read_back(document: str):
    loaded, diagnostics = load_yaml(document, Path("x.yaml"))
    assert diagnostics == [], document
    return loaded.data


@settings(max_examples=400, deadline=None)
@given(st.text().filter(lambda text: not NOT_XML.search(text)))  # the compiler refuses those characters
def test_every_scalar_reads_back_through_the_compilers_loader(text: str):
    assert _read_back(f"v: {yaml_scalar(text)}\n") == {"v": text}
    assert _read_back(f"- {yaml_scalar(text)}\n") == [text]
    assert _read_back(f"[a, {yaml_scalar(text, flow=True)}]\n") == ["a", text]


@pytest.mark.parametrize("text", ["y", "Y", "no", "OFF", "on", "null", "Null", "~", "99", "0x1F", "1e3", "0o17",
                                  ".inf", "2024-01-01", "true", "a: b", "a #b", "- x", "[x]", "*x", "&x", "!x",
                                  "%x", "@x", "`x", "'x", '"x', "x,y", " x", "x ", "", "\u2028", "\x85", "\t",
                                  "\x7f", "\ufeff"])
def test_scalars_that_need_quotes_read_back(text: str):
    assert _read_back(f"v: {yaml_scalar(text)}\n") == {"v": text}
    assert _read_back(f"[{yaml_scalar(text, flow=True)}]\n") == [text]


_NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="/\\"),
                min_size=1, max_size=40).filter(lambda name: name.strip(".") and len(name.encode()) < 200)


def _front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(module_name=_NAME, unit_name=_NAME)
def test_odd_names_read_back_from_every_file_written(tmp_path_factory, module_name: str, unit_name: str):
    """Ids, titles and list items, as the compiler's loader reads them: the same strings, no diagnostic."""
    course = tmp_path_factory.mktemp("c") / "cours"
    create("course", course, "Cours")
    module = course / "modules" / module_name
    create("module", module)
    create("lesson", module / (unit_name + ".md"))
    create("case-study", module / (unit_name + "-cas.yaml"))
    read = {name: _read_back(text) for name, text in (
        ("course", (course / "course.yaml").read_text(encoding="utf-8")),
        ("module", (module / "module.yaml").read_text(encoding="utf-8")),
        ("lesson", _front_matter(module / (unit_name + ".md"))),
        ("case", (module / (unit_name + "-cas.yaml")).read_text(encoding="utf-8")))}
    assert read["course"]["modules"][-1] == f"modules/{module_name}"
    assert read["module"]["id"] == slug(module_name)
    assert read["module"]["units"][1:] == [unit_name + ".md", unit_name + "-cas.yaml"]
    assert read["case"]["id"] == slug(unit_name + "-cas")
    titles = [read["module"]["title"], read["lesson"]["title"], read["case"]["data"]["title"]]
    assert all(isinstance(title, str) and title.strip() for title in titles)
