"""A SCORM 1.2 LMS stand-in for the browser tests: scorm-again (npm, the real runtime library)
as `window.API` in a player page that opens a SCO in a frame, all served by a loopback HTTP server
the test starts and stops itself. Every request is logged, so a missing file fails the test.
"""
from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
PLAYER = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS de test</title>
<script src="/scorm12.min.js"></script>
<script>
  window.API = new Scorm12API({autocommit: false, logLevel: 5});
  var saved = %(saved)s;
  if (saved) { window.API.loadFromJSON(saved, "cmi"); }
</script></head>
<body><iframe id="sco" title="SCO" src="/sco/%(launch)s" style="width: 100%%; height: 1200px"></iframe></body></html>
"""


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve_package(archive: Path, workdir: Path):
    """Serve the zip's contents under /sco/ next to scorm-again; yield the server's base URL.

    The zip itself is extracted (not the build folder), so what a partner uploads is what runs.
    """
    root = workdir / "lms"
    shutil.rmtree(root, ignore_errors=True)
    (root / "sco").mkdir(parents=True)
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(root / "sco")
    shutil.copyfile(SCORM_AGAIN, root / "scorm12.min.js")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def write_player(root: Path, launch: str, saved: dict | None = None, name: str = "player.html") -> str:
    """A player page launching `launch` (path in the package), optionally resuming `saved` cmi data."""
    (root / name).write_text(PLAYER % {"launch": launch, "saved": json.dumps(saved)}, encoding="utf-8")
    return f"/{name}"


def cmi(page, *elements: str) -> dict[str, str]:
    """Values read back from the runtime (window.API of the player page)."""
    return page.evaluate("(names) => Object.fromEntries(names.map((n) => [n, String(window.API.LMSGetValue(n))]))",
                         list(elements))
