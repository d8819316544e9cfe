"""Contract: the codec's OLX loads through the real XBlock runtime with every field intact, and the
block's export is the codec's output again (architecture §3.8). Pure: runs on 3.11 / XBlock 6.1 too."""
import io
import logging
from importlib.metadata import entry_points

import pytest
from lxml import etree
from municipal_case_study import codec
from municipal_case_study.block import MunicipalCaseStudyBlock
from xblock.core import XBlock
from xblock.test.toy_runtime import TOYRUNTIME_KVS, ToyRuntime

from .helpers import CASES, case


def with_block(test):
    """The installed entry point serves; a bare checkout registers the class for the test instead
    (registering it on top of the installed one would make the tag ambiguous)."""
    if entry_points(group="xblock.v1", name=codec.TAG):
        return test
    return XBlock.register_temp_plugin(MunicipalCaseStudyBlock, codec.TAG)(test)


@pytest.fixture(autouse=True)
def fresh_store():
    """ToyRuntime keeps its key-value store in a module global."""
    TOYRUNTIME_KVS.db_dict.clear()
    yield
    TOYRUNTIME_KVS.db_dict.clear()


def load(runtime, xml: bytes | str):
    return runtime.get_block(runtime.parse_xml_string(xml))


def export(runtime, block) -> bytes:
    out = io.BytesIO()
    runtime.export_to_xml(block, out)
    return out.getvalue()


@pytest.mark.parametrize("name", CASES)
@with_block
def test_compiler_olx_loads_exports_and_reloads_unchanged(name):
    data = case(name)
    emitted = codec.to_element(data)
    emitted.set("url_name", "m1-case")  # what the compiler adds
    runtime = ToyRuntime()
    block = load(runtime, etree.tostring(emitted))
    assert block.authored_data() == data
    assert block.display_name == data["title"] and block.scoring == data["settings"]["scoring"]
    assert block.weight == data["settings"]["weight"] and isinstance(block.weight, float)

    exported = export(runtime, block)
    assert exported.startswith(b"<?xml")
    assert codec.from_element(etree.fromstring(exported)) == data
    reloaded = load(runtime, exported)
    assert reloaded.authored_data() == data


@with_block
def test_platform_attributes_on_the_element_still_reach_their_fields(caplog):
    emitted = codec.to_element(case("case_snow_en"))
    emitted.set("tags", '["municipal"]')  # a field every block has, set like the platform would
    with caplog.at_level(logging.WARNING):
        block = load(ToyRuntime(), etree.tostring(emitted))
    assert block.tags == ["municipal"]
    assert etree.fromstring(export(ToyRuntime(), block)).get("tags") is not None


@with_block
def test_invalid_olx_is_refused_with_its_location():
    data = case("case_snow_en")
    data["steps"][0]["options"][0]["next"] = "nulle-part"
    with pytest.raises(codec.CodecError, match=r"steps\[0\]\.options\[0\]\.next: next step 'nulle-part'"):
        load(ToyRuntime(), etree.tostring(codec.to_element(data)))


@with_block
def test_misspelt_olx_is_refused():
    with pytest.raises(codec.CodecError, match="unexpected element <stepz>"):
        load(ToyRuntime(), "<municipal_case_study display_name='x'><stepz/></municipal_case_study>")
