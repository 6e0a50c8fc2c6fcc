"""Outbound HTTP with one deadline for the whole exchange.

Alexa waits eight seconds for an answer, so a call to another service must end by a time, not merely fail when
one read stalls: a host that sends a byte a second never trips a per-read timeout. Here a timer shuts the socket
down at the deadline, whichever step it is in (connecting, the TLS handshake, the status line, the headers or the
body), and the call fails as late. Used for Amazon's certificate chain and for the Alexa APIs.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit


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


def exchange(method: str, url: str, *, seconds: float, max_bytes: int, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> Answer:
    """One request and its whole answer within ``seconds``; no redirects are followed. Raises
    :class:`OutboundError` when the exchange fails, runs late, or the answer is longer than ``max_bytes``."""
    if seconds <= 0:
        raise OutboundError("no time left", late=True)
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=seconds, context=_tls())
    else:  # callers admit plain http only to this machine (tests and the local simulator)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=seconds)
    cut, held = threading.Event(), []
    deadline = threading.Timer(seconds, _cut, (connection, held, cut))
    deadline.daemon = True
    deadline.start()
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.connect()
        held.append(connection.sock)
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read(max_bytes + 1)
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    except (OSError, http.client.HTTPException, ValueError) as error:
        # The socket's own timeout equals the deadline, so it may fire a moment before the timer: late either way.
        raise OutboundError(type(error).__name__, late=cut.is_set() or isinstance(error, TimeoutError)) from None
    finally:
        deadline.cancel()
        connection.close()
    if cut.is_set():
        raise OutboundError("deadline", late=True)
    if len(data) > max_bytes:
        raise OutboundError(OutboundError.TOO_LARGE)
    return answer
