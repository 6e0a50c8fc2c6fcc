"""English phrasing of values the code fills into content: durations and lists, said the way people say them.

Sentences live in ``content/``; only the words for a number or a list are made here, so every item in
``speech.yaml`` can take ``{duration}`` or ``{names}`` and read naturally.
"""

from __future__ import annotations

import datetime as dt


def spoken_duration(value: dt.timedelta) -> str:
    """A duration the way people say it: "20 minutes", "an hour", "90 seconds" becomes "a minute and a half"."""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} second" + ("" if seconds == 1 else "s")
    minutes, rest = divmod(seconds, 60)
    if minutes == 1 and rest >= 30:
        return "a minute and a half"
    if minutes < 60:
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    hours, minutes = divmod(minutes, 60)
    hour_text = "an hour" if hours == 1 else f"{hours} hours"
    if minutes == 30:
        return f"{hour_text} and a half"
    return hour_text if minutes == 0 else f"{hour_text} and {minutes} minutes"


def spoken_remaining(value: dt.timedelta | None) -> str:
    """Time left on a timer, the way people read a clock: "about 6 minutes", "less than a minute" near the end."""
    seconds = value.total_seconds() if value else 0
    if seconds < 60:
        return "less than a minute"
    return "about " + spoken_duration(dt.timedelta(minutes=round(seconds / 60)))


def spoken_list(items: list[str]) -> str:
    """"a, b, and c" for reading choices aloud."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]
