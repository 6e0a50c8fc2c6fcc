"""Everything Amazon requires before a request to a web-service skill is trusted.

The checks are Amazon's list: the certificate-chain URL, the chain itself (trusted root, validity, the
``echo-api.amazon.com`` SAN), the ``Signature-256`` over the exact body bytes, the timestamp tolerance and the
application id. Every check that needs no network runs first (the headers, the URL rules, the envelope, the
timestamp, the application id), so a flood of unsigned or foreign requests never causes a download; a download
has one deadline for all of it, one download per URL runs at a time, and a failed one is remembered briefly.
Any failure raises :class:`Rejected`; the web layer turns that into HTTP 400 and never invokes the skill. This
module knows nothing of Flask so it can be tested, and reused, on its own.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import posixpath
import threading
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

from skill.outbound import OutboundError, exchange
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
FAILURE_MEMORY = dt.timedelta(seconds=30)  # how long a failed download is answered from memory

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


def http_fetcher(timeout: float) -> Fetch:
    """Download a PEM chain within ``timeout`` seconds in all (a host sending a byte a second is cut off), with a
    size cap, following no redirects (the URL was checked; where a redirect points was not)."""

    def fetch(url: str) -> bytes:
        try:
            answer = exchange("GET", url, seconds=timeout, max_bytes=MAX_CHAIN_BYTES,
                              headers={"User-Agent": "spasm-coach"})
        except OutboundError as error:
            if error.reason == OutboundError.TOO_LARGE:
                raise Rejected("certificate chain is too large") from None
            reason = "certificate download took too long" if error.late else "certificate download failed"
            raise Rejected(f"{reason}: {error.reason}") from None
        if answer.status != 200:
            raise Rejected(f"certificate download answered {answer.status}")
        return answer.body

    return fetch


@dataclass(frozen=True)
class _CachedChain:
    certs: tuple[x509.Certificate, ...]
    expires: dt.datetime
    failure: Rejected | None = None  # a download that failed, answered from memory until it expires


class ChainCache:
    """Parsed chains by URL, bounded in size, each kept no longer than its first certificate expiry. One
    download per URL runs at a time (the others wait for its result), and a failed one is remembered for
    ``failure_memory``, so a flood naming one URL makes one download, not one per request."""

    def __init__(self, fetch: Fetch, clock: Clock = utc_now, max_entries: int = 8,
                 max_age: dt.timedelta = dt.timedelta(hours=24),
                 failure_memory: dt.timedelta = FAILURE_MEMORY) -> None:
        self._fetch = fetch
        self._clock = clock
        self._max_entries = max_entries
        self._max_age = max_age
        self._failure_memory = failure_memory
        self._entries: OrderedDict[str, _CachedChain] = OrderedDict()
        self._lock = threading.Lock()
        self._downloads: dict[str, threading.Lock] = {}  # one per URL being downloaded

    def get(self, url: str) -> tuple[x509.Certificate, ...]:
        cached = self._cached(url)
        if cached is None:
            with self._lock:
                download = self._downloads.setdefault(url, threading.Lock())
            with download:  # the first caller downloads; the others wait here, then find its result
                cached = self._cached(url) or self._download(url)
            with self._lock:
                self._downloads.pop(url, None)
        if cached.failure is not None:
            raise cached.failure
        return cached.certs

    def _cached(self, url: str) -> _CachedChain | None:
        with self._lock:
            cached = self._entries.get(url)
            if cached and self._clock() < cached.expires:
                self._entries.move_to_end(url)
                return cached
            self._entries.pop(url, None)
            return None

    def _download(self, url: str) -> _CachedChain:
        now = self._clock()
        try:
            certs = self._parsed(self._fetch(url))
            entry = _CachedChain(certs, min([now + self._max_age, *(c.not_valid_after_utc for c in certs)]))
        except Rejected as failure:
            entry = _CachedChain((), now + self._failure_memory, failure)
        with self._lock:
            self._entries[url] = entry
            self._entries.move_to_end(url)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return entry

    @staticmethod
    def _parsed(data: bytes) -> tuple[x509.Certificate, ...]:
        if len(data) > MAX_CHAIN_BYTES:
            raise Rejected("certificate chain is too large")
        try:
            return tuple(x509.load_pem_x509_certificates(data))
        except ValueError:
            raise Rejected("certificate chain is not PEM") from None


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
        # Everything that needs no network first: a request that fails any of these never causes a download.
        url, signature = self._signature_headers(headers) if self.check_signature else ("", b"")
        envelope = parse_envelope(body)
        if self.check_signature:
            self._check_timestamp(envelope["request"], now)
        self._check_application(envelope)
        if self.check_signature:
            leaf = self._verified_signing_cert(url, now)
            self._check_signature(leaf, signature, body)
        return envelope

    @staticmethod
    def _signature_headers(headers: Mapping[str, str]) -> tuple[str, bytes]:
        """(the certificate URL that may be fetched, the signature) from the headers, or :class:`Rejected`."""
        lowered = {k.lower(): v for k, v in headers.items()}
        url = lowered.get("signaturecertchainurl", "")
        if not url:
            raise Rejected("missing SignatureCertChainUrl header")
        if not lowered.get("signature-256"):
            raise Rejected("missing Signature-256 header")
        url = check_cert_url(url)
        try:
            return url, base64.b64decode(lowered["signature-256"], validate=True)
        except (binascii.Error, ValueError):
            raise Rejected("Signature-256 is not base64") from None

    def _verified_signing_cert(self, url: str, now: dt.datetime) -> x509.Certificate:
        certs = self._cache.get(url)
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
    def _check_signature(leaf: x509.Certificate, signature: bytes, body: bytes) -> None:
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
