"""One clock, and one reader and writer for each ISO 8601 form the skill meets: request timestamps, Timers API
trigger times, and durations (content, AMAZON.DURATION slots, the Timers API)."""

from __future__ import annotations

import datetime as dt

import isodate


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def log_time(seconds: float) -> str:
    """A moment of ``time.time()`` as a log line writes it: ISO 8601 UTC to the millisecond."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> dt.datetime:
    """An ISO 8601 moment as an aware UTC datetime ("Z" and offsets accepted, a naive one read as UTC).
    Raises ``ValueError`` for anything else."""
    stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp


def parse_duration(value: object) -> dt.timedelta | None:
    """An ISO 8601 duration ("PT15M") as a timedelta; None for anything else, months and years included, since
    they have no fixed length."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError):
        return None
    return parsed if isinstance(parsed, dt.timedelta) else None


def iso_duration(value: dt.timedelta) -> str:
    return isodate.duration_isoformat(value)
