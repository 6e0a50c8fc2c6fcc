"""Red flags, recognised from any point of the conversation and answered at once, calmly, without diagnosing."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.base import IntentHandler, Turn
from skill.speech_keys import HINT, SAFETY_TIER

FLAG_SLOT = "flag"
URGENT_TIERS = {"emergency", "urgent"}


class RedFlagHandler(IntentHandler):
    """"I have numbness in my groin", "my legs are going weak", "I hurt my back in a car accident"."""

    intents = ("RedFlagIntent",)

    def respond(self, turn: Turn) -> Response:
        flag = turn.deps.content.red_flags.get(turn.slot_id(FLAG_SLOT) or "")
        if flag and flag.tier in URGENT_TIERS:
            # Nothing else matters this turn: end the session so the person can act on it.
            turn.state.session.leave_flow()
            return turn.tell(turn.say(SAFETY_TIER(flag.tier)))
        key = SAFETY_TIER(flag.tier) if flag else "safety.unclear"
        return turn.ask(turn.say(key) + turn.guide(HINT))
