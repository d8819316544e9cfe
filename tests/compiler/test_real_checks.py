"""Every course of courses/ and the fixture courses, built and proven with the real Open edX pieces:
olxcleaner's API (no finding at WARNING or above, our blocks allowed), the CAPA engine of
xblocks-contrib for every problem, and the whole course loaded through the XBlock runtime, with each
custom block's fields equal to the data the author wrote."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from parcours.blocks import block_codecs
from parcours.cli import main
from parcours.diagnostics import Reporter
from parcours.model.nodes import CustomBlock, ProblemBlock
from parcours.pipeline import compile_course
from parcours.project import Workspace, discover
from parcours.transforms.render import published
from tests.compiler.conftest import COURSES
from tests.support import olx_gates
from tests.support.packages import unpack

REPO = Path(__file__).resolve().parents[2]
COURSE_DIRS = discover(REPO / "courses") + [COURSES / "minimal"]


@pytest.fixture(scope="module", params=COURSE_DIRS, ids=lambda path: path.name)
def built(request, tmp_path_factory) -> tuple[Path, Path]:
    output = tmp_path_factory.mktemp("build")
    assert main(["build", str(request.param), "-o", str(output), "-q", "--strict"]) == 0
    archive = output / request.param.name / "olx" / "course.tar.gz"
    return request.param, unpack(archive, tmp_path_factory.mktemp("imported"))


@pytest.mark.slow
def test_olxcleaner_finds_nothing(built):
    _, package = built
    findings = olx_gates.run_olxcleaner(package, allowed_xblocks=sorted(block_codecs()))
    assert olx_gates.failing_findings(findings) == []


@pytest.mark.slow
def test_every_problem_builds_in_the_capa_engine(built):
    source, package = built
    responders = olx_gates.check_problems(package)
    course = compile_course(source, Workspace(Reporter()))
    expected = {f"problem/{node.id}.xml" for node in course.walk() if isinstance(node, ProblemBlock)}
    assert set(responders) == expected and all(responders.values())


@pytest.mark.slow
def test_the_course_loads_through_the_xblock_runtime_as_authored(built):
    source, package = built
    loaded = olx_gates.load_course(package)
    course = compile_course(source, Workspace(Reporter()))
    assert [chapter.scope_ids.usage_id.block_id for chapter in loaded.chapters] == [c.id for c in course.chapters]
    assert loaded.ignored_attributes == [] and loaded.unused_policy_keys == []
    for node in course.walk():
        if isinstance(node, CustomBlock):
            assert_block_holds_the_authored_data(loaded.block(node.tag, node.id), node, package, course.root)


def assert_block_holds_the_authored_data(block, node: CustomBlock, package: Path, root: Path) -> None:
    """The real block, loaded from the package, exports exactly what the author wrote."""
    codec = block_codecs()[node.tag]
    emitted = next(element for path in (package / "vertical").glob("*.xml")
                   for element in etree.parse(str(path)).getroot() if element.get("url_name") == node.id)
    exported = etree.Element(node.tag)
    block.add_xml_to_node(exported)
    assert codec.from_element(exported) == codec.from_element(emitted)
    urls = {ref: f"/static/{published(path, root).name}" for ref, path in node.assets.items()}
    assert codec.from_element(emitted) == codec.from_element(codec.to_element(dict(node.data), urls.get))
    assert block.display_name == node.title
