"""Amazon's request checks, each rejection path and the happy path, with our own CA standing in for Amazon's."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import pytest
from conftest import SKILL_ID, envelope
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.clients.persistence import SqlPersistenceAdapter
from skill.edge.app import create_app
from skill.edge.signature import MAX_CHAIN_BYTES, ChainCache, SignatureCheck, http_fetcher
from skill.edge.verification import Rejected, RequestVerifier

NOW = dt.datetime(2026, 11, 21, 12, 0, 0, tzinfo=dt.UTC)
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-99.pem"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca(common_name: str, issuer=None, issuer_key=None, not_after=None):
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer.subject if issuer else _name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=365))
        .not_valid_after(not_after or NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256()), key


def _leaf(issuer, issuer_key, *, san="echo-api.amazon.com", not_before=None, not_after=None):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(san))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - dt.timedelta(days=30))
        .not_valid_after(not_after or NOW + dt.timedelta(days=60))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
    return cert, key


def _pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


class Amazon:
    """A stand-in for Amazon's PKI: a root, an intermediate and a signing certificate, and a signer."""

    def __init__(self) -> None:
        self.root, self.root_key = _ca("Test Root CA")
        self.intermediate, self.intermediate_key = _ca("Test Server CA", self.root, self.root_key)
        self.leaf, self.leaf_key = _leaf(self.intermediate, self.intermediate_key)
        self.chain = _pem(self.leaf, self.intermediate)

    def sign(self, body: bytes, key=None) -> str:
        signature = (key or self.leaf_key).sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    def headers(self, body: bytes, url: str = CERT_URL) -> dict:
        return {"SignatureCertChainUrl": url, "Signature-256": self.sign(body)}


@pytest.fixture(scope="module")
def amazon() -> Amazon:
    return Amazon()


class Fetcher:
    def __init__(self, responses: dict[str, bytes]) -> None:
        self.responses = responses
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if url not in self.responses:
            raise Rejected("certificate download failed: HTTPError")
        return self.responses[url]


def make_verifier(amazon, chain=None, now=NOW, skill_ids=(SKILL_ID,), roots=None):
    fetcher = Fetcher({CERT_URL: amazon.chain if chain is None else chain})
    signatures = SignatureCheck(roots=roots or [amazon.root], fetch=fetcher, clock=lambda: now)
    verifier = RequestVerifier(skill_ids=skill_ids, signatures=signatures, clock=lambda: now)
    return verifier, fetcher


def body_at(when: dt.datetime, request_type: str = "LaunchRequest", application_id: str = SKILL_ID) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(envelope({"type": request_type}, timestamp=stamp, application_id=application_id)).encode()


def test_a_genuine_request_is_accepted(amazon):
    verifier, fetcher = make_verifier(amazon)
    body = body_at(NOW)
    parsed = verifier.verify(amazon.headers(body), body)
    assert parsed["request"]["type"] == "LaunchRequest"
    assert fetcher.calls == [CERT_URL]


def test_header_names_are_case_insensitive(amazon):
    verifier, _ = make_verifier(amazon)
    body = body_at(NOW)
    headers = {k.lower(): v for k, v in amazon.headers(body).items()}
    assert verifier.verify(headers, body)["request"]["type"] == "LaunchRequest"
    upper = {k.upper(): v for k, v in amazon.headers(body).items()}
    assert verifier.verify(upper, body)["request"]["type"] == "LaunchRequest"


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_missing_headers_are_rejected(amazon, missing):
    verifier, fetcher = make_verifier(amazon)
    body = body_at(NOW)
    headers = amazon.headers(body)
    del headers[missing]
    with pytest.raises(Rejected, match=f"missing {missing}"):
        verifier.verify(headers, body)
    assert fetcher.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
        "https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/cert.pem",
        "",
    ],
)
def test_certificate_urls_outside_amazons_rules_are_rejected_before_any_download(amazon, url):
    verifier, fetcher = make_verifier(amazon)
    body = body_at(NOW)
    with pytest.raises(Rejected):
        verifier.verify(amazon.headers(body, url), body)
    assert fetcher.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert-99.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-99.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-99.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-99.pem",
    ],
)
def test_valid_url_forms_are_normalised_before_download(amazon, url):
    verifier, fetcher = make_verifier(amazon)
    body = body_at(NOW)
    verifier.verify(amazon.headers(body, url), body)
    assert fetcher.calls == [CERT_URL]


def test_a_chain_from_an_untrusted_root_is_rejected(amazon):
    stranger = Amazon()
    verifier, _ = make_verifier(amazon, chain=stranger.chain)
    body = body_at(NOW)
    with pytest.raises(Rejected, match="certificate chain rejected"):
        verifier.verify({"SignatureCertChainUrl": CERT_URL, "Signature-256": stranger.sign(body)}, body)


def test_a_chain_missing_its_intermediate_is_rejected(amazon):
    verifier, _ = make_verifier(amazon, chain=_pem(amazon.leaf))
    body = body_at(NOW)
    with pytest.raises(Rejected, match="certificate chain rejected"):
        verifier.verify(amazon.headers(body), body)


@pytest.mark.parametrize("days", [61, -31])
def test_a_signing_certificate_outside_its_validity_is_rejected(amazon, days):
    when = NOW + dt.timedelta(days=days)
    verifier, _ = make_verifier(amazon, now=when)
    body = body_at(when)
    with pytest.raises(Rejected, match="certificate chain rejected"):
        verifier.verify(amazon.headers(body), body)


def test_a_signing_certificate_for_another_name_is_rejected(amazon):
    leaf, key = _leaf(amazon.intermediate, amazon.intermediate_key, san="evil.example.com")
    verifier, _ = make_verifier(amazon, chain=_pem(leaf, amazon.intermediate))
    body = body_at(NOW)
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": amazon.sign(body, key)}
    with pytest.raises(Rejected, match="subjectAltName"):
        verifier.verify(headers, body)


def test_a_tampered_body_is_rejected(amazon):
    verifier, _ = make_verifier(amazon)
    body = body_at(NOW)
    headers = amazon.headers(body)
    with pytest.raises(Rejected, match="signature does not match"):
        verifier.verify(headers, body.replace(b"LaunchRequest", b"IntentRequest"))


def test_a_signature_by_another_key_is_rejected(amazon):
    verifier, _ = make_verifier(amazon)
    body = body_at(NOW)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Rejected, match="signature does not match"):
        verifier.verify({"SignatureCertChainUrl": CERT_URL, "Signature-256": amazon.sign(body, other)}, body)


def test_a_signature_that_is_not_base64_is_rejected(amazon):
    verifier, _ = make_verifier(amazon)
    body = body_at(NOW)
    with pytest.raises(Rejected, match="not base64"):
        verifier.verify({"SignatureCertChainUrl": CERT_URL, "Signature-256": "%%% not base64 %%%"}, body)


@pytest.mark.parametrize(
    ("offset", "request_type", "accepted"),
    [
        (149, "LaunchRequest", True),
        (151, "LaunchRequest", False),
        (-151, "LaunchRequest", False),  # from the future
        (30 * 60, "AlexaSkillEvent.SkillDisabled", True),
        (61 * 60, "AlexaSkillEvent.SkillDisabled", False),
        (30 * 60, "IntentRequest", False),
    ],
)
def test_timestamp_tolerance(amazon, offset, request_type, accepted):
    verifier, _ = make_verifier(amazon)
    body = body_at(NOW - dt.timedelta(seconds=offset), request_type)
    if accepted:
        verifier.verify(amazon.headers(body), body)
    else:
        with pytest.raises(Rejected, match="timestamp"):
            verifier.verify(amazon.headers(body), body)


def test_another_skills_request_is_rejected(amazon):
    verifier, _ = make_verifier(amazon, skill_ids=(SKILL_ID, "amzn1.ask.skill.second"))
    body = body_at(NOW, application_id="amzn1.ask.skill.someone-else")
    with pytest.raises(Rejected, match="application id"):
        verifier.verify(amazon.headers(body), body)
    second = body_at(NOW, application_id="amzn1.ask.skill.second")
    verifier.verify(amazon.headers(second), second)


@pytest.mark.parametrize(
    ("chain", "match"),
    [(b"not a certificate", "not PEM"), (b"x" * (MAX_CHAIN_BYTES + 1), "too large"), (None, "download failed")],
)
def test_bad_downloads_are_rejected(amazon, chain, match):
    fetcher = Fetcher({} if chain is None else {CERT_URL: chain})
    signatures = SignatureCheck(roots=[amazon.root], fetch=fetcher, clock=lambda: NOW)
    verifier = RequestVerifier(skill_ids=(SKILL_ID,), signatures=signatures, clock=lambda: NOW)
    body = body_at(NOW)
    with pytest.raises(Rejected, match=match):
        verifier.verify(amazon.headers(body), body)


def test_the_chain_cache_reuses_until_expiry_and_stays_bounded(amazon):
    now = [NOW]
    other_urls = [f"https://s3.amazonaws.com/echo.api/other-{i}.pem" for i in range(3)]
    fetcher = Fetcher({CERT_URL: amazon.chain, **{u: amazon.chain for u in other_urls}})
    cache = ChainCache(fetcher, clock=lambda: now[0], max_entries=2)
    cache.get(CERT_URL)
    cache.get(CERT_URL)
    assert fetcher.calls == [CERT_URL]
    now[0] = NOW + dt.timedelta(hours=25)  # past the cache's own maximum age
    cache.get(CERT_URL)
    assert fetcher.calls == [CERT_URL, CERT_URL]
    for url in other_urls:
        cache.get(url)
    cache.get(CERT_URL)  # evicted by the three newer entries
    assert fetcher.calls.count(CERT_URL) == 3


def test_the_cache_never_outlives_the_chain(amazon):
    leaf, _ = _leaf(amazon.intermediate, amazon.intermediate_key, not_after=NOW + dt.timedelta(hours=2))
    now = [NOW]
    fetcher = Fetcher({CERT_URL: _pem(leaf, amazon.intermediate)})
    cache = ChainCache(fetcher, clock=lambda: now[0])
    cache.get(CERT_URL)
    now[0] = NOW + dt.timedelta(hours=3)
    cache.get(CERT_URL)
    assert len(fetcher.calls) == 2


def test_a_chain_is_validated_once_and_each_request_pays_only_for_its_signature(amazon, monkeypatch):
    from skill.edge import signature

    built = []
    real = signature.PolicyBuilder
    monkeypatch.setattr(signature, "PolicyBuilder", lambda: built.append(1) or real())
    now = [NOW]
    verifier, fetcher = make_verifier(amazon, now=NOW)
    verifier._clock = verifier.signatures._cache._clock = lambda: now[0]
    for minutes in range(5):
        now[0] = NOW + dt.timedelta(minutes=minutes)
        body = body_at(now[0])
        verifier.verify(amazon.headers(body), body)
    assert len(built) == 1 and fetcher.calls == [CERT_URL]
    body = body_at(now[0])
    with pytest.raises(Rejected, match="signature does not match"):  # the signature is still checked every time
        verifier.verify({**amazon.headers(body), "Signature-256": amazon.sign(body + b" ")}, body)


def test_a_validated_chain_is_trusted_no_longer_than_its_root(amazon):
    """The root is not in the download, so only the validated path knows when it ends."""
    root, root_key = _ca("Short Root", not_after=NOW + dt.timedelta(hours=1))
    intermediate, intermediate_key = _ca("Short Server CA", root, root_key)
    leaf, leaf_key = _leaf(intermediate, intermediate_key)
    now = [NOW]
    fetcher = Fetcher({CERT_URL: _pem(leaf, intermediate)})
    signatures = SignatureCheck(roots=[root], fetch=fetcher, clock=lambda: now[0])
    verifier = RequestVerifier(skill_ids=(SKILL_ID,), signatures=signatures, clock=lambda: now[0])

    def signed(when):
        body = body_at(when)
        signature = leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return {"SignatureCertChainUrl": CERT_URL, "Signature-256": base64.b64encode(signature).decode()}, body

    verifier.verify(*signed(NOW))
    now[0] = NOW + dt.timedelta(hours=2)
    with pytest.raises(Rejected, match="certificate chain rejected"):
        verifier.verify(*signed(now[0]))
    assert fetcher.calls == [CERT_URL]  # the download is still fresh: the verdict, not the chain, ran out


# ---------------------------------------------------------------------------------------------- the real fetcher


class _ChainServer(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        action = self.routes.get(self.path)
        if action == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere.pem")
            self.end_headers()
        elif action == "stall":
            self.server.release.wait(5)
        elif action == "trickle":  # a valid status line, then a header a byte at a time, for ever
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.server.release.wait(0.05):
                self.wfile.write(b"a")
                self.wfile.flush()
        elif action == "garbage":
            self.wfile.write(b"HTTP/1.1 OK-ish\r\n\r\n")
        elif isinstance(action, bytes):
            self.send_response(200)
            self.send_header("Content-Length", str(len(action)))
            self.end_headers()
            self.wfile.write(action)
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def chain_server(amazon):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ChainServer)
    server.release = threading.Event()
    _ChainServer.routes = {"/chain.pem": amazon.chain, "/redirect.pem": "redirect", "/stall.pem": "stall",
                           "/huge.pem": b"x" * (MAX_CHAIN_BYTES + 10), "/trickle.pem": "trickle",
                           "/garbage.pem": "garbage"}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.release.set()
    server.shutdown()
    server.server_close()


def test_the_http_fetcher_downloads_a_chain(chain_server, amazon):
    assert http_fetcher(2.0)(chain_server + "/chain.pem") == amazon.chain


@pytest.mark.parametrize(("path", "match"), [("/redirect.pem", "answered 302"), ("/stall.pem", "took too long"),
                                             ("/trickle.pem", "took too long"), ("/huge.pem", "too large"),
                                             ("/garbage.pem", "download failed: BadStatusLine"),
                                             ("/missing.pem", "answered 404")])
def test_the_http_fetcher_refuses_redirects_stalls_and_oversize(chain_server, path, match):
    with pytest.raises(Rejected, match=match):
        http_fetcher(0.3)(chain_server + path)


# ------------------------------------------------------------------------------------ through the web service


@pytest.fixture
def verified_client(amazon, settings):
    verifier, _ = make_verifier(amazon, now=dt.datetime.now(dt.UTC))
    return create_app(settings, verifier=verifier).test_client()


def test_a_signed_launch_is_answered(verified_client, amazon):
    body = json.dumps(envelope({"type": "LaunchRequest"}, new=True)).encode()
    response = verified_client.post("/alexa", data=body, headers=amazon.headers(body))
    assert response.status_code == 200
    assert "Welcome to Spasm Coach" in response.get_json()["response"]["outputSpeech"]["ssml"]


def test_a_forged_request_is_a_400_and_never_reaches_the_skill(verified_client, amazon, app):
    body = json.dumps(envelope({"type": "LaunchRequest"}, new=True)).encode()
    headers = amazon.headers(body)
    forged = body.replace(b'"en-US"', b'"en-GB"')  # same user, so a skill run would show below
    response = verified_client.post("/alexa", data=forged, headers=headers)
    assert response.status_code == 400
    assert response.get_json() == {"error": "bad request", "reason": "signature does not match the body"}
    # Had the skill run, a first launch would have stored that the notice was heard.
    genuine = verified_client.post("/alexa", data=body, headers=headers)
    assert "Welcome to Spasm Coach" in genuine.get_json()["response"]["outputSpeech"]["ssml"]


def test_an_unsigned_request_is_a_400(verified_client):
    body = json.dumps(envelope({"type": "LaunchRequest"}))
    response = verified_client.post("/alexa", data=body)
    assert response.status_code == 400
    assert response.get_json()["reason"] == "missing SignatureCertChainUrl header"


def test_a_failed_download_is_remembered_so_a_flood_makes_one(amazon):
    fetcher = Fetcher({})
    cache = ChainCache(fetcher, clock=lambda: NOW)
    for _ in range(5):
        with pytest.raises(Rejected, match="download failed"):
            cache.get(CERT_URL)
    assert fetcher.calls == [CERT_URL]


def test_one_download_per_url_at_a_time(amazon):
    release, started = threading.Event(), threading.Event()

    def slow(url: str) -> bytes:
        calls.append(url)
        started.set()
        release.wait(5)
        return amazon.chain

    calls: list[str] = []
    cache = ChainCache(slow, clock=lambda: NOW)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(CERT_URL))) for _ in range(4)]
    threads[0].start()
    started.wait(5)
    for thread in threads[1:]:
        thread.start()
    while len(cache._downloads) and sum(1 for t in threads if t.is_alive()) < 4:  # all four are in
        threading.Event().wait(0.01)
    release.set()
    for thread in threads:
        thread.join(5)
    assert calls == [CERT_URL] and len(results) == 4 and len({id(r) for r in results}) == 1


@pytest.mark.parametrize("fault", ["no signature", "stale", "another skill", "not json"])
def test_cheap_checks_run_before_any_download(amazon, fault):
    verifier, fetcher = make_verifier(amazon)
    when = NOW - dt.timedelta(hours=1) if fault == "stale" else NOW
    body = body_at(when, application_id="amzn1.ask.skill.other" if fault == "another skill" else SKILL_ID)
    headers = amazon.headers(body)
    if fault == "no signature":
        headers = {k: v for k, v in headers.items() if k.lower() != "signature-256"}
    with pytest.raises(Rejected):
        verifier.verify(headers, b"{" if fault == "not json" else body)
    assert fetcher.calls == []


def test_a_replayed_signed_request_is_refused_even_on_another_host(amazon, settings, tmp_path, contents):
    """A signed "next" sent again within the timestamp window would move a user's place back or on: it is answered
    once. Two hosts sharing the database (two apps here) refuse it alike."""
    verifier, _ = make_verifier(amazon, now=dt.datetime.now(dt.UTC))
    shared = SqlPersistenceAdapter(f"sqlite:///{tmp_path / 'shared.sqlite3'}", b"secret")
    hosts = [create_app(settings, verifier=verifier, persistence=shared, contents=contents).test_client()
             for _ in range(2)]
    body = json.dumps(envelope({"type": "LaunchRequest"}, new=True, unique_ids=True)).encode()
    first = hosts[0].post("/alexa", data=body, headers=amazon.headers(body))
    assert first.status_code == 200
    for host in hosts:
        again = host.post("/alexa", data=body, headers=amazon.headers(body))
        assert again.status_code == 400 and again.get_json()["reason"] == "request already answered"
    other = json.dumps(envelope({"type": "LaunchRequest"}, new=True, unique_ids=True)).encode()
    assert hosts[1].post("/alexa", data=other, headers=amazon.headers(other)).status_code == 200
    shared.close()


# Amazon's own signing chain of 2019-2020 (echo-api-cert-7.pem, as published in ask-sdk's test data): the path
# validation is checked against the real thing, with the Mozilla roots a server uses, not only against our stand-in.
REAL_CHAIN = (Path(__file__).parent / "data" / "amazon-echo-api-cert-7.pem").read_bytes()
REAL_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-7.pem"


@pytest.mark.parametrize(("when", "reason"), [
    # Inside its validity the chain is trusted, so what fails is only the signature we cannot make with its key.
    (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "signature does not match the body"),
    (dt.datetime(2020, 5, 16, tzinfo=dt.UTC), "certificate chain rejected"),
    (dt.datetime(2019, 5, 21, tzinfo=dt.UTC), "certificate chain rejected"),
])
def test_amazons_real_signing_chain_is_trusted_only_inside_its_validity(when, reason):
    signatures = SignatureCheck(fetch=Fetcher({REAL_URL: REAL_CHAIN}), clock=lambda: when)
    verifier = RequestVerifier(skill_ids=(SKILL_ID,), signatures=signatures, clock=lambda: when)
    body = body_at(when)
    headers = {"SignatureCertChainUrl": REAL_URL, "Signature-256": base64.b64encode(b"\1" * 256).decode()}
    with pytest.raises(Rejected, match=reason):
        verifier.verify(headers, body)
