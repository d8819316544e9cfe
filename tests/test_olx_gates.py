"""The downstream OLX gates pass the hand-written minimal course and catch broken variants of it.

Each variant states which gates catch it; every gate is checked both ways (catches what it
claims, lets the rest through), which documents what each gate is for (olx.md §10.5).
"""
import shutil
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
import xblock.plugin
from xblock.core import XBlock
from xblock.fields import Float, Integer, List, Scope, String

from tests.support.olx_gates import (
    CourseLoadError,
    ProblemCheckError,
    check_problems,
    failing_findings,
    load_course,
    run_olxcleaner,
    set_field_values,
)

MINIMAL = Path(__file__).parent / "support" / "olx_fixtures" / "minimal"
CUSTOM_TAGS = ["gate_probe"]


class GateProbe(XBlock):
    """A tiny custom XBlock standing for ours (inline in vertical/vert1.xml) until they are installed."""

    display_name = String(scope=Scope.settings)
    max_attempts = Integer(scope=Scope.settings)
    weight = Float(scope=Scope.settings)
    tags = List(scope=Scope.content)


with_gate_probe = XBlock.register_temp_plugin(GateProbe, "gate_probe")


@dataclass(frozen=True)
class Variant:
    """A broken copy of the minimal course and the gates expected to catch it."""

    edits: tuple[tuple[str, str | None, str | None], ...]  # (file, old text or None = whole file, new or None = delete)
    olxcleaner: str | None = None  # the code olxcleaner reports at WARNING or above
    capa: bool = False  # check_problems rejects problem/mcq1.xml
    loader: str | None = None  # the file CourseLoadError names

    def write(self, destination: Path) -> Path:
        shutil.copytree(MINIMAL, destination)
        for file, old, new in self.edits:
            path = destination / file
            if new is None:
                path.unlink()
                continue
            text = path.read_text(encoding="utf-8")
            assert old is None or old in text, f"{old!r} not in {file}: the variant would break nothing"
            path.write_text(new if old is None else text.replace(old, new), encoding="utf-8")
        return destination


PROBLEM = '<problem display_name="Q1" max_attempts="2">{}</problem>'
CHOICES_WITHOUT_GROUP = "<multiplechoiceresponse><label>Q?</label></multiplechoiceresponse>"
STRING_WITHOUT_ANSWER = '<stringresponse type="ci"><textline size="20"/></stringresponse>'
VARIANTS = {
    "course_pointer_without_org": Variant(
        (("course.xml", ' org="DemoOrg"', ""),), olxcleaner="InvalidPointer", loader="course.xml"),
    "missing_html_file": Variant(
        (("html/intro.html", None, None),), olxcleaner="FileDoesNotExist", loader="html/intro.xml"),
    "missing_pointed_file": Variant(
        (("sequential/seq1.xml", None, None),), olxcleaner="FileDoesNotExist", loader="sequential/seq1.xml"),
    "duplicate_problem_url_name": Variant(
        (("vertical/vert1.xml", '<problem url_name="mcq1"/>', '<problem url_name="mcq1"/><problem url_name="mcq1"/>'),),
        olxcleaner="DuplicateURLName", loader="vertical/vert1.xml"),
    "duplicate_custom_url_name": Variant(
        (("vertical/vert1.xml", "<gate_probe ", '<gate_probe url_name="probe1" display_name="Twin"/><gate_probe '),),
        loader="vertical/vert1.xml"),
    "malformed_chapter_xml": Variant(
        (("chapter/ch1.xml", "</chapter>", ""),), olxcleaner="InvalidXML", loader="chapter/ch1.xml"),
    "malformed_problem_xml": Variant(
        (("problem/mcq1.xml", "</multiplechoiceresponse>", ""),),
        olxcleaner="InvalidXML", capa=True, loader="problem/mcq1.xml"),
    "root_tag_mismatch": Variant(
        (("chapter/ch1.xml", None, '<sequential display_name="M"><vertical url_name="vert1"/></sequential>'),),
        olxcleaner="TagMismatch", loader="chapter/ch1.xml"),
    "multiple_choice_without_choicegroup": Variant(
        (("problem/mcq1.xml", None, PROBLEM.format(CHOICES_WITHOUT_GROUP)),),
        capa=True),
    "stringresponse_without_answer": Variant(
        (("problem/mcq1.xml", None, PROBLEM.format(STRING_WITHOUT_ANSWER)),),
        capa=True),
    "problem_without_response": Variant(
        (("problem/mcq1.xml", None, PROBLEM.format("<p>Nothing to answer.</p>")),), capa=True),
    "unknown_tag": Variant(
        (("vertical/vert1.xml", '<html url_name="intro"/>', '<html url_name="intro"/><mystery_block url_name="m1"/>'),),
        olxcleaner="UnexpectedTag", loader="vertical/vert1.xml"),
    "custom_field_not_deserializing": Variant(
        (("vertical/vert1.xml", 'max_attempts="3"', 'max_attempts="three"'),), loader="vertical/vert1.xml"),
    "url_name_not_a_usage_key": Variant(
        (("vertical/vert1.xml", 'url_name="probe1"', 'url_name="probe 1"'),), loader="vertical/vert1.xml"),
    "invalid_policy_json": Variant(
        (("policies/2025_T1/policy.json", '["gate_probe"]}', '["gate_probe"]'),),
        olxcleaner="BadPolicy", loader="policies/2025_T1/policy.json"),
    "policy_value_of_wrong_type": Variant(
        (("policies/2025_T1/policy.json", '["gate_probe"]', '"gate_probe"'),), loader="policies/2025_T1/policy.json"),
    "invalid_due_date": Variant(
        (("sequential/seq1.xml", 'due="2025-06-01T00:00:00Z"', 'due="next week"'),),
        olxcleaner="InvalidSetting", loader="sequential/seq1.xml"),
    "course_without_chapter": Variant(
        (("course/2025_T1.xml", '<chapter url_name="ch1"/>', ""),), olxcleaner="EmptyTag", loader="course/2025_T1.xml"),
}


@pytest.fixture(params=sorted(VARIANTS))
def variant(request, tmp_path) -> tuple[Variant, Path]:
    chosen = VARIANTS[request.param]
    return chosen, chosen.write(tmp_path / "course")


# -- the minimal course passes every gate ------------------------------------------------------


def test_minimal_course_has_no_olxcleaner_finding():
    assert run_olxcleaner(MINIMAL, CUSTOM_TAGS) == []


def test_olxcleaner_rejects_custom_tags_it_was_not_told_about():
    codes = {finding.code for finding in failing_findings(run_olxcleaner(MINIMAL, []))}
    assert codes == {"UnexpectedTag"}


def test_minimal_course_problems_build_in_capa():
    assert check_problems(MINIMAL) == {"problem/mcq1.xml": ["multiplechoiceresponse"]}


@with_gate_probe
def test_minimal_course_loads_as_authored():
    course = load_course(MINIMAL)

    assert [block.scope_ids.block_type for block in course.walk()] == [
        "course", "chapter", "sequential", "vertical", "html", "problem", "gate_probe"]
    assert [chapter.display_name for chapter in course.chapters] == ["Module 1"]
    assert [set_field_values(block) for block in course.custom_blocks()] == [
        {"display_name": "Probe", "max_attempts": 3, "weight": 1.5, "tags": ["a", "b"]}]
    assert course.block("html", "intro").data.strip() == "<p>Welcome to the minimal course.</p>"
    problem = course.blocks_by_type()["problem"][0]
    assert (problem.display_name, problem.max_attempts, problem.showanswer) == ("Q1", 2, "finished")
    assert "<choicegroup" in problem.data
    sequential = course.block("sequential", "seq1")
    assert (sequential.graded, sequential.format, sequential.due.isoformat()) == (
        True, "Homework", "2025-06-01T00:00:00+00:00")
    assert course.root.advanced_modules == ["gate_probe"]  # from policy.json
    assert (course.ignored_attributes, course.unused_policy_keys, course.tracked_errors) == ([], [], [])


@with_gate_probe
def test_loader_reports_attributes_and_policy_keys_that_reach_no_field(tmp_path):
    course_dir = Variant((
        ("vertical/vert1.xml", 'display_name="Probe"', 'display_name="Probe" colour="red"'),
        ("problem/mcq1.xml", 'max_attempts="2"', 'max_attempts="2" colour="red"'),
        ("policies/2025_T1/policy.json", '"course/2025_T1"', '"problem/ghost": {}, "course/2025_T1"'),
    )).write(tmp_path / "course")

    course = load_course(course_dir)

    assert course.ignored_attributes == [
        "problem/mcq1.xml: <problem> has no field 'colour'",
        "vertical/vert1.xml:4: <gate_probe> has no field 'colour'",
    ]
    assert course.unused_policy_keys == ["problem/ghost"]


# -- each broken variant is caught by the gates that claim it, and only by them ---------------


def test_olxcleaner_gate(variant):
    chosen, course_dir = variant
    codes = {finding.code for finding in failing_findings(run_olxcleaner(course_dir, CUSTOM_TAGS))}
    if chosen.olxcleaner:
        assert chosen.olxcleaner in codes
    else:
        assert codes == set()


def test_capa_gate(variant):
    chosen, course_dir = variant
    if chosen.capa:
        with pytest.raises(ProblemCheckError) as caught:
            check_problems(course_dir)
        assert list(caught.value.failures) == ["problem/mcq1.xml"]
    else:
        check_problems(course_dir)


@with_gate_probe
def test_runtime_loader_gate(variant):
    chosen, course_dir = variant
    if chosen.loader:
        with pytest.raises(CourseLoadError) as caught:
            load_course(course_dir)
        assert caught.value.file == chosen.loader
    else:
        load_course(course_dir)


@with_gate_probe
def test_loader_errors_point_at_the_faulty_line_and_keep_the_cause(tmp_path):
    course_dir = VARIANTS["custom_field_not_deserializing"].write(tmp_path / "course")

    with pytest.raises(CourseLoadError) as caught:
        load_course(course_dir)

    assert (caught.value.file, caught.value.line) == ("vertical/vert1.xml", 4)
    assert "<gate_probe url_name='probe1'>" in str(caught.value)
    assert isinstance(caught.value.__cause__, ValueError)


@with_gate_probe
def test_missing_html_file_is_named(tmp_path):
    course_dir = VARIANTS["missing_html_file"].write(tmp_path / "course")
    with pytest.raises(CourseLoadError, match="html/intro.html"):
        load_course(course_dir)


@with_gate_probe
def test_inline_custom_block_with_only_url_name_is_read_as_a_pointer_like_the_platform(tmp_path):
    course_dir = Variant((("vertical/vert1.xml", None, (
        '<vertical display_name="U">\n  <gate_probe url_name="bare" xblock-family="xblock.v1"/>\n</vertical>')),
    )).write(tmp_path / "course")

    with pytest.raises(CourseLoadError, match="missing file pointed at by <gate_probe url_name='bare'>") as caught:
        load_course(course_dir)

    assert caught.value.file == "gate_probe/bare.xml"


def test_loader_names_a_custom_block_whose_entry_point_does_not_import(monkeypatch):
    entry_point = mock.Mock(group="xblock.v1", load=mock.Mock(side_effect=ModuleNotFoundError("no gate_probe")))
    entry_point.name = "gate_probe"
    monkeypatch.setattr(XBlock, "extra_entry_points", [("gate_probe", entry_point)])
    monkeypatch.setattr(xblock.plugin, "PLUGIN_CACHE", {})

    with pytest.raises(CourseLoadError, match="entry point does not load: ModuleNotFoundError") as caught:
        load_course(MINIMAL)

    assert (caught.value.file, caught.value.line) == ("vertical/vert1.xml", 4)
