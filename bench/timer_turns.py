"""Timer turns as a person meets them: the skill's answer waits on Amazon's Timers API, a network away.

The local Timers API serves over TLS (a throwaway certificate this process trusts) behind ``DelayProxy``, which
holds every chunk 25 ms each way. One worker (the app in this process, as a gunicorn worker runs it) takes five
turns in a row of each kind: a single ice timer (a listing and a create) and an alternating round (a listing and
three creates). Reported per turn: the latency of the whole turn and the TLS handshakes it made, for

- the skill (connections kept per host, ``skill.foundations.outbound``);
- the skill as it was before issue 27, a new connection and handshake per call (``POOL.MAX_IDLE_PER_HOST = 0``);
- the same calls through ask-sdk's ``DefaultApiClient`` (``requests``, a connection per call): the peer.

    python -m bench.timer_turns [--delay 0.025] [--turns 5]

Exits 1 unless, after the first turn, the skill makes no handshake (one per worker and host in all), and its
round turn takes at most half of the before-issue-27 figure and of the peer's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.delay_proxy import DelayProxy
from coach_tools.envelopes import API_TOKEN, envelope, intent_request, slot
from coach_tools.local_timers import LocalTimersApi
from coach_tools.tls import server_context, throwaway_certificate

ICE = slot("therapy", "ice pack", "ICE", "TherapyType")
TURNS = {"ice timer": intent_request("StartTimerIntent", ICE), "round": intent_request("AlternateIntent")}
CREATES = {"ice timer": 1, "round": 3}


def skill_turns(client, api: LocalTimersApi, endpoint: str, kind: str, turns: int) -> list[tuple[float, int]]:
    from skill.conversation.handlers import screen
    from skill.conversation.state import SESSION_VERSION

    screened = {"v": SESSION_VERSION, "checks": [screen.SCREENED, screen.MOVING_OK]}
    measured = []
    for _ in range(turns):
        api.timers.clear()  # each turn starts with no timers, as a fresh round would
        body = json.dumps(envelope(TURNS[kind], attributes=screened, api_endpoint=endpoint, consent=True))
        before, started = api.connections, time.perf_counter()
        answer = client.post("/alexa", data=body, content_type="application/json")
        elapsed = time.perf_counter() - started
        speech = answer.get_json()["response"]["outputSpeech"]["ssml"]
        if len(api.timers) != CREATES[kind]:
            raise SystemExit(f"the {kind} turn set {len(api.timers)} timers: {speech}")
        measured.append((elapsed, api.connections - before))
    return measured


def peer_turns(api: LocalTimersApi, endpoint: str, kind: str, turns: int) -> list[tuple[float, int]]:
    """The same calls, one after another, through ask-sdk's DefaultApiClient."""
    from ask_sdk_core.api_client import DefaultApiClient
    from ask_sdk_model.services import ApiClientRequest

    client = DefaultApiClient()
    auth = ("Authorization", f"Bearer {API_TOKEN}")
    announce = {"type": "ANNOUNCE", "textToAnnounce": [{"locale": "en-US", "text": "Time to take the ice off."}]}
    create = {"duration": "PT15M", "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
              "triggeringBehavior": {"operation": announce, "notificationConfig": {"playAudible": True}}}
    url = endpoint + "/v1/alerts/timers"
    measured = []
    for _ in range(turns):
        api.timers.clear()
        before, started = api.connections, time.perf_counter()
        client.invoke(ApiClientRequest(headers=[auth], method="GET", url=url))
        for phase in range(CREATES[kind]):
            answer = client.invoke(ApiClientRequest(headers=[auth, ("Content-type", "application/json")],
                                                    method="POST", url=url,
                                                    body={**create, "timerLabel": f"Spasm Coach: {phase}"}))
            if answer.status_code != 200:
                raise SystemExit(f"the peer's create answered {answer.status_code}: {answer.body}")
        measured.append((time.perf_counter() - started, api.connections - before))
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.025, help="seconds each chunk is held, each way")
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cert_file, key_file = throwaway_certificate(Path(scratch))
        server_tls = server_context(cert_file, key_file)
        # Trusted by this process only: the skill's client (ssl's default paths) and requests (the peer).
        os.environ["SSL_CERT_FILE"] = os.environ["REQUESTS_CA_BUNDLE"] = str(cert_file)
        from skill.edge.app import create_app
        from skill.foundations import outbound
        from skill.foundations.config import Settings

        app = create_app(Settings(verify=False, data_dir=Path(scratch) / "data", log_level="ERROR"))
        client = app.test_client()
        api = LocalTimersApi().start(tls=server_tls)
        api.grant(API_TOKEN)
        results: dict[tuple[str, str], list[tuple[float, int]]] = {}
        try:
            with DelayProxy(api._server.server_address[1], args.delay) as proxy:
                endpoint = f"https://127.0.0.1:{proxy.port}"
                for side, keep in (("Spasm Coach", 2), ("before issue 27", 0)):
                    outbound.POOL.clear()
                    outbound.POOL.MAX_IDLE_PER_HOST = keep
                    for kind in TURNS:
                        results[side, kind] = skill_turns(client, api, endpoint, kind, args.turns)
                outbound.POOL.MAX_IDLE_PER_HOST = 2
                for kind in TURNS:
                    results["ask-sdk DefaultApiClient", kind] = peer_turns(api, endpoint, kind, args.turns)
        finally:
            api.stop()
    return report(args, results)


def report(args: argparse.Namespace, results: dict) -> int:
    print(f"Timer turns over TLS, {args.delay * 1000:.0f} ms each way ({args.delay * 2000:.0f} ms round trip), "
          f"{args.turns} turns in a row of each kind on one worker\n")
    print("| client | turn | first turn | later turns, median | handshakes per turn |")
    print("|---|---|---|---|---|")
    later = {}
    for (side, kind), turns in results.items():
        later[side, kind] = statistics.median(elapsed for elapsed, _ in turns[1:])
        handshakes = ", ".join(str(count) for _, count in turns)
        print(f"| {side} | {kind} | {turns[0][0] * 1000:.0f} ms | {later[side, kind] * 1000:.0f} ms | {handshakes} |")
    ours = results["Spasm Coach", "ice timer"] + results["Spasm Coach", "round"]
    extra = sum(count for _, count in ours[1:])
    checks = {
        "no handshake after the first turn (one per worker and host)": extra == 0,
        "round: at most half of before issue 27": (
            later["Spasm Coach", "round"] <= 0.5 * later["before issue 27", "round"]),
        "round: at most half of the peer's": (
            later["Spasm Coach", "round"] <= 0.5 * later["ask-sdk DefaultApiClient", "round"]),
    }
    print()
    for name, ok in checks.items():
        print(f"{'met' if ok else 'MISSED'}: {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
