"""The page generators `pathway` and `training_catalogue`: their pages, the pathway map, their checks.

fixtures/generators/course is a small course whose module `orientation` holds one unit of each;
each fixtures/generators/broken/<generator>-<case>.yaml replaces that unit and gives exactly the
diagnostics of the .expected file beside it.
"""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import lxml.html
import pytest
from jsonschema import Draft202012Validator

from parcours.diagnostics import Reporter
from parcours.model.nodes import Course, HtmlBlock
from parcours.pipeline import compile_course
from parcours.project import Workspace
from tests.compiler.conftest import FIXTURES, diagnostics_text

GENERATORS = FIXTURES / "generators"
BROKEN = sorted((GENERATORS / "broken").glob("*.yaml"))
UNIT_FILES = {"pathway": "01-parcours.yaml", "catalogue": "02-formations.yaml"}
SVG = "{http://www.w3.org/2000/svg}"
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GENERATORS / "course", tmp_path / "course"))


def compiled(course_dir: Path) -> Course:
    reporter = Reporter()
    course = compile_course(course_dir, Workspace(reporter))
    assert reporter.diagnostics == [] and course is not None
    return course


def page(course: Course, block_id: str) -> HtmlBlock:
    return next(node for node in course.walk() if isinstance(node, HtmlBlock) and node.id == block_id)


def replace_unit(course_dir: Path, data_file: str, text: str) -> None:
    (course_dir / "orientation" / data_file).write_text(text, encoding="utf-8")


# The pathway page

def test_the_pathway_page_shows_every_route_with_its_modules_in_order(course_dir: Path):
    html = lxml.html.fragment_fromstring(page(compiled(course_dir), "orientation.parcours").html)
    routes = [(heading.text_content(), [item.text_content() for item in heading.getnext().getnext().iter("li")])
              for heading in html.xpath("//h4[following-sibling::*[1][self::p]]")]
    assert routes == [
        ("Personnes élues", [f"Découvrir l'IA (45{NBSP}min)", f"Encadrer l'IA & ses risques (1{NBSP}h{NBSP}30{NBSP}min)"
                             f" — Préalables{NBSP}: Découvrir l'IA"]),
        ("Gestionnaires", [f"Découvrir l'IA (45{NBSP}min)", f"Encadrer l'IA & ses risques (1{NBSP}h{NBSP}30{NBSP}min)"
                           f" — Préalables{NBSP}: Découvrir l'IA",
                           f"Acheter une solution d'IA (1{NBSP}h) — Préalables{NBSP}: Découvrir l'IA"]),
        ("Équipes TI", [f"Découvrir l'IA (45{NBSP}min)",
                        f"Acheter une solution d'IA (1{NBSP}h) — Préalables{NBSP}: Découvrir l'IA"]),
    ]
    durations = [p.text_content() for p in html.xpath("//h4/following-sibling::*[1][self::p]")]
    assert durations == [f"Durée totale{NBSP}: 2{NBSP}h{NBSP}15{NBSP}min (2 modules)",
                         f"Durée totale{NBSP}: 3{NBSP}h{NBSP}15{NBSP}min (3 modules)",
                         f"Durée totale{NBSP}: 1{NBSP}h{NBSP}45{NBSP}min (2 modules)"]
    links = [link.get("href") for link in html.xpath("//ol/li/a")]
    assert links[:2] == ["/jump_to_id/decouvrir", "/jump_to_id/encadrer"]


def test_the_pathway_map_is_an_image_with_a_text_alternative_right_below(course_dir: Path):
    block = page(compiled(course_dir), "orientation.parcours")
    html = lxml.html.fragment_fromstring(block.html)
    image = html.xpath("//figure/img")[0]
    assert image.get("src") == f"/static/{block.assets[0].name}" and "3 parcours" in image.get("alt")
    heading = html.xpath("//figure/following-sibling::*[1]")[0]
    assert heading.text_content() == "Description textuelle de la carte"
    assert [item.text_content() for item in heading.getnext().iter("li")] == [
        f"Personnes élues (2{NBSP}h{NBSP}15{NBSP}min){NBSP}: Découvrir l'IA, puis Encadrer l'IA & ses risques.",
        f"Gestionnaires (3{NBSP}h{NBSP}15{NBSP}min){NBSP}: Découvrir l'IA, puis Encadrer l'IA & ses risques, "
        "puis Acheter une solution d'IA.",
        f"Équipes TI (1{NBSP}h{NBSP}45{NBSP}min){NBSP}: Découvrir l'IA, puis Acheter une solution d'IA.",
    ]


def test_the_summary_table_has_a_caption_and_scoped_headers(course_dir: Path):
    table = lxml.html.fragment_fromstring(page(compiled(course_dir), "orientation.parcours").html).xpath("//table")[0]
    assert table.xpath("caption")[0].text_content().startswith("Modules recommandés par public")
    assert [th.text_content() for th in table.xpath(".//th[@scope='col']")] == [
        "Module", "Personnes élues", "Gestionnaires", "Équipes TI"]
    rows = [[cell.text_content() for cell in row] for row in table.xpath(".//tbody/tr")]
    totals = [f"2{NBSP}h{NBSP}15{NBSP}min", f"3{NBSP}h{NBSP}15{NBSP}min", f"1{NBSP}h{NBSP}45{NBSP}min"]
    assert rows == [["Découvrir l'IA", "1", "1", "1"], ["Encadrer l'IA & ses risques", "2", "2", "—"],
                    ["Acheter une solution d'IA", "—", "3", "2"], ["Durée totale", *totals]]


def test_the_map_is_well_formed_svg_with_a_title_a_description_and_a_box_per_step(course_dir: Path):
    course = compiled(course_dir)
    asset = page(course, "orientation.parcours").assets[0]
    assert asset in course.assets  # published under /static/
    root = ET.fromstring(asset.data)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Parcours recommandés"
    assert root.find(f"{SVG}desc").text.startswith(f"Personnes élues (2{NBSP}h{NBSP}15{NBSP}min)")
    assert len(root.findall(f"{SVG}rect[@rx]")) == 2 + 3 + 2
    assert len(root.findall(f"{SVG}line")) == 1 + 2 + 1
    assert not [element for element in root.iter() if element.tag in (f"{SVG}script", f"{SVG}image", f"{SVG}style")]


def test_the_map_has_the_same_bytes_and_name_on_every_build(course_dir: Path):
    first = page(compiled(course_dir), "orientation.parcours").assets[0]
    second = page(compiled(course_dir), "orientation.parcours").assets[0]
    assert first == second and first.name.startswith("pathway-map-") and first.name.endswith(".svg")


def test_every_data_value_is_escaped(course_dir: Path):
    unit = (GENERATORS / "course" / "orientation" / UNIT_FILES["pathway"]).read_text(encoding="utf-8")
    replace_unit(course_dir, UNIT_FILES["pathway"], unit.replace(
        "title: Équipes TI", "title: <script>alert(1)</script>").replace(
        "notes: Le parcours le plus complet.", 'notes: "<b onmouseover=x>gras</b> & co"'))
    block = page(compiled(course_dir), "orientation.parcours")
    assert "<script>" not in block.html and "<b " not in block.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in block.html
    assert "&lt;b onmouseover=x&gt;gras&lt;/b&gt; &amp; co" in block.html
    assert b"<script>" not in block.assets[0].data and ET.fromstring(block.assets[0].data) is not None


def test_labels_follow_the_course_language(course_dir: Path):
    settings = course_dir / "course.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    course = compiled(course_dir)
    pathway = page(course, "orientation.parcours").html
    assert "<h4>Elected officials</h4>" in pathway and f"Total duration: 2{NBSP}h{NBSP}15{NBSP}min" in pathway
    catalogue = page(course, "orientation.formations").html
    assert "<dt>Cost</dt><dd>Free</dd>" in catalogue and f"CAD{NBSP}1,234.50 (par personne)" in catalogue


# The catalogue page

def test_the_catalogue_groups_entries_by_provider_in_order_of_appearance(course_dir: Path):
    html = lxml.html.fragment_fromstring(page(compiled(course_dir), "orientation.formations").html)
    assert [h.text_content() for h in html.xpath("//h3")] == ["Organisme A", "Organisme B"]
    assert [(a.text_content(), a.get("href")) for a in html.xpath("//h4/a")] == [
        ("Cours A1", "https://example.org/a1"), ("Cours A2", "https://example.org/a2"),
        ("Atelier B1", "https://example.org/b1")]
    first, _, workshop = (dict(zip([dt.text_content() for dt in dl.xpath("dt")],
                                   [dd.text_content() for dd in dl.xpath("dd")], strict=True))
                          for dl in html.xpath("//dl"))
    assert first == {"Type": "Cours en ligne ouverts (MOOC)", "Public": "grand public", "Format": "En ligne",
                     "Langues": "français, anglais", "Durée": "environ 6 h", "Coût": "Gratuit",
                     "Consulté le": "2026-01-15"}
    assert workshop["Coût"] == f"1{NNBSP}234,50{NBSP}CAD (par personne)" and workshop["Durée"] == "Non précisé"
    assert workshop["Remarques"] == "Offert deux fois par année." and "Type" not in workshop


def test_the_catalogue_can_be_grouped_by_kind(course_dir: Path):
    unit = (GENERATORS / "course" / "orientation" / UNIT_FILES["catalogue"]).read_text(encoding="utf-8")
    unit = unit.replace("  entries:", "  group_by: kind\n  entries:")
    replace_unit(course_dir, UNIT_FILES["catalogue"],
                 unit.replace("      title: Atelier B1", "      title: Atelier B1\n      kind: workshop"))
    html = lxml.html.fragment_fromstring(page(compiled(course_dir), "orientation.formations").html)
    assert [h.text_content() for h in html.xpath("//h3")] == [
        "Cours en ligne ouverts (MOOC)", "Ateliers et activités", "Formation continue universitaire"]
    assert html.xpath("//dl")[0].xpath("dt")[0].text_content() == "Organisme"


# Checks, located in the sources

@pytest.mark.parametrize("broken", BROKEN, ids=[path.stem for path in BROKEN])
def test_broken_data_gives_exactly_the_expected_diagnostics(broken: Path, course_dir: Path):
    replace_unit(course_dir, UNIT_FILES[broken.stem.split("-")[0]], broken.read_text(encoding="utf-8"))
    assert diagnostics_text(course_dir) + "\n" == broken.with_suffix(".expected").read_text(encoding="utf-8")


def test_an_unknown_module_is_reported_at_its_line_and_column(course_dir: Path):
    replace_unit(course_dir, UNIT_FILES["pathway"],
                 (GENERATORS / "broken" / "pathway-unknown-module.yaml").read_text(encoding="utf-8"))
    first = diagnostics_text(course_dir).splitlines()[0]
    assert first == "orientation/01-parcours.yaml:7:28: error[PC701]: unknown module 'encadrement'"


# Schemas

@pytest.mark.parametrize("name", ["pathway", "training_catalogue"])
def test_each_schema_is_valid_and_accepts_its_examples(name: str):
    text = resources.files("parcours.schemas").joinpath(f"generators/{name}.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert schema["examples"] and all(not list(validator.iter_errors(example)) for example in schema["examples"])


def test_an_entry_without_confirmed_audience_format_or_languages_says_not_specified(course_dir: Path):
    unit = (GENERATORS / "course" / "orientation" / UNIT_FILES["catalogue"]).read_text(encoding="utf-8")
    lines = [line for line in unit.splitlines()
             if not line.lstrip().startswith(("audiences:", "format:", "languages:"))]
    replace_unit(course_dir, UNIT_FILES["catalogue"], "\n".join(lines) + "\n")
    html = lxml.html.fragment_fromstring(page(compiled(course_dir), "orientation.formations").html)
    values = dict(zip([dt.text_content() for dt in html.xpath("//dl")[0].xpath("dt")],
                      [dd.text_content() for dd in html.xpath("//dl")[0].xpath("dd")], strict=True))
    assert values["Public"] == values["Format"] == values["Langues"] == "Non précisé"
