"""Everything Amazon requires before a request to a web-service skill is trusted.

The checks are Amazon's list: the certificate-chain URL, the chain itself (trusted root, validity, the
``echo-api.amazon.com`` SAN), the ``Signature-256`` over the exact body bytes, the timestamp tolerance and the
application id. Every check that needs no network runs first (the headers, the URL rules, the envelope, the
timestamp, the application id), so a flood of unsigned or foreign requests never causes a download. The chain
and the signature are :mod:`skill.edge.signature`'s. Any failure raises :class:`Rejected`; the web layer turns that
into HTTP 400 and never invokes the skill. This module knows nothing of Flask so it can be tested, and reused,
on its own.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import posixpath
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from skill.foundations.times import parse_timestamp, utc_now

if TYPE_CHECKING:
    from skill.edge.signature import SignatureCheck

CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
NORMAL_TOLERANCE = dt.timedelta(seconds=150)
# Skill events may be delivered late, so Amazon allows them an hour.
SKILL_EVENT_TOLERANCE = dt.timedelta(hours=1)
SKILL_EVENTS = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)
Clock = Callable[[], dt.datetime]


class Rejected(Exception):
    """The request must not be trusted or cannot be read. ``reason`` is short and safe to log and return;
    ``detail``, if given, is for the log only."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


# ---------------------------------------------------------------------------------------------- envelope shape


def parse_envelope(body: bytes) -> dict:
    """The request body as a JSON object that at least looks like an Alexa request envelope."""
    if not body:
        raise Rejected("empty body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("body is not UTF-8") from None
    try:
        envelope = json.loads(text)
    except ValueError:
        raise Rejected("body is not JSON") from None
    except RecursionError:  # nesting deeper than the parser's stack: no envelope is shaped like that
        raise Rejected("body is nested too deeply") from None
    if not isinstance(envelope, dict):
        raise Rejected("body is not a JSON object")
    request = envelope.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("type"), str) or not request["type"]:
        raise Rejected("envelope has no request type")
    if not isinstance(request.get("requestId"), str):
        raise Rejected("envelope has no request id")
    return envelope


def application_id(envelope: Mapping) -> str | None:
    for path in (("context", "System", "application"), ("session", "application")):
        node: object = envelope
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping) and isinstance(node.get("applicationId"), str):
            return node["applicationId"]
    return None


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header by name in any case: asked as written first (the WSGI headers are case-insensitive already), then
    looked for in a plain mapping."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value or ""


# ---------------------------------------------------------------------------------------------- certificate URL


@functools.lru_cache(maxsize=64)  # Amazon names one URL for a long while: its rules are applied once
def check_cert_url(url: str) -> str:
    """Apply Amazon's URL rules after normalising ``..``; returns the normalised URL that may be fetched."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise Rejected("certificate URL is malformed") from None
    if parts.scheme.lower() != "https":
        raise Rejected("certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST:
        raise Rejected("certificate URL host is not s3.amazonaws.com")
    if port not in (None, 443):
        raise Rejected("certificate URL port is not 443")
    path = posixpath.normpath(parts.path or "/")
    if not path.startswith(CERT_URL_PATH_PREFIX):  # case-sensitive, as Amazon specifies
        raise Rejected("certificate URL path is not under /echo.api/")
    if parts.username or parts.password:
        raise Rejected("certificate URL carries credentials")
    return f"https://{CERT_URL_HOST}{path}"


# ---------------------------------------------------------------------------------------------- the verifier


class RequestVerifier:
    """Decides whether a POST to the skill endpoint may reach the skill.

    ``signatures`` (:class:`skill.edge.signature.SignatureCheck`) checks the chain and the signature; ``None`` skips
    them and the timestamp (local testing only), and is a choice every caller makes out loud. The envelope shape
    and the application id are always checked.
    """

    def __init__(self, *, signatures: SignatureCheck | None, skill_ids: Iterable[str] = (),
                 clock: Clock = utc_now) -> None:
        self.skill_ids = frozenset(skill_ids)
        self.signatures = signatures
        self._clock = clock

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict:
        """Return the parsed envelope if every check passes; raise :class:`Rejected` otherwise."""
        now = self._clock()
        # Everything that needs no network first: a request that fails any of these never causes a download.
        url, signature = self._signature_headers(headers) if self.signatures else ("", b"")
        envelope = parse_envelope(body)
        if self.signatures:
            self._check_timestamp(envelope["request"], now)
        self._check_application(envelope)
        if self.signatures:
            self.signatures.check(url, signature, body, now)
        return envelope

    @staticmethod
    def _signature_headers(headers: Mapping[str, str]) -> tuple[str, bytes]:
        """(the certificate URL that may be fetched, the signature) from the headers, or :class:`Rejected`."""
        url = _header(headers, "SignatureCertChainUrl")
        if not url:
            raise Rejected("missing SignatureCertChainUrl header")
        signature = _header(headers, "Signature-256")
        if not signature:
            raise Rejected("missing Signature-256 header")
        url = check_cert_url(url)
        try:
            return url, base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise Rejected("Signature-256 is not base64") from None

    @staticmethod
    def _check_timestamp(request: Mapping, now: dt.datetime) -> None:
        raw = request.get("timestamp")
        if not isinstance(raw, str):
            raise Rejected("request has no timestamp")
        try:
            stamp = parse_timestamp(raw)
        except ValueError:
            raise Rejected("request timestamp is not ISO 8601") from None
        tolerance = SKILL_EVENT_TOLERANCE if request.get("type") in SKILL_EVENTS else NORMAL_TOLERANCE
        if abs(now - stamp) > tolerance:
            raise Rejected("request timestamp is outside the allowed tolerance")

    def _check_application(self, envelope: Mapping) -> None:
        if self.skill_ids and application_id(envelope) not in self.skill_ids:
            raise Rejected("application id is not this skill's")
