"""Tail latency under load, with PostgreSQL as the store (and SQLite beside it for comparison).

The product runs as in ``bench.compare`` (gunicorn, 2 workers, the bench mix). First its saturation: requests per
second with ``wrk`` and no pause. Then a paced load at 80% of that: each connection waits between requests
(wrk's ``delay()``) so that together they ask for 0.8x what the server can do, and ``wrk`` reports the median and
the 99th percentile of the answers' latency: three such runs, and the middle one by p99 / p50 is reported.

    python -m bench.tail [--seconds 5] [--postgres postgresql://postgres@127.0.0.1:5432/test]

Exits 1 when, with PostgreSQL, the 99th percentile is over 3x the median (issue 27), or PostgreSQL is unreachable.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from bench.compare import ROOT, load, serving, wrk_script

CONNECTIONS = 16
SHARE = 0.8
RUNS = 3
# wrk takes whole milliseconds from delay(): a fractional pause is its floor or its ceiling, as often as makes
# the mean right.
PACED = """
local pause_ms = PAUSE
local whole = math.floor(pause_ms)
delay = function()
  if math.random() < pause_ms - whole then return whole + 1 end
  return whole
end
"""


def paced_script(directory: Path, base: Path, pause_ms: float) -> Path:
    script = directory / "paced.lua"
    script.write_text(base.read_text() + PACED.replace("PAUSE", f"{pause_ms:.3f}"))
    return script


def measure(name: str, env: dict[str, str], scratch: Path, seconds: int) -> dict:
    script, log = wrk_script(scratch), scratch / f"{name}.log"
    with serving(name, "skill.edge.wsgi:app", log, env) as server:
        load(server, script, 1, CONNECTIONS)  # warm-up
        saturation = statistics.median(load(server, script, seconds, CONNECTIONS)["rps"] for _ in range(3))
        # Each connection's cycle is its answer plus its pause: the pause is tuned in short runs until together
        # they ask for SHARE of the saturation.
        target, pause_ms = SHARE * saturation, CONNECTIONS * 1000 / (SHARE * saturation) / 2
        for _ in range(5):
            achieved = load(server, paced_script(scratch, script, pause_ms), 1, CONNECTIONS)["rps"]
            pause_ms = max(pause_ms + 1000 * CONNECTIONS * (1 / target - 1 / achieved), 0.0)
        runs = [load(server, paced_script(scratch, script, pause_ms), seconds, CONNECTIONS) for _ in range(RUNS)]
    # The median run by its p99 / p50, so one run that met a busy moment of the machine neither hides nor makes it.
    paced = sorted(runs, key=lambda run: run["p99_us"] / run["p50_us"])[len(runs) // 2]
    return {"saturation": saturation, "rps": paced["rps"], "p50": paced["p50_us"] / 1000,
            "p99": paced["p99_us"] / 1000, "errors": sum(run["errors"] for run in runs)}


def postgres_schema(url: str) -> tuple[str, str]:
    """A schema of the bench's own on ``url``: (the URL that uses it, its name)."""
    import psycopg

    schema = f"spasm_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (Debian, Ubuntu) or brew install wrk", file=sys.stderr)
        return 2
    subprocess.run([sys.executable, "-m", "compileall", "-q", "skill"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    try:
        url, schema = postgres_schema(args.postgres)
    except Exception as error:  # any failure to reach it means the same: not measured
        print(f"PostgreSQL at {args.postgres} did not answer: {error}", file=sys.stderr)
        return 1
    results = {}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            stores = {"PostgreSQL": {"SPASM_COACH_DATABASE_URL": url, "SPASM_COACH_USER_KEY_SECRET": "bench"},
                      "SQLite": {}}
            for name, env in stores.items():
                results[name] = measure(name, env, Path(scratch), args.seconds)
    finally:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"Tail latency at {SHARE:.0%} of saturation, 2 workers, {CONNECTIONS} paced connections, "
          f"{args.seconds} s\n")
    print("| store | saturation | paced load | p50 | p99 | p99 / p50 | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, figures in results.items():
        print(f"| {name} | {figures['saturation']:.0f}/s | {figures['rps']:.0f}/s | {figures['p50']:.2f} ms | "
              f"{figures['p99']:.2f} ms | {figures['p99'] / figures['p50']:.1f}x | {figures['errors']} |")
    postgres = results["PostgreSQL"]
    ok = postgres["p99"] <= 3 * postgres["p50"] and not postgres["errors"]
    print(f"\n{'met' if ok else 'MISSED'}: with PostgreSQL, p99 at most 3x p50")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
