"""The preview's server: watches the course folder, rebuilds on change, serves the current build.

A watcher thread compares the files' modification times and sizes a few times a second
(`parcours.watch`) and rebuilds when they change; the build cache, kept in memory, keeps unchanged
units from being rendered again. Each build gets the next generation number; the pages ask for it
(`/_preview/generation`) and reload when it changes. Requests are served from the current build,
replaced as a whole, so a page never mixes two builds.
"""
from __future__ import annotations

import errno
import ipaddress
import json
import mimetypes
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from parcours.cache import ResultCache
from parcours.diagnostics import Severity
from parcours.i18n import _, from_parcours, language
from parcours.preview import site
from parcours.preview.site import Build, Problem
from parcours.project import KeptTexts
from parcours.watch import POLL_SECONDS, Snapshot, snapshot

PREVIEW_ASSETS = resources.files("parcours.preview") / "assets"
STOP_WAIT_SECONDS = 30
MAX_MESSAGE = 300  # characters of an internal error's message shown in the panel


class PreviewError(Exception):
    """The preview cannot start (an address or port it cannot listen on), said in the author's language."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message + ("\n" + _("  = hint: {hint}").format(hint=hint) if hint else ""))


class Preview:
    """The course folder, its current build, and the thread that keeps it current."""

    def __init__(self, course_dir: Path, on_build: Callable[[Build], None] = lambda build: None) -> None:
        self.course_dir = course_dir.resolve()
        self.on_build = on_build
        self.cache = ResultCache()  # in memory: what a save leaves unchanged is not rendered again
        self.texts = KeptTexts()  # nor read again
        self.scratch = Path(tempfile.mkdtemp(prefix="parcours-preview-"))
        self.current: Build | None = None
        self.built_from: Snapshot = {}  # the files as the current build read them
        self.lock = threading.Lock()
        self.building = threading.Lock()  # held while a build writes in `scratch`
        self.stopped = threading.Event()

    def rebuild(self) -> Build | None:
        """Build again (None once stopped)."""
        generation = self.current.generation + 1 if self.current else 1
        self.built_from = snapshot(self.course_dir)  # before reading: a save during the build is seen after it
        with self.building:
            if self.stopped.is_set():
                return None
            try:
                fresh = site.build(self.course_dir, generation, self.cache, self.texts, self.scratch)
            except Exception as error:  # a compiler bug must not stop the preview: show it like a diagnostic
                fresh = Build(generation, self.course_dir.name, language(), problems=(internal_problem(error),))
            with self.lock:
                previous, self.current = self.current, fresh
            site.discard(previous)
        self.on_build(fresh)
        return fresh

    def watch(self) -> None:
        """Rebuild whenever the course's files differ from those of the last build, until `stop()`."""
        while not self.stopped.wait(POLL_SECONDS):
            if snapshot(self.course_dir) != self.built_from:
                self.rebuild()

    def stop(self) -> None:
        """No more builds; the pages are removed once a build under way is done (a build that seems
        never to end is not waited for longer than STOP_WAIT_SECONDS)."""
        self.stopped.set()
        finished = self.building.acquire(timeout=STOP_WAIT_SECONDS)
        try:
            shutil.rmtree(self.scratch, ignore_errors=True)
        finally:
            if finished:
                self.building.release()


def internal_problem(error: Exception) -> Problem:
    """A compiler bug as the panel shows it: the exception's type and message, never a traceback."""
    message = " ".join(str(error).split())
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 1] + "…"
    said = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return Problem("", _("internal"), Severity.ERROR, _("internal error of the compiler ({error})").format(error=said),
                   _("this is not a mistake in the course: please report it, with the file you changed"))


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        if ":" in host:  # an IPv6 address
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)
        self.preview = preview

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, *args) -> None:  # the terminal is for build results, not for every request
        pass

    def do_GET(self) -> None:
        with self.server.preview.lock:
            current = self.server.preview.current
        path = unquote(urlsplit(self.path).path)
        if path == "/_preview/generation":
            self._send(200, json.dumps({"generation": current.generation}).encode(), "application/json")
        elif path.startswith(site.ASSETS_URL):
            self._asset(path.removeprefix(site.ASSETS_URL))
        elif path in ("/", "/index.html"):
            self._html(200, site.home_page(current))
        elif current.broken and path.endswith(".html"):
            self._html(200, site.broken_page(current))
        else:
            self._file(current, path.lstrip("/"))

    def _file(self, current: Build, relative: str) -> None:
        try:
            target = (current.folder / relative).resolve() if current.folder else None
            found = target is not None and target.is_relative_to(current.folder.resolve()) and target.is_file()
        except (ValueError, OSError, RuntimeError):  # a NUL byte, a name too long, a link loop: no such page
            found = False
        if not found:
            self._html(404, site.missing_page(current))
        elif target.suffix == ".html":
            self._html(200, site.with_chrome(target.read_text(encoding="utf-8"), current))
        else:
            self._send(200, target.read_bytes(), mimetypes.guess_type(target.name)[0] or "application/octet-stream")

    def _asset(self, name: str) -> None:
        if name not in ("preview.js", "preview.css"):
            self._send(404, b"", "text/plain")
            return
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        self._send(200, (PREVIEW_ASSETS / name).read_bytes(), f"{kind}; charset=utf-8")

    def _html(self, status: int, page: str) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def serve(course_dir: Path, host: str, port: int, say: Callable[[str], None],
          warn: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)) -> None:
    """Build, then serve on host:port until interrupted (Ctrl+C), rebuilding on every change.

    PreviewError if it cannot listen there; a warning first if `host` is not loopback only."""
    def report(build: Build) -> None:
        errors = sum(problem.severity is Severity.ERROR for problem in build.problems)
        state = _("{count} error(s)").format(count=errors) if build.broken else _("ok")
        say(_("build {generation}: {state}, {count} diagnostic(s)").format(
            generation=build.generation, state=state, count=len(build.problems)))

    exposed = exposure_warning(host)
    if exposed:
        warn(exposed)
    preview = Preview(course_dir, report)
    try:
        server = PreviewServer(preview, host, port)
    except (OSError, OverflowError) as error:
        preview.stop()
        raise listen_error(error, host, port) from None
    try:
        preview.rebuild()
        # `kill PID` stops it as Ctrl+C does, its temporary folder removed.
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
        threading.Thread(target=preview.watch, daemon=True).start()
        say(_("preview of {course} on {url} (Ctrl+C to stop)").format(course=course_dir, url=server.url))
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        preview.stop()


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host` ('localhost', 127.x.x.x, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may be reachable from elsewhere
        return False


def exposure_warning(host: str) -> str | None:
    """The warning for a host other computers can reach; None for loopback."""
    if is_loopback(host):
        return None
    return from_parcours(_("warning: --host {host} lets other computers on the network see the preview, which "
                           "has no authentication; leave out --host (127.0.0.1, this computer only) unless you "
                           "mean it").format(host=host))


def listen_error(error: Exception, host: str, port: int) -> PreviewError:
    """Why the preview cannot listen on host:port, as a message with a hint."""
    where = f"{host}:{port}"
    code = getattr(error, "errno", None)
    if isinstance(error, OverflowError) or not 0 <= port <= 65535:
        return PreviewError(_("cannot listen on {where}: a port is a number from 0 to 65535").format(where=where),
                            _("use --port 8800, or --port 0 for any free port"))
    if isinstance(error, socket.gaierror):
        return PreviewError(_("cannot listen on {where}: unknown host '{host}'").format(where=where, host=host),
                            _("use the default 127.0.0.1 (this computer only), or one of this computer's addresses"))
    if code == errno.EADDRINUSE:
        return PreviewError(_("cannot listen on {where}: the port is already in use (another preview?)")
                            .format(where=where),
                            _("stop the other program, or choose another port with --port (--port 0: any free port)"))
    if code == errno.EADDRNOTAVAIL:
        return PreviewError(_("cannot listen on {where}: {host} is not an address of this computer")
                            .format(where=where, host=host),
                            _("use the default 127.0.0.1 (this computer only), or one of this computer's addresses"))
    if code == errno.EACCES:
        return PreviewError(_("cannot listen on {where}: permission denied").format(where=where),
                            _("ports below 1024 need administrator rights: choose --port 8800, or --port 0"))
    reason = getattr(error, "strerror", None) or str(error)
    return PreviewError(_("cannot listen on {where}: {reason}").format(where=where, reason=reason),
                        _("try the defaults (127.0.0.1, port 8800), or --port 0 for any free port"))
