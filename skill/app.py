"""The web service: ``POST /alexa`` for Alexa, ``GET /healthz`` for whoever runs it."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from skill import __version__, logs
from skill.assembly import build_skill
from skill.config import Settings
from skill.content import Content, load_content
from skill.envelope import SPOKEN_REQUEST_TYPES, clean_slots, is_known_type
from skill.persistence import SqlPersistenceAdapter, build_adapter
from skill.speech import Speaker
from skill.verification import Rejected, RequestVerifier

MAX_BODY_BYTES = 256 * 1024
EMPTY_RESPONSE = {"version": "1.0", "response": {}}

log = logging.getLogger("skill.app")
request_log = logging.getLogger("skill.requests")


@dataclass
class Service:
    """What the routes need, built once per process."""

    skill: CustomSkill
    verifier: RequestVerifier
    persistence: SqlPersistenceAdapter
    content: Content


def create_app(
    settings: Settings | None = None,
    *,
    verifier: RequestVerifier | None = None,
    persistence: SqlPersistenceAdapter | None = None,
) -> Flask:
    """Build the Flask app. Tests pass settings, a verifier with their own trust store, or a database."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)
    content = load_content(settings.content_dir)  # bad content stops the start, with every problem named
    persistence = persistence or build_adapter(
        settings.resolved_database_url, settings.user_key_secret, settings.data_dir)
    verifier = verifier or RequestVerifier(
        skill_ids=settings.skill_ids, check_signature=settings.verify, fetch_timeout=settings.cert_fetch_timeout)
    if not verifier.check_signature:
        log.warning("SPASM_COACH_VERIFY is off: signatures and timestamps are not checked; never expose this")
    if not verifier.skill_ids:
        log.warning("SPASM_COACH_SKILL_ID is unset: requests for any skill id are accepted")
    service = Service(build_skill(content, persistence, settings.api_timeout), verifier, persistence, content)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.extensions["spasm_coach"] = service

    @app.post("/alexa")
    def alexa() -> tuple[Response, int]:
        return handle_alexa(service)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", version=__version__, database=service.persistence.ping())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        return jsonify(error=error.name, reason=error.description), error.code

    return app


def handle_alexa(service: Service) -> tuple[Response, int]:
    started = time.perf_counter()
    fields: dict = {"request_id": None, "request_type": None, "intent": None}

    def done(outcome: str, body: dict, status: int) -> tuple[Response, int]:
        request_log.info("request", extra={**fields, "outcome": outcome, "status": status,
                                           "ms": round((time.perf_counter() - started) * 1000, 2)})
        return jsonify(body), status

    body = request.get_data(cache=False)  # the exact bytes, for the signature; 413 past MAX_CONTENT_LENGTH
    try:
        envelope = service.verifier.verify(request.headers, body)
    except Rejected as rejected:
        fields["reason"] = rejected.reason
        return done("rejected", {"error": "bad request", "reason": rejected.reason}, 400)

    alexa_request = envelope["request"]
    intent = alexa_request.get("intent")
    fields.update(request_id=alexa_request["requestId"], request_type=alexa_request["type"],
                  intent=intent.get("name") if isinstance(intent, dict) else None)
    if not is_known_type(envelope):
        return done("unsupported", EMPTY_RESPONSE, 200)
    try:
        request_envelope = service.skill.serializer.deserialize(json.dumps(clean_slots(envelope)), RequestEnvelope)
    except SerializationException as error:
        fields["reason"] = str(error)[:200]
        return done("rejected", {"error": "bad request", "reason": "malformed Alexa envelope"}, 400)

    try:
        response = service.skill.invoke(request_envelope=request_envelope, context=None)
        return done("answered", service.skill.serializer.serialize(response), 200)
    except Exception:
        # The exception handler answers what handlers raise; this is for failures around them.
        log.exception("skill invocation failed", extra={"request_id": fields["request_id"]})
        return done("error", apology(service, envelope), 200)


def apology(service: Service, envelope: dict) -> dict:
    """Sorry, and try again; the session's attributes go back unchanged so nothing is lost."""
    alexa_request = envelope["request"]
    if alexa_request["type"] not in SPOKEN_REQUEST_TYPES:
        return EMPTY_RESPONSE
    line = Speaker(service.content, alexa_request["requestId"])("error.apology")
    session = envelope.get("session") if isinstance(envelope.get("session"), dict) else {}
    attributes = session.get("attributes") if isinstance(session.get("attributes"), dict) else {}
    return {"version": "1.0", "sessionAttributes": attributes, "response": {
        "outputSpeech": {"type": "SSML", "ssml": line.speech.ssml()},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": line.reprompt.ssml()}},
        "shouldEndSession": False,
    }}
