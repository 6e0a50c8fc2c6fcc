"""Everything Amazon requires before a request to a web-service skill is trusted.

The checks follow Amazon's list in order: the certificate-chain URL, the chain itself (trusted root, validity,
the ``echo-api.amazon.com`` SAN), the ``Signature-256`` over the exact body bytes, the timestamp tolerance and the
application id. Any failure raises :class:`Rejected`; the web layer turns that into HTTP 400 and never invokes
the skill. This module knows nothing of Flask so it can be tested, and reused, on its own.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import posixpath
import threading
import urllib.error
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509 import DNSName
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.times import parse_timestamp, utc_now

SIGNING_CERT_SAN = "echo-api.amazon.com"
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
MAX_CHAIN_BYTES = 64 * 1024

Fetch = Callable[[str], bytes]
Clock = Callable[[], dt.datetime]


class Rejected(Exception):
    """The request must not be trusted or cannot be read. ``reason`` is short and safe to log and return;
    ``detail``, if given, is for the log only."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def load_default_roots() -> list[x509.Certificate]:
    """The Mozilla root bundle shipped by certifi; never pinned intermediates, since Amazon changes them."""
    import certifi

    with open(certifi.where(), "rb") as handle, warnings.catch_warnings():
        # A few long-standing roots carry non-positive serial numbers; cryptography warns but loads them.
        warnings.simplefilter("ignore")
        return x509.load_pem_x509_certificates(handle.read())


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


# ---------------------------------------------------------------------------------------------- certificate URL


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


# ---------------------------------------------------------------------------------------------- chain download


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # The URL was validated; a redirect would fetch from somewhere that was not.
    def redirect_request(self, *args, **kwargs):
        return None


def http_fetcher(timeout: float) -> Fetch:
    """Download a PEM chain with a timeout and a size cap, following no redirects."""
    opener = urllib.request.build_opener(_NoRedirect)

    def fetch(url: str) -> bytes:
        try:
            with opener.open(url, timeout=timeout) as response:
                if response.status != 200:
                    raise Rejected(f"certificate download answered {response.status}")
                data = response.read(MAX_CHAIN_BYTES + 1)
        except Rejected:
            raise
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise Rejected(f"certificate download failed: {type(error).__name__}") from None
        if len(data) > MAX_CHAIN_BYTES:
            raise Rejected("certificate chain is too large")
        return data

    return fetch


@dataclass(frozen=True)
class _CachedChain:
    certs: tuple[x509.Certificate, ...]
    expires: dt.datetime


class ChainCache:
    """Parsed chains by URL, bounded in size, each kept no longer than its first certificate expiry."""

    def __init__(self, fetch: Fetch, clock: Clock = utc_now, max_entries: int = 8,
                 max_age: dt.timedelta = dt.timedelta(hours=24)) -> None:
        self._fetch = fetch
        self._clock = clock
        self._max_entries = max_entries
        self._max_age = max_age
        self._entries: OrderedDict[str, _CachedChain] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> tuple[x509.Certificate, ...]:
        now = self._clock()
        with self._lock:
            cached = self._entries.get(url)
            if cached and now < cached.expires:
                self._entries.move_to_end(url)
                return cached.certs
            self._entries.pop(url, None)
        data = self._fetch(url)
        if len(data) > MAX_CHAIN_BYTES:
            raise Rejected("certificate chain is too large")
        try:
            certs = tuple(x509.load_pem_x509_certificates(data))
        except ValueError:
            raise Rejected("certificate chain is not PEM") from None
        expires = min([now + self._max_age, *(c.not_valid_after_utc for c in certs)])
        with self._lock:
            self._entries[url] = _CachedChain(certs, expires)
            self._entries.move_to_end(url)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return certs


# ---------------------------------------------------------------------------------------------- the verifier


class RequestVerifier:
    """Decides whether a POST to the skill endpoint may reach the skill.

    ``check_signature`` off skips the certificate, signature and timestamp checks (local testing only); the
    envelope shape and the application id are always checked.
    """

    def __init__(
        self,
        *,
        skill_ids: Iterable[str] = (),
        check_signature: bool = True,
        roots: Iterable[x509.Certificate] | None = None,
        fetch: Fetch | None = None,
        fetch_timeout: float = 2.0,
        clock: Clock = utc_now,
        cache: ChainCache | None = None,
    ) -> None:
        self.skill_ids = frozenset(skill_ids)
        self.check_signature = check_signature
        self._roots = list(roots) if roots is not None else None
        self._roots_lock = threading.Lock()
        self._clock = clock
        self._cache = cache or ChainCache(fetch or http_fetcher(fetch_timeout), clock)

    def _store(self) -> Store:
        with self._roots_lock:
            if self._roots is None:
                self._roots = load_default_roots()
            return Store(self._roots)

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict:
        """Return the parsed envelope if every check passes; raise :class:`Rejected` otherwise."""
        now = self._clock()
        if self.check_signature:
            leaf = self._verified_signing_cert(headers, now)
            self._check_signature(leaf, headers, body)
        envelope = parse_envelope(body)
        if self.check_signature:
            self._check_timestamp(envelope["request"], now)
        self._check_application(envelope)
        return envelope

    def _verified_signing_cert(self, headers: Mapping[str, str], now: dt.datetime) -> x509.Certificate:
        lowered = {k.lower(): v for k, v in headers.items()}
        url = lowered.get("signaturecertchainurl", "")
        if not url:
            raise Rejected("missing SignatureCertChainUrl header")
        if not lowered.get("signature-256"):
            raise Rejected("missing Signature-256 header")
        certs = self._cache.get(check_cert_url(url))
        if not certs:
            raise Rejected("certificate chain is empty")
        verifier = (
            PolicyBuilder().store(self._store()).time(now).build_server_verifier(DNSName(SIGNING_CERT_SAN))
        )
        try:
            verifier.verify(certs[0], list(certs[1:]))
        except VerificationError as error:
            raise Rejected(f"certificate chain rejected: {error}") from None
        return certs[0]

    @staticmethod
    def _check_signature(leaf: x509.Certificate, headers: Mapping[str, str], body: bytes) -> None:
        encoded = next(v for k, v in headers.items() if k.lower() == "signature-256")
        try:
            signature = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise Rejected("Signature-256 is not base64") from None
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise Rejected("signing certificate key is not RSA")
        try:
            key.verify(signature, body, PKCS1v15(), SHA256())
        except InvalidSignature:
            raise Rejected("signature does not match the body") from None

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
