"""Property: inserting, removing or reordering content never renames what already exists.

Learner state is keyed by url_name, so every id of a course must survive any of these edits.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.diagnostics import Reporter
from parcours.model.build import load_course
from parcours.model.ids import id_from_path, slugify
from parcours.project import Workspace
from tests.compiler.conftest import COURSES

ids = st.text(alphabet="abcdefghij", min_size=1, max_size=3)
# A page: (page id, [(problem id, has text after it)]); a lesson: (file stem, [pages]).
page = st.tuples(ids, st.lists(st.tuples(ids, st.booleans()), max_size=3))
lesson = st.tuples(ids, st.lists(page, max_size=3))


def unique(module: list) -> list:
    """Drop lessons, pages and problems whose id is already taken (authors get PC301 for those)."""
    seen, kept = set(), []
    for stem, pages in module:
        if f"l{stem}" in seen:
            continue
        seen.add(f"l{stem}")
        kept_pages = []
        for page_id, problems in pages:
            if f"p{page_id}" in seen:
                continue
            seen.add(f"p{page_id}")
            kept_problems = [(q, text) for q, text in problems if f"q{q}" not in seen and not seen.add(f"q{q}")]
            kept_pages.append((page_id, kept_problems))
        kept.append((stem, kept_pages))
    return kept


def lesson_markdown(stem: str, pages: list) -> str:
    lines = ["---", f"title: Leçon {stem}", "---", "Intro."]
    for page_id, problems in pages:
        lines += ["", f"## Page {page_id} {{#p{page_id}}}", "", "Texte de page."]
        for problem_id, text_after in problems:
            lines += ["", f":::{{problem}} q{problem_id}", ">>Q?<<", "(x) Oui", "( ) Non", ":::"]
            if text_after:
                lines += ["", f"Suite de q{problem_id}."]
    return "\n".join(lines) + "\n"


def course_ids(module: list) -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(COURSES / "minimal", root)
        folder = root / "m1"
        for old in folder.glob("*.md"):
            old.unlink()
        units = []
        for index, (stem, pages) in enumerate(module):
            name = f"{index:02d}-l{stem}.md"
            (folder / name).write_text(lesson_markdown(stem, pages), encoding="utf-8")
            units.append(name)
        module_yaml = (folder / "module.yaml").read_text().split("units:")[0]
        unit_lines = "".join(f"  - {u}\n" for u in units) or "  - 00-lx.md\n"
        (folder / "module.yaml").write_text(module_yaml + "units:\n" + unit_lines, encoding="utf-8")
        if not units:
            (folder / "00-lx.md").write_text(lesson_markdown("x", []), encoding="utf-8")
        reporter = Reporter()
        course = load_course(root, Workspace(reporter))
        assert course is not None, [d.message for d in reporter.diagnostics]
        return {node.id for node in course.walk() if node is not course}


def edits(module: list):
    """Module variants: an insertion, a reordering or a removal at every level."""
    variants = [list(reversed(module)), [("zz", [("zz", [("zz", True)])]), *module]]
    for i, (stem, pages) in enumerate(module):
        variants.append(module[:i] + [(stem, list(reversed(pages)))] + module[i + 1:])
        variants.append(module[:i] + [(stem, [("zy", [("zy", False)]), *pages])] + module[i + 1:])
        for j, (page_id, problems) in enumerate(pages):
            for shuffled in (list(reversed(problems)), [("zx", True), *problems], problems[1:]):
                new_pages = pages[:j] + [(page_id, shuffled)] + pages[j + 1:]
                variants.append(module[:i] + [(stem, new_pages)] + module[i + 1:])
    return variants


def removed(before: list, after: list) -> set[str]:
    """Ids whose content an edit removed (those may go; nothing else may)."""
    def authored(module):
        found = set()
        for stem, pages in module:
            found.add(f"l{stem}")
            for page_id, problems in pages:
                found.add(f"p{page_id}")
                found.update(f"q{q}" for q, _ in problems)
        return found
    return authored(before) - authored(after)


@settings(max_examples=25, deadline=None)
@given(st.lists(lesson, min_size=1, max_size=3).map(unique))
def test_edits_never_rename_existing_ids(module):
    before = course_ids(module)
    for variant in map(unique, edits(module)):
        gone = removed(module, variant)
        lost = {i for i in before - course_ids(variant) if not gone & set(i.split("."))}
        assert lost == set(), variant


def test_lesson_ids_come_from_the_file_name_without_its_order_prefix():
    assert id_from_path(Path("03-Cadre légal.md")) == "cadre-legal"
    assert id_from_path(Path("10-x.yaml")) == "x"
    assert slugify("Étude de cas : « 311 »") == "etude-de-cas-311"
