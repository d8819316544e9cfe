"""Links between lessons, to their pages, and to files, as the render transform resolves them."""
from pathlib import Path

from parcours.diagnostics import Reporter
from parcours.model.nodes import HtmlBlock
from parcours.pipeline import compile_course
from parcours.project import Workspace
from tests.compiler.conftest import diagnostics_text


def lesson_html(course_dir: Path, block_id: str) -> str:
    course = compile_course(course_dir, Workspace(Reporter()))
    return next(node.html for node in course.walk() if isinstance(node, HtmlBlock) and node.id == block_id)


def write_quiz_text(course_dir: Path, text: str) -> None:
    quiz = course_dir / "m1" / "02-quiz.md"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(":::{problem} q1", f"{text}\n\n:::{{problem}} q1"),
                    encoding="utf-8")


def test_a_link_to_a_lesson_or_to_one_of_its_pages_jumps_there(minimal_course: Path):
    write_quiz_text(minimal_course, "Voir [la leçon](01-lecon.md) et [sa deuxième page](01-lecon.md#page-deux).")
    html = lesson_html(minimal_course, "m1.quiz.intro.text")
    assert 'href="/jump_to_id/m1.lecon"' in html and 'href="/jump_to_id/m1.page-deux"' in html


def test_a_link_to_a_page_that_does_not_exist_is_located_and_lists_the_pages(minimal_course: Path):
    write_quiz_text(minimal_course, "Voir [la page](01-lecon.md#page-trois).")
    assert diagnostics_text(minimal_course) == (
        "m1/02-quiz.md:5:16: error[PC303]: '01-lecon.md#page-trois' names no page of that lesson\n"
        "  = hint: its pages: page-deux (the `{#id}` of its `##` headings)")


def test_a_file_link_keeps_its_fragment_and_web_links_stay_as_written(minimal_course: Path):
    (minimal_course / "m1" / "guide.pdf").write_bytes(b"%PDF-1.4\n")
    write_quiz_text(minimal_course, "Le [guide, page 2](guide.pdf#page=2) et [la CAI](https://www.cai.gouv.qc.ca/).")
    html = lesson_html(minimal_course, "m1.quiz.intro.text")
    assert 'href="/static/m1_guide.pdf#page=2"' in html and 'href="https://www.cai.gouv.qc.ca/"' in html


def test_a_choice_that_shows_nothing_once_sanitized_is_an_error(minimal_course: Path):
    quiz = minimal_course / "m1" / "02-quiz.md"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("( ) Trois", "( ) <script>alert(1)</script>"),
                    encoding="utf-8")
    assert diagnostics_text(minimal_course) == (
        "m1/02-quiz.md:7:5: error[PC601]: this text shows nothing once rendered\n"
        "  = hint: raw HTML such as <script> or <iframe> is removed; write the text in Markdown")
