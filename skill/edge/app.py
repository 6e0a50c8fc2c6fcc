"""The web service: ``POST /alexa`` for Alexa, ``GET /healthz`` for whoever runs it, and the privacy policy and
terms of use the store listing links to (``GET /privacy``, ``GET /terms``), and ``GET /metrics`` when enabled."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from skill import __version__
from skill.alexa.assembly import Skill
from skill.alexa.startup_checks import checked_locales
from skill.bundled import policy_text
from skill.clients.persistence import SqlPersistenceAdapter, build_adapter
from skill.clients.sql_dialects import DatabaseLimits
from skill.content import Content
from skill.edge.alexa_endpoint import MAX_BODY_BYTES, PATH, answer_alexa
from skill.edge.verification import RequestVerifier
from skill.foundations import logs, metrics
from skill.foundations.config import Settings
from skill.speedups.wsgi_route import PostRoute, encode, error_json

if TYPE_CHECKING:
    from skill.edge.signature import SignatureCheck

log = logging.getLogger("skill.app")


@dataclass
class Service:
    """What the routes need, built once per process."""

    skill: Skill
    verifier: RequestVerifier
    persistence: SqlPersistenceAdapter


def create_app(
    settings: Settings | None = None,
    *,
    verifier: RequestVerifier | None = None,
    persistence: SqlPersistenceAdapter | None = None,
    contents: Mapping[str, Content] | None = None,
) -> Flask:
    """Build the Flask app. Tests pass settings, a verifier with their own trust store, a database, or content
    already loaded (each locale's, as ``load_locales`` returns it)."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)
    metrics.configure(settings.metrics_dir)
    # Bad content stops the start, with every problem named.
    contents = contents if contents is not None else checked_locales(settings.content_dir)
    persistence = persistence or build_adapter(
        settings.resolved_database_url, settings.user_key_secret, settings.data_dir, database_limits(settings))
    verifier = verifier or RequestVerifier(skill_ids=settings.skill_ids, signatures=signature_check(settings))
    if verifier.signatures is None:
        log.warning("SPASM_COACH_VERIFY is off: signatures and timestamps are not checked; never expose this")
    if not verifier.skill_ids:
        log.warning("SPASM_COACH_SKILL_ID is unset: requests for any skill id are accepted")
    service = Service(Skill(contents, persistence, settings.api_timeout), verifier, persistence)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.extensions["spasm_coach"] = service
    app.wsgi_app = PostRoute(  # type: ignore[method-assign]
        app.wsgi_app, PATH, partial(answer_alexa, service.skill, service.verifier), MAX_BODY_BYTES)

    @app.post(PATH)
    def alexa() -> Response:
        # PostRoute answers every POST here; this view is the same answer for the app without it.
        status, answer = answer_alexa(service.skill, service.verifier, request.headers, request.get_data(cache=False))
        return Response(encode(answer), status, mimetype="application/json")

    said = {"reason": None}  # why the last probe was 503, so each change is logged once, not every probe

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        # A load balancer takes a 503 as "send users elsewhere": a host that cannot save a step would lose it.
        reason = service.persistence.unwritable()
        if reason != said["reason"]:
            if reason:
                log.warning("health: 503, the database would not take a write: %s", reason)
            else:
                log.info("health: the database takes writes again")
            said["reason"] = reason
        writable = reason is None
        answer = {"status": "ok" if writable else "unavailable", "version": __version__, "database": writable}
        return jsonify(answer if writable else {**answer, "reason": reason}), 200 if writable else 503

    pages = policy_pages(settings.contact)

    @app.get("/privacy")
    def privacy() -> Response:
        return Response(pages["privacy-policy"], mimetype="text/plain")

    @app.get("/terms")
    def terms() -> Response:
        return Response(pages["terms-of-use"], mimetype="text/plain")

    if metrics.enabled():
        # For a scraper on the private network; the nginx site in deploy/ never passes it on.
        @app.get("/metrics")
        def prometheus() -> Response:
            body, content_type = metrics.exposition()
            return Response(body, content_type=content_type)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        return jsonify(error_json(error)), error.code

    return app


def policy_pages(contact: str) -> dict[str, str]:
    """The privacy policy and terms of use, naming whoever runs the service (``SPASM_COACH_CONTACT``)."""
    if not contact:
        log.warning("SPASM_COACH_CONTACT is unset: the privacy policy and terms name no one to contact")
    who = contact or "not given yet (the operator sets SPASM_COACH_CONTACT)"
    return {name: policy_text(name).replace("{contact}", who) for name in ("privacy-policy", "terms-of-use")}


def database_limits(settings: Settings) -> DatabaseLimits:
    return DatabaseLimits(lock_timeout=settings.db_lock_timeout, statement_timeout=settings.db_statement_timeout,
                          min_free_bytes=settings.min_free_mb * 1024 * 1024)


def signature_check(settings: Settings) -> SignatureCheck | None:
    if not settings.verify:
        return None
    # Only here: a server that checks no signatures never loads cryptography (10 MiB a worker).
    from skill.edge.signature import SignatureCheck, http_fetcher

    return SignatureCheck(fetch=http_fetcher(settings.cert_fetch_timeout))
