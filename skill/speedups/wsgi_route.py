"""One POST route answered straight from the WSGI environ, in front of a Flask app: Flask's request context, URL
matching, Werkzeug's request and response objects and ``jsonify`` cost 30% of a turn (measured with callgrind),
and the route uses none of what they offer.

The limits and answers are Flask's: a body over ``max_body`` (by its Content-Length, or as read when chunked) is
a 413 with Flask's error JSON, any content type is taken, and an exception is a 500 with Flask's JSON. Flask
serves every other path and method. The app's own view for the route gives the same answers without the
middleware; the tests hold the two to each other.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

STATUS_LINES = {200: "200 OK", 400: "400 BAD REQUEST", 413: "413 REQUEST ENTITY TOO LARGE",
                500: "500 INTERNAL SERVER ERROR"}
JSON_HEADERS = [("Content-Type", "application/json")]

log = logging.getLogger("skill.app")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]
Answer = Callable[[Mapping[str, str], bytes], tuple[int, dict]]  # (headers, body) -> (status, JSON)


def encode(answer: dict) -> bytes:
    return json.dumps(answer, separators=(",", ":")).encode()


def error_json(error: HTTPException) -> dict:
    """The JSON the app's error handler gives for ``error``."""
    return {"error": error.name, "reason": error.description}


class PostRoute:
    """WSGI middleware: answers ``POST path`` with ``answer``, passes everything else to ``flask_wsgi``."""

    def __init__(self, flask_wsgi: WsgiApp, path: str, answer: Answer, max_body: int) -> None:
        self.flask_wsgi = flask_wsgi
        self.path = path
        self.answer = answer
        self.max_body = max_body

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") != "POST" \
                or environ.get("SCRIPT_NAME"):
            return self.flask_wsgi(environ, start_response)
        try:
            body = read_body(environ, self.max_body)
            if body is None:
                status, answer = 413, error_json(RequestEntityTooLarge())
            else:
                status, answer = self.answer(EnvironHeaders(environ), body)
        except Exception:  # a bug: answered as Flask answers one, never a dropped connection
            log.exception(f"Exception on {self.path} [POST]")
            status, answer = 500, error_json(InternalServerError())
        data = encode(answer)
        start_response(STATUS_LINES[status], [*JSON_HEADERS, ("Content-Length", str(len(data)))])
        return [data]


def read_body(environ: dict, max_body: int) -> bytes | None:
    """The body, or None when it is over the cap. Without a Content-Length, a chunked body (which the server
    marks ``wsgi.input_terminated``) is read up to the cap; anything else has no body, as Werkzeug reads it."""
    length = environ.get("CONTENT_LENGTH") or ""
    if length.isascii() and length.isdigit():
        return None if int(length) > max_body else environ["wsgi.input"].read(int(length))
    if not environ.get("wsgi.input_terminated"):
        return b""
    body = environ["wsgi.input"].read(max_body + 1)
    return None if len(body) > max_body else body
