"""A local stand-in for the Alexa Timers API on 127.0.0.1, for the tests and the conversation simulator.

It honours the documented contract (alexa-timers-api in docs/sources.md): create, list, get, delete one or all,
pause and resume; ISO 8601 durations up to two hours; at most ten timers; unique labels; 401 for a token without
the timers permission; 404 for an unknown id; 400 for an invalid state change. Faults and delays can be queued, time can
run faster, and a timer that goes off is recorded with what the speaker would announce.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from skill.foundations.alexa_platform import MAX_LABEL, MAX_TIMER, MAX_TIMERS, TIMERS_PATH
from skill.foundations.times import iso_duration, parse_duration


@dataclass
class _Timer:
    id: str
    label: str
    duration: dt.timedelta
    trigger: dt.datetime
    created: dt.datetime
    updated: dt.datetime
    announce: list
    status: str = "ON"
    remaining_when_paused: dt.timedelta | None = None

    def to_json(self, to_wall_clock: Callable[[dt.datetime], dt.datetime]) -> dict:
        data = {"id": self.id, "status": self.status, "duration": iso_duration(self.duration),
                "timerLabel": self.label, "createdTime": _iso(self.created), "updatedTime": _iso(self.updated)}
        if self.status == "PAUSED":
            data["remainingTimeWhenPaused"] = iso_duration(self.remaining_when_paused)
        else:
            data["triggerTime"] = _iso(to_wall_clock(self.trigger))
        return data


def _iso(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class Fired:
    label: str
    text: str
    locale: str


@dataclass
class Fault:
    """Queued for the next matching request: answer ``status`` (with ``code``), wait ``delay`` seconds first,
    ``drop`` the connection without answering, ``reset`` it (TCP RST), answer ``body`` as it is (with ``status``,
    200 if unset), ``trickle`` the answer a byte every tenth of a second, or do what was asked and wait ``after``
    seconds before answering (a timer set whose answer comes too late); ``headers`` go with the answer; ``close``
    the connection after the answer, as a server does with keep-alive connections it has held long enough."""

    status: int | None = None
    code: str = "FAULT"
    delay: float = 0.0
    drop: bool = False
    method: str | None = None
    reset: bool = False
    body: dict | None = None
    trickle: bool = False
    after: float = 0.0
    headers: dict[str, str] | None = None  # sent with the answer ("Retry-After" with a 429)
    close: bool = False  # close the connection after answering, saying nothing: as a server ends an idle one


class _Trickle(Exception):
    """Answer ``payload`` a byte at a time."""

    def __init__(self, payload: dict | None) -> None:
        super().__init__("trickle")
        self.payload = payload


@dataclass
class LocalTimersApi:
    time_scale: float = 1.0
    on_fire: Callable[[Fired], None] | None = None
    granted_tokens: set[str] = field(default_factory=set)
    timers: dict[str, _Timer] = field(default_factory=dict)
    fired: list[Fired] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    requests: list[tuple[str, str, dict | None]] = field(default_factory=list)
    connections: int = 0  # connections accepted: each one a TCP set-up, and with TLS a handshake

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._started_real = time.monotonic()
        self._started_virtual = dt.datetime.now(dt.UTC)
        self._stop = threading.Event()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._scheme = "http"

    # -- time: virtual time runs time_scale times faster than real time
    def now(self) -> dt.datetime:
        elapsed = (time.monotonic() - self._started_real) * self.time_scale
        return self._started_virtual + dt.timedelta(seconds=elapsed)

    def advance(self, by: dt.timedelta) -> list[Fired]:
        """Move the timers' time forward at once and fire what has come due: a test walks through a round without
        waiting, and without asserting on real time."""
        with self._lock:
            self._started_virtual += by
        return self.fire_due()

    def wall_clock(self, moment: dt.datetime) -> dt.datetime:
        """A moment of the timers' (possibly faster) time as the wall-clock time it will really happen, so
        what the skill computes from triggerTime matches what the user will wait."""
        return dt.datetime.now(dt.UTC) + (moment - self.now()) / self.time_scale

    # -- lifecycle
    def start(self, port: int = 0, tls: ssl.SSLContext | None = None) -> LocalTimersApi:
        """Serve on 127.0.0.1 (``port`` 0: any free one), over TLS with ``tls``, a server context."""
        api = self

        class Handler(_Handler):
            owner = api

        self._server = _Server(("127.0.0.1", port), Handler)
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        threading.Thread(target=self._fire_loop, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._stop.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> LocalTimersApi:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def grant(self, token: str) -> None:
        self.granted_tokens.add(token)

    def fire_due(self) -> list[Fired]:
        """Fire every running timer whose time has come, as the device would; returns what fired."""
        now = self.now()
        fired = []
        with self._lock:
            for timer in list(self.timers.values()):
                if timer.status == "ON" and timer.trigger <= now:
                    del self.timers[timer.id]
                    for text in timer.announce:
                        fired.append(Fired(timer.label, text.get("text", ""), text.get("locale", "")))
            self.fired.extend(fired)
        for event in fired:
            if self.on_fire:
                self.on_fire(event)
        return fired

    def _fire_loop(self) -> None:
        while not self._stop.wait(0.05):
            self.fire_due()

    # -- the contract
    def handle(self, method: str, path: str, token: str | None, body: dict | None) -> tuple[int, dict | None]:
        return self.respond(method, path, token, body)[:2]

    def respond(self, method: str, path: str, token: str | None,
                body: dict | None) -> tuple[int, dict | None, dict[str, str], bool]:
        """(status, payload, extra headers, whether to close the connection after) for one request, as the
        contract (and any fault queued) says."""
        with self._lock:
            self.requests.append((method, path, body))
        fault = self._next_fault(method)
        status, payload = self._handle(fault, method, path, token, body)
        if fault and fault.after:
            time.sleep(fault.after)
        return status, payload, dict(fault.headers) if fault and fault.headers else {}, bool(fault and fault.close)

    def _handle(self, fault: Fault | None, method: str, path: str, token: str | None,
                body: dict | None) -> tuple[int, dict | None]:
        if fault:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                raise ConnectionAbortedError
            if fault.reset:
                raise ConnectionResetError
            if fault.trickle:
                raise _Trickle({"id": "slow", "status": "ON"})
            if fault.body is not None:
                return fault.status or 200, fault.body
            if fault.status:
                return fault.status, {"code": fault.code, "message": "injected fault"}
        if token not in self.granted_tokens:
            return 401, {"code": "UNAUTHORIZED", "message": "the timers permission has not been granted"}
        if not path.startswith(TIMERS_PATH):
            return 404, {"code": "NOT_FOUND", "message": "no such resource"}
        parts = [p for p in path[len(TIMERS_PATH):].split("/") if p]
        with self._lock:
            self.fire_due()
            if method == "POST" and not parts:
                return self._create(body)
            if not parts:
                if method == "GET":
                    timers = sorted(self.timers.values(), key=lambda t: t.duration)
                    return 200, {"totalCount": len(timers), "timers": [t.to_json(self.wall_clock) for t in timers],
                                 "nextToken": None}
                if method == "DELETE":
                    self.timers.clear()
                    return 200, None
            timer = self.timers.get(parts[0])
            if timer is None:
                return 404, {"code": "TIMER_NOT_FOUND", "message": "Timer not found"}
            if len(parts) == 1 and method == "GET":
                return 200, timer.to_json(self.wall_clock)
            if len(parts) == 1 and method == "DELETE":
                del self.timers[timer.id]
                return 200, None
            if len(parts) == 2 and method == "POST" and parts[1] in ("pause", "resume"):
                return self._change(timer, parts[1])
        return 405, {"code": "METHOD_NOT_ALLOWED", "message": f"{method} {path}"}

    def _next_fault(self, method: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                if fault.method in (None, method):
                    return self.faults.pop(i)
        return None

    def _create(self, body: dict | None) -> tuple[int, dict]:
        def bad(message: str) -> tuple[int, dict]:
            return 400, {"code": "INVALID_REQUEST", "message": message}

        if not isinstance(body, dict):
            return bad("body must be a JSON object")
        duration = parse_duration(body.get("duration"))
        if duration is None:
            return bad("duration is not ISO 8601")
        if duration <= dt.timedelta(0) or duration > MAX_TIMER:
            return bad("duration must be more than zero and at most two hours")
        label = body.get("timerLabel") or ""
        if len(label) > MAX_LABEL:
            return bad("timerLabel is longer than 256 characters")
        if label and any(t.label == label for t in self.timers.values()):
            return bad("timerLabel must be unique")
        if len(self.timers) >= MAX_TIMERS:
            return bad("maximum number of timers reached")
        behaviour = body.get("triggeringBehavior") or {}
        operation = behaviour.get("operation") or {}
        visibility = ((body.get("creationBehavior") or {}).get("displayExperience") or {}).get("visibility")
        if visibility not in ("VISIBLE", "HIDDEN"):
            return bad("creationBehavior.displayExperience.visibility must be VISIBLE or HIDDEN")
        if operation.get("type") not in ("ANNOUNCE", "NOTIFY_ONLY", "LAUNCH_TASK"):
            return bad("triggeringBehavior.operation.type is invalid")
        announce = operation.get("textToAnnounce") or []
        if operation["type"] == "ANNOUNCE" and not (announce and all(a.get("locale") and a.get("text")
                                                                     for a in announce)):
            return bad("ANNOUNCE needs textToAnnounce with locale and text")
        now = self.now()
        timer = _Timer(str(uuid.uuid4()), label, duration, now + duration, now, now, announce)
        self.timers[timer.id] = timer
        return 200, timer.to_json(self.wall_clock)

    def _change(self, timer: _Timer, action: str) -> tuple[int, dict]:
        now = self.now()
        if action == "pause":
            if timer.status != "ON":
                return 400, {"code": "INVALID_STATE", "message": "only a running timer can be paused"}
            timer.status, timer.remaining_when_paused = "PAUSED", max(timer.trigger - now, dt.timedelta(0))
        else:
            if timer.status != "PAUSED":
                return 400, {"code": "INVALID_STATE", "message": "only a paused timer can be resumed"}
            timer.status, timer.trigger = "ON", now + timer.remaining_when_paused
            timer.remaining_when_paused = None
        timer.updated = now
        return 200, timer.to_json(self.wall_clock)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that went away (as the tests' faults make them) is no news; anything else is printed.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    owner: LocalTimersApi
    protocol_version = "HTTP/1.1"  # keep-alive, as Amazon's API endpoints allow

    def setup(self) -> None:
        super().setup()
        with self.owner._lock:
            self.owner.connections += 1

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = "invalid"
        auth = self.headers.get("Authorization") or ""
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        trickle, extra = False, {}
        try:
            status, payload, extra, close = self.owner.respond(method, self.path, token, body)
            self.close_connection = self.close_connection or close
        except ConnectionAbortedError:
            self.close_connection = True
            return
        except ConnectionResetError:  # close with a TCP RST, as a crashed proxy would
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        except _Trickle as slow:
            status, payload, trickle = 200, slow.payload, True
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if not trickle:
            self.wfile.write(data)
            return
        self.close_connection = True
        for byte in data:
            if self.owner._stop.wait(0.1):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:  # the client gave up, as it should
                return

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def log_message(self, *args) -> None:
        pass
