"""Path helpers of stage 1: the shortcuts give what the general functions give."""
from __future__ import annotations

from pathlib import Path

import pytest

from parcours.project import resolved, resolved_in, within

NAMES = ["lesson.md", "missing.md", "link.md", "dangling.md", "loop.md", "folder-link", "sub/inner.md",
         "folder-link/inner.md", "..", ".", "", "../lesson.md", "./lesson.md", "lesson.md/"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path.resolve() / "module"
    (folder / "sub").mkdir(parents=True)
    (folder / "lesson.md").write_text("x")
    (folder / "sub" / "inner.md").write_text("x")
    (tmp_path / "elsewhere.md").write_text("x")
    (folder / "link.md").symlink_to(tmp_path / "elsewhere.md")
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    (folder / "folder-link").symlink_to(folder / "sub")
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_resolved_in_a_resolved_folder_is_resolved(folder: Path, name: str) -> None:
    assert resolved_in(folder, name) == resolved(folder / name)


def test_a_link_loop_is_still_found(folder: Path) -> None:
    assert resolved_in(folder, "loop.md") is None


@pytest.mark.parametrize(("path", "root"), [
    ("/a/b/c.md", "/a/b"), ("/a/b", "/a/b"), ("/a/bc/d.md", "/a/b"), ("/a", "/a/b"), ("/a/b", "/"), ("/", "/"),
    ("/x/b/c.md", "/a/b"),
])
def test_within_is_is_relative_to(path: str, root: str) -> None:
    assert within(Path(path), Path(root)) == Path(path).is_relative_to(root)
