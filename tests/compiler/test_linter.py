"""`Linter`: the lints of a course run in another process while the course is read, and their findings
reported once it is read, file by file, whichever process found them."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

import parcours.lint
from parcours import parallel
from parcours.cache import ResultCache
from parcours.diagnostics import Code, Diagnostic, Reporter
from parcours.lint import Linter
from parcours.project import Workspace
from parcours.sources import Span

MODULES, FILES_PER_MODULE = 6, 40


def finding_with_pid(path: Path, text: str, *, french: bool) -> list[Diagnostic]:
    """A stand-in for `lint_file` that says which process linted the file, and how."""
    return [Diagnostic(Code.TYPO_COLON, f"{os.getpid()} {french} {text}", Span(path))]


@pytest.fixture
def stand_in_lints(monkeypatch):
    monkeypatch.setattr(parcours.lint, "lint_file", finding_with_pid)  # forked processes inherit it


def read_course(tmp_path: Path, linter: Linter, workspace: Workspace, language: str = "fr") -> SimpleNamespace:
    """Read MODULES modules of files into the workspace, calling `send` after each, as `load_course` does."""
    for module in range(MODULES):
        folder = tmp_path / "course" / f"m{module}"
        folder.mkdir(parents=True)
        for number in range(FILES_PER_MODULE):
            path = folder / f"{number:02d}.md"
            path.write_text(f"texte {module}-{number}", encoding="utf-8")
            workspace.read(path)
        linter.send(language)
    return SimpleNamespace(root=tmp_path / "course", language=language)


def reported(workspace: Workspace) -> list[tuple[str, int, str]]:
    """(file name, pid, rest of the message) of each finding, in the order reported."""
    found = []
    for diagnostic in workspace.reporter.diagnostics:
        pid, rest = diagnostic.message.split(" ", 1)
        found.append((f"{diagnostic.span.file.parent.name}/{diagnostic.span.file.name}", int(pid), rest))
    return found


def test_files_are_linted_in_another_process_while_read_and_reported_in_file_order(
        tmp_path, stand_in_lints, monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    workspace = Workspace(Reporter())
    with Linter(workspace) as linter:
        course = read_course(tmp_path, linter, workspace)
        linter.collect(course)
    found = reported(workspace)
    names = [name for name, _, _ in found]
    assert names == sorted(names) and len(names) == MODULES * FILES_PER_MODULE
    assert all(rest == f"True texte {name[1]}-{int(name[3:5])}" for name, _, rest in found)
    assert {pid for _, pid, _ in found} - {os.getpid()}, "no file was linted in the other process"
    assert multiprocessing.active_children() == []


def test_on_one_core_everything_is_linted_here(tmp_path, stand_in_lints, monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    workspace = Workspace(Reporter())
    with Linter(workspace) as linter:
        linter.collect(read_course(tmp_path, linter, workspace, language="en"))
    found = reported(workspace)
    assert {pid for _, pid, _ in found} == {os.getpid()} and len(found) == MODULES * FILES_PER_MODULE
    assert all(rest.startswith("False ") for _, _, rest in found)  # an English course: no French typography


def test_findings_in_the_cache_are_not_linted_again_and_new_ones_are_kept(tmp_path, stand_in_lints, monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    cache = ResultCache()
    first = Workspace(Reporter())
    with Linter(first, cache) as linter:
        linter.collect(read_course(tmp_path, linter, first))
    again = Workspace(Reporter())
    (tmp_path / "course" / "m3" / "07.md").write_text("changé", encoding="utf-8")
    with Linter(again, cache) as linter:
        course = SimpleNamespace(root=tmp_path / "course", language="fr")
        for path in sorted((tmp_path / "course").rglob("*.md")):
            again.read(path)
        linter.collect(course)
    changed = ("m3/07.md", os.getpid(), "True changé")  # one file: not worth another process
    assert reported(again) == [changed if name == changed[0] else (name, pid, rest)
                               for name, pid, rest in reported(first)]


def test_only_files_read_for_this_course_and_inside_it_are_reported(tmp_path, stand_in_lints):
    workspace = Workspace(Reporter())
    (tmp_path / "other.md").write_text("ailleurs", encoding="utf-8")
    workspace.read(tmp_path / "other.md")  # read for another course of the same run
    with Linter(workspace) as linter:
        course = read_course(tmp_path, linter, workspace)
        (tmp_path / "outside.md").write_text("dehors", encoding="utf-8")
        workspace.read(tmp_path / "outside.md")
        linter.collect(course)
    names = {name for name, _, _ in reported(workspace)}
    assert len(names) == MODULES * FILES_PER_MODULE and not names & {f"{tmp_path.name}/other.md",
                                                                      f"{tmp_path.name}/outside.md"}


def test_an_error_while_reading_stops_the_other_process(tmp_path, stand_in_lints, monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    workspace = Workspace(Reporter())
    with pytest.raises(KeyboardInterrupt), Linter(workspace) as linter:
        read_course(tmp_path, linter, workspace)
        raise KeyboardInterrupt
    assert multiprocessing.active_children() == [] and workspace.reporter.diagnostics == []


def test_a_linked_file_is_reported_where_its_link_leads(tmp_path, stand_in_lints):
    """course.yaml and module.yaml are read under their own names: a link to a file outside the course
    is not the course's to lint, a link to a file inside it is."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "module.yaml").write_text("title: partagé", encoding="utf-8")
    workspace = Workspace(Reporter())
    with Linter(workspace) as linter:
        course = read_course(tmp_path, linter, workspace)
        (course.root / "m0" / "module.yaml").symlink_to(tmp_path / "shared" / "module.yaml")
        (course.root / "m1" / "module.yaml").symlink_to(course.root / "m1" / "00.md")
        workspace.read(course.root.resolve() / "m0" / "module.yaml")
        workspace.read(course.root.resolve() / "m1" / "module.yaml")
        linter.collect(course)
    names = {name for name, _, _ in reported(workspace)}
    assert "m1/module.yaml" in names and "m0/module.yaml" not in names
