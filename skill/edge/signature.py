"""Amazon's certificate chain and the ``Signature-256`` over the body: the checks of a request that need the
network and ``cryptography``. A download has one deadline for all of it, one download per URL runs at a time,
and a failed one is remembered briefly.

Kept apart from :mod:`skill.edge.verification` so that ``cryptography`` (10 MiB and 40 modules a worker) is loaded only
by a verifier that checks signatures, the one behind a real Alexa endpoint.
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509 import DNSName
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.edge.verification import Rejected
from skill.foundations.outbound import OutboundError, exchange
from skill.foundations.times import utc_now

SIGNING_CERT_SAN = "echo-api.amazon.com"
MAX_CHAIN_BYTES = 64 * 1024
FAILURE_MEMORY = dt.timedelta(seconds=30)  # how long a failed download is answered from memory

Fetch = Callable[[str], bytes]
Clock = Callable[[], dt.datetime]


def load_default_roots() -> list[x509.Certificate]:
    """The Mozilla root bundle shipped by certifi; never pinned intermediates, since Amazon changes them."""
    import certifi

    with open(certifi.where(), "rb") as handle, warnings.catch_warnings():
        # A few long-standing roots carry non-positive serial numbers; cryptography warns but loads them.
        warnings.simplefilter("ignore")
        return x509.load_pem_x509_certificates(handle.read())


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


# ---------------------------------------------------------------------------------------------- the signature

MAX_TRUSTED = 16


@dataclass(frozen=True)
class _Trusted:
    """A chain (the very tuple the download cache holds) whose path validated, and the window it stays valid in."""

    certs: tuple[x509.Certificate, ...]
    since: dt.datetime
    until: dt.datetime


class SignatureCheck:
    """The chain named by a request (cached) verified up to a trusted root for ``echo-api.amazon.com``, and its
    leaf's key verified against the signature of the exact body bytes."""

    def __init__(self, *, fetch: Fetch, roots: Iterable[x509.Certificate] | None = None, clock: Clock = utc_now,
                 cache: ChainCache | None = None) -> None:
        self._roots = list(roots) if roots is not None else None
        self._store_built: Store | None = None
        self._roots_lock = threading.Lock()
        self._cache = cache or ChainCache(fetch, clock)
        # Path validation is the costly check: its verdict on a downloaded chain holds while every certificate
        # of the path it built is valid, so it is made once per chain, not per request.
        self._trusted: dict[int, _Trusted] = {}

    def check(self, url: str, signature: bytes, body: bytes, now: dt.datetime) -> None:
        """Raise :class:`Rejected` unless the chain at ``url`` (already held to Amazon's URL rules) is trusted
        and its leaf signed ``body``."""
        leaf = self._verified_signing_cert(url, now)
        self._check_signature(leaf, signature, body)

    def _store(self) -> Store:
        with self._roots_lock:
            if self._store_built is None:
                self._store_built = Store(self._roots if self._roots is not None else load_default_roots())
            return self._store_built

    def _verified_signing_cert(self, url: str, now: dt.datetime) -> x509.Certificate:
        certs = self._cache.get(url)
        if not certs:
            raise Rejected("certificate chain is empty")
        trusted = self._trusted.get(id(certs))
        if trusted is not None and trusted.certs is certs and trusted.since <= now < trusted.until:
            return certs[0]
        verifier = (
            PolicyBuilder().store(self._store()).time(now).build_server_verifier(DNSName(SIGNING_CERT_SAN))
        )
        try:
            path = verifier.verify(certs[0], list(certs[1:]))
        except VerificationError as error:
            raise Rejected(f"certificate chain rejected: {error}") from None
        since = max(cert.not_valid_before_utc for cert in path)
        until = min(cert.not_valid_after_utc for cert in path)
        if len(self._trusted) >= MAX_TRUSTED:  # chains the download cache has let go of
            self._trusted.clear()
        self._trusted[id(certs)] = _Trusted(certs, since, until)
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
