"""The xblock-sdk workbench, started for the browser/handler tests and for `make serve`.

Pytest-independent on purpose: the test fixtures (tests/xblocks/conftest.py) and the
`make serve` target both use it.

    server = start()                 # free loopback port, fresh sqlite, log captured
    server.url                       # "http://127.0.0.1:<port>"
    server.events()                  # every runtime.publish() seen so far, oldest first
    server.stop()                    # ends the process this module started, by its pid

    python -m tests.support.workbench serve [--port 8000]   # foreground, for humans

The workbench lists every installed `xblock.v1` entry point and calls each block's
`workbench_scenarios()`; scenario ids are `<entry point>.<index>` and usage ids derive
from the slug of the scenario title (xblocks.md §6).

Staff: learners whose `?student=` id starts with "staff" are course staff here (the
workbench has no roles; `StaffAwareUserService` adds the attribute the LMS sets).
"""
from __future__ import annotations

import argparse
import ast
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "parcours_workbench_settings"
URLS_MODULE = "parcours_workbench_urls"
DISTRIBUTION = "parcours-ia"
STAFF_PREFIX = "staff"
EVENT_MARKER = "XBLOCK-EVENT "

# `runtime.publish` logs two records on the `workbench.runtime` logger: a header
# ("XBlock event <type> for <block type> (usage_id=<id>):") and then the payload's repr.
# The formatter tags them so `Server.events()` can pair them up again.
SETTINGS_TEMPLATE = '''\
"""Workbench settings written by tests/support/workbench.py; do not edit."""
import os

os.environ.setdefault("EXCLUDE_SAMPLE_XBLOCKS", "yes")  # read when workbench.settings is imported
from workbench.settings import *  # noqa: E402,F401,F403

DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {database!r}}}}}
LOGGING = {{
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {{"event": {{"format": "{marker}%(message)s"}}}},
    "handlers": {{"events": {{"class": "logging.StreamHandler", "formatter": "event"}},
                  "console": {{"class": "logging.StreamHandler"}}}},
    "loggers": {{
        "workbench.runtime": {{"handlers": ["events"], "level": "INFO", "propagate": False}},
        "django.server": {{"handlers": ["console"], "level": "INFO", "propagate": False}},
    }},
}}
WORKBENCH = dict(WORKBENCH)  # noqa: F405
WORKBENCH["services"] = {{**WORKBENCH["services"],
                         "user": "tests.support.workbench.StaffAwareUserService"}}
ROOT_URLCONF = "{urls}"
# Like the LMS, the request carries the interface language (here the browser's Accept-Language),
# which blocks read through their i18n service; French unless the browser prefers English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
MIDDLEWARE = [*MIDDLEWARE[:2], "django.middleware.locale.LocaleMiddleware", *MIDDLEWARE[2:]]  # noqa: F405
'''
# Imported by Django once the apps are ready, so the workbench can be patched here.
URLS_TEMPLATE = '''\
"""Workbench URLs written by tests/support/workbench.py; do not edit."""
from tests.support.workbench import limit_scenarios_to_project_blocks, log_events_with_student

limit_scenarios_to_project_blocks()
log_events_with_student()
from workbench.urls import urlpatterns  # noqa: E402,F401
'''


def project_block_names() -> set[str]:
    """The `xblock.v1` entry points of this distribution (not xblocks-contrib's, not samples)."""
    from importlib.metadata import distribution

    return {ep.name for ep in distribution(DISTRIBUTION).entry_points if ep.group == "xblock.v1"}


def log_events_with_student() -> None:
    """Make the workbench's event log name the learner (`?student=`) of each event.

    Its `publish` logs the event type, block type and usage id only; tests that share one
    server need to tell their learner's events from everyone else's.
    """
    import logging

    from workbench.runtime import WorkbenchRuntime

    log = logging.getLogger("workbench.runtime")

    def publish(runtime, block, event_type, event_data):
        log.info("XBlock event %s for %s (usage_id=%s) (student=%s):", event_type,
                 block.scope_ids.block_type, block.scope_ids.usage_id, block.scope_ids.user_id)
        log.info(event_data)

    WorkbenchRuntime.publish = publish


def limit_scenarios_to_project_blocks() -> None:
    """Load workbench scenarios of this project's blocks only.

    The workbench loads every installed block's scenarios and stops at the first that
    fails; xblocks-contrib's extracted blocks need an LMS (`get_policy`) and always fail.
    Ours still raise, so a broken scenario of ours is never hidden.
    """
    from workbench import scenarios

    names = project_block_names()
    original = scenarios.add_class_scenarios

    def add_project_scenarios(class_name, cls, fail_silently=True):
        if class_name in names:
            original(class_name, cls, fail_silently=False)

    scenarios.add_class_scenarios = add_project_scenarios


def _user_service_base():
    # Imported lazily so that this module stays importable without XBlock installed.
    from xblock.reference.user_service import UserService

    return UserService


class StaffAwareUserService(_user_service_base()):
    """The workbench's user, plus the staff flag the LMS sets (`edx-platform.user_is_staff`).

    Loaded by the workbench from settings: constructed without arguments, then given
    `.runtime` (whose `user_id` is the `?student=` value).
    """

    def __init__(self):
        super().__init__(user=None)

    def get_current_user(self):
        from xblock.reference.user_service import XBlockUser

        student_id = str(getattr(self.runtime, "user_id", "") or "")
        user = XBlockUser(is_current_user=True, emails=[], full_name=f"Workbench ({student_id})")
        user.opt_attrs["xblock-workbench.user_id"] = student_id
        user.opt_attrs["edx-platform.user_id"] = student_id
        user.opt_attrs["edx-platform.user_is_staff"] = student_id.startswith(STAFF_PREFIX)
        return user


def write_settings(directory: Path) -> Path:
    """Write the settings and URL modules into `directory` (sqlite database beside them)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{SETTINGS_MODULE}.py"
    path.write_text(
        SETTINGS_TEMPLATE.format(database=str(directory / "workbench.db"), marker=EVENT_MARKER, urls=URLS_MODULE),
        encoding="utf-8",
    )
    (directory / f"{URLS_MODULE}.py").write_text(URLS_TEMPLATE, encoding="utf-8")
    return path


def _environment(settings_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["PYTHONPATH"] = os.pathsep.join(
        [str(settings_dir), str(ROOT), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["EXCLUDE_SAMPLE_XBLOCKS"] = "yes"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrate(settings_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v", "0"],
        cwd=settings_dir, env=_environment(settings_dir), check=True,
    )


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path
    workdir: Path
    _log_file: object = field(repr=False, default=None)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def events(self, student: str | None = None) -> list[dict]:
        """Events published through `runtime.publish`, oldest first; only `student`'s if given.

        Each is `{"event_type", "block_type", "usage_id", "student", "data": dict}`
        (`student` is the `?student=` of the request that published it).
        """
        found, header = [], None
        for line in self.log().splitlines():
            if not line.startswith(EVENT_MARKER):
                continue
            message = line[len(EVENT_MARKER):]
            if message.startswith("XBlock event "):
                header = _parse_event_header(message)
            elif header is not None:
                found.append({**header, "data": ast.literal_eval(message)})
                header = None
        return [event for event in found if student is None or event["student"] == student]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log_file is not None:
            self._log_file.close()


def _parse_event_header(message: str) -> dict:
    # "XBlock event <type> for <block type> (usage_id=<id>) (student=<id>):"
    words = message.split()
    usage_id = message.split("(usage_id=", 1)[1].split(")", 1)[0]
    student = message.rsplit("(student=", 1)[1].rstrip("):") if "(student=" in message else None
    return {"event_type": words[2], "block_type": words[4], "usage_id": usage_id, "student": student}


def start(port: int | None = None, workdir: Path | None = None, timeout: float = 60.0) -> Server:
    """Start a workbench on 127.0.0.1 with a fresh database; return once it answers."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="parcours-workbench-"))
    write_settings(workdir)
    migrate(workdir)
    port = port or free_port()
    log_path = workdir / "server.log"
    log_file = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed by Server.stop)
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=workdir, env=_environment(workdir), stdout=log_file, stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", process, log_path, workdir, log_file)
    try:
        _wait_until_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"workbench exited early:\n{server.log()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers; an error page is for the tests to report
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise TimeoutError(f"workbench did not answer within {timeout} s:\n{server.log()[-3000:]}")


def serve(port: int) -> None:
    """Foreground workbench for `make serve`; state kept in var/workbench/ between runs."""
    workdir = ROOT / "var" / "workbench"
    write_settings(workdir)
    migrate(workdir)
    print(f"Workbench: http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=workdir, env=_environment(workdir),
    )
    try:
        process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)


class Client:
    """One browser-like HTTP session on a workbench: cookie jar, CSRF token, one `?student=`.

        client = Client(server.url, student="learner-1", language="fr-CA")
        html = client.page("/scenario/<entry>.0/")
        usage_id = client.usage_ids("/scenario/<entry>.0/", "<entry>")[0]
        status, content_type, text = client.call(usage_id, "<handler>", b"{}")   # body None: GET
    """

    def __init__(self, base_url: str, student: str | None = None, language: str = "fr-CA"):
        import http.cookiejar
        import uuid

        self.base_url = base_url
        self.student = student or f"learner-{uuid.uuid4().hex[:8]}"
        self.language = language
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _request(self, url: str, body: bytes | None = None, headers: dict | None = None):
        headers = {"Accept-Language": self.language, **(headers or {})}
        method = "GET" if body is None else "POST"
        return urllib.request.Request(url, data=body, headers=headers, method=method)

    def page(self, path: str) -> str:
        with self.opener.open(self._request(f"{self.base_url}{path}?student={self.student}")) as response:
            return response.read().decode("utf-8")

    def usage_ids(self, path: str, block_type: str) -> list[str]:
        html = self.page(path)
        return re.findall(rf"""data-usage=['"]([^'"]+)['"] data-block-type=['"]{re.escape(block_type)}['"]""", html)

    def call(self, usage_id: str, handler: str, body: bytes | None = b"{}") -> tuple[int, str, str]:
        """(status, content type, text) of a handler call; a GET when `body` is None."""
        token = next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")
        request = self._request(f"{self.base_url}/handler/{usage_id}/{handler}/?student={self.student}", body,
                                {"X-CSRFToken": token, "Content-Type": "application/json"})
        try:
            with self.opener.open(request) as response:
                return response.status, response.headers.get_content_type(), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), error.read().decode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.workbench")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the workbench in the foreground")
    serve_parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    serve(args.port)


if __name__ == "__main__":
    main()
