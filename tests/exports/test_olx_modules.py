"""Every per-module Open edX package imports on its own: olxcleaner finds nothing, every problem
builds in the CAPA engine, and the course loads through the real XBlock runtime with its blocks."""
from __future__ import annotations

import pytest

from parcours.blocks import block_codecs
from tests.exports.conftest import COURSES
from tests.support import olx_gates
from tests.support.packages import unpack

MODULES = {"exemple": ["orientation", "premiers-pas", "evaluer"], "partenaire": ["deneigement", "suite"]}
CASES = [(course, module) for course, modules in MODULES.items() for module in modules]


@pytest.mark.slow
def test_each_module_has_its_package_next_to_the_course_package(built):
    for course in COURSES:
        olx = built[course] / "olx"
        assert (olx / "course.tar.gz").is_file() and (olx / "course" / "course.xml").is_file()  # --unpacked
        assert sorted(p.name for p in (olx / "modules").iterdir()) == sorted(MODULES[course])
        for module in MODULES[course]:
            assert (olx / "modules" / module / "course.tar.gz").is_file()


@pytest.mark.slow
@pytest.mark.parametrize(("course", "module"), CASES)
def test_module_package_passes_the_open_edx_gates(built, course, module, tmp_path):
    package = unpack(built[course] / "olx" / "modules" / module / "course.tar.gz", tmp_path)
    findings = olx_gates.run_olxcleaner(package, allowed_xblocks=sorted(block_codecs()))
    assert olx_gates.failing_findings(findings) == []
    olx_gates.check_problems(package)
    loaded = olx_gates.load_course(package)
    assert [c.scope_ids.usage_id.block_id for c in loaded.chapters] == [module]
    assert loaded.course_key.course.endswith(f"-{module}")
    assert loaded.ignored_attributes == [] and loaded.unused_policy_keys == []


@pytest.mark.slow
def test_the_case_study_and_self_assessment_load_in_their_module(built, tmp_path):
    archive = built["partenaire"] / "olx" / "modules" / "deneigement" / "course.tar.gz"
    loaded = olx_gates.load_course(unpack(archive, tmp_path))
    assert sorted(block.scope_ids.block_type for block in loaded.custom_blocks()) == [
        "municipal_case_study", "self_assessment_quiz"]
