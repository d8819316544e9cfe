"""Building: byte-identical packages, atomic writes, the ids lock, and the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from parcours.cache import ResultCache
from parcours.cli import main
from parcours.emit.base import staging_owner
from parcours.parse.yaml import YamlDocument

REPO = Path(__file__).resolve().parents[2]


def build(course: Path, output: Path, *extra: str) -> int:
    return main(["build", str(course), "-o", str(output), "-q", *extra])


def package_files(folder: Path) -> dict[str, bytes]:
    """Every file of a build folder but the build's own cache (it records file times)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


def test_two_builds_are_byte_identical(tmp_path: Path):
    course = REPO / "courses" / "exemple"
    assert build(course, tmp_path / "one") == 0
    assert build(course, tmp_path / "two") == 0
    first, second = package_files(tmp_path / "one"), package_files(tmp_path / "two")
    assert first == second
    assert "exemple/olx/course.tar.gz" in first


def test_archive_has_fixed_metadata_and_sorted_entries(tmp_path: Path):
    assert build(REPO / "courses" / "exemple", tmp_path) == 0
    archive = tmp_path / "exemple" / "olx" / "course.tar.gz"
    assert archive.read_bytes()[4:8] == b"\0\0\0\0"  # gzip header without a timestamp
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names[0] == "course" and "course/course.xml" in names and "course/static" in names
    assert all(m.mtime == 0 and m.uid == 0 and m.uname == "" for m in members)


def test_a_failed_build_leaves_the_previous_package_untouched(tmp_path: Path, minimal_course: Path):
    output = tmp_path / "out"
    assert build(minimal_course, output) == 0
    before = package_files(output)
    lesson = minimal_course / "m1" / "02-quiz.md"
    lesson.write_text(lesson.read_text().replace("(x) Quatre", "( ) Quatre"), encoding="utf-8")
    assert build(minimal_course, output) == 1
    assert package_files(output) == before
    assert not [p for p in output.rglob(".*") if p.name.startswith(".olx")]  # no staging folder left


def test_ids_lock_records_every_url_name_and_warns_when_one_disappears(tmp_path: Path, minimal_course: Path, capsys):
    output = tmp_path / "out"
    assert build(minimal_course, output) == 0
    lock = json.loads((output / "minimal" / "ids.lock.json").read_text())
    assert lock["problem"] == ["m1.q1"] and "m1.page-deux" in lock["vertical"]
    quiz = minimal_course / "m1" / "02-quiz.md"
    quiz.write_text(quiz.read_text().replace("{problem} q1", "{problem} q-renamed"), encoding="utf-8")
    assert build(minimal_course, output, "--strict") == 1  # with --strict the warning stops the build...
    assert "warning[PC501]: the problem 'm1.q1' of the previous build no longer exists" in capsys.readouterr().err
    assert build(minimal_course, output) == 0  # ...without, it is built and the lock records the new ids
    assert build(minimal_course, output, "--strict") == 0


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parcours.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_exit_codes_and_formats(tmp_path: Path, minimal_course: Path):
    assert run_cli("validate", str(minimal_course)).returncode == 0
    assert run_cli("validate", str(tmp_path / "nothing-here")).returncode == 2
    assert run_cli("build", str(minimal_course), "-f", "nope").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    (minimal_course / "m1" / "02-quiz.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    text = run_cli("validate", str(minimal_course))
    assert text.returncode == 1 and "error[PC101]" in text.stderr and "Traceback" not in text.stderr
    as_json = run_cli("validate", str(minimal_course), "--format", "json")
    record = json.loads(as_json.stdout.splitlines()[0])
    assert record["code"] == "PC101" and record["file"].endswith("m1/02-quiz.md") and record["line"] >= 2
    github = run_cli("validate", str(minimal_course), "--format", "github")
    assert github.stdout.startswith("::error file=") and ",title=PC101::[PC101]" in github.stdout


def test_an_unknown_code_to_ignore_is_bad_usage_and_a_format_named_twice_is_built_once(tmp_path: Path,
                                                                                       minimal_course: Path):
    misspelt = run_cli("build", str(minimal_course), "-o", str(tmp_path / "out"), "--ignore", "PC999")
    assert misspelt.returncode == 2 and "unknown diagnostic code 'PC999'" in misspelt.stderr
    assert not (tmp_path / "out").exists()
    twice = run_cli("build", str(minimal_course), "-o", str(tmp_path / "out"), "-f", "olx,olx", "--ignore", "pc305")
    assert twice.returncode == 0 and twice.stderr.count("olx/course.tar.gz") == 1


def test_ignore_silences_a_code(minimal_course: Path):
    (minimal_course / "m1" / "03-brouillon.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    assert run_cli("validate", str(minimal_course), "--strict").returncode == 1
    assert run_cli("validate", str(minimal_course), "--strict", "--ignore", "PC305").returncode == 0


def test_explain_prints_the_documentation_of_a_code():
    result = run_cli("explain", "pc402")
    assert result.returncode == 0 and result.stdout.startswith("PC402 (error)") and "weights" in result.stdout
    assert run_cli("explain", "PC999").returncode == 2


def test_an_unchanged_course_is_not_rebuilt_and_its_warnings_are_shown_again(tmp_path: Path, minimal_course: Path,
                                                                               capsys):
    (minimal_course / "m1" / "03-brouillon.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    output = tmp_path / "out"
    assert main(["build", str(minimal_course), "-o", str(output)]) == 0
    archive = output / "minimal" / "olx" / "course.tar.gz"
    first = archive.stat().st_mtime_ns
    assert "warning[PC305]" in capsys.readouterr().err
    assert main(["build", str(minimal_course), "-o", str(output)]) == 0
    err = capsys.readouterr().err
    assert "up to date" in err and "warning[PC305]" in err
    assert archive.stat().st_mtime_ns == first
    assert main(["build", str(minimal_course), "-o", str(output), "--strict"]) == 1  # the same warning, now fatal
    capsys.readouterr()
    (minimal_course / "m1" / "01-lecon.md").write_text("---\ntitle: Leçon\n---\nAutre texte.\n", encoding="utf-8")
    assert main(["build", str(minimal_course), "-o", str(output)]) == 0
    assert "up to date" not in capsys.readouterr().err and archive.stat().st_mtime_ns != first


def test_a_build_with_nothing_changed_imports_none_of_the_compiling_code(tmp_path: Path, minimal_course: Path):
    """Its time is mostly Python's start-up: the tree, the emitters, Markdown and lxml are not loaded."""
    output = tmp_path / "out"
    assert build(minimal_course, output) == 0
    code = ("import sys; from parcours.cli import main; status = main(['build', sys.argv[1], '-o', sys.argv[2]]); "
            "print(status, sorted(name for name in ('parcours.model.nodes', 'parcours.emit.base', 'parcours.check', "
            "'parcours.quiz', 'markdown', 'lxml', 'jsonschema', 'yaml') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(minimal_course), str(output)], capture_output=True,
                          text=True, check=True, env={**os.environ, "LANGUAGE": "en"})
    assert "up to date" in done.stderr
    assert done.stdout.split() == ["0", "[]"]


def test_an_up_to_date_build_shows_what_a_new_build_would(tmp_path: Path, minimal_course: Path, capsys):
    """Codes silenced last time, a course moved elsewhere, a file never read: "up to date" must not hide
    a warning, name the old folder, or add a source line the build did not show."""
    lesson = minimal_course / "m1" / "01-lecon.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nUn mot : un autre.\n", encoding="utf-8")
    (minimal_course / "m1" / "03-oublie.md").write_text("---\ntitle: O\n---\n", encoding="utf-8")
    (minimal_course / "m1" / ".cache-editeur.md").write_text("caché", encoding="utf-8")  # hidden: no part of it
    output = tmp_path / "out"

    def built(course: Path, *extra: str) -> str:
        assert main(["build", str(course), "-o", str(output), "-q", *extra]) == 0
        return capsys.readouterr().err

    first = built(minimal_course, "--ignore", "PC801")
    assert "PC801" not in first and "PC305" in first and ".cache-editeur" not in first
    archive = output / "minimal" / "olx" / "course.tar.gz"
    assert "warning[PC801]" in (again := built(minimal_course))
    written_at = archive.stat().st_mtime_ns
    assert built(minimal_course) == again and archive.stat().st_mtime_ns == written_at  # up to date, alike
    moved = tmp_path / "ailleurs" / minimal_course.name
    moved.parent.mkdir()
    minimal_course.rename(moved)
    after_move = built(moved)
    assert str(moved) in after_move and str(minimal_course) not in after_move


def test_github_annotations_escape_their_properties_and_need_no_file():
    from parcours.diagnostics import Code, Diagnostic, format_github
    from parcours.sources import Span

    located = format_github(Diagnostic(Code.SCHEMA, "50%\nfaux", Span(Path("g,h:i/x.md"), 3, 4), "indice"))
    assert located == "::error file=g%2Ch%3Ai/x.md,line=3,col=4,title=PC201::[PC201] 50%25%0Afaux — indice"
    assert format_github(Diagnostic(Code.ID_REMOVED, "disparu")) == "::warning title=PC501::[PC501] disparu"


def test_an_output_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path: Path, minimal_course: Path):
    (tmp_path / "a-file").write_text("x")
    result = run_cli("build", str(minimal_course), "-o", str(tmp_path / "a-file"))
    assert result.returncode == 2 and "is a file, not a folder" in result.stderr
    result = run_cli("build", str(minimal_course), "-o", "/proc/parcours-cannot-write-here")
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_packages_are_archives_and_unpacked_adds_their_folders(tmp_path: Path, minimal_course: Path):
    output = tmp_path / "out"
    assert build(minimal_course, output, "-f", "olx,scorm12") == 0
    built = output / "minimal"
    assert sorted(p.name for p in (built / "olx").iterdir()) == ["course.tar.gz", "modules"]
    assert sorted(p.name for p in (built / "scorm12").iterdir()) == ["modules", "package.zip"]
    assert build(minimal_course, output, "-f", "olx,scorm12", "--unpacked") == 0  # not "up to date"
    folder = built / "olx" / "course"
    with tarfile.open(built / "olx" / "course.tar.gz") as tar:
        archived = {m.name.removeprefix("course/"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    assert archived == {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert (built / "scorm12" / "package" / "imsmanifest.xml").is_file()
    assert (built / "olx" / "modules" / "m1" / "course" / "course.xml").is_file()


STAGES = {
    "en": ["compare with the last build", "load the build cache", "read and validate", "check", "lint", "render",
           "emit olx", "emit scorm12", "save the ids lock, the cache and the state", "all stages"],
    "fr": ["comparaison avec la construction précédente", "chargement du cache", "lecture et validation",
           "vérifications du cours", "vérifications de contenu", "rendu", "écriture olx", "écriture scorm12",
           "verrou des identifiants, cache et état", "toutes les étapes"],
}


@pytest.mark.parametrize("spoken", sorted(STAGES))
def test_timings_name_every_stage_of_a_build_in_order(spoken: str, tmp_path: Path, minimal_course: Path, capsys,
                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LANGUAGE", spoken)
    assert build(minimal_course, tmp_path / "out", "--timings", "-f", "olx,scorm12") == 0
    lines = [line.strip() for line in capsys.readouterr().err.splitlines() if line.startswith("  ")]
    stages = [line.rsplit(" ", 2)[0].strip() for line in lines]
    assert stages == STAGES[spoken]
    seconds = [float(line.rsplit(" ", 2)[1]) for line in lines]
    assert seconds[-1] == pytest.approx(sum(seconds[:-1]), abs=0.01 * len(seconds))


def test_a_rebuild_reads_clean_yaml_from_the_cache_and_reports_a_yaml_warning_again(tmp_path: Path,
                                                                                    minimal_course: Path, capsys):
    module = minimal_course / "m1" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("audiences: [gestionnaires]",
                                                                 "audiences: [gestionnaires, no]"), encoding="utf-8")
    output = tmp_path / "out"
    assert build(minimal_course, output) == 0
    assert "warning[PC103]" in capsys.readouterr().err
    lesson = minimal_course / "m1" / "01-lecon.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert build(minimal_course, output) == 0  # a real rebuild (not "up to date"), course.yaml from the cache
    assert "warning[PC103]" in capsys.readouterr().err
    cache = ResultCache.load(output / "minimal" / ".cache" / "results.pickle")
    documents = [value for value in cache.entries.values() if isinstance(value, YamlDocument)]
    assert [document.data["title"] for document in documents] == ["Cours minimal"]  # the module has a warning


def test_a_build_removes_the_staging_folders_of_builds_that_were_killed_but_not_of_running_ones(
        tmp_path: Path, minimal_course: Path):
    output = tmp_path / "build"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    course_output = output / minimal_course.name
    dead = int(ended.stdout)
    abandoned = course_output / f".olx.{staging_owner(dead)}.k9x2"  # a build killed with kill -9
    running = course_output / f".olx.{staging_owner(os.getppid())}.a1b2"  # a process that is still there
    elsewhere = course_output / f".olx.{dead}@{staging_owner().partition('@')[2]}x.c3d4"  # another namespace
    for folder in (abandoned, running, elsewhere):
        (folder / "course").mkdir(parents=True)
    assert main(["build", str(minimal_course), "-o", str(output), "-q"]) == 0
    left = sorted(path.name for path in course_output.iterdir() if path.name.startswith(".olx"))
    assert left == sorted([running.name, elsewhere.name])


def _html_pages(output: Path, course: Path) -> bytes:
    with tarfile.open(output / course.name / "olx" / "course.tar.gz") as archive:
        return b"".join(archive.extractfile(member).read() for member in archive.getmembers()
                        if member.name.endswith(".html"))


def test_a_rebuild_sees_a_change_to_a_listed_unit_whose_name_is_hidden(tmp_path: Path, minimal_course: Path):
    hidden = minimal_course / "m1" / ".brouillon.md"
    hidden.write_text("---\ntitle: Brouillon\n---\nPremière version.\n", encoding="utf-8")
    module = minimal_course / "m1" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8") + "  - .brouillon.md\n", encoding="utf-8")
    output = tmp_path / "out"
    assert build(minimal_course, output) == 0
    hidden.write_text("---\ntitle: Brouillon\n---\nDeuxième version, plus longue.\n", encoding="utf-8")
    os.utime(hidden, ns=(0, 0))  # an old date: a change the fingerprint must see by content
    assert build(minimal_course, output) == 0
    assert "Deuxième version".encode() in _html_pages(output, minimal_course)
