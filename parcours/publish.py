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

from parcours.i18n import N_, _

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
# How the publication ended when Studio says it did not succeed (translated when said).
_NOT_IMPORTED = {FAILED: N_("import failed: {reason}"), CANCELED: N_("import canceled: {reason}")}
# What came instead of a JSON object, in a few words (translated when said).
_JSON_KINDS = {list: N_("a JSON list"), str: N_("a JSON string"), bool: N_("a JSON boolean"),
               int: N_("a JSON number"), float: N_("a JSON number"), type(None): N_("JSON null")}


class PublishError(Exception):
    """The publication did not happen, said in the author's language; `usage` when the command itself
    was wrong (exit 2)."""

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
            raise PublishError(_("set {variables} in the environment (see docs/publier.md)").format(
                variables=", ".join(missing)), usage=True)
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
            say(_("uploading {file} ({size} KB) to {course}").format(
                file=package.name, size=package.stat().st_size // 1024 or 1, course=course_id))
            url = f"{platform.studio_url}/api/courses/v0/import/{course_id}/"
            task_id = start_import(session, platform, url, package)
            state = wait_for_import(session, platform, url, {"task_id": task_id, "filename": package.name},
                                    polling, say)
        except requests.RequestException as error:
            raise PublishError(platform.masked(_("cannot reach the platform: {error}").format(error=error))) from None
        if state != SUCCEEDED:
            # Studio's name of the task, in English whatever the author's language: not translated.
            reason = failure_reason(session, platform, f"Import of {course_id} from {package.name}")
            raise PublishError(platform.masked(_(_NOT_IMPORTED[state]).format(reason=reason)))
    say(_("imported into {course}").format(course=course_id))


def check_arguments(package: Path, course_id: str) -> None:
    if not COURSE_ID.fullmatch(course_id):
        raise PublishError(_("'{course}' is not a course key like course-v1:ORG+NUMBER+RUN").format(course=course_id),
                           usage=True)
    if not package.is_file():
        raise PublishError(_("no package at '{package}' (parcours build writes build/<course>/olx/course.tar.gz)")
                           .format(package=package), usage=True)
    if not package.name.endswith(IMPORTABLE):
        raise PublishError(_("Studio imports {first} or {second} archives, not '{file}'").format(
            first=IMPORTABLE[0], second=IMPORTABLE[1], file=package.name), usage=True)


def access_token(session: requests.Session, platform: Platform) -> str:
    """A JWT for the application, by the OAuth2 client credentials grant."""
    response = session.post(f"{platform.lms_url}/oauth2/access_token", timeout=REQUEST_TIMEOUT, data={
        "grant_type": "client_credentials", "client_id": platform.client_id,
        "client_secret": platform.client_secret, "token_type": "jwt"})
    if response.status_code in (400, 401, 403):
        raise PublishError(platform.masked(_("the platform refused the credentials: {answer}").format(
            answer=platform_message(response))))
    if not response.ok:
        raise PublishError(platform.masked(_("no access token from {url}: {answer}").format(
            url=platform.lms_url, answer=platform_message(response))))
    return answer_field(response, platform, _("token request (POST /oauth2/access_token)"), "access_token")


def start_import(session: requests.Session, platform: Platform, url: str, package: Path) -> str:
    with package.open("rb") as archive:
        response = session.post(url, files={"course_data": (package.name, archive, "application/gzip")},
                                timeout=REQUEST_TIMEOUT)
    if response.status_code in (401, 403):
        raise PublishError(platform.masked(_("no course author access to this course: {answer}").format(
            answer=platform_message(response))))
    if not response.ok:
        raise PublishError(platform.masked(_("Studio refused the upload: {answer}").format(
            answer=platform_message(response))))
    return answer_field(response, platform, _("upload (POST /api/courses/v0/import/…)"), "task_id")


def wait_for_import(session: requests.Session, platform: Platform, url: str, params: dict, polling: Polling,
                    say: Callable[[str], None]) -> str:
    """The final state of the import task, polled with a growing interval until `polling.limit`."""
    deadline = time.monotonic() + polling.limit
    interval, last = polling.interval, None
    while True:
        response = session.get(url, params=params, timeout=REQUEST_TIMEOUT)
        if response.status_code in (401, 403):
            raise PublishError(platform.masked(_("Studio refused the status request: {answer}").format(
                answer=platform_message(response))))
        state = (answer_field(response, platform, _("import status request (GET /api/courses/v0/import/…)"),
                              "state")
                 if response.ok else None)  # an error status: asked again, until the time limit
        if state in (SUCCEEDED, FAILED, CANCELED):
            return state
        if state and state != last:
            say(_("import: {state}").format(state=state))  # Studio's word for the state, as it sends it
            last = state
        if time.monotonic() + interval > deadline:
            raise PublishError(_("the import did not finish within {limit} s (last state: {state}); Studio may "
                                 "still complete it: see the course's Import page").format(
                limit=f"{polling.limit:g}", state=last or _("unknown")))
        time.sleep(interval)
        interval = min(interval * polling.factor, MAX_POLL_INTERVAL)


def failure_reason(session: requests.Session, platform: Platform, task_name: str) -> str:
    """The texts of the failed task's artifacts (its `Error` first), from Studio's user tasks API."""
    no_reason = _("Studio gave no reason (see the course's Import page)")
    try:
        listing = _json(session.get(f"{platform.studio_url}/api/tasks/v0/tasks/", timeout=REQUEST_TIMEOUT))
        tasks = listing.get("results", []) if isinstance(listing, dict) else listing
        task = max((t for t in tasks if t.get("name") == task_name), key=lambda t: t.get("created", ""))
        artifacts = [_json(session.get(link, timeout=REQUEST_TIMEOUT)) for link in task.get("artifacts", [])]
    except (requests.RequestException, ValueError, AttributeError, TypeError):
        return no_reason
    artifacts = [artifact for artifact in artifacts if isinstance(artifact, dict)]
    texts = [str(a["text"]) for a in sorted(artifacts, key=lambda a: a.get("name") != "Error") if a.get("text")]
    return "\n".join(texts) or str(task.get("state_text") or no_reason)


def platform_message(response: requests.Response) -> str:
    """What the platform said: its JSON error fields, else the start of its text, with the HTTP status."""
    body = _json(response)
    said = [str(body[key]) for key in ("error_description", "error", "developer_message", "detail", "message")
            if isinstance(body, dict) and body.get(key)]
    text = " — ".join(dict.fromkeys(said)) or response.text.strip()[:300] or response.reason
    return _("HTTP {status}: {text}").format(status=response.status_code, text=text)


def answer_field(response: requests.Response, platform: Platform, step: str, name: str) -> str:
    """The text field `name` of a successful answer, a JSON object as the API documents; anything
    else is a PublishError naming the step, the HTTP status and what came instead."""
    body = _json(response, None)
    value = body.get(name) if isinstance(body, dict) else None
    if isinstance(value, str) and value.strip() or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise PublishError(platform.masked(_(
        "unexpected answer to the {step}: HTTP {status} with {answer} instead of a JSON object with '{name}'; "
        "check PARCOURS_LMS_URL and PARCOURS_STUDIO_URL (an Open edX LMS and its Studio)").format(
        step=step, status=response.status_code, answer=_shape(body, response, name), name=name)))


def _shape(body, response: requests.Response, name: str) -> str:
    """What an answer was, in a few words (its start when it is not JSON)."""
    if body is None:
        start = " ".join(response.text.split())[:80]
        return _("a non-JSON body ({start})").format(start=repr(start)) if start else _("an empty body")
    if isinstance(body, dict):
        return _("a JSON object whose '{name}' is {value}").format(name=name, value=json.dumps(body[name])[:40]) \
            if name in body else _("a JSON object without '{name}'").format(name=name)
    kind = _JSON_KINDS.get(type(body))
    return _(kind) if kind else _("a JSON value")


def _json(response: requests.Response, default=_EMPTY):
    """The answer's JSON; `default` ({} unless given) when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return {} if default is _EMPTY else default
