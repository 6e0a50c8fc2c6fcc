"""English phrasing of values the code fills into content: durations and lists, said the way people say them, and
words said one way and shown another.

Sentences live in ``content/``; only the words for a number or a list are made here, so every item in
``speech.yaml`` can take ``{duration}`` or ``{names}`` and read naturally.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from xml.sax.saxutils import unescape


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
    if hours >= 24 and not minutes and not hours % 24:  # "3 weeks", "2 days": a length of recovery, not of a timer
        days = hours // 24
        weeks, odd = divmod(days, 7)
        if not odd:
            return "a week" if weeks == 1 else f"{weeks} weeks"
        return "a day" if days == 1 else f"{days} days"
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


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
             "nineteenth", "twentieth")


def ordinal(number: int) -> str:
    """1 -> "first": a place in a list said as people say it."""
    return _ORDINALS[number - 1] if 1 <= number <= len(_ORDINALS) else f"number {number}"


def spoken_list(items: list[str]) -> str:
    """"a, b, and c" for reading choices aloud."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


# ⟦999|nine nine nine⟧, from a locale's {say, show} value: shown on cards, said through SSML <sub>.
SAID_AS = re.compile(r"⟦([^|⟦⟧]*)\|([^|⟦⟧]*)⟧")
_SUB = re.compile(r'<sub alias="([^"]*)">[^<]*</sub>')


def said_as(show: str, say: str) -> str:
    """The marker for text shown as ``show`` and said as ``say``."""
    return f"⟦{show}|{say}⟧"


def spoken(text: str) -> str:
    """Content text as it is heard."""
    return SAID_AS.sub(lambda match: match.group(2), text)


def shown(text: str) -> str:
    """Content text as a card shows it."""
    return SAID_AS.sub(lambda match: match.group(1), text)


def heard(ssml: str) -> str:
    """The words of rendered SSML as a listener hears them: a <sub> by its alias, other markup dropped."""
    text = re.sub(r"<[^>]+>", " ", _SUB.sub(lambda match: match.group(1), ssml))
    return " ".join(unescape(text).split())


def spelled(text: str, spelling: Mapping[str, str]) -> str:
    """``text`` with each word of ``spelling`` written the locale's way ("color" as "colour"), keeping its
    capital. Whole words only: each form a locale spells differently ("recognizes") is listed."""
    if not spelling:
        return text

    def respell(match: re.Match) -> str:
        word = match.group(0)
        local = spelling[word.lower()]
        return local[0].upper() + local[1:] if word[0].isupper() else local

    return re.sub(r"\b(?:" + "|".join(map(re.escape, spelling)) + r")\b", respell, text, flags=re.IGNORECASE)
