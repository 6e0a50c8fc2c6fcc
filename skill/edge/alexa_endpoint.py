"""``POST /alexa``: verify, answer, log. The one place the hot route steps around Flask.

Flask stays the application: it serves ``/healthz``, every other path, and other methods on ``/alexa`` (405).
Every ``POST /alexa`` is answered by :class:`AlexaRoute` from the WSGI environ: Flask's request context, URL
matching, Werkzeug's request and response objects and ``jsonify`` cost a fifth of a turn, and the route uses
none of what they offer. The limits are Flask's: a body over :data:`MAX_BODY_BYTES` (by its Content-Length, or
as read when chunked) is a 413 with Flask's JSON, any content type is taken (the body is what is checked), what
cannot be trusted or read is a 400 with a reason, and a bug is a 500 with Flask's JSON. Flask's own ``/alexa``
view runs the same :func:`answer_alexa` and :func:`encode`, for an app used without the middleware; the tests
hold the two to the same answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from skill.alexa.assembly import Skill, UnreadableEnvelope
from skill.edge.verification import NORMAL_TOLERANCE, Rejected, RequestVerifier
from skill.foundations import logs

MAX_BODY_BYTES = 256 * 1024
PATH = "/alexa"
# Request ids are remembered twice as long as a request's timestamp is accepted: a replay inside the window is
# refused, and one outside it fails the timestamp check. (Skill events, accepted for an hour, change nothing a
# replay could harm: a second "skill disabled" deletes what is already gone.)
REPLAY_WINDOW = 2 * NORMAL_TOLERANCE.total_seconds()
JSON_HEADERS = [("Content-Type", "application/json")]
STATUS_LINES = {200: "200 OK", 400: "400 BAD REQUEST", 413: "413 REQUEST ENTITY TOO LARGE",
                500: "500 INTERNAL SERVER ERROR"}

log = logging.getLogger("skill.app")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]


def answer_alexa(skill: Skill, verifier: RequestVerifier, headers: Mapping[str, str], body: bytes) -> tuple[int, dict]:
    """(status, JSON) for one POST: a request that cannot be trusted or read is a 400 and never reaches the
    skill."""
    record = logs.RequestRecord()
    try:
        envelope = verifier.verify(headers, body)  # the exact bytes, for the signature
        record.describe(envelope)
        if verifier.signatures is not None and not skill.first_answer(envelope, REPLAY_WINDOW):
            # A signed request sent again inside the timestamp window: answered once, never twice.
            raise Rejected("request already answered")
        try:
            outcome, answer = skill.answer(envelope)
        except UnreadableEnvelope as error:
            raise Rejected("malformed Alexa envelope", detail=str(error)) from None
    except Rejected as rejected:
        record.finish("rejected", 400, reason=rejected.detail or rejected.reason)
        return 400, {"error": "bad request", "reason": rejected.reason}
    record.finish(outcome, 200)
    return 200, answer


def encode(answer: dict) -> bytes:
    return json.dumps(answer, separators=(",", ":")).encode()


def error_json(error: HTTPException) -> dict:
    """The JSON Flask's error handler gives for ``error`` (see ``create_app``)."""
    return {"error": error.name, "reason": error.description}


class AlexaRoute:
    """WSGI middleware in front of the Flask app: answers ``POST /alexa`` itself, passes the rest on."""

    def __init__(self, flask_wsgi: WsgiApp, skill: Skill, verifier: RequestVerifier) -> None:
        self.flask_wsgi = flask_wsgi
        self.skill = skill
        self.verifier = verifier

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST" or environ.get("SCRIPT_NAME"):
            return self.flask_wsgi(environ, start_response)
        try:
            body = read_body(environ)
            if body is None:
                status, answer = 413, error_json(RequestEntityTooLarge())
            else:
                status, answer = answer_alexa(self.skill, self.verifier, EnvironHeaders(environ), body)
        except Exception:  # a bug: answered as Flask answers one, never a dropped connection
            log.exception("Exception on /alexa [POST]")
            status, answer = 500, error_json(InternalServerError())
        data = encode(answer)
        start_response(STATUS_LINES[status], [*JSON_HEADERS, ("Content-Length", str(len(data)))])
        return [data]


def read_body(environ: dict) -> bytes | None:
    """The body, or None when it is over the cap. Without a Content-Length, a chunked body (which the server
    marks ``wsgi.input_terminated``) is read up to the cap; anything else has no body, as Werkzeug reads it."""
    length = environ.get("CONTENT_LENGTH") or ""
    if length.isascii() and length.isdigit():
        return None if int(length) > MAX_BODY_BYTES else environ["wsgi.input"].read(int(length))
    if not environ.get("wsgi.input_terminated"):
        return b""
    body = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
    return None if len(body) > MAX_BODY_BYTES else body
