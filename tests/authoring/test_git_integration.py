"""The pre-commit hook and the CI workflow example, on a sample content repository.

`pre-commit try-repo <this repo> parcours-validate` installs the hook's Python environment with pip,
which needs the package index: it was checked by hand, not here. These tests stay offline: pre-commit
checks the manifest with its own schema, then runs the very hook (id, entry, args, files,
pass_filenames) as a local hook on the installed `parcours`, through `git commit`.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

from parcours.parse.yaml import StrictLoader
from tests.authoring.conftest import PARCOURS, ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
WORKFLOW = ROOT / "docs" / "ci" / "parcours.yml"
BROKEN_LESSON = "---\ntitle: Introduction\n---\n:::{problem} q\n>>Question sans réponse?<<\n"


def run(*args: str | Path, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def offline_env(tmp_path: Path) -> dict:
    """`parcours` on the PATH, pre-commit's cache in tmp_path, Git without the user's configuration."""
    return {**os.environ, "PATH": f"{PARCOURS.parent}{os.pathsep}{os.environ['PATH']}",
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}


@pytest.fixture
def content_repo(tmp_path: Path) -> Path:
    """A Git repository holding one course made by `parcours new`, nothing committed yet."""
    repo = tmp_path / "contenu"
    repo.mkdir()
    assert run("git", "init", "-q", "-b", "main", cwd=repo).returncode == 0
    assert run(PARCOURS, "new", "course", "cours", "--title", "Cours du dépôt", cwd=repo).returncode == 0
    return repo


def lesson(repo: Path) -> Path:
    return repo / "cours" / "modules" / "01-premier-module" / "01-introduction.md"


def published_hook() -> dict:
    (hook,) = load_manifest(str(MANIFEST))  # pre-commit's own schema for hook manifests
    return hook


def test_manifest_publishes_one_whole_course_hook():
    hook = published_hook()
    assert hook["id"] == "parcours-validate"
    assert hook["entry"] == "parcours validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert "parcours-ia" in (ROOT / "setup.py").read_text(encoding="utf-8")  # what `language: python` installs


def test_hook_lets_a_valid_course_in_and_stops_a_broken_one(content_repo: Path, tmp_path: Path):
    env = offline_env(tmp_path)
    hook = {**published_hook(), "language": "unsupported", "args": ["cours", "--strict"]}  # system's parcours
    local = {key: hook[key] for key in ("id", "name", "entry", "language", "args", "pass_filenames", "files")}
    (content_repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True), encoding="utf-8")
    assert run("pre-commit", "install", cwd=content_repo, env=env).returncode == 0
    run("git", "add", ".", cwd=content_repo)
    done = run("git", "commit", "-m", "Premier cours", cwd=content_repo, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "parcours validate" in done.stderr and "Passed" in done.stderr  # git shows hooks on stderr

    lesson(content_repo).write_text(BROKEN_LESSON, encoding="utf-8")
    run("git", "add", ".", cwd=content_repo)
    refused = run("git", "commit", "-m", "Leçon brisée", cwd=content_repo, env=env)
    assert refused.returncode != 0
    assert "Failed" in refused.stderr
    assert "cours/modules/01-premier-module/01-introduction.md:4:1" in refused.stderr
    assert run("git", "log", "--oneline", cwd=content_repo).stdout.count("\n") == 1


@pytest.mark.parametrize(("path", "checked"), [
    ("course.yaml", True), ("modules/m/module.yaml", True), ("modules/m/02-cas.yml", True),
    ("modules/m/01-lecon.md", True), ("notes.txt", False), ("images/carte.png", False)])
def test_hook_runs_when_course_sources_change(path: str, checked: bool):
    assert bool(re.search(published_hook()["files"], path)) is checked


def workflow() -> dict:
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=StrictLoader)  # `on` stays a key


def test_workflow_matches_the_github_workflow_schema():
    checker = shutil.which("check-jsonschema", path=str(PARCOURS.parent))
    done = run(checker, "--builtin-schema", "vendor.github-workflows", WORKFLOW, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_validates_builds_and_annotates_pull_requests():
    flow = workflow()
    assert set(flow["on"]) == {"pull_request", "push"}
    steps = {step.get("id"): step for step in flow["jobs"]["courses"]["steps"]}
    assert "--format github" in steps["validate"]["run"] and "--format github" in steps["build"]["run"]
    publish = flow["jobs"]["publish"]
    assert publish["needs"] == "courses" and "push" in publish["if"]
    step = next(step for step in publish["steps"] if step.get("id") == "publish")
    assert step["env"]["PARCOURS_CLIENT_SECRET"] == "${{ secrets.PARCOURS_CLIENT_SECRET }}"
    assert "SECRET" not in step["run"]  # credentials reach parcours through the environment only


def run_workflow_step(step_id: str, repo: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """A `run:` step of the example, with the workflow's env, as GitHub's bash shell runs it."""
    flow = workflow()
    step = next(step for step in flow["jobs"]["courses"]["steps"] if step.get("id") == step_id)
    env = {**offline_env(tmp_path), **flow["env"], "COURSES": ".", "CI": "true", "GITHUB_ACTIONS": "true"}
    return run("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"], cwd=repo, env=env)


def test_workflow_steps_on_a_content_repository(content_repo: Path, tmp_path: Path):
    assert run_workflow_step("validate", content_repo, tmp_path).returncode == 0
    built = run_workflow_step("build", content_repo, tmp_path)
    assert built.returncode == 0, built.stderr
    assert (content_repo / "build" / "cours" / "olx" / "course.tar.gz").is_file()
    assert (content_repo / "build" / "cours" / "scorm12" / "package.zip").is_file()
    assert "\r" not in built.stderr  # no live progress line in CI logs

    lesson(content_repo).write_text(BROKEN_LESSON, encoding="utf-8")
    failed = run_workflow_step("validate", content_repo, tmp_path)
    assert failed.returncode == 1
    annotations = [line for line in failed.stdout.splitlines() if line.startswith("::error ")]
    assert annotations and "file=cours/modules/01-premier-module/01-introduction.md,line=4" in annotations[0]
