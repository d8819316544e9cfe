"""The pure codec: readable OLX, exact inverse, assets, and nothing but allowed imports."""
import ast
import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from self_assessment_quiz import codec

from .helpers import PACKAGE


def test_round_trip_is_exact(quiz_data):
    assert codec.from_element(codec.to_element(quiz_data)) == quiz_data


def test_round_trip_survives_serialisation_and_pretty_printing(quiz_data):
    text = etree.tostring(codec.to_element(quiz_data), pretty_print=True, encoding="unicode")
    assert codec.from_element(etree.fromstring(text)) == quiz_data


def test_element_is_readable_olx_not_a_json_blob(quiz_data):
    element = codec.to_element(quiz_data)
    assert element.tag == codec.TAG == "self_assessment_quiz"
    assert element.get("display_name") == quiz_data["title"]
    assert element.get("max_attempts") == "2"
    assert "url_name" not in element.attrib  # the compiler adds it
    assert all("{" not in value for value in element.attrib.values())
    question = element.find("question[@id='q-loi25']")
    assert question.get("type") == "multiple"
    assert [c.get("id") for c in question.findall("choice")] == ["efvp", "responsable", "fournisseur"]
    assert question.find("choice[@id='efvp']").get("correct") == "true"
    assert element.find("dimension[@id='donnees']/band/recommendation").get("module") == "m02-donnees"
    assert [p.get("label") for p in element.findall("scale/point")][0] == "Pas du tout"


def test_markdown_is_element_text_verbatim():
    data = _minimal(intro="Ligne 1\n\n* puce <b>&amp;</b>\n")
    element = codec.to_element(data)
    assert element.find("intro").text == "Ligne 1\n\n* puce <b>&amp;</b>\n"
    assert b"&lt;b&gt;" in etree.tostring(element)


def test_from_element_ignores_runtime_attributes_comments_and_unknown_children(quiz_data):
    element = codec.to_element(quiz_data)
    element.set("url_name", "autodiag")
    element.set("xblock-family", "xblock.v1")
    element.insert(0, etree.Comment("exported by Studio"))
    etree.SubElement(element, "unknown_child")
    assert codec.from_element(element) == quiz_data


@pytest.mark.parametrize(("attribute", "value"), [("max_attempts", "deux"), ("weight", "lourd")])
def test_from_element_rejects_values_that_do_not_convert(attribute, value, quiz_data):
    element = codec.to_element(quiz_data)
    element.set(attribute, value)
    with pytest.raises(ValueError, match=attribute):
        codec.from_element(element)


def test_from_element_rejects_a_boolean_that_is_not_true_or_false(quiz_data):
    element = codec.to_element(quiz_data)
    element.find("question/choice").set("correct", "oui")
    with pytest.raises(ValueError, match="correct"):
        codec.from_element(element)


def test_numbers_keep_their_type():
    data = _minimal(weight=2)
    assert codec.from_element(codec.to_element(data))["weight"] == 2
    assert type(codec.from_element(codec.to_element(_minimal(weight=2.5)))["weight"]) is float
    assert type(codec.from_element(codec.to_element(_minimal(weight=2.0)))["weight"]) is float


def test_asset_refs_lists_relative_image_files_only():
    data = _minimal()
    data["questions"][0]["image"] = {"src": "images/carte.png", "alt": "Carte"}
    data["questions"].append({**data["questions"][0], "id": "q2",
                              "image": {"src": "https://exemple.qc.ca/a.png", "alt": ""}})
    data["questions"].append({**data["questions"][0], "id": "q3", "image": {"src": "/static/b.png", "alt": ""}})
    assert codec.asset_refs(data) == [(("questions", 0, "image", "src"), "images/carte.png")]


def test_to_element_resolves_assets_without_touching_the_input():
    data = _minimal()
    data["questions"][0]["image"] = {"src": "images/carte.png", "alt": "Carte"}
    before = copy.deepcopy(data)
    element = codec.to_element(data, resolve_asset=lambda ref: "/static/" + ref.replace("/", "_"))
    assert element.find("question/image").get("src") == "/static/images_carte.png"
    assert data == before


ALLOWED_IMPORTS = {"__future__", "copy", "json", "re", "dataclasses", "importlib", "lxml", "jsonschema",
                   "typing", "collections", "urllib"}


@pytest.mark.parametrize("module", ["codec.py", "validation.py"])
def test_codec_modules_import_only_lxml_jsonschema_and_stdlib(module):
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS


def test_no_module_of_the_package_imports_the_compiler():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        assert not any(name.split(".")[0] == "parcours" for name in names), path.name


def _minimal(**extra):
    return {
        "title": "Mini",
        **extra,
        "dimensions": [{"id": "d", "label": "D", "bands": [{"min": 0, "max": 100, "label": "Tout"}]}],
        "questions": [{"id": "q1", "type": "true_false", "dimension": "d", "prompt": "Vrai?", "answer": True}],
    }


# ----- property: the inverse holds for any data of the right shape -----------------------

# Text that XML can carry (no control characters besides tab/newline, no surrogates or
# non-characters); validation reports any other character before the codec sees it.
xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn"), whitelist_characters="\t\n"), max_size=30)
ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,10}\Z")
points = st.one_of(st.integers(1, 20), st.floats(0.25, 20, allow_nan=False, allow_infinity=False))
scales = st.lists(st.fixed_dictionaries({"value": st.integers(-100, 100), "label": xml_text}), min_size=2, max_size=4)
recommendations = st.lists(
    st.one_of(st.fixed_dictionaries({"module": ids, "title": xml_text}),
              st.fixed_dictionaries({"url": xml_text, "title": xml_text})), min_size=1, max_size=2)
bands = st.lists(st.fixed_dictionaries(
    {"min": st.integers(0, 100), "max": st.integers(0, 100), "label": xml_text},
    optional={"feedback": xml_text, "recommendations": recommendations}), min_size=1, max_size=3)
choices = st.lists(st.fixed_dictionaries(
    {"id": ids, "text": xml_text}, optional={"correct": st.booleans(), "feedback": xml_text}), min_size=2, max_size=4)
common = {"id": ids, "dimension": ids, "prompt": xml_text}
common_optional = {"points": points, "explanation": xml_text,
                   "image": st.fixed_dictionaries({"src": xml_text, "alt": xml_text})}
questions = st.one_of(
    st.fixed_dictionaries({**common, "type": st.sampled_from(["single", "multiple"]), "choices": choices},
                          optional=common_optional),
    st.fixed_dictionaries({**common, "type": st.just("true_false"), "answer": st.booleans()},
                          optional={**common_optional, "feedback_true": xml_text, "feedback_false": xml_text}),
    st.fixed_dictionaries({**common, "type": st.just("likert")}, optional={**common_optional, "scale": scales}),
)
quizzes = st.fixed_dictionaries(
    {"title": xml_text,
     "dimensions": st.lists(st.fixed_dictionaries({"id": ids, "label": xml_text, "bands": bands},
                                                  optional={"description": xml_text}), min_size=1, max_size=3),
     "questions": st.lists(questions, min_size=1, max_size=4)},
    optional={"language": st.sampled_from(["fr", "en"]), "intro": xml_text, "scale": scales,
              "weight": points, "max_attempts": st.integers(0, 100)},
)


@settings(max_examples=150, deadline=None)
@given(quizzes)
def test_from_element_inverts_to_element_for_any_shaped_data(data):
    text = etree.tostring(codec.to_element(data), encoding="unicode")
    assert codec.from_element(etree.fromstring(text)) == data
