"""JSON log lines. Callers pass only safe fields: never the user id, the API access token or the body."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
request_log = logging.getLogger("skill.requests")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("skill")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class RequestRecord:
    """The one log line of one request: what it was, how it ended and how long it took."""

    def __init__(self) -> None:
        self._started = time.perf_counter()
        self.fields: dict[str, Any] = {"request_id": None, "request_type": None, "intent": None}

    def describe(self, envelope: dict) -> None:
        request = envelope["request"]
        intent = request.get("intent")
        self.fields.update(request_id=request["requestId"], request_type=request["type"],
                           intent=intent.get("name") if isinstance(intent, dict) else None)

    def finish(self, outcome: str, status: int, **extra: Any) -> None:
        request_log.info("request", extra={**self.fields, **extra, "outcome": outcome, "status": status,
                                           "ms": round((time.perf_counter() - self._started) * 1000, 2)})
