"""Slow clients against the real server: N connections that send a header line every few seconds (and never
finish), while genuine launches are sent one after another. Prints how long each genuine answer took.

    python -m bench.slow_clients --slow 2            # as many slow connections as workers
    python -m bench.slow_clients --slow 50 --seconds 20

Alexa gives up at 8 seconds: every genuine answer must come well before that.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from coach_tools.envelopes import envelope


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, workers: int, data: Path) -> subprocess.Popen:
    env = {**os.environ, "SPASM_COACH_VERIFY": "0", "XDG_DATA_HOME": str(data)}
    command = [str(Path(sys.executable).parent / "spasm-coach"), "serve", "--port", str(port),
               "--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        time.sleep(0.05)
    server.kill()
    raise SystemExit("the server never answered /healthz")


def slow_client(port: int, stop: threading.Event, every: float) -> None:
    """A request whose headers never end: one more header line every ``every`` seconds."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
                connection.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\n")
                while not stop.wait(every):
                    connection.sendall(b"X-Slow: 1\r\n")
        except OSError:
            stop.wait(0.1)  # cut off: come back, as an attacker would


def genuine(port: int) -> float:
    body = json.dumps(envelope({"type": "LaunchRequest"}, new=True, unique_ids=True)).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/alexa", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
    except OSError:
        return float("inf")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=2, help="slow connections held open")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between a slow client's header lines")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long genuine requests are sent")
    args = parser.parse_args(argv)
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        server = serve(port, args.workers, Path(data))
        stop = threading.Event()
        slow = [threading.Thread(target=slow_client, args=(port, stop, args.every), daemon=True)
                for _ in range(args.slow)]
        try:
            for thread in slow:
                thread.start()
            time.sleep(1.0)  # let them take hold of what they can
            took: list[float] = []
            ends = time.monotonic() + args.seconds
            while time.monotonic() < ends:
                took.append(genuine(port))
                time.sleep(0.2)
        finally:
            stop.set()
            server.terminate()
            server.wait(timeout=15)
    answered = sorted(took)
    worst = answered[-1]
    print(f"{args.slow} slow connections, {args.workers} workers: {len(took)} genuine launches, "
          f"median {answered[len(answered) // 2]:.3f} s, worst {worst:.3f} s")
    return 0 if worst < 8 else 1


if __name__ == "__main__":
    sys.exit(main())
