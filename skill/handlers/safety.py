"""Red flags, recognised from any point of the conversation and answered at once, at the tier of the sign said,
calmly, without diagnosing.

A sign reaches the skill three ways: a whole sentence about it ("I peed my pants", the sign's own intent), a carrier
phrase with a value the model knows ("I've got {flag}"), or a carrier phrase with words it does not, which are read
with the lexicon (``skill.content.hearing``); words that name no sign still hear the emergency route.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.content.model import TIERS, RedFlag
from skill.dialogue.exercises import EXERCISE, MASSAGE
from skill.handlers.base import Deps, IntentHandler, Turn
from skill.speech import Line
from skill.speech_keys import HINT, SAFETY_TIER, SAFETY_TITLE

FLAG_INTENT, FLAG_SLOT, AGE_SLOT = "RedFlagIntent", "flag", "age"
EMERGENCY, URGENT, DOCTOR = TIERS
ENDS_SESSION = {EMERGENCY, URGENT}
MOVEMENT_FLOWS = (EXERCISE, MASSAGE)


def advice(turn: Turn, flag: RedFlag | str, said: Line | None = None) -> Line:
    """What to do for a sign (or a tier, or ``said`` at that tier), spoken and on a card in the same words, so it
    can be read again."""
    tier = flag if isinstance(flag, str) else flag.tier
    line = said or (turn.say.text(flag.say) if isinstance(flag, RedFlag) and flag.say else turn.say(SAFETY_TIER(tier)))
    return line + Line(card=(turn.say(SAFETY_TITLE(tier)).speech.plain(), line.speech.plain()))


def act_on(turn: Turn, flag: RedFlag | str, said: Line | None = None) -> Response:
    """Emergency and doctor-today signs end the session so the person can act on them. Any sign stops a movement
    (each exercise's own stop rule says so); a doctor-soon sign said elsewhere goes back to where the user was."""
    tier = flag if isinstance(flag, str) else flag.tier
    cursor = turn.cursor
    if tier in ENDS_SESSION:  # what to do comes first; ending the session stops any movement
        turn.state.session.leave_flow()
        return turn.tell(advice(turn, flag, said))
    if cursor and cursor.flow in MOVEMENT_FLOWS:
        turn.flows.keep(turn.state, cursor)
        turn.state.session.leave_flow()
        return turn.tell(turn.say("safety.stop_movement") + advice(turn, flag, said))
    return turn.ask(advice(turn, flag, said) + turn.guide(HINT))


class RedFlagHandler(IntentHandler):
    """"I have numbness in my groin", "my legs went from under me", "I've got {words the model doesn't know}"."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        signs = sorted({flag.intent for flag in deps.content.red_flags.values() if flag.intent})
        self.intents = (FLAG_INTENT, *signs)

    def respond(self, turn: Turn) -> Response:
        flag = self.named(turn)
        if flag is None:
            # Words the lexicon cannot place: the emergency route, said plainly, never a return to coaching.
            return turn.ask(turn.say("safety.unclear") + turn.guide(HINT))
        return act_on(turn, flag)

    @staticmethod
    def named(turn: Turn) -> RedFlag | None:
        return turn.content.sign_heard(turn.input.request_envelope.request.intent.name, turn.slot_id(FLAG_SLOT),
                                       turn.slot_value(FLAG_SLOT), turn.slot_value(AGE_SLOT))
