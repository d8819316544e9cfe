"""`parcours publish` against a local stand-in that follows the Open edX API contract (Open edX
itself cannot run here; see studio_contract.py): success, the platform's failure message, bad
credentials, no access, a timeout, and a secret that never shows."""
from __future__ import annotations

import os
import re
import shlex
import tarfile
from pathlib import Path

import pytest

from parcours.cli import _parser
from parcours.publish import (
    ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
    ENV_LMS_URL,
    ENV_STUDIO_URL,
    Platform,
    Polling,
    PublishError,
    publish,
)
from tests.authoring.conftest import ROOT, run_parcours
from tests.authoring.studio_contract import Contract, StudioStandIn

COURSE = "course-v1:MaVille+IA101+2027"
SECRET = "s3cr3t-Ne-Pas-Afficher"
OLX_ERROR = "Le fichier course.xml est introuvable dans l'archive."


@pytest.fixture
def package(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.xml").write_text('<course url_name="2027" org="MaVille" course="IA101"/>\n', encoding="utf-8")
    archive = tmp_path / "course.tar.gz"
    with tarfile.open(archive, "w:gz") as bundle:
        bundle.add(course, arcname="course")
    return archive


def contract(**changes) -> Contract:
    return Contract(**{"client_id": "parcours-ci", "client_secret": SECRET, "course_ids": {COURSE}, **changes})


def environment(server: StudioStandIn, secret: str = SECRET) -> dict:
    return {**os.environ, "PARCOURS_CLIENT_ID": "parcours-ci", "PARCOURS_CLIENT_SECRET": secret,
            "PARCOURS_STUDIO_URL": server.url, "PARCOURS_LMS_URL": server.url}


def publish_command(package: Path, server: StudioStandIn, *extra: str, secret: str = SECRET):
    done = run_parcours("publish", package, "--course-id", COURSE, "--timeout", "5", *extra,
                        env=environment(server, secret))
    assert SECRET not in done.stdout + done.stderr
    return done


def fast(platform_url: str) -> dict:
    """publish() in this process, polling every few milliseconds."""
    return {"platform": Platform(platform_url, platform_url, "parcours-ci", SECRET),
            "polling": Polling(interval=0.01, factor=1.5, limit=5)}


def test_the_command_publishes_and_says_so(package: Path):
    with StudioStandIn(contract(states=["Pending", "Succeeded"])) as server:
        done = publish_command(package, server)
    assert done.returncode == 0, done.stderr
    assert server.contract.received[COURSE] == package.read_bytes()
    assert "import: Pending" in done.stderr and f"imported into {COURSE}" in done.stderr


def test_token_upload_then_status_until_succeeded(package: Path):
    with StudioStandIn(contract()) as server:
        said: list[str] = []
        publish(package, COURSE, **fast(server.url), say=said.append)
    path = f"/api/courses/v0/import/{COURSE}/"
    assert server.contract.requests == ["POST /oauth2/access_token", f"POST {path}"] + [f"GET {path}"] * 4
    assert said[1:] == ["import: Pending", "import: Unpacking", "import: Updating", f"imported into {COURSE}"]
    assert server.contract.received[COURSE] == package.read_bytes()


def test_failure_shows_the_platforms_message(package: Path):
    failing = contract(states=["Pending", "Verifying", "Failed"], error_text=OLX_ERROR)
    with StudioStandIn(failing) as server, pytest.raises(PublishError) as error:
        publish(package, COURSE, **fast(server.url), say=lambda message: None)
    assert str(error.value) == f"import failed: {OLX_ERROR}"
    assert "GET /api/tasks/v0/tasks/" in server.contract.requests


def test_bad_credentials_stop_before_the_upload(package: Path):
    with StudioStandIn(contract()) as server:
        done = publish_command(package, server, secret="pas-le-bon-secret")
    assert done.returncode == 1
    assert "refused the credentials: HTTP 401: invalid_client" in done.stderr
    assert "pas-le-bon-secret" not in done.stdout + done.stderr
    assert server.contract.received == {}


def test_a_course_without_author_access_is_refused(package: Path):
    with StudioStandIn(contract(course_ids={"course-v1:Autre+X1+2027"})) as server:
        done = publish_command(package, server)
    assert done.returncode == 1
    assert "no course author access" in done.stderr and "HTTP 403" in done.stderr


def test_an_import_that_never_ends_times_out(package: Path):
    with StudioStandIn(contract(states=["Pending", "Updating"])) as server:
        platform = Platform(server.url, server.url, "parcours-ci", SECRET)
        said: list[str] = []
        with pytest.raises(PublishError, match=r"did not finish within 0.3 s \(last state: Updating\)") as error:
            publish(package, COURSE, platform, Polling(interval=0.05, factor=2, limit=0.3), said.append)
    assert not error.value.usage
    polls = server.contract.requests.count(f"GET /api/courses/v0/import/{COURSE}/")
    assert 2 <= polls <= 4  # 0.05, 0.1, then 0.2 would pass the limit: the interval grows
    assert said[-1] == "import: Updating"


def test_credentials_come_from_the_environment_only(package: Path):
    done = run_parcours("publish", package, "--course-id", COURSE,
                        env={key: value for key, value in os.environ.items() if not key.startswith("PARCOURS_")})
    assert done.returncode == 2
    assert "set PARCOURS_CLIENT_ID, PARCOURS_CLIENT_SECRET, PARCOURS_STUDIO_URL, PARCOURS_LMS_URL" in done.stderr
    assert "--client-secret" not in run_parcours("publish", "--help").stdout


@pytest.mark.parametrize(("course_id", "file_name", "message"), [
    ("MaVille+IA101+2027", "course.tar.gz", "is not a course key"),
    (COURSE, "absent.tar.gz", "no package at"),
    (COURSE, "course.imscc", "imports .tar.gz or .zip archives"),
])
def test_usage_errors_exit_2(tmp_path: Path, package: Path, course_id: str, file_name: str, message: str):
    target = package.with_name(file_name)
    if file_name == "course.imscc":
        target.write_bytes(b"PK")
    with StudioStandIn(contract()) as server:
        done = run_parcours("publish", target, "--course-id", course_id, env=environment(server))
    assert done.returncode == 2 and message in done.stderr
    assert server.contract.requests == []


def test_the_secret_is_masked_in_what_the_platform_sends_back():
    platform = Platform("https://studio.example", "https://lms.example", "id", SECRET)
    assert SECRET not in repr(platform)
    assert platform.masked(f"invalid client secret {SECRET}") == "invalid client secret ***"


def test_the_commands_in_the_guide_parse():
    guide = (ROOT / "docs" / "publier.md").read_text(encoding="utf-8")
    commands = re.findall(r"^parcours (publish .+)$", guide, re.MULTILINE)
    assert commands
    for command in commands:
        args = _parser().parse_args(shlex.split(command))
        assert args.course_id.startswith("course-v1:") and args.package.name == "course.tar.gz"
    for name in (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_STUDIO_URL, ENV_LMS_URL):
        assert name in guide


@pytest.mark.parametrize(("request_line", "reply", "step", "shape"), [
    ("POST /oauth2/access_token", [1, 2], "token request", "a JSON list"),
    ("POST /api/courses/v0/import/", [], "upload", "a JSON list"),
    ("GET /api/courses/v0/import/", "hello", "import status request", "a JSON string"),
    ("POST /oauth2/access_token", {"access_token": ["x"]}, "token request", "a JSON object whose 'access_token'"),
    ("GET /api/courses/v0/import/", {"etat": "Succeeded"}, "import status request", "a JSON object without 'state'"),
])
def test_an_answer_of_the_wrong_shape_names_the_step(package: Path, request_line: str, reply: object, step: str,
                                                     shape: str):
    with StudioStandIn(contract(replies={request_line: reply})) as server:
        done = publish_command(package, server)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"unexpected answer to the {step}" in done.stderr and "HTTP 200 with " + shape in done.stderr


def test_a_wrong_answer_that_echoes_the_secret_does_not_show_it(package: Path):
    with StudioStandIn(contract(replies={"POST /oauth2/access_token": f"bad client {SECRET}"})) as server:
        done = publish_command(package, server)  # asserts the secret is not in the output
    assert done.returncode == 1 and "unexpected answer to the token request" in done.stderr


def test_artifacts_of_the_wrong_shape_leave_the_tasks_own_state_text(package: Path):
    failing = contract(states=["Failed"], replies={"GET /api/tasks/v0/artifacts/": ["pas", "un objet"]})
    with StudioStandIn(failing) as server, pytest.raises(PublishError) as error:
        publish(package, COURSE, **fast(server.url), say=lambda message: None)
    assert str(error.value) == "import failed: Failed"  # the task's state_text: no artifact could be read


def test_help_names_all_four_environment_variables():
    names = (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_STUDIO_URL, ENV_LMS_URL)
    for args in (["--help"], ["publish", "--help"]):
        shown = " ".join(run_parcours(*args).stdout.split())
        assert all(name in shown for name in names), (args, shown)
