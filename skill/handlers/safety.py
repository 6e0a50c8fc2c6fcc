"""Red flags, recognised from any point of the conversation and answered at once, at the tier of the sign said,
calmly, without diagnosing."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.base import IntentHandler, Turn
from skill.speech import Line
from skill.speech_keys import HINT, SAFETY_TIER, SAFETY_TITLE

FLAG_SLOT = "flag"
EMERGENCY, URGENT, DOCTOR = "emergency", "urgent", "doctor"
ENDS_SESSION = {EMERGENCY, URGENT}


def advice(turn: Turn, tier: str) -> Line:
    """What to do for a sign of this tier, spoken and on a card in the same words, so it can be read again."""
    line = turn.say(SAFETY_TIER(tier))
    return line + Line(card=(turn.say(SAFETY_TITLE(tier)).speech.plain(), line.speech.plain()))


def act_on(turn: Turn, tier: str) -> Response:
    """Emergency and doctor-today signs end the session so the person can act on them; a doctor-soon sign goes back
    to where the user was."""
    if tier in ENDS_SESSION:
        turn.state.session.leave_flow()
        return turn.tell(advice(turn, tier))
    return turn.ask(advice(turn, tier) + turn.guide(HINT))


class RedFlagHandler(IntentHandler):
    """"I have numbness in my groin", "my legs are going weak", "I slipped on the ice", "I have sciatica"."""

    intents = ("RedFlagIntent",)

    def respond(self, turn: Turn) -> Response:
        flag = turn.content.red_flags.get(turn.slot_id(FLAG_SLOT) or "")
        if flag is None:
            return turn.ask(turn.say("safety.unclear") + turn.guide(HINT))
        return act_on(turn, flag.tier)
