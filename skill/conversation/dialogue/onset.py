"""When the spasm started, from whatever the user said: a word the model knows ("this morning", "I woke up with
it"), a date (AMAZON.DATE: "since Tuesday", "last week"), a length of time (AMAZON.DURATION: "two days back",
"about a week") or a day count (AMAZON.NUMBER: "it's day three"). The answer is only "recent or not", which is all
the plan needs, and whether it has gone on long enough to see a doctor as well."""

from __future__ import annotations

import datetime as dt
import re

from skill.conversation.names import EARLIER, LONG, RECENT
from skill.foundations.times import parse_duration

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T\w+)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
A_WEEK = dt.timedelta(days=7)


def days_since_date(value: str, today: dt.date) -> int | None:
    """Days from an AMAZON.DATE value to today; None for a value that cannot be a start in the past. Alexa reads a
    bare weekday ("since Tuesday") as the next one, so a date up to a week ahead means the one before."""
    try:
        if day := _DAY.match(value):
            start = dt.date(*map(int, day.groups()))
            if today < start <= today + A_WEEK:
                start -= A_WEEK
        elif week := _WEEK.match(value):
            start = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        elif month := _MONTH.match(value):
            start = dt.date(int(month[1]), int(month[2]), 1)
        else:
            return None
    except ValueError:
        return None
    return (today - start).days if start <= today else None




_CALENDAR = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def _calendar_length(value: str) -> dt.timedelta | None:
    """"A month ago" arrives as P1M, which has no fixed length: at the least, 30 days a month, 365 a year."""
    match = _CALENDAR.match(value)
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return dt.timedelta(days=365 * years + 30 * months + 7 * weeks + days)


def age(today: dt.date, *, date: str | None = None, ago: str | None = None,
        day: str | None = None) -> dt.timedelta | None:
    """How long ago the spasm began, from the first slot that says; None if none does."""
    if date:
        days = days_since_date(date, today)
        if days is not None:
            return dt.timedelta(days=days)
    if ago:
        length = parse_duration(ago) or _calendar_length(ago)
        if length is not None:
            return length
    if day and day.isdigit() and int(day) >= 1:
        return dt.timedelta(days=int(day) - 1)
    return None


def classify(length: dt.timedelta, recent_within: dt.timedelta, see_doctor_after: dt.timedelta) -> str:
    if length <= recent_within:
        return RECENT
    return LONG if length >= see_doctor_after else EARLIER
