"""Signed requests for the production-mode bench: a test CA standing in for Amazon's, a signing certificate for
``echo-api.amazon.com``, and Alexa's headers over each body. ``app`` is the product as ``spasm-coach serve``
builds it with signature checks on, trusting only this CA, its chain served from memory (no one here can reach
Amazon): gunicorn loads it as ``bench.signing:app`` with ``BENCH_SIGNING_DIR`` naming the folder ``write_pki``
filled."""

from __future__ import annotations

import base64
import datetime as dt
import os
import uuid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-bench.pem"


def _certificate(subject: str, issuer: x509.Name | None, key, issuer_key, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=not ca, key_cert_sign=ca,
                                            crl_sign=ca, content_commitment=False, data_encipherment=False,
                                            key_agreement=False, encipher_only=False, decipher_only=False),
                              critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer is not None:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                                        critical=False)
    if not ca:
        builder = (builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


def write_pki(folder: Path) -> rsa.RSAPrivateKey:
    """A root, an intermediate and a 2048-bit RSA signing certificate, as Amazon's chain has; returns its key."""
    root_key, middle_key, leaf_key = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                                      for _ in range(3))
    root = _certificate("Bench Root CA", None, root_key, root_key, ca=True)
    middle = _certificate("Bench Server CA", root.subject, middle_key, root_key, ca=True)
    leaf = _certificate("echo-api.amazon.com", middle.subject, leaf_key, middle_key, ca=False)
    pem = serialization.Encoding.PEM
    (folder / "root.pem").write_bytes(root.public_bytes(pem))
    (folder / "chain.pem").write_bytes(leaf.public_bytes(pem) + middle.public_bytes(pem))
    return leaf_key


def signed(body_of, key: rsa.RSAPrivateKey, count: int) -> list[tuple[bytes, str]]:
    """``count`` (body, Signature-256) pairs, each body from ``body_of(request_id, timestamp)``: a new request id
    every time (a replay is refused) and the time now."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    pairs = []
    for _ in range(count):
        body = body_of(f"amzn1.echo-api.request.{uuid.uuid4()}", stamp)
        pairs.append((body, base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()))
    return pairs


def _app():
    from skill.edge.app import create_app
    from skill.edge.signature import SignatureCheck
    from skill.edge.verification import RequestVerifier
    from skill.foundations.config import Settings

    folder = Path(os.environ["BENCH_SIGNING_DIR"])
    chain = (folder / "chain.pem").read_bytes()
    roots = x509.load_pem_x509_certificates((folder / "root.pem").read_bytes())
    settings = Settings.from_env()
    signatures = SignatureCheck(fetch=lambda url: chain, roots=roots)
    return create_app(settings, verifier=RequestVerifier(signatures=signatures, skill_ids=settings.skill_ids))


app = _app() if "BENCH_SIGNING_DIR" in os.environ else None
