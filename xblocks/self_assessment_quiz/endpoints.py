"""JSON handlers: size, syntax and shape checks before the block sees a request.

XBlock.json_handler would accept any body size and answer errors in English only.
"""
from __future__ import annotations

import functools
import json
import re

from webob import Response
from xblock.core import XBlock

MAX_BODY_BYTES = 64 * 1024
# Deepest nesting of arrays and objects in a request (a submission needs 3 levels). Deeper
# bodies are refused: 10 KB of "[" already exhausts the recursion of json and of any walk.
MAX_JSON_DEPTH = 16
# Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE, U+FFFF) and lone surrogates.
_XML_INCOMPATIBLE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
    except RecursionError:
        raise HandlerError(400, "too_deep") from None
    if not isinstance(payload, dict):
        raise HandlerError(400, "invalid_payload")
    if _deeper_than(payload, MAX_JSON_DEPTH):
        raise HandlerError(400, "too_deep")
    if _holds_xml_incompatible(payload):
        # A lone surrogate or a control character is valid JSON but can be neither encoded
        # nor stored in XML: refused before the block sees it.
        raise HandlerError(400, "invalid_json")
    return payload


def _deeper_than(value, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def _holds_xml_incompatible(value) -> bool:
    """Whether a string (key or value, at any depth) holds a character XML cannot store (iterative)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _XML_INCOMPATIBLE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_response(data, status: int = 200) -> Response:
    # ASCII escapes: encoding the reply cannot fail, whatever string reaches it.
    return Response(json.dumps(data, ensure_ascii=True), status=status,
                    content_type="application/json", charset="utf-8")
