"""JSON log lines. Callers pass only safe fields: never the user id, the API access token or the body.

Everything goes through ``logging`` (levels, handlers and their routing are the operator's and the tests'),
but the one line every request writes skips building a ``LogRecord``, finding its caller and formatting it
field by field when the handler is ours: a third of that line's cost, every request.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

from skill.foundations import metrics
from skill.foundations.times import log_time

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
request_log = logging.getLogger("skill.requests")
# Every string in a line is cut to a fixed length, so a 100 KB request id or intent name cannot make a line that
# log drivers split (at 16 KiB) or that floods the disk; a traceback keeps more.
FIELD_LIMIT, EXCEPTION_LIMIT = 1024, 8192
_CUT = "…[cut]"


def bounded(line: dict[str, Any]) -> dict[str, Any]:
    """``line`` with every value longer than its limit, as written, cut to it (short ones keep their shape)."""
    for key, value in line.items():
        if value is None or type(value) in (int, float, bool):
            continue
        text = value if type(value) is str else json.dumps(value, default=str)
        limit = EXCEPTION_LIMIT if key == "exception" else FIELD_LIMIT
        if len(text) > limit:
            line[key] = text[:limit - len(_CUT)] + _CUT
    return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": log_time(record.created), "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(bounded(line), default=str)


class JsonLines(logging.StreamHandler):
    """The service's handler: JSON lines on a stream, and a line already made into JSON written as it is."""

    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream)
        self.setFormatter(JsonFormatter())

    def write_json(self, line: dict[str, Any]) -> None:
        text = json.dumps(bounded(line), default=str) + self.terminator
        self.acquire()
        try:
            self.stream.write(text)
            self.flush()
        except Exception:  # as logging's own emit: a broken stream never fails the request
            self.handleError(logging.makeLogRecord({"msg": text}))
        finally:
            self.release()


def configure(level: str) -> None:
    handler = JsonLines(sys.stderr)
    root = logging.getLogger("skill")
    # Replaces only its own handler: one another part installed (a test's, an operator's) stays.
    root.handlers[:] = [*(h for h in root.handlers if type(h) is not JsonLines), handler]
    root.setLevel(level)
    root.propagate = False


_PLACE = re.compile(r"[a-z_]{1,40}")


def place(envelope: dict) -> str:
    """Where the request found the user: the question waiting, else the walk-through, else "home" (a name of
    ours from the session, never an answer), so fallbacks can be counted where safety depends on being heard."""
    session = envelope.get("session")
    attributes = session.get("attributes") if isinstance(session, dict) else None
    if not isinstance(attributes, dict):
        return "home"
    cursor = attributes.get("cursor")
    for name in (attributes.get("pending"), cursor.get("flow") if isinstance(cursor, dict) else None):
        if isinstance(name, str) and _PLACE.fullmatch(name):
            return name
    return "home"


class RequestRecord:
    """The one log line of one request: what it was, how it ended and how long it took."""

    def __init__(self) -> None:
        self._started = time.perf_counter()
        self.fields: dict[str, Any] = {"request_id": None, "request_type": None, "intent": None, "place": None}

    def describe(self, envelope: dict) -> None:
        request = envelope["request"]
        intent = request.get("intent")
        self.fields.update(request_id=request["requestId"], request_type=request["type"],
                           intent=intent.get("name") if isinstance(intent, dict) else None, place=place(envelope))

    def write(self, outcome: str, status: int, **extra: Any) -> None:
        seconds = time.perf_counter() - self._started
        metrics.request(self.fields, outcome, seconds)
        if not request_log.isEnabledFor(logging.INFO):
            return
        fields = {**self.fields, **extra, "outcome": outcome, "status": status, "ms": round(seconds * 1000, 2)}
        now = time.time()  # one moment for the line, whichever handler writes it
        for handler in _handlers(request_log):
            if handler.level > logging.INFO:
                continue
            if type(handler) is JsonLines:
                handler.write_json({"time": log_time(now), "level": "INFO", "logger": request_log.name,
                                    "message": "request", **fields})
            else:  # someone else's handler (a test's, an operator's): the usual record
                record = request_log.makeRecord(request_log.name, logging.INFO, __file__, 0, "request", (), None,
                                                extra=fields)
                record.created = now
                handler.handle(record)


def _handlers(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record from ``logger`` reaches, as ``Logger.callHandlers`` finds them."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found += current.handlers
        if not current.propagate:
            break
        current = current.parent  # type: ignore[assignment]
    return found
