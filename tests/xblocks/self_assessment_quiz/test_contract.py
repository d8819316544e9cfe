"""Contract: the compiler's element loads through the real XBlock runtime and exports back.

As the course compiler does: `codec.to_element(data)` plus a url_name, inline in OLX.
ToyRuntime finds the block through its installed `xblock.v1` entry point, parses it with
the block's `parse_xml`, exports with `add_xml_to_node`, and the data survives both ways
(architecture.md §3.8 "Contract round trip").
"""
import io
import logging

import pytest
from lxml import etree
from self_assessment_quiz import codec
from self_assessment_quiz.block import SelfAssessmentQuizBlock
from xblock.test.toy_runtime import TOYRUNTIME_KVS, ToyRuntime


@pytest.fixture
def runtime():
    TOYRUNTIME_KVS.clear()  # module-global store
    yield ToyRuntime()
    TOYRUNTIME_KVS.clear()




@pytest.fixture(autouse=True)
def quiet_unknown_url_name(caplog):
    caplog.set_level(logging.ERROR)  # "does not contain field url_name" is expected noise


def _compiler_output(data) -> str:
    element = codec.to_element(data)
    element.set("url_name", "autodiag-ia")
    return etree.tostring(element, encoding="unicode")


def test_compiler_output_loads_with_every_field_intact(runtime, quiz_data):
    block = runtime.get_block(runtime.parse_xml_string(_compiler_output(quiz_data)))
    assert isinstance(block, SelfAssessmentQuizBlock)
    assert block.display_name == quiz_data["title"]
    assert (block.language, block.weight, block.max_attempts) == ("fr", 1.0, 2)
    settings = ("title", "language", "weight", "max_attempts")
    assert block.quiz == {k: v for k, v in quiz_data.items() if k not in settings}
    assert block.authored_data() == quiz_data


def test_export_then_reimport_keeps_the_data(runtime, quiz_data):
    block = runtime.get_block(runtime.parse_xml_string(_compiler_output(quiz_data)))
    exported = io.BytesIO()
    runtime.export_to_xml(block, exported)
    root = etree.fromstring(exported.getvalue())
    assert root.tag == codec.TAG and root.get("xblock-family") == "xblock.v1"
    assert codec.from_element(root) == quiz_data  # the export is the codec's own format
    again = runtime.get_block(runtime.parse_xml_file(io.BytesIO(exported.getvalue())))
    assert again.authored_data() == quiz_data


def test_unset_settings_stay_unset_through_the_runtime(runtime, quiz_data):
    for key in ("language", "weight", "max_attempts"):
        del quiz_data[key]
    block = runtime.get_block(runtime.parse_xml_string(_compiler_output(quiz_data)))
    assert block.authored_data() == quiz_data
    exported = io.BytesIO()
    runtime.export_to_xml(block, exported)
    assert "max_attempts" not in etree.fromstring(exported.getvalue()).attrib


def test_invalid_olx_is_refused_with_the_problems_named(runtime, quiz_data):
    quiz_data["questions"][0]["dimension"] = "inexistante"
    with pytest.raises(ValueError, match=r"questions/0/dimension: unknown dimension 'inexistante'"):
        runtime.parse_xml_string(_compiler_output(quiz_data))


def test_olx_whose_value_does_not_convert_is_refused(runtime, quiz_data):
    text = _compiler_output(quiz_data).replace('max_attempts="2"', 'max_attempts="deux"')
    with pytest.raises(ValueError, match="max_attempts"):
        runtime.parse_xml_string(text)
