"""The per-module course tree (`module_course`): one chapter, same ids, own number, own assets."""
from __future__ import annotations

import dataclasses

import pytest

from parcours.diagnostics import Reporter
from parcours.pipeline import compile_course
from parcours.project import Workspace
from parcours.transforms.modules import module_course
from tests.exports.conftest import COURSES


@pytest.fixture(scope="module")
def course():
    return compile_course(COURSES["partenaire"], Workspace(Reporter()))


def test_a_module_course_holds_its_chapter_with_the_same_ids(course):
    chapter = course.chapters[0]
    module = module_course(course, chapter)
    assert [c.id for c in module.chapters] == [chapter.id]
    assert [n.id for n in module.walk()][1:] == [n.id for n in course.walk() if n.id in
                                                 {m.id for m in module.walk()}][1:]
    assert module.number == f"{course.number}-{chapter.id}" and module.run == course.run
    assert module.title == chapter.title and module.licence == chapter.licence
    assert module.authors == chapter.authors


def test_a_module_course_keeps_only_the_assets_it_uses(course):
    first, second = (module_course(course, chapter) for chapter in course.chapters)
    assert [a.name for a in first.assets] == ["modules_01-deneigement_images_trajets.png"]
    assert second.assets == ()
    assert {a.name for a in course.assets} >= {a.name for a in first.assets}


def test_links_to_other_modules_become_text_and_links_inside_stay(course):
    first, second = (module_course(course, chapter) for chapter in course.chapters)
    lesson = first.chapters[0].sequentials[0].verticals[1].blocks[0].html
    assert 'href="/jump_to_id/deneigement.verification"' in lesson
    assert "/jump_to_id/suite" not in lesson and "module suivant" in lesson
    back = second.chapters[0].sequentials[0].verticals[0].blocks[0].html
    assert "jump_to_id" not in back and "trajets" in back


def test_the_transform_is_pure(course):
    before = dataclasses.astuple(course.chapters[0].sequentials[0])
    module_course(course, course.chapters[0])
    assert dataclasses.astuple(course.chapters[0].sequentials[0]) == before
    with pytest.raises(ValueError):
        module_course(course, dataclasses.replace(course.chapters[0], id="ailleurs"))
