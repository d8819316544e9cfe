"""Sources no author means to write still get a located diagnostic, never a crash or a hang."""
import os
import re
import shutil
from pathlib import Path

import pytest

from parcours.cli import main
from parcours.transforms.render import Links, Renderer
from tests.compiler.conftest import diagnostics_text


def lesson(course: Path) -> Path:
    return course / "m1" / "01-lecon.md"


def test_a_symbolic_link_loop_is_a_missing_unit(minimal_course: Path):
    quiz = minimal_course / "m1" / "02-quiz.md"
    quiz.unlink()
    os.symlink("02-quiz.md", quiz)
    assert "error[PC302]: unit '02-quiz.md' is a symbolic-link loop" in diagnostics_text(minimal_course)


def test_old_mac_line_ends_read_like_any_other(minimal_course: Path):
    lesson(minimal_course).write_bytes(lesson(minimal_course).read_bytes().replace(b"\n", b"\r"))
    assert diagnostics_text(minimal_course) == ""


def test_a_character_xml_cannot_hold_is_located(minimal_course: Path):
    lesson(minimal_course).write_text("---\ntitle: Leçon\n---\n## Deux\x01ième page {#deux}\n", encoding="utf-8")
    assert diagnostics_text(minimal_course).startswith(
        "m1/01-lecon.md:4:8: error[PC105]: the character U+0001 cannot be written in Open edX XML")


def test_an_escaped_surrogate_in_yaml_is_located(minimal_course: Path):
    module = minimal_course / "m1" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("title: Module un", 'title: "Module \\ud800"'),
                      encoding="utf-8")
    assert diagnostics_text(minimal_course).startswith(
        "m1/module.yaml:2:8: error[PC101]: the character U+D800 cannot be written in Open edX XML")


def test_an_address_python_cannot_split_is_a_broken_link(minimal_course: Path):
    lesson(minimal_course).write_text("---\ntitle: Leçon\n---\nVoir [la page de la Ville](http://[oops).\n",
                                      encoding="utf-8")
    assert "error[PC303]: 'http://[oops' is not a valid address" in diagnostics_text(minimal_course)


@pytest.mark.parametrize("opening", ["[", "<a "])
def test_thousands_of_unclosed_brackets_are_refused_quickly(minimal_course: Path, opening: str):
    lesson(minimal_course).write_text("---\ntitle: Leçon\n---\n" + opening * 20000 + "x\n", encoding="utf-8")
    assert "error[PC106]" in diagnostics_text(minimal_course)


def test_values_yaml_accepts_but_python_cannot_hold_are_diagnostics(minimal_course: Path):
    course = minimal_course / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("start: 2026-01-01", "start: !!timestamp 2024-13-45"),
                      encoding="utf-8")
    assert "error[PC101]: a value cannot be read: month must be in 1..12" in diagnostics_text(minimal_course)


def test_a_damaged_build_cache_and_ids_lock_only_mean_a_full_build(tmp_path: Path, minimal_course: Path):
    output = tmp_path / "out"
    assert main(["build", str(minimal_course), "-o", str(output), "-q"]) == 0
    for damaged in (output / "minimal" / ".cache").iterdir():
        damaged.write_bytes(b"\x80\x04\x95garbage")
    (output / "minimal" / "ids.lock.json").write_text("[" * 100000, encoding="utf-8")
    lesson(minimal_course).write_text(lesson(minimal_course).read_text(encoding="utf-8") + "\nPlus.\n",
                                      encoding="utf-8")
    assert main(["build", str(minimal_course), "-o", str(output), "-q"]) == 0


def test_the_texts_after_one_nested_too_deep_render_as_they_would_alone(tmp_path: Path):
    """Python-Markdown, stopped halfway by the depth, keeps the lists it was in for the next text."""
    deep = "".join("    " * depth + "- x\n" for depth in range(300))
    after = "Un *paragraphe* et une liste :\n\n- un\n- deux\n"
    renderer = Renderer(Links(tmp_path, {}))
    assert [d.code.code for d in renderer.render_file_text(deep, tmp_path / "a.md").diagnostics] == ["PC106"]
    assert renderer.render_file_text(after, tmp_path / "b.md") == Renderer(Links(tmp_path, {})).render_file_text(
        after, tmp_path / "b.md")
    assert "<em>paragraphe</em>" in renderer.render_file_text(after, tmp_path / "b.md").html


def test_an_id_ending_in_a_newline_is_not_an_id(minimal_course: Path):
    """`$` in Python also matches before a final newline; Open edX refuses such a key."""
    lesson(minimal_course).write_text('---\ntitle: Leçon\nid: "intro\\n"\n---\nTexte.\n', encoding="utf-8")
    assert "m1/01-lecon.md:3:5: error[PC201]: 'intro\\n' does not match" in diagnostics_text(minimal_course)
    course = minimal_course / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace('run: "2026"', 'run: "2026\\n"'), encoding="utf-8")
    assert "course.yaml:3:6: error[PC201]: '2026\\n' does not match" in diagnostics_text(minimal_course)


def test_not_a_number_is_refused_where_it_is_written(minimal_course: Path):
    """`.nan` passes every minimum and maximum, and JSON cannot hold it."""
    course = minimal_course / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("weight: 1.0", "weight: .nan"), encoding="utf-8")
    assert "course.yaml:14:15: error[PC101]: `.nan` is not a number" in diagnostics_text(minimal_course)


def test_a_block_without_the_course_language_asks_for_one_of_its_own(tmp_path: Path):
    """The self-assessment speaks French and English; a course in German names one for it."""
    course = tmp_path / "exemple"
    shutil.copytree(Path(__file__).parents[2] / "courses" / "exemple", course)
    settings = course / "course.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("language: fr", "language: de"),
                        encoding="utf-8")
    assert ("modules/02-evaluer/01-grille.md:22:1: error[PC701]: the `self_assessment_quiz` block has no "
            "interface in the course's language (de)") in diagnostics_text(course)
    grille = course / "modules" / "02-evaluer" / "01-grille.md"
    grille.write_text(grille.read_text(encoding="utf-8").replace("title: Où en êtes-vous",
                                                                 "language: fr\ntitle: Où en êtes-vous"),
                      encoding="utf-8")
    assert "PC701" not in diagnostics_text(course)


def test_an_id_too_long_to_name_a_file_is_refused(minimal_course: Path):
    quiz = minimal_course / "m1" / "02-quiz.md"
    quiz.write_text(re.sub(r":::\{problem\} (\S+)", ":::{problem} " + "a" * 5000, quiz.read_text(encoding="utf-8"),
                           count=1), encoding="utf-8")
    assert "error[PC205]: the id 'm1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is 5003 characters long, more than 200" \
        in diagnostics_text(minimal_course)


@pytest.mark.parametrize("tag", ["span", "div"])
def test_html_nested_deeper_than_open_edx_reads_is_refused(minimal_course: Path, tag: str):
    lesson(minimal_course).write_text("---\ntitle: Leçon\n---\n" + f"<{tag}>" * 300 + "x\n", encoding="utf-8")
    assert "m1/01-lecon.md:4:1: error[PC106]: this HTML nests too deeply to be read" in diagnostics_text(minimal_course)


def test_many_shallow_html_elements_are_kept(minimal_course: Path):
    lesson(minimal_course).write_text("---\ntitle: Leçon\n---\n" + "<div><span>x</span></div>\n" * 300,
                                      encoding="utf-8")
    assert diagnostics_text(minimal_course) == ""


def test_a_link_the_sanitizer_would_remove_is_reported(minimal_course: Path):
    lesson(minimal_course).write_text("---\ntitle: Leçon\n---\nLa [fiche](file:///srv/fiche.pdf) et "
                                      "[ceci](javascript:alert(1)), mais [le site](https://example.org).\n",
                                      encoding="utf-8")
    found = diagnostics_text(minimal_course)
    assert "error[PC303]: 'file:///srv/fiche.pdf' is not a web address: the link would be removed" in found
    assert "error[PC303]: 'javascript:alert(1)' is not a web address" in found and "example.org" not in found


def test_a_reference_consulted_on_a_day_that_does_not_exist_is_refused(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(Path(__file__).parents[2] / "courses" / "exemple", course)
    module = course / "modules" / "01-premiers-pas" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("consulted: 2026-11-20", "consulted: 2024-02-30"),
                      encoding="utf-8")
    assert ("modules/01-premiers-pas/module.yaml:25:16: error[PC403]: '2024-02-30' is not a calendar date"
            in diagnostics_text(course))


def test_a_file_named_in_raw_html_is_reported_as_neither_checked_nor_published(minimal_course: Path):
    lesson(minimal_course).write_text(
        '---\ntitle: Leçon\n---\nTexte.\n\n<img src="images/schema.png" alt="Schéma">\n\n'
        'Un <a href="fiche.pdf">lien</a>, un <a href="https://example.org">site</a>, une <a href="#haut">ancre</a>.\n\n'
        '```html\n<img src="dans-le-code.png">\n```\n', encoding="utf-8")
    found = [line for line in diagnostics_text(minimal_course).splitlines() if "error" in line]
    assert found == ["m1/01-lecon.md:6:11: error[PC303]: 'images/schema.png' in raw HTML is neither checked nor "
                     "published", "m1/01-lecon.md:8:13: error[PC303]: 'fiche.pdf' in raw HTML is neither checked nor "
                     "published"]
