"""`make bench`: build a generated large course and print what it costs.

The course: about 1,000 lessons, 5 MB of Markdown and 200 problems. One run prints the full
build's time and peak memory, the floors it is measured against (Python-Markdown rendering the same
text on one core; `tar czf` of the output, unpacked), a rebuild with no change, a rebuild after one
lesson changed (in a new process, and in a process that watches the course: `parcours build --watch`),
olxcleaner reading the output, and peak memory at half size to show it grows linearly; then the
stages of the full build and of the one-lesson rebuild (`parcours build --timings`).
Each time is the median of three runs (the full builds alternating with the floor's), as times vary
by about 15 % from one run to the next on a shared machine. Benchmarks only: nothing here asserts a time.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown

from parcours.transforms.render import EXTENSIONS
from tests.support.packages import unpack

MODULES, LESSONS_PER_MODULE, PROBLEMS = 20, 50, 200
RUNS = 3
WORDS = ("municipalité conseil données citoyen service règlement projet système analyse risque "  # noqa: SIM905
         "évaluation transparence équité décision outil requête politique registre contrat").split()


def paragraph(rng: random.Random, words: int = 90) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def lesson(rng: random.Random, index: int, with_problem: bool) -> str:
    parts = ["---", f"title: Leçon {index}", "---", paragraph(rng)]
    for page in range(2):
        parts += ["", f"## Page {page} {{#p{index}-{page}}}", ""]
        parts += [paragraph(rng) for _ in range(2)]
        parts += ["", "| Colonne | Valeur |", "|---|---|", "| a | 1 |", "| b | 2 |", "",
                  "- premier point", "- deuxième point", "", "**Important**\u00a0: " + paragraph(rng, 20)]
    if with_problem:
        parts += ["", f":::{{problem}} q{index}", ">>Quelle réponse?<<", "( ) Non {{ Non. }}",
                  "(x) Oui {{ Oui. }}", ":::"]
    return "\n".join(parts) + "\n"


def generate(root: Path, modules: int = MODULES) -> list[Path]:
    """Write the course; return the lesson files."""
    rng = random.Random(42)
    lessons, every = [], (modules * LESSONS_PER_MODULE) // PROBLEMS
    module_refs = []
    for m in range(modules):
        folder = root / "modules" / f"{m:02d}-m{m}"
        folder.mkdir(parents=True)
        units = []
        for n in range(LESSONS_PER_MODULE):
            index = m * LESSONS_PER_MODULE + n
            path = folder / f"{n:02d}-l{index}.md"
            path.write_text(lesson(rng, index, index % every == 0), encoding="utf-8")
            units.append(path.name)
            lessons.append(path)
        (folder / "module.yaml").write_text(
            f"id: m{m}\ntitle: Module {m}\nversion: 1.0.0\nduration_minutes: 60\naudiences: [tous]\n"
            "objectives: [Appliquer les notions du module.]\nlicence: CC-BY-4.0\nunits:\n"
            + "".join(f"  - {u}\n" for u in units), encoding="utf-8")
        module_refs.append(f"modules/{folder.name}")
    (root / "course.yaml").write_text(
        "org: Bench\nnumber: B1\nrun: '1'\ntitle: Banc d'essai\nlanguage: fr\nstart: 2026-01-01\n"
        "end: 2027-01-01\nlicence: CC-BY-4.0\ngrading:\n  graders:\n    - {type: Quiz, weight: 1.0, min_count: 0}\n"
        "  cutoffs: {Pass: 0.5}\nmodules:\n" + "".join(f"  - {r}\n" for r in module_refs), encoding="utf-8")
    return lessons


def timed_build(course: Path, output: Path) -> tuple[float, int, str]:
    """Seconds, peak resident memory (KiB) and stage timings (`--timings`) of one `parcours build` process."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        started = time.perf_counter()
        pid = subprocess.Popen([sys.executable, "-m", "parcours.cli", "build", str(course), "-o", str(output), "-q",
                                "--timings"], stderr=stderr)
        _, status, usage = os.wait4(pid.pid, 0)
        elapsed = time.perf_counter() - started
        stderr.seek(0)
        stages = stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the benchmark course does not build:\n{stages}")
    return elapsed, usage.ru_maxrss, stages


def watched_rebuilds(course: Path, output: Path, lesson: Path, runs: int) -> list[tuple[float, float]]:
    """`parcours build --watch` rebuilding after `lesson` changed, `runs` times: for each, the rebuild's
    own time (as the command prints it, from the moment it sees the change to the packages written)
    and the time from the save to that line (the watcher's polling included)."""
    command = [sys.executable, "-m", "parcours.cli", "build", str(course), "-o", str(output), "--watch"]
    watcher = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env={**os.environ, "LANGUAGE": "en"})
    try:
        _built_in(watcher)  # the first build
        measured = []
        for run in range(runs):
            time.sleep(0.5)  # a save is seen on the next look, whenever it comes
            saved = time.perf_counter()
            lesson.write_text(lesson.read_text(encoding="utf-8") + f"\nUne phrase ({run}).\n", encoding="utf-8")
            rebuild = _built_in(watcher)
            measured.append((rebuild, time.perf_counter() - saved))
        return measured
    finally:
        watcher.terminate()
        watcher.wait()


def _built_in(watcher: subprocess.Popen) -> float:
    """The time of the watching command's next build, read from its summary line."""
    for line in watcher.stderr:
        if "error(s)" in line and (took := re.search(r"\((\d+\.\d+) s\)$", line.strip())):
            if " 0 error(s)" not in line:
                raise SystemExit(f"the benchmark course does not build:\n{line}")
            return float(took.group(1))
    raise SystemExit("parcours build --watch stopped")


def rendering_floor(lessons: list[Path]) -> float:
    md = markdown.Markdown(extensions=EXTENSIONS)
    texts = [path.read_text(encoding="utf-8") for path in lessons]
    started = time.perf_counter()
    for text in texts:
        md.reset().convert(text)
    return time.perf_counter() - started


def median_run(runs: list[tuple[float, int, str]]) -> tuple[float, int, str]:
    """The run of median time, with the largest peak memory of all."""
    middle = sorted(runs)[len(runs) // 2]
    return middle[0], max(memory for _, memory, _ in runs), middle[2]


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def olxcleaner_seconds(package: Path) -> float:
    code = ("import olxcleaner, sys, time; t = time.perf_counter(); "
            f"olxcleaner.validate(filename={str(package)!r}, steps=8); print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "course", Path(tmp) / "out"
        lessons = generate(root)
        size = sum(p.stat().st_size for p in root.rglob("*.md"))
        problems = sum(p.read_text(encoding="utf-8").count(":::{problem}") for p in lessons)
        print(f"course: {len(lessons)} lessons, {size / 1e6:.1f} MB of Markdown, {problems} problems, "
              f"{os.cpu_count()} cores", file=sys.stderr)
        full_runs, floors = [], []
        for _ in range(RUNS):
            shutil.rmtree(out, ignore_errors=True)
            full_runs.append(timed_build(root, out))
            floors.append(rendering_floor(lessons))
        full, memory, full_stages = median_run(full_runs)
        floor = statistics.median(floors)
        package = unpack(out / "course" / "olx" / "course.tar.gz", Path(tmp) / "unpacked")
        tar = statistics.median(seconds(["tar", "czf", str(Path(tmp) / "floor.tar.gz"), "-C", str(package.parent),
                                         "course"]) for _ in range(RUNS))
        unchanged, _, _ = median_run([timed_build(root, out) for _ in range(RUNS)])
        changed = lessons[len(lessons) // 2]
        one_changed_runs = []
        for run in range(RUNS):
            changed.write_text(changed.read_text(encoding="utf-8") + f"\nUne phrase ({run}).\n", encoding="utf-8")
            one_changed_runs.append(timed_build(root, out))
        one_changed, _, one_changed_stages = median_run(one_changed_runs)
        watched = watched_rebuilds(root, out, changed, RUNS)
        watched_rebuild = statistics.median(rebuild for rebuild, _ in watched)
        watched_latency = statistics.median(latency for _, latency in watched)
        cleaner = olxcleaner_seconds(package)
        half_root = Path(tmp) / "half"
        generate(half_root, MODULES // 2)
        half_memory = 0
        for _ in range(RUNS):
            shutil.rmtree(out)
            half_memory = max(half_memory, timed_build(half_root, out)[1])
    rows = [
        ("full build (both cores)", full, "≤ rendering floor"),
        ("rendering floor: Python-Markdown alone, one core", floor, ""),
        ("I/O floor: tar czf of the output", tar, ""),
        ("rebuild, nothing changed", unchanged, f"≤ 10 % of full = {0.10 * full:.2f} s"),
        ("rebuild, one lesson changed", one_changed, f"≤ 15 % of full = {0.15 * full:.2f} s"),
        ("rebuild, one lesson changed, `--watch`", watched_rebuild, f"≤ 15 % of full = {0.15 * full:.2f} s"),
        ("  from the save to the packages written (polling included)", watched_latency, ""),
        ("olxcleaner reading the output (8 steps)", cleaner, ""),
    ]
    print("| measure | seconds | target |\n|---|---:|---|")
    for name, value, target in rows:
        print(f"| {name} | {value:.2f} | {target} |")
    print(f"| peak memory, full build | {memory / 1024:.0f} MiB | linear in size |")
    print(f"| peak memory, half-size course | {half_memory / 1024:.0f} MiB | ≈ half of the growth |")
    print(f"\nfull build ÷ rendering floor: {full / floor:.2f}; as a share of the full build: nothing changed "
          f"{unchanged / full:.0%}, one lesson changed {one_changed / full:.0%} "
          f"(`--watch`: {watched_rebuild / full:.0%})")
    print(f"\nfull build, stage by stage (`--timings`):\n{full_stages}")
    print(f"\nrebuild after one lesson changed, stage by stage:\n{one_changed_stages}")


if __name__ == "__main__":
    main()
