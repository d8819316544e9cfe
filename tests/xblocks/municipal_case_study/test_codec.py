"""The OLX codec: exact round trip, readable child elements, strict reading, asset references."""
from pathlib import Path

import pytest
from lxml import etree
from municipal_case_study import codec

from .helpers import CASES, case

SCENARIOS = Path(codec.__file__).parent / "scenarios"

def reparsed(element):
    """Serialise and parse again, as an export followed by an import would."""
    return etree.fromstring(etree.tostring(element, encoding="utf-8"))


@pytest.mark.parametrize("name", CASES)
def test_fixture_round_trip_through_pretty_printed_xml(name):
    data = case(name)
    text = etree.tostring(codec.to_element(data), pretty_print=True, encoding="unicode")
    assert codec.from_element(etree.fromstring(text)) == data


@pytest.mark.parametrize("name", CASES)
def test_workbench_scenarios_are_the_codec_output_of_the_fixtures(name):
    """The scenario files are generated from the fixtures; this keeps them in step."""
    expected = etree.tostring(codec.to_element(case(name)), pretty_print=True, encoding="unicode")
    assert (SCENARIOS / f"{name}.xml").read_text(encoding="utf-8") == expected


def test_olx_is_readable_child_elements_with_settings_as_attributes():
    root = codec.to_element(case("case_311_fr"))
    assert root.tag == codec.TAG
    assert root.get("display_name") == "Un agent conversationnel pour le 311 de Saint-Exemple"
    assert (root.get("scoring"), root.get("allow_reset"), root.get("weight")) == ("decisions", "true", "1")
    assert root.get("url_name") is None
    option = root.find("steps/decision/options/option")
    assert option.get("id") == "pilote" and option.get("next") == "donnees" and option.get("points") == "3"
    assert option.findtext("consequence").startswith("Le pilote démarre")
    assert root.find("municipality").get("fictional") == "true"
    cells = root.findall("exhibits/table/rows/row")[0]
    assert [(c.text, c.get("type")) for c in cells][:2] == [("Collectes et matières résiduelles", None),
                                                          ("15600", "int")]


def test_markdown_is_kept_as_escaped_text_not_markup():
    data = case("case_snow_en")
    data["introduction"] = "<script>alert(1)</script> & **bold**"
    xml = etree.tostring(codec.to_element(data), encoding="unicode")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; **bold**" in xml
    assert codec.from_element(etree.fromstring(xml))["introduction"] == data["introduction"]


def test_asset_refs_lists_figure_images_and_files_with_paths():
    data = case("case_snow_en")
    data["exhibits"] += [{"kind": "figure", "caption": "C", "image": "assets/a.png", "alt": "A"},
                         {"kind": "file", "title": "Données", "file": "assets/d.csv"}]
    assert codec.asset_refs(data) == [(("exhibits", 1, "image"), "assets/a.png"),
                                      (("exhibits", 2, "file"), "assets/d.csv")]


def test_to_element_resolves_assets_without_touching_the_data():
    data = case("case_311_fr")
    data["exhibits"][1]["image"] = "assets/appels.png"
    root = codec.to_element(data, resolve_asset=lambda ref: "/static/" + ref.split("/")[-1])
    assert root.find("exhibits/figure").get("image") == "/static/appels.png"
    assert data["exhibits"][1]["image"] == "assets/appels.png"


def test_runtime_attributes_on_the_root_are_not_case_data():
    root = codec.to_element(case("case_snow_en"))
    root.set("url_name", "m1-case")
    root.set("xblock-family", "xblock.v1")
    assert codec.from_element(root) == case("case_snow_en")


def test_comments_are_ignored():
    root = codec.to_element(case("case_snow_en"))
    root.find("steps").insert(0, etree.Comment("note d’auteur"))
    assert codec.from_element(root) == case("case_snow_en")


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda root: setattr(root, "tag", "problem"), "expected <municipal_case_study>"),
    (lambda root: etree.SubElement(root, "unknown"), "unexpected element <unknown>"),
    (lambda root: root.find("steps/decision").set("colour", "red"), "unexpected attribute 'colour'"),
    (lambda root: etree.SubElement(root.find("steps"), "quiz"), "unexpected element <quiz>"),
    (lambda root: root.find("municipality").set("fictional", "oui"), "expected true or false"),
    (lambda root: root.find("municipality").set("population", "beaucoup"), "population"),
    (lambda root: setattr(root.find("steps"), "text", "stray words"), "unexpected text"),
    (lambda root: etree.SubElement(root.find("steps/decision/prompt"), "b"), "expected text only"),
    (lambda root: root.append(etree.Element("steps")), "repeated element"),
    (lambda root: root.find("exhibits/table/rows/row/cell").set("type", "date"), "unexpected attributes"),
])
def test_from_element_refuses_what_is_not_the_format(mutate, message):
    root = codec.to_element(case("case_snow_en"))
    mutate(root)
    with pytest.raises(codec.CodecError, match=message):
        codec.from_element(root)
