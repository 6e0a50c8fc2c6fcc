"""In-process latency per request type: Spasm Coach against a minimal ask-sdk hello-world, run the same way.

Both skills are served by a Flask app and called through Flask's test client with the same envelopes, so the
difference is what Spasm Coach does on top of ask-sdk: envelope checks, content rendering, state and SQLite.
Signature verification is off for both (it needs Amazon's certificate); see the README for its cost.

    python -m bench.latency [--rounds 300]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.mix import scenarios
from bench.references import hello_world_app
from coach_tools.envelopes import envelope
from skill.edge.app import create_app
from skill.foundations.config import Settings


def measure(client, body: bytes, rounds: int) -> list[float]:
    for _ in range(20):  # warm up caches and connections
        client.post("/alexa", data=body, content_type="application/json")
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.post("/alexa", data=body, content_type="application/json")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        import logging

        ours = create_app(Settings(verify=False, data_dir=Path(data), log_level="WARNING")).test_client()
        logging.getLogger("skill").setLevel(logging.WARNING)  # measure the work, not the terminal
        hello = hello_world_app().test_client()
        print(f"{'request type':<22}{'spasm coach ms':>16}{'hello world ms':>16}{'ratio':>8}   (median, p95)")
        for name, body in scenarios().items():
            raw = json.dumps(body).encode()
            a, b = measure(ours, raw, args.rounds), measure(hello, raw, args.rounds)
            ma, mb = statistics.median(a), statistics.median(b)
            pa, pb = statistics.quantiles(a, n=20)[18], statistics.quantiles(b, n=20)[18]
            print(f"{name:<22}{ma:>8.3f} /{pa:>6.3f}{mb:>8.3f} /{pb:>6.3f}{ma / mb:>8.2f}")
    print(f"{'signature check':<22}{verification_ms(args.rounds):>8.3f}   (chain + Signature-256, warm cache)")
    return 0


def verification_ms(rounds: int) -> float:
    """What SPASM_COACH_VERIFY=1 adds per request once the chain is cached: path validation and RSA verify."""
    import datetime as dt

    # The test suite's own CA stands in for Amazon's, whose private key nobody outside Amazon has.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_verification import CERT_URL, Amazon, Fetcher

    from skill.edge.signature import SignatureCheck
    from skill.edge.verification import RequestVerifier

    amazon = Amazon()
    signatures = SignatureCheck(roots=[amazon.root], fetch=Fetcher({CERT_URL: amazon.chain}))
    verifier = RequestVerifier(signatures=signatures)
    body = json.dumps(envelope({"type": "LaunchRequest"}, timestamp=dt.datetime.now(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"))).encode()
    headers = amazon.headers(body)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        verifier.verify(headers, body)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


if __name__ == "__main__":
    sys.exit(main())
