"""JSON handlers: size, syntax and shape checks before the block sees a request.

XBlock.json_handler would accept any body size and answer errors in English only.
"""
from __future__ import annotations

import functools
import json

from webob import Response
from xblock.core import XBlock

MAX_BODY_BYTES = 64 * 1024


class HandlerError(Exception):
    """Refused request: answered as JSON with this status, and no state is changed."""

    def __init__(self, status: int, code: str, **details):
        super().__init__(code)
        self.status, self.code, self.details = status, code, details


def json_endpoint(method):
    """A POST handler taking and returning JSON; a HandlerError becomes a JSON error reply."""
    @functools.wraps(method)
    def wrapper(self, request, suffix=""):
        try:
            payload = read_json(request)
            return json_response(method(self, payload))
        except HandlerError as error:
            return self._error_response(error)

    return XBlock.handler(wrapper)


def read_json(request) -> dict:
    if request.method != "POST":
        raise HandlerError(405, "method_not_allowed")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise HandlerError(413, "payload_too_large")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise HandlerError(413, "payload_too_large")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HandlerError(400, "invalid_json") from None
    if not isinstance(payload, dict):
        raise HandlerError(400, "invalid_payload")
    return payload


def json_response(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status,
                    content_type="application/json", charset="utf-8")
