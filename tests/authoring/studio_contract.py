"""A stand-in for Open edX, which cannot run here: a local server that follows the documented contract
of the endpoints `parcours publish` uses, and nothing more.

- LMS `POST /oauth2/access_token` (django-oauth-toolkit, client credentials grant): form fields
  `grant_type=client_credentials`, `client_id`, `client_secret`, `token_type=jwt` →
  `{"access_token", "token_type": "JWT", "expires_in", "scope"}`; wrong credentials → 401
  `{"error": "invalid_client"}`.
- Studio `POST /api/courses/v0/import/{course_id}/` (CourseImportView): header `Authorization: JWT …`,
  multipart field `course_data` (.tar.gz or .zip) → `{"task_id"}`; no course author access → 403;
  missing or misnamed file → 400 `{"developer_message", "error_code"}`.
- Studio `GET` the same URL with `?task_id=…&filename=…` → `{"state"}`, the states the import task
  goes through (Pending, Unpacking, Verifying, Updating, then Succeeded or Failed).
- Studio `GET /api/tasks/v0/tasks/` (django-user-tasks, paginated) → the user's tasks, named
  `Import of {course_id} from {filename}`, with links to their artifacts; `GET
  /api/tasks/v0/artifacts/{uuid}/` → `{"name": "Error", "text"}` for a failed import.

One server plays both the LMS and Studio. `states` is the sequence of states the status endpoint
reports, one per request, the last repeated forever.
"""
from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

IMPORT_PREFIX = "/api/courses/v0/import/"


@dataclass
class Contract:
    client_id: str
    client_secret: str
    course_ids: set[str]  # courses the application has course author access to
    states: list[str] = field(default_factory=lambda: ["Pending", "Unpacking", "Updating", "Succeeded"])
    error_text: str = ""  # the Error artifact of a failed task
    token: str = field(default_factory=lambda: f"jwt-{uuid.uuid4().hex}")
    received: dict[str, bytes] = field(default_factory=dict)  # course id → uploaded archive
    requests: list[str] = field(default_factory=list)  # "METHOD path" in order
    tasks: dict[str, dict] = field(default_factory=dict)  # task id → task
    # Answers off the contract: "METHOD path-prefix" → the JSON sent (HTTP 200) instead of the real one.
    replies: dict[str, object] = field(default_factory=dict)


class StudioStandIn(ThreadingHTTPServer):
    """Listens on 127.0.0.1, on a free port; `url` is its base address."""

    daemon_threads = True

    def __init__(self, contract: Contract) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.contract = contract
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> StudioStandIn:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: StudioStandIn

    def log_message(self, *args) -> None:  # quiet test output
        pass

    @property
    def contract(self) -> Contract:
        return self.server.contract

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        self.contract.requests.append(f"POST {path}")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self._replied(f"POST {path}"):
            return
        if path == "/oauth2/access_token":
            self._token(parse_qs(body.decode()))
        elif not path.startswith(IMPORT_PREFIX):
            self._send(404, {"detail": "Not found."})
        elif self._authorized(path):
            self._upload(path.removeprefix(IMPORT_PREFIX).rstrip("/"), body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.contract.requests.append(f"GET {parts.path}")
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if self._replied(f"GET {parts.path}"):
            return
        routes = {IMPORT_PREFIX: lambda: self._status(query),
                  "/api/tasks/v0/tasks/": self._task_list,
                  "/api/tasks/v0/artifacts/": lambda: self._send(200, {"name": "Error",
                                                                        "text": self.contract.error_text})}
        route = next((answer for prefix, answer in routes.items() if parts.path.startswith(prefix)), None)
        if route is None:
            self._send(404, {"detail": "Not found."})
        elif self._authorized(parts.path):
            route()

    def _replied(self, request: str) -> bool:
        """Sends the reply set for this request in `contract.replies`, if there is one."""
        for prefix, payload in self.contract.replies.items():
            if request.startswith(prefix):
                self._send(200, payload)
                return True
        return False

    def _authorized(self, path: str) -> bool:
        if self.headers.get("Authorization") != f"JWT {self.contract.token}":
            self._send(401, {"detail": "Authentication credentials were not provided."})
            return False
        course = path.removeprefix(IMPORT_PREFIX).rstrip("/")
        if path.startswith(IMPORT_PREFIX) and course not in self.contract.course_ids:
            self._send(403, {"developer_message": f"The requesting user does not have course author permissions "
                                                  f"for {course}.", "error_code": "user_mismatch"})
            return False
        return True

    def _token(self, form: dict[str, list[str]]) -> None:
        given = {key: values[0] for key, values in form.items()}
        if given.get("grant_type") != "client_credentials" or given.get("token_type") != "jwt":
            self._send(400, {"error": "unsupported_grant_type"})
        elif (given.get("client_id"), given.get("client_secret")) != (self.contract.client_id,
                                                                      self.contract.client_secret):
            self._send(401, {"error": "invalid_client"})
        else:
            self._send(200, {"access_token": self.contract.token, "token_type": "JWT", "expires_in": 3600,
                             "scope": "read write email profile"})

    def _upload(self, course_id: str, body: bytes) -> None:
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        archive = parts.get("course_data")
        if archive is None or not (archive.get_filename() or "").endswith((".tar.gz", ".zip")):
            self._send(400, {"developer_message": "Parameter in the wrong format", "error_code": "internal_error"})
            return
        self.contract.received[course_id] = archive.get_payload(decode=True)
        task_id = str(uuid.uuid4())
        self.contract.tasks[task_id] = {"name": f"Import of {course_id} from {archive.get_filename()}",
                                        "filename": archive.get_filename(), "polls": 0,
                                        "created": "2026-01-15T12:00:00Z", "artifact": str(uuid.uuid4())}
        self._send(200, {"task_id": task_id})

    def _status(self, query: dict[str, str]) -> None:
        task = self.contract.tasks.get(query.get("task_id", ""))
        if task is None or task["filename"] != query.get("filename"):
            self._send(500, {"developer_message": "'NoneType' object has no attribute 'state'",
                             "error_code": "internal_error"})
            return
        task["polls"] += 1
        self._send(200, {"state": self._state(task)})

    def _task_list(self) -> None:
        self._send(200, {"count": len(self.contract.tasks), "next": None, "previous": None,
                         "results": [self._public(task) for task in self.contract.tasks.values()]})

    def _state(self, task: dict) -> str:
        states = self.contract.states
        return states[min(task["polls"], len(states)) - 1]

    def _public(self, task: dict) -> dict:
        state = self._state(task) if task["polls"] else "Pending"
        links = [f"{self.server.url}/api/tasks/v0/artifacts/{task['artifact']}/"] if state == "Failed" else []
        return {"name": task["name"], "state": state, "state_text": state, "completed_steps": 1, "total_steps": 3,
                "attempts": 1, "created": task["created"], "modified": task["created"], "artifacts": links}

    def _send(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
