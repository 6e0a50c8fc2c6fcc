"""Outbound HTTP with one deadline for the whole exchange.

Alexa waits eight seconds for an answer, so a call to another service must end by a time, not merely fail when
one read stalls: a host that sends a byte a second never trips a per-read timeout. Here a timer shuts the socket
down at the deadline, whichever step it is in (connecting, the TLS handshake, the status line, the headers or the
body), and the call fails as late. Used for Amazon's certificate chain and for the Alexa APIs.

Connections are kept per host between calls (keep-alive), so a worker makes one TCP connection and one TLS
handshake with a host, not one per call: a reused socket is cut at the deadline like a new one.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit


@functools.cache
def _tls() -> ssl.SSLContext:
    # Built on the first HTTPS call: loading the trust store costs a worker ~30 ms and ~2 MiB, and a worker that
    # never calls out (no signature checks, no timers) never needs it.
    return ssl.create_default_context()


class OutboundError(Exception):
    """The exchange did not complete: ``late`` when the deadline ended it, ``reason`` :data:`TOO_LARGE` when the
    answer was longer than the caller takes."""

    TOO_LARGE = "too large"

    def __init__(self, reason: str, late: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.late = late


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _cut(connection: http.client.HTTPConnection, held: list[socket.socket], cut: threading.Event) -> None:
    # Shutting the socket down wakes a blocked read (``cut`` tells it was the deadline); the socket is held here
    # too, as the connection lets go of it once an answer begins.
    cut.set()
    for sock in (connection.sock, *held):
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Pool:
    """Connections kept open between calls, by (scheme, host, port): a worker pays for TCP and TLS with a host
    once, not on every call. A connection is taken out while in use, so no two calls share one."""

    MAX_IDLE_PER_HOST = 2

    def __init__(self) -> None:
        self._idle: dict[tuple, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def take(self, key: tuple) -> http.client.HTTPConnection | None:
        """An idle connection to ``key`` the server has not closed meanwhile, or None."""
        while True:
            with self._lock:
                idle = self._idle.get(key)
                connection = idle.pop() if idle else None
            if connection is None or _still_open(connection):
                return connection
            connection.close()

    def give_back(self, key: tuple, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.MAX_IDLE_PER_HOST:
                idle.append(connection)
                return
        connection.close()

    def clear(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()


def _still_open(connection: http.client.HTTPConnection) -> bool:
    # An idle connection has nothing to read: readable means the server closed it (or sent what nobody asked for).
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


POOL = _Pool()
# A reused connection that fails this way before any answer was closed by the server while idle: the request
# did not reach it when the send itself failed, and for a request that may be repeated it does no harm.
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, ssl.SSLEOFError,
          ssl.SSLZeroReturnError)
_REPEATABLE = frozenset({"GET", "HEAD", "DELETE", "PUT", "OPTIONS"})


class _Stale(Exception):
    pass


def exchange(method: str, url: str, *, seconds: float, max_bytes: int, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> Answer:
    """One request and its whole answer within ``seconds``; no redirects are followed. Raises
    :class:`OutboundError` when the exchange fails, runs late, or the answer is longer than ``max_bytes``. The
    connection is kept for the next call to the same host when the server allows; one found closed is replaced
    by a fresh one while time remains."""
    if seconds <= 0:
        raise OutboundError("no time left", late=True)
    ends = time.monotonic() + seconds
    parts = urlsplit(url)
    key = (parts.scheme, parts.hostname or "", parts.port)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    reused = POOL.take(key)
    if reused is not None:
        try:
            return _exchange_on(reused, key, method, target, headers, body, ends, max_bytes, reused=True)
        except _Stale:
            pass
    return _exchange_on(_connection(parts, ends - time.monotonic()), key, method, target, headers, body, ends,
                        max_bytes, reused=False)


def _connection(parts: SplitResult, seconds: float) -> http.client.HTTPConnection:
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=max(seconds, 0.001),
                                           context=_tls())
    # Callers admit plain http only to this machine (tests and the local simulator).
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=max(seconds, 0.001))


def _exchange_on(connection: http.client.HTTPConnection, key: tuple, method: str, target: str,
                 headers: dict[str, str] | None, body: bytes | None, ends: float, max_bytes: int, *,
                 reused: bool) -> Answer:
    seconds = ends - time.monotonic()
    if seconds <= 0:
        connection.close()
        raise OutboundError("no time left", late=True)
    cut, held = threading.Event(), []
    deadline = threading.Timer(seconds, _cut, (connection, held, cut))
    deadline.daemon = True
    deadline.start()
    keep, sent = False, False
    try:
        if connection.sock is None:
            connection.connect()
        else:
            connection.sock.settimeout(seconds)  # a reused socket keeps this call's deadline, not the first's
        held.append(connection.sock)
        connection.request(method, target, body=body, headers=headers or {})
        sent = True
        response = connection.getresponse()
        data = response.read(max_bytes + 1)
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        keep = response.isclosed() and not response.will_close  # read to its end, and the server keeps it open
    except (OSError, http.client.HTTPException, ValueError) as error:
        if reused and isinstance(error, _STALE) and not cut.is_set() and (not sent or method in _REPEATABLE):
            raise _Stale from None
        # The socket's own timeout equals the deadline, so it may fire a moment before the timer: late either way.
        raise OutboundError(type(error).__name__, late=cut.is_set() or isinstance(error, TimeoutError)) from None
    finally:
        deadline.cancel()
        if not keep or cut.is_set():
            connection.close()
    if cut.is_set():
        raise OutboundError("deadline", late=True)
    if len(data) > max_bytes:
        raise OutboundError(OutboundError.TOO_LARGE)
    if keep:
        POOL.give_back(key, connection)
    return answer
