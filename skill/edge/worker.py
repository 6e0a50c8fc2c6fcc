"""The gunicorn worker ``spasm-coach serve`` runs: gunicorn's sync worker, with each request read whole before it
is handled, and draining on SIGTERM.

A sync worker reads a request with blocking calls, so a client that sends a header line every few seconds holds
the worker until gunicorn kills it, and two such clients take a two-worker service down. This worker reads like a
buffering proxy: one loop accepts every connection and reads what has arrived on each, without waiting on any;
only a request whose headers and body are all in hand is handed to the sync worker's own handling (gunicorn's
parser, the app, the response). A client gets :data:`READ_DEADLINE` seconds to send its whole request and is cut
off after it, so slow clients, however many, never stand between a genuine request and its answer. Handling
stays one request at a time, as the app expects.

On SIGTERM the sync worker finishes the request in hand and exits, and connections already queued on the
listening socket are dropped: a user mid-conversation during a deploy hears nothing. This worker answers those
too before it exits (within gunicorn's graceful timeout).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import selectors
import socket
import time

from gunicorn.workers.sync import SyncWorker

from skill.edge.alexa_endpoint import MAX_BODY_BYTES

READ_DEADLINE = 5.0  # seconds to send a whole request: Alexa sends one at once, well inside it
WRITE_TIMEOUT = 5.0  # seconds a blocked send of the answer may wait on a client that does not read
MAX_HEAD = 64 * 1024  # header bytes after which the request goes on to gunicorn's parser, which refuses it
MAX_PENDING = 1000  # connections being read at once; past it the oldest is let go
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*(?=\r\n|$)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)
_EXPECT = re.compile(rb"\r\nexpect:[ \t]*100-continue", re.IGNORECASE)
_GONE = (errno.EAGAIN, errno.EWOULDBLOCK, errno.ECONNABORTED)


class Arriving:
    """A connection whose request is still arriving: the bytes so far and when it must be whole."""

    def __init__(self, client: socket.socket, addr, listener: socket.socket, deadline: float) -> None:
        self.client, self.addr, self.listener, self.deadline = client, addr, listener, deadline
        self.data = bytearray()

    def whole(self) -> bool:
        """Whether gunicorn's parser can have it now: headers ended and the body all here (or too big to wait
        for: the parser or the app refuses it without reading it)."""
        end = self.data.find(b"\r\n\r\n")
        if end < 0:
            return len(self.data) > MAX_HEAD
        head = bytes(self.data[:end])
        if _EXPECT.search(head):  # the client waits for "100 Continue" (gunicorn sends it) before the body
            return True
        if _CHUNKED.search(head):
            return self.data.endswith(b"0\r\n\r\n") or len(self.data) > MAX_HEAD + MAX_BODY_BYTES
        length = _LENGTH.search(head)
        if length is None:
            return True
        wanted = int(length.group(1))
        return wanted > MAX_BODY_BYTES or len(self.data) - (end + 4) >= wanted


class Buffered:
    """The client socket as gunicorn's parser reads it: the bytes already read first, then the socket itself."""

    def __init__(self, client: socket.socket, data: bytes) -> None:
        self._client = client
        self._data = data

    def recv(self, size: int, *flags) -> bytes:
        if self._data:
            chunk, self._data = self._data[:size], self._data[size:]
            return chunk
        return self._client.recv(size, *flags)

    def __getattr__(self, name: str):
        return getattr(self._client, name)


class DrainingWorker(SyncWorker):
    def run(self) -> None:
        if self.cfg.is_ssl:  # TLS is the proxy's in every recipe here; gunicorn's own keeps the plain sync loop
            super().run()
            self.drain()
            return
        self.selector = selectors.DefaultSelector()
        self.arriving: dict[int, Arriving] = {}
        self.selector.register(self.PIPE[0], selectors.EVENT_READ, "wake")
        for listener in self.sockets:
            listener.setblocking(False)
            self.selector.register(listener, selectors.EVENT_READ, listener)
        while self.alive:
            self.notify()
            self.turn()
            if not self.is_parent_alive():
                break
        self.finish_arriving()

    def turn(self, accepting: bool = True) -> None:
        """One pass of the loop: accept, read what has arrived, hand on what is whole, let go what is late."""
        soonest = min((a.deadline for a in self.arriving.values()), default=time.monotonic() + 1.0)
        timeout = max(0.0, min(1.0, soonest - time.monotonic()))
        try:
            events = self.selector.select(timeout)
        except InterruptedError:
            events = []
        for key, _ in events:
            if key.data == "wake":
                with contextlib.suppress(OSError):
                    os.read(self.PIPE[0], 1)
            elif isinstance(key.data, Arriving):
                self.read(key.data)
            elif accepting:
                self.take(key.data)
        now = time.monotonic()
        for late in [a for a in self.arriving.values() if a.deadline <= now]:
            self.let_go(late)

    def take(self, listener: socket.socket) -> None:
        while True:
            try:
                client, addr = listener.accept()
            except OSError as error:
                if error.errno in _GONE:
                    return
                raise
            client.setblocking(False)
            if len(self.arriving) >= MAX_PENDING:
                self.let_go(min(self.arriving.values(), key=lambda a: a.deadline))
            arriving = Arriving(client, addr, listener, time.monotonic() + READ_DEADLINE)
            self.arriving[client.fileno()] = arriving
            self.selector.register(client, selectors.EVENT_READ, arriving)

    def read(self, arriving: Arriving) -> None:
        try:
            chunk = arriving.client.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away before its request was whole
            self.let_go(arriving)
            return
        arriving.data += chunk
        if arriving.whole():
            self.forget(arriving)
            arriving.client.setblocking(True)
            arriving.client.settimeout(WRITE_TIMEOUT)
            self.handle(arriving.listener, Buffered(arriving.client, bytes(arriving.data)), arriving.addr)

    def forget(self, arriving: Arriving) -> None:
        self.arriving.pop(arriving.client.fileno(), None)
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(arriving.client)

    def let_go(self, arriving: Arriving) -> None:
        self.forget(arriving)
        with contextlib.suppress(OSError):
            arriving.client.close()

    def finish_arriving(self) -> None:
        """After SIGTERM: take what is queued, then answer every request arriving, within the graceful timeout."""
        ends = time.monotonic() + self.cfg.graceful_timeout
        for listener in self.sockets:
            with contextlib.suppress(OSError):
                self.take(listener)
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(listener)
        while self.arriving and time.monotonic() < ends:
            self.notify()
            self.turn(accepting=False)
        for arriving in list(self.arriving.values()):
            self.let_go(arriving)

    def drain(self) -> None:
        """Answer every connection already waiting; the listeners are non-blocking, so an empty queue ends it."""
        for listener in self.sockets:
            while True:
                try:
                    self.accept(listener)
                except OSError:  # nothing more is waiting (or the listener is gone)
                    break
