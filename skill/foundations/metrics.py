"""Prometheus metrics for ``GET /metrics``, off unless ``SPASM_COACH_METRICS_DIR`` is set.

prometheus-client runs in its multiprocess mode: each gunicorn worker writes its counts to files in that
directory and ``/metrics`` adds up every worker's. Off, each call here is one test of a global and nothing is
imported, so the bench's figures are those of a service without metrics.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from skill.foundations.alexa_platform import FALLBACK_INTENT

# A label takes at most this many values, then "other": with signatures off anyone could name new intents.
MAX_LABEL_VALUES = 200
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 8.0)

_sink: _Metrics | None = None


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import Counter, Histogram

        self.requests = Counter("spasm_coach_requests", "Requests answered, by request type, intent and outcome",
                                ["request_type", "intent", "outcome"], registry=None)
        self.latency = Histogram("spasm_coach_request_seconds", "Time to answer a request, by request type",
                                 ["request_type"], buckets=LATENCY_BUCKETS, registry=None)
        self.timers_api = Counter("spasm_coach_timers_api_calls", "Alexa Timers API calls, by result",
                                  ["result"], registry=None)
        self.database_errors = Counter("spasm_coach_database_errors", "Database operations that failed",
                                       registry=None)
        self.fallbacks = Counter("spasm_coach_fallbacks", "Requests not understood (AMAZON.FallbackIntent), by the"
                                 " place in the conversation they came at", ["place"], registry=None)
        self._seen: dict[str, set[str]] = {}

    def bounded(self, label: str, value: Any) -> str:
        value = "none" if value is None else str(value)[:100]
        seen = self._seen.setdefault(label, set())
        if value not in seen:
            if len(seen) >= MAX_LABEL_VALUES:
                return "other"
            seen.add(value)
        return value


def configure(directory: Path | None) -> None:
    """Count from now on into ``directory`` (made if missing), in this process and the workers it forks; None:
    count nothing."""
    global _sink
    _sink = None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        # Read by prometheus-client at its import and when it counts, so set before either.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
        _sink = _Metrics()


def enabled() -> bool:
    return _sink is not None


def clear(directory: Path) -> None:
    """Forget the counts of a previous run: called once by the server before it starts any worker."""
    for stale in directory.glob("*.db"):
        stale.unlink()


def worker_exited(pid: int) -> None:
    """A gunicorn worker died: its live gauges go, its counts stay in the sums."""
    if _sink is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def exposition() -> tuple[bytes, str]:
    """Every worker's counts together, in Prometheus' text format, and its content type."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST


def request(fields: dict, outcome: str, seconds: float) -> None:
    if _sink is None:
        return
    kind = _sink.bounded("request_type", fields.get("request_type"))
    intent = _sink.bounded("intent", fields.get("intent"))
    _sink.requests.labels(kind, intent, outcome).inc()
    _sink.latency.labels(kind).observe(seconds)
    if fields.get("intent") == FALLBACK_INTENT:
        _sink.fallbacks.labels(_sink.bounded("place", fields.get("place"))).inc()


def timers_api(result: str) -> None:
    if _sink is not None:
        _sink.timers_api.labels(result).inc()


def database_error() -> None:
    if _sink is not None:
        _sink.database_errors.inc()
