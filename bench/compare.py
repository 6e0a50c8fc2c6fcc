"""Spasm Coach against an ask-sdk hello world, side by side on this machine, under the same gunicorn command.

Both run as ``gunicorn -c python:skill.edge.serving --workers 2 --bind 127.0.0.1:PORT APP`` (the product's own
settings), on loopback. They are loaded alternately in short ``wrk`` slices with the same mix of envelopes
(``bench/mix.py``), so a machine that is busier in one moment than the next weighs on both; each figure is
the median over slices of the ratio Spasm Coach / reference:

- requests per second at saturation, and the errors wrk saw (connect, read, write, timeout, non-2xx);
- CPU per request: user + system time of the master and its workers, from ``/proc/PID/stat``, over requests;
- peak RSS per worker: the largest ``VmHWM`` among the workers after the load;
- start to healthy: from starting gunicorn to the first 200 from ``/healthz``, over fresh starts.

Signature checks are off in both (no one outside Amazon can sign a request); the README gives their cost. Both
are measured as installed: their bytecode compiled first, as pip compiles an installed wheel (an editable
install under PYTHONDONTWRITEBYTECODE would otherwise compile the product's source at every start, and not the
reference's, which lives in site-packages). Both start as the product ships: the app built once in gunicorn's
master (``preload_app``) and shared by the workers it forks; the product loads and checks its content at every
start, with nothing kept between starts.

    python -m bench.compare [--slices 7] [--seconds 3] [--starts 5] [--reference constant]

It exits 1 when a target of issue 25's floor is missed (against the hello world; the stretch, at least 0.6x the
requests per second of a constant Flask route, with ``--reference constant``), so ``make bench`` fails loudly.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.mix import scenarios

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = "skill.edge.wsgi:app"
REFERENCES = {"hello": "bench.references:hello_world", "constant": "bench.references:constant"}
WORKERS = 2
TICKS = os.sysconf("SC_CLK_TCK")
# The floor by reference (issue 25: what the speed code kept must still give), each (direction, bound) for a ratio
# Spasm Coach / reference.
TARGETS = {
    "hello": {"requests per second": (">=", 1.2), "CPU per request": ("<=", 0.8),
              "peak RSS per worker": ("<=", 1.3), "start to healthy": ("<=", 1.3)},
    "constant": {"requests per second": (">=", 0.6)},  # the stretch: most of what Flask can serve at all
    # Issue 27: in production mode (--signed) each request's signature is checked and its id kept against
    # replays; the hello world checks nothing.
    "signed": {"requests per second": (">=", 1.2)},
}
# What every wrk script reports at its end, as one JSON line.
WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "status": %d, "p50_us": %d, "p99_us": %d}\\n', summary.requests, summary.duration,
    e.connect, e.read, e.write, e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
"""
# The requests, each a body and its Signature-256 (or nothing, unsigned), sent in turn and round again. A signed
# request sent again would be refused as a replay, so a signed script holds more than a slice sends.
WRK_SCRIPT = """
local entries = {ENTRIES}
local requests = {}
local n = 0
init = function(args)
  for i, entry in ipairs(entries) do
    local headers = {["Content-Type"] = "application/json"}
    if entry[2] then
      headers["SignatureCertChainUrl"] = "CERT_URL"
      headers["Signature-256"] = entry[2]
    end
    requests[i] = wrk.format("POST", "/alexa", headers, entry[1])
  end
  entries = nil
end
request = function()
  n = n % #requests + 1
  return requests[n]
end
""" + WRK_DONE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / TICKS


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@dataclass
class Server:
    name: str
    app: str
    process: subprocess.Popen
    port: int
    started_in: float  # seconds from starting gunicorn to the first healthy answer

    @property
    def pids(self) -> list[int]:
        return [self.process.pid, *self.workers]

    @property
    def workers(self) -> list[int]:
        return children(self.process.pid)


@contextmanager
def serving(name: str, app: str, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """gunicorn as the product ships it, on a fresh port and a fresh SQLite data directory."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data, log.open("ab") as log_file:
        env = {**os.environ, "SPASM_COACH_VERIFY": "0", "SPASM_COACH_DATA_DIR": data, "PYTHONPATH": str(ROOT),
               **(env or {})}
        command = [sys.executable, "-m", "gunicorn", "-c", "python:skill.edge.serving", "--workers", str(WORKERS),
                   "--bind", f"127.0.0.1:{port}", app]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
        try:
            while not healthy(port):
                if process.poll() is not None or time.perf_counter() - started > 30:
                    raise SystemExit(f"{name} did not become healthy; see {log}")
                time.sleep(0.005)
            server = Server(name, app, process, port, time.perf_counter() - started)
            while len(server.workers) < WORKERS:  # the other worker may still be booting
                time.sleep(0.01)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def load(server: Server, script: Path, seconds: int, connections: int) -> dict:
    """One wrk slice; the figures of the slice, with the CPU the server spent on it."""
    before = cpu_seconds(server.pids)
    run = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
                          f"http://127.0.0.1:{server.port}/alexa"], capture_output=True, text=True, check=True)
    spent = cpu_seconds(server.pids) - before
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    figures["errors"] = sum(figures[key] for key in ("connect", "read", "write", "timeout", "status"))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["cpu_ms"] = spent * 1000 / max(figures["requests"], 1)
    return figures


def wrk_script(directory: Path, requests: list[tuple[bytes, str | None]] | None = None, name: str = "mix") -> Path:
    """A wrk script sending ``requests`` (body, signature or None) in turn; by default the mix, unsigned."""
    from bench.signing import CERT_URL

    requests = requests or [(json.dumps(body).encode(), None) for body in scenarios().values()]
    entries = ", ".join(f'{{[==[{body.decode()}]==], {f"{signature!r}" if signature else "nil"}}}'
                        for body, signature in requests)
    script = directory / f"{name}.lua"
    script.write_text(WRK_SCRIPT.replace("CERT_URL", CERT_URL, 1).replace("ENTRIES", entries, 1))
    return script


def signed_script(directory: Path, key, count: int) -> Path:
    """The mix again, each request signed as Alexa signs it, with a request id of its own and the time now:
    ``count`` of them, more than a slice sends, since a request sent twice is refused as a replay."""
    from bench.signing import signed

    mix = list(scenarios().values())
    turn = iter(range(count))

    def body_of(request_id: str, stamp: str) -> bytes:
        body = json.loads(json.dumps(mix[next(turn) % len(mix)]))
        body["request"].update(requestId=request_id, timestamp=stamp)
        return json.dumps(body).encode()

    return wrk_script(directory, signed(body_of, key, count), "signed")


def check(server: Server) -> None:
    """Every envelope of the mix is answered 200 before any load, so a slice never measures error pages."""
    for name, body in scenarios().items():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("POST", "/alexa", json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        if response.status != 200:
            raise SystemExit(f"{server.name} answered {name} with {response.status}: {response.read()[:200]!r}")
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slices", type=int, default=7, help="wrk slices for each server")
    parser.add_argument("--seconds", type=int, default=3, help="length of one slice")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--starts", type=int, default=5, help="fresh starts of each server, for start to healthy")
    parser.add_argument("--reference", choices=sorted(REFERENCES), default="hello")
    parser.add_argument("--signed", action="store_true",
                        help="production mode: every request to Spasm Coach signed and verified (bench/signing.py)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (Debian, Ubuntu) or brew install wrk", file=sys.stderr)
        return 2

    subprocess.run([sys.executable, "-m", "compileall", "-q", "skill", "coach_tools", "bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        script, log = wrk_script(scratch_path), scratch_path / "gunicorn.log"
        product, env, key = PRODUCT, {}, None
        if args.signed:
            from bench.signing import write_pki

            key = write_pki(scratch_path)
            product, env = "bench.signing:app", {"BENCH_SIGNING_DIR": scratch, "SPASM_COACH_VERIFY": "1"}
        starts: dict[str, list[float]] = {"ours": [], "theirs": []}
        for _ in range(args.starts):
            for side, app in (("ours", product), ("theirs", REFERENCES[args.reference])):
                with serving(side, app, log, env if side == "ours" else None) as server:
                    starts[side].append(server.started_in)

        slices: dict[str, list[dict]] = {"ours": [], "theirs": []}
        with serving("ours", product, log, env) as ours, \
                serving("theirs", REFERENCES[args.reference], log) as theirs:

            def script_for(server: Server, seconds: int, rps: float) -> Path:
                if server is theirs or key is None:
                    return script
                return signed_script(scratch_path, key, int(rps * seconds * 1.6) + 500)

            rps = 3000.0  # a guess, then what the last slice of ours served: how many signed requests a slice needs
            for server in (ours, theirs):
                if key is None or server is theirs:
                    check(server)
                warm = load(server, script_for(server, 1, rps), 1, args.connections)  # warm-up, not counted
                if warm["errors"]:
                    raise SystemExit(f"{server.name} answered the warm-up with {warm['errors']} errors; see {log}")
                rps = warm["rps"] if server is ours else rps
            for index in range(args.slices):
                # Alternate which goes first, so neither always follows the other's heat.
                order = (ours, theirs) if index % 2 == 0 else (theirs, ours)
                for server in order:
                    figures = load(server, script_for(server, args.seconds, rps), args.seconds, args.connections)
                    slices[server.name].append(figures)
                    if server is ours:
                        rps = figures["rps"]
            rss = {server.name: max(peak_rss_mib(pid) for pid in server.workers) for server in (ours, theirs)}

    report(args, starts, slices, rss)
    targets = TARGETS["signed" if args.signed else args.reference]
    missed = [name for name, (ratio, ok) in ratios(starts, slices, rss, targets).items() if not ok]
    errors = sum(figures["errors"] for figures in slices["ours"])
    if missed or errors:
        print(f"\nmissed: {', '.join(missed) or '-'}; errors under load: {errors}")
        return 1
    return 0


def ratios(starts: dict, slices: dict, rss: dict, targets: dict) -> dict[str, tuple[float, bool]]:
    """Each measure's ratio, and whether it meets its target (a measure without one always does)."""
    pairs = list(zip(slices["ours"], slices["theirs"], strict=True))
    found = {
        "requests per second": statistics.median(a["rps"] / b["rps"] for a, b in pairs),
        "CPU per request": statistics.median(a["cpu_ms"] / b["cpu_ms"] for a, b in pairs),
        "peak RSS per worker": rss["ours"] / rss["theirs"],
        "start to healthy": statistics.median(a / b for a, b in zip(starts["ours"], starts["theirs"], strict=True)),
    }
    return {name: (ratio, _meets(ratio, *targets.get(name, ("", 0.0)))) for name, ratio in found.items()}


def _meets(ratio: float, sign: str, bound: float) -> bool:
    return ratio >= bound if sign == ">=" else ratio <= bound if sign == "<=" else True


def report(args: argparse.Namespace, starts: dict, slices: dict, rss: dict) -> None:
    def median(side: str, key: str) -> float:
        return statistics.median(figures[key] for figures in slices[side])

    mode = "signatures checked (production mode)" if args.signed else "signatures off"
    print(f"Spasm Coach, {mode}, vs {args.reference} ({REFERENCES[args.reference]}), {WORKERS} workers, "
          f"{args.slices} x {args.seconds} s slices each, {args.connections} connections, {os.cpu_count()} cores\n")
    print(f"| {'measure':<22} | {'Spasm Coach':>12} | {'reference':>12} | {'ratio':>6} | {'target':>7} | met |")
    print(f"|{'-' * 24}|{'-' * 14}|{'-' * 14}|{'-' * 8}|{'-' * 9}|-----|")
    values = {
        "requests per second": (median("ours", "rps"), median("theirs", "rps"), "{:.0f}"),
        "CPU per request": (median("ours", "cpu_ms"), median("theirs", "cpu_ms"), "{:.3f} ms"),
        "peak RSS per worker": (rss["ours"], rss["theirs"], "{:.1f} MiB"),
        "start to healthy": (statistics.median(starts["ours"]) * 1000, statistics.median(starts["theirs"]) * 1000,
                             "{:.0f} ms"),
    }
    targets = TARGETS["signed" if args.signed else args.reference]
    for name, (ratio, ok) in ratios(starts, slices, rss, targets).items():
        ours, theirs, shape = values[name]
        target = "{} {:.1f}x".format(*targets[name]) if name in targets else "-"
        met = ("yes" if ok else "NO") if name in targets else "-"
        print(f"| {name:<22} | {shape.format(ours):>12} | {shape.format(theirs):>12} | {ratio:>5.2f}x "
              f"| {target:>7} | {met:>3} |")
    for side, label in (("ours", "Spasm Coach"), ("theirs", "reference")):
        errors = sum(figures["errors"] for figures in slices[side])
        requests = sum(figures["requests"] for figures in slices[side])
        p50, p99 = median(side, "p50_us") / 1000, median(side, "p99_us") / 1000
        print(f"{label}: {requests} requests, {errors} errors, latency under load p50 {p50:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
