"""``spasm-coach fallbacks LOG``: the post-release measure of the safety case (docs/clinical-safety.md, H14): how
often people were not understood where safety depends on it, counted from the service's JSON request lines.

Each request line carries the intent Alexa heard and the place it found the user (``skill.foundations.logs.place``); a
fallback at the safety screen, in an exercise or at a timer question is a person the skill may have missed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from skill.conversation.handlers.screen import ASKED
from skill.conversation.names import (
    EXERCISE,
    HEAT_EARLY,
    MASSAGE,
    RISK_WHICH,
    SCREEN_GO_ON,
    SETTLED,
    TIMER_OFFER,
    TIMER_SWITCH,
    TIMER_WHICH,
    WEIGHT_WITHOUT_TRYING,
)
from skill.foundations.alexa_platform import FALLBACK_INTENT

PLACES = {
    "screen": {*ASKED, RISK_WHICH, SCREEN_GO_ON, SETTLED, WEIGHT_WITHOUT_TRYING},
    "exercise": {EXERCISE, MASSAGE},
    "timers": {TIMER_OFFER, TIMER_SWITCH, TIMER_WHICH, HEAT_EARLY},
}


def rates(lines: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(fallbacks, requests) for each safety-relevant group of places, from JSON log lines (others are skipped)."""
    asked, missed = Counter[str](), Counter[str]()
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict) or record.get("message") != "request":
            continue
        for group, places in PLACES.items():
            if record.get("place") in places:
                asked[group] += 1
                missed[group] += record.get("intent") == FALLBACK_INTENT
    return {group: (missed[group], asked[group]) for group in PLACES}


def report(counts: dict[str, tuple[int, int]]) -> str:
    return "\n".join(f"{group}: {missed} of {asked} not understood"
                     + (f" ({missed / asked:.1%})" if asked else "") for group, (missed, asked) in counts.items())
