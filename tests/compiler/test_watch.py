"""Building again in the same process (`parcours build --watch`, the preview): what a build reuses
from the last one in memory must never show. After every kind of edit, the packages are byte for
byte those a new process writes, the diagnostics are the same, and unchanged units are reused."""
from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

from parcours.cache import ResultCache
from parcours.cli import Progress, _compile_one, _Kept, _parser, _watchers, _written_in_itself, main
from parcours.diagnostics import Reporter
from parcours.pipeline import CACHE, IDS_LOCK, CourseResult, build_course, cache_file
from parcours.project import KeptTexts, Workspace
from parcours.watch import Watcher

EXAMPLE = Path(__file__).parents[2] / "courses" / "exemple"
FORMATS = ["olx", "scorm12", "cc13"]
INTRODUCTION = "modules/01-premiers-pas/01-introduction.md"
IMAGE = "modules/01-premiers-pas/images/schema-donnees.png"


def append(course: Path, relative: str, text: str) -> None:
    path = course / relative
    save(path, path.read_text(encoding="utf-8") + text)


def replace(course: Path, relative: str, old: str, new: str) -> None:
    path = course / relative
    content = path.read_text(encoding="utf-8")
    assert old in content
    save(path, content.replace(old, new))


_edits = itertools.count()


def save(path: Path, text: str) -> None:
    """`text` saved in `path`, dated as if saved a while ago, a second after the last edit: a file
    saved within the clock tick before a build is read again anyway, and the next build must not."""
    path.write_text(text, encoding="utf-8")
    when = time.time_ns() - 3600 * 10**9 + next(_edits) * 10**9
    os.utime(path, ns=(when, when))


# Each edit an author may make while the course is watched, in turn.
EDITS = [
    ("a sentence added", lambda c: append(c, INTRODUCTION, "\nUne phrase de plus.\n")),
    ("a link to another lesson", lambda c: append(c, "modules/02-evaluer/01-grille.md",
                                                  "\nVoir aussi les [données](../01-premiers-pas/02-donnees.md).\n")),
    ("a new page, so new link targets", lambda c: append(c, INTRODUCTION, "\n## Une autre page {#autre}\n\nTexte.\n")),
    ("a link to that page", lambda c: append(c, "modules/01-premiers-pas/02-donnees.md",
                                             "\nRetour à [l'autre page](01-introduction.md#autre).\n")),
    ("that page renamed, which breaks the link", lambda c: replace(c, INTRODUCTION, "{#autre}", "{#ailleurs}")),
    ("the link mended", lambda c: replace(c, "modules/01-premiers-pas/02-donnees.md", "#autre", "#ailleurs")),
    ("a module's title", lambda c: replace(c, "modules/02-evaluer/module.yaml", "title: Évaluer un projet",
                                           "title: Évaluer un projet municipal")),
    ("the course's title", lambda c: replace(c, "course.yaml", "title:", "title: Nouveau —")),
    ("the problems' default attempts", lambda c: replace(c, "course.yaml", "max_attempts: 2", "max_attempts: 3")),
    ("a typography slip", lambda c: append(c, INTRODUCTION, "\nUn mot : un autre.\n")),
    ("the course's language", lambda c: replace(c, "course.yaml", "language: fr", "language: en")),
    ("an image removed", lambda c: (c / IMAGE).rename(c / (IMAGE + ".bak"))),
    ("the image back", lambda c: (c / (IMAGE + ".bak")).rename(c / IMAGE)),
    ("the image changed", lambda c: (c / IMAGE).write_bytes((c / IMAGE).read_bytes() + b"\0")),
    ("an error in a lesson", lambda c: append(c, INTRODUCTION, "\nVoir [ailleurs](absent.md).\n")),
    ("the error fixed", lambda c: replace(c, INTRODUCTION, "\nVoir [ailleurs](absent.md).\n", "\n")),
]


def build(course: Path, output: Path, kept: tuple[ResultCache, KeptTexts] | None,
          ignore: frozenset[str] = frozenset()) -> tuple[CourseResult, list[str]]:
    """A build as `--watch` makes them with what it `kept`, or as a new process does (None)."""
    reporter = Reporter(ignore=ignore)
    cache, texts = kept or (None, None)
    result = build_course(course, output, FORMATS, Workspace(reporter, kept=texts), unpacked=True, cache=cache)
    return result, [f"{d.span.display()}: {d.code.code}" for d in reporter.sorted()]


def written(output: Path) -> dict[str, bytes]:
    """Every file a build left (the cache aside), by path."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*"))
            if path.is_file() and CACHE not in path.relative_to(output).parts}


def units(result: CourseResult) -> dict[str, object]:
    return {seq.id: seq for chapter in result.course.chapters for seq in chapter.sequentials}


def test_every_build_of_a_watching_process_writes_what_a_new_process_writes(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    memory = ResultCache.load(cache_file(kept, course)), KeptTexts()
    before, _ = build(course, kept, memory)
    for name, edit in EDITS:
        edit(course)
        shutil.rmtree(fresh, ignore_errors=True)  # a new process, with no cache, but the same ids lock
        (fresh / course.name).mkdir(parents=True)
        shutil.copy(kept / course.name / IDS_LOCK, fresh / course.name / IDS_LOCK)
        again, reported = build(course, kept, memory)
        expected, expected_reported = build(course, fresh, None)
        assert reported == expected_reported, name
        if expected.course is None:
            assert again.course is None, name
            continue
        assert written(kept / course.name) == written(fresh / course.name), name
        if name == "a sentence added":  # only the unit that changed is made again
            reused = {key for key, unit in units(again).items() if unit is units(before)[key]}
            assert "premiers-pas.introduction" not in reused
            assert reused >= {"premiers-pas.donnees", "evaluer.grille", "evaluer.cas-robot.section"}
        before = again


def test_a_problem_silenced_with_ignore_is_not_reused_once_the_missing_file_is_there(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    kept, fresh, ignore = tmp_path / "kept", tmp_path / "fresh", frozenset({"PC303"})
    memory = ResultCache.load(cache_file(kept, course)), KeptTexts()
    append(course, INTRODUCTION, "\nLa [fiche](fiche.pdf).\n")  # not there yet: PC303, ignored
    for step in ("the file missing", "the file there", "built again"):
        shutil.rmtree(fresh, ignore_errors=True)
        kept_result, _ = build(course, kept, memory, ignore)
        assert build(course, fresh, None, ignore)[0].course is not None
        assert written(kept / course.name) == written(fresh / course.name), step
        (course / INTRODUCTION).with_name("fiche.pdf").write_bytes(b"%PDF-1.4")
        memory[1].texts.clear()  # the lesson is read again, as after a save


GRILLE = "modules/02-evaluer/01-grille.md"
QUIZ_PROMPT = "    prompt: Combien de niveaux compte la grille présentée?\n"


def test_a_block_whose_file_is_missing_under_ignore_is_read_again_once_the_file_is_there(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    replace(course, GRILLE, QUIZ_PROMPT, QUIZ_PROMPT + "    image: {src: images/quiz.png, alt: Une grille}\n")
    kept, fresh, ignore = tmp_path / "kept", tmp_path / "fresh", frozenset({"PC303"})
    memory = ResultCache.load(cache_file(kept, course)), KeptTexts()
    for step in ("the image missing", "the image there"):
        shutil.rmtree(fresh, ignore_errors=True)
        build(course, kept, memory, ignore)
        build(course, fresh, None, ignore)
        assert written(kept / course.name) == written(fresh / course.name), step
        shutil.copy(course / IMAGE, course / GRILLE.replace("01-grille.md", "images/quiz.png"))


def test_a_block_image_replaced_by_a_link_out_of_the_course_is_refused_by_a_rebuild(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    image = course / GRILLE.replace("01-grille.md", "images/quiz.png")
    shutil.copy(course / IMAGE, image)
    replace(course, GRILLE, QUIZ_PROMPT, QUIZ_PROMPT + "    image: {src: images/quiz.png, alt: Une grille}\n")
    memory = ResultCache.load(cache_file(tmp_path / "kept", course)), KeptTexts()
    assert build(course, tmp_path / "kept", memory)[0].course is not None
    outside = tmp_path / "ailleurs.png"
    outside.write_bytes(image.read_bytes() + b"autre")
    image.unlink()
    image.symlink_to(outside)
    result, reported = build(course, tmp_path / "kept", memory)
    assert result.course is None and any(line.endswith("PC304") for line in reported)


@pytest.mark.parametrize("referred_by", ["a lesson", "a block"])
def test_a_link_pointed_at_another_file_publishes_that_file_in_every_kind_of_rebuild(tmp_path: Path,
                                                                                     referred_by: str):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    (course / "partage").mkdir()
    (course / "partage" / "a.png").write_bytes((course / IMAGE).read_bytes())
    (course / "partage" / "b.png").write_bytes((course / IMAGE).read_bytes() + b"autre")
    link = course / GRILLE.replace("01-grille.md", "images/lien.png")
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(course / "partage" / "a.png")
    if referred_by == "a lesson":
        append(course, GRILLE, "\n![Un schéma partagé](images/lien.png)\n")
    else:
        replace(course, GRILLE, QUIZ_PROMPT, QUIZ_PROMPT + "    image: {src: images/lien.png, alt: Une grille}\n")
    memory = ResultCache.load(cache_file(tmp_path / "kept", course)), KeptTexts()
    assert build(course, tmp_path / "kept", memory)[0].course is not None
    assert build(course, tmp_path / "disk", None)[0].course is not None  # leaves its cache on disk
    link.unlink()
    link.symlink_to(course / "partage" / "b.png")
    build(course, tmp_path / "fresh", None)
    expected = written(tmp_path / "fresh" / course.name)
    assert "olx/course/static/partage_b.png" in expected and "olx/course/static/partage_a.png" not in expected
    for output, kept in ((tmp_path / "kept", memory), (tmp_path / "disk", None)):
        build(course, output, kept)
        assert written(output / course.name) == expected, output.name


def test_the_watcher_sees_sources_change_but_not_the_output_written_inside_the_course(tmp_path: Path):
    course = tmp_path / "course"
    (course / "module").mkdir(parents=True)
    lesson = course / "module" / "lecon.md"
    lesson.write_text("un", encoding="utf-8")
    watcher = Watcher(course, ignored=[course / "build"])
    assert not watcher.changed()
    (course / "build" / "olx").mkdir(parents=True)
    (course / "build" / "olx" / "course.tar.gz").write_bytes(b"package")
    (course / ".brouillon.md").write_text("caché", encoding="utf-8")
    assert not watcher.changed()
    watcher.read_by_last_build([str(lesson), str(course / ".brouillon.md")])  # unless a build read it
    watcher.changed()
    (course / ".brouillon.md").write_text("caché, puis changé", encoding="utf-8")
    assert watcher.changed()
    lesson.write_text("deux", encoding="utf-8")
    assert watcher.changed() and not watcher.changed()
    (course / "module" / "nouvelle.md").write_text("trois", encoding="utf-8")
    assert watcher.changed()
    lesson.unlink()
    assert watcher.changed()
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (course / "sortie").symlink_to(elsewhere, target_is_directory=True)  # an output folder linked from the course
    watcher = Watcher(course, ignored=[course / "sortie"])
    (elsewhere / "course.tar.gz").write_bytes(b"package")
    assert not watcher.changed()


def test_watch_refuses_an_output_folder_that_is_the_course_itself(tmp_path: Path, capsys):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    assert main(["build", str(course), "-o", str(tmp_path), "--watch"]) == 2  # would write in exemple/ itself
    assert "--watch" in capsys.readouterr().err
    nested = tmp_path / "exemple" / "exemple"  # a course inside a folder of its name: written beside it
    assert _written_in_itself(tmp_path, [nested]) is None


def test_each_course_s_watcher_ignores_what_the_builds_of_every_course_write(tmp_path: Path):
    courses = tmp_path / "cours"
    for name in ("a", "b"):
        shutil.copytree(EXAMPLE, courses / name)
    args = _parser().parse_args(["build", str(courses), "-o", str(courses / "a" / "sortie"), "--watch"])
    watchers = _watchers(args, [courses / "a", courses / "b"])
    (courses / "a" / "sortie" / "b" / "olx").mkdir(parents=True)  # b's packages, written inside a
    (courses / "a" / "sortie" / "b" / "olx" / "course.tar.gz").write_bytes(b"package")
    assert not watchers[courses / "a"].changed()


def test_validate_watch_keeps_one_build_worth_in_memory(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    args = _parser().parse_args(["validate", str(course), "--watch"])
    kept, entries, memos = _Kept(ResultCache()), [], set()
    for edit in range(12):
        append(course, INTRODUCTION, f"\nPhrase {edit}.\n")
        assert not _compile_one(course, args, [], Progress(quiet=True), kept)
        entries.append(len(kept.cache.entries))
        memos.add(sum(len(memo._entries) for memo in kept.cache.memos.values()))
    # Each edit adds a few results; the unused ones go once they are a quarter of the cache.
    assert max(entries) <= entries[0] * 5 // 4 + 3 and len(memos) == 1


def _next_line_with(process: subprocess.Popen, text: str) -> str:
    for line in process.stderr:
        if text in line:
            return line
    raise AssertionError("parcours build --watch ended")


def _next_summary(process: subprocess.Popen) -> str:
    """The summary line of the watching command's next build (its other lines skipped)."""
    for line in process.stderr:
        if re.search(r"error\(s\).*\(\d+\.\d+ s\)$", line.strip()):
            return line
    raise AssertionError("parcours build --watch ended")


def test_build_watch_rebuilds_on_every_save_until_stopped(tmp_path: Path):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    output = course / "build"  # inside the course: writing it is no change to watch
    process = subprocess.Popen([sys.executable, "-m", "parcours.cli", "build", str(course), "-o", str(output),
                                "--watch"], stderr=subprocess.PIPE, text=True, env={**os.environ, "LANGUAGE": "en"})
    deadline = threading.Timer(120, process.kill)  # a build that never comes ends the reading
    deadline.start()
    try:
        assert " 0 error(s)" in _next_summary(process)
        assert "watching for changes" in process.stderr.readline()
        append(course, INTRODUCTION, "\nUne phrase ajoutée pendant la veille.\n")
        assert " 0 error(s)" in _next_summary(process)
        with tarfile.open(output / course.name / "olx" / "course.tar.gz") as archive:
            pages = [archive.extractfile(member).read() for member in archive.getmembers()
                     if member.name.startswith("course/html/") and member.name.endswith(".html")]
        assert any("ajoutée pendant la veille".encode() in page for page in pages)
        append(course, INTRODUCTION, "\nVoir [ailleurs](absent.md).\n")
        assert " 1 error(s)" in _next_summary(process)  # reported, and the watch goes on
        replace(course, INTRODUCTION, "\nVoir [ailleurs](absent.md).\n", "\n")
        assert " 0 error(s)" in _next_summary(process)
        shutil.rmtree(output / course.name)
        (output / course.name).write_text("un fichier à la place du dossier", encoding="utf-8")
        append(course, INTRODUCTION, "\nEncore une phrase.\n")
        assert "cannot write" in _next_line_with(process, "parcours:")  # said, and the watch goes on
        (output / course.name).unlink()
        append(course, INTRODUCTION, "\nEt une autre.\n")
        assert " 0 error(s)" in _next_summary(process)
    finally:
        deadline.cancel()
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=60)
        process.stderr.close()
    assert status == 128 + signal.SIGTERM


@pytest.mark.parametrize("same_bytes", [False, True], ids=["other bytes", "the same bytes"])
def test_an_image_replaced_by_a_link_out_of_the_course_is_refused_by_every_kind_of_rebuild(tmp_path: Path,
                                                                                         same_bytes: bool):
    course = tmp_path / "exemple"
    shutil.copytree(EXAMPLE, course)
    outside = tmp_path / "ailleurs.png"
    outside.write_bytes((course / IMAGE).read_bytes() + (b"" if same_bytes else b"autre"))
    memory = ResultCache.load(cache_file(tmp_path / "kept", course)), KeptTexts()
    assert build(course, tmp_path / "kept", memory)[0].course is not None
    assert build(course, tmp_path / "disk", None)[0].course is not None  # leaves its cache on disk
    (course / IMAGE).unlink()
    (course / IMAGE).symlink_to(outside)
    for output, kept in ((tmp_path / "kept", memory), (tmp_path / "disk", None), (tmp_path / "new", None)):
        result, reported = build(course, output, kept)
        assert result.course is None and any(line.endswith("PC304") for line in reported), output.name
