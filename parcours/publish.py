"""`parcours publish`: a built OLX package into an existing Open edX course, through Studio's REST API.

1. A JWT from the LMS: `POST /oauth2/access_token` with the OAuth2 client credentials and
   `token_type=jwt` (an application of type "client credentials" made in Django admin).
2. `POST {studio}/api/courses/v0/import/{course_id}/`, the archive in the multipart field
   `course_data`; the answer names the import task (`task_id`).
3. `GET` the same URL with `?task_id=…&filename=…` until `state` is `Succeeded` or `Failed`, waiting
   a little longer each time, up to a time limit.
4. On failure, the platform's message: the `Error` artifact of the task, read from Studio's user
   tasks API (`/api/tasks/v0/tasks/`), since the import status itself gives only the state.

Credentials and addresses come from the environment only (never argv, never printed); any text
the platform sends back is shown with the secret masked, in case a server echoes it.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests

ENV_CLIENT_ID = "PARCOURS_CLIENT_ID"
ENV_CLIENT_SECRET = "PARCOURS_CLIENT_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_STUDIO_URL = "PARCOURS_STUDIO_URL"
ENV_LMS_URL = "PARCOURS_LMS_URL"
COURSE_ID = re.compile(r"course-v1:[A-Za-z0-9._~-]+\+[A-Za-z0-9._~-]+\+[A-Za-z0-9._~-]+")
IMPORTABLE = (".tar.gz", ".zip")
SUCCEEDED, FAILED, CANCELED = "Succeeded", "Failed", "Canceled"
REQUEST_TIMEOUT = 60  # seconds for one HTTP exchange (the upload included)
MAX_POLL_INTERVAL = 30.0
_EMPTY = object()


class PublishError(Exception):
    """The publication did not happen; `usage` when the command itself was wrong (exit 2)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Platform:
    """Where to publish and as whom. The secret is kept out of repr()."""

    studio_url: str
    lms_url: str
    client_id: str
    client_secret: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], studio_url: str | None = None) -> Platform:
        values = {name: environ.get(name, "").strip() for name in
                  (ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_STUDIO_URL, ENV_LMS_URL)}
        studio = (studio_url or values[ENV_STUDIO_URL]).rstrip("/")
        missing = [name for name, value in values.items() if not value and not (name == ENV_STUDIO_URL and studio)]
        if missing:
            raise PublishError(f"set {', '.join(missing)} in the environment (see docs/publier.md)", usage=True)
        return cls(studio, values[ENV_LMS_URL].rstrip("/"), values[ENV_CLIENT_ID], values[ENV_CLIENT_SECRET])

    def masked(self, text: str) -> str:
        return text.replace(self.client_secret, "***") if self.client_secret else text


@dataclass
class Polling:
    """How long to wait for the import: first interval, growth factor, total limit (seconds)."""

    interval: float = 2.0
    factor: float = 1.5
    limit: float = 900.0


def publish(package: Path, course_id: str, platform: Platform, polling: Polling | None = None,
            say: Callable[[str], None] = print) -> None:
    """Import `package` into `course_id`; returns when Studio says Succeeded, else raises PublishError."""
    check_arguments(package, course_id)
    polling = polling or Polling()
    with requests.Session() as session:
        try:
            session.headers["Authorization"] = f"JWT {access_token(session, platform)}"
            say(f"uploading {package.name} ({package.stat().st_size // 1024 or 1} KB) to {course_id}")
            url = f"{platform.studio_url}/api/courses/v0/import/{course_id}/"
            task_id = start_import(session, platform, url, package)
            state = wait_for_import(session, platform, url, {"task_id": task_id, "filename": package.name},
                                    polling, say)
        except requests.RequestException as error:
            raise PublishError(platform.masked(f"cannot reach the platform: {error}")) from None
        if state != SUCCEEDED:
            reason = failure_reason(session, platform, f"Import of {course_id} from {package.name}")
            raise PublishError(platform.masked(f"import {state.lower()}: {reason}"))
    say(f"imported into {course_id}")


def check_arguments(package: Path, course_id: str) -> None:
    if not COURSE_ID.fullmatch(course_id):
        raise PublishError(f"'{course_id}' is not a course key like course-v1:ORG+NUMBER+RUN", usage=True)
    if not package.is_file():
        raise PublishError(f"no package at '{package}' (parcours build writes build/<course>/olx/course.tar.gz)",
                           usage=True)
    if not package.name.endswith(IMPORTABLE):
        raise PublishError(f"Studio imports {' or '.join(IMPORTABLE)} archives, not '{package.name}'", usage=True)


def access_token(session: requests.Session, platform: Platform) -> str:
    """A JWT for the application, by the OAuth2 client credentials grant."""
    response = session.post(f"{platform.lms_url}/oauth2/access_token", timeout=REQUEST_TIMEOUT, data={
        "grant_type": "client_credentials", "client_id": platform.client_id,
        "client_secret": platform.client_secret, "token_type": "jwt"})
    if response.status_code in (400, 401, 403):
        raise PublishError(platform.masked(f"the platform refused the credentials: {platform_message(response)}"))
    if not response.ok:
        raise PublishError(platform.masked(f"no access token from {platform.lms_url}: {platform_message(response)}"))
    return answer_field(response, platform, "token request (POST /oauth2/access_token)", "access_token")


def start_import(session: requests.Session, platform: Platform, url: str, package: Path) -> str:
    with package.open("rb") as archive:
        response = session.post(url, files={"course_data": (package.name, archive, "application/gzip")},
                                timeout=REQUEST_TIMEOUT)
    if response.status_code in (401, 403):
        raise PublishError(platform.masked(f"no course author access to this course: {platform_message(response)}"))
    if not response.ok:
        raise PublishError(platform.masked(f"Studio refused the upload: {platform_message(response)}"))
    return answer_field(response, platform, "upload (POST /api/courses/v0/import/…)", "task_id")


def wait_for_import(session: requests.Session, platform: Platform, url: str, params: dict, polling: Polling,
                    say: Callable[[str], None]) -> str:
    """The final state of the import task, polled with a growing interval until `polling.limit`."""
    deadline = time.monotonic() + polling.limit
    interval, last = polling.interval, None
    while True:
        response = session.get(url, params=params, timeout=REQUEST_TIMEOUT)
        if response.status_code in (401, 403):
            raise PublishError(platform.masked(f"Studio refused the status request: {platform_message(response)}"))
        state = (answer_field(response, platform, "import status request (GET /api/courses/v0/import/…)", "state")
                 if response.ok else None)  # an error status: asked again, until the time limit
        if state in (SUCCEEDED, FAILED, CANCELED):
            return state
        if state and state != last:
            say(f"import: {state}")
            last = state
        if time.monotonic() + interval > deadline:
            raise PublishError(f"the import did not finish within {polling.limit:g} s (last state: "
                               f"{last or 'unknown'}); Studio may still complete it: see the course's Import page")
        time.sleep(interval)
        interval = min(interval * polling.factor, MAX_POLL_INTERVAL)


def failure_reason(session: requests.Session, platform: Platform, task_name: str) -> str:
    """The texts of the failed task's artifacts (its `Error` first), from Studio's user tasks API."""
    try:
        listing = _json(session.get(f"{platform.studio_url}/api/tasks/v0/tasks/", timeout=REQUEST_TIMEOUT))
        tasks = listing.get("results", []) if isinstance(listing, dict) else listing
        task = max((t for t in tasks if t.get("name") == task_name), key=lambda t: t.get("created", ""))
        artifacts = [_json(session.get(link, timeout=REQUEST_TIMEOUT)) for link in task.get("artifacts", [])]
    except (requests.RequestException, ValueError, AttributeError, TypeError):
        return "Studio gave no reason (see the course's Import page)"
    artifacts = [artifact for artifact in artifacts if isinstance(artifact, dict)]
    texts = [str(a["text"]) for a in sorted(artifacts, key=lambda a: a.get("name") != "Error") if a.get("text")]
    return "\n".join(texts) or str(task.get("state_text") or "Studio gave no reason (see the course's Import page)")


def platform_message(response: requests.Response) -> str:
    """What the platform said: its JSON error fields, else the start of its text, with the HTTP status."""
    body = _json(response)
    said = [str(body[key]) for key in ("error_description", "error", "developer_message", "detail", "message")
            if isinstance(body, dict) and body.get(key)]
    text = " — ".join(dict.fromkeys(said)) or response.text.strip()[:300] or response.reason
    return f"HTTP {response.status_code}: {text}"


def answer_field(response: requests.Response, platform: Platform, step: str, name: str) -> str:
    """The text field `name` of a successful answer, a JSON object as the API documents; anything
    else is a PublishError naming the step, the HTTP status and what came instead."""
    body = _json(response, None)
    value = body.get(name) if isinstance(body, dict) else None
    if isinstance(value, str) and value.strip() or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise PublishError(platform.masked(
        f"unexpected answer to the {step}: HTTP {response.status_code} with {_shape(body, response, name)} "
        f"instead of a JSON object with '{name}'; check PARCOURS_LMS_URL and PARCOURS_STUDIO_URL "
        "(an Open edX LMS and its Studio)"))


def _shape(body, response: requests.Response, name: str) -> str:
    """What an answer was, in a few words (its start when it is not JSON)."""
    if body is None:
        start = " ".join(response.text.split())[:80]
        return f"a non-JSON body ({start!r})" if start else "an empty body"
    if isinstance(body, dict):
        return f"a JSON object whose '{name}' is {json.dumps(body[name])[:40]}" if name in body else \
            f"a JSON object without '{name}'"
    kinds = {list: "a JSON list", str: "a JSON string", bool: "a JSON boolean", int: "a JSON number",
             float: "a JSON number", type(None): "JSON null"}
    return kinds.get(type(body), "a JSON value")


def _json(response: requests.Response, default=_EMPTY):
    """The answer's JSON; `default` ({} unless given) when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return {} if default is _EMPTY else default
