"""Red flags, recognised from any point of the conversation and answered at once, at the tier of the sign said,
calmly, without diagnosing.

A sign reaches the skill three ways: a whole sentence about it ("I peed my pants", the sign's own intent), a carrier
phrase with a value the model knows ("I've got {flag}"), or a carrier phrase with words it does not, which are read
with the lexicon (``skill.content.hearing``); words that name no sign still hear the emergency route.
"""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_model import Response

from skill.content.model import EMERGENCY, URGENT, RedFlag
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import Deps, IntentHandler, Turn
from skill.conversation.names import EXERCISE, FLAG_INTENT, MASSAGE, PREGNANCY, WEIGHT_WITHOUT_TRYING
from skill.conversation.speech import Line

FLAG_SLOT, AGE_SLOT = "flag", "age"
WEIGHT_LOSS = "WEIGHT_LOSS"  # the sign it is, in content/redflags.yaml
PREGNANT = "PREGNANT"  # the sign that changes the coaching: no lying on the back, no heat on the belly
ENDS_SESSION = {EMERGENCY, URGENT}
MOVEMENT_FLOWS = (EXERCISE, MASSAGE)


def noted(turn: Turn, flag: RedFlag | str) -> None:
    """Remember, for this session only, a sign that changes what is safe to coach."""
    if isinstance(flag, RedFlag) and flag.id == PREGNANT:
        turn.state.session.pass_check(PREGNANCY)


def pregnant(turn: Turn) -> bool:
    return turn.state.session.passed(PREGNANCY)


def advice(turn: Turn, flag: RedFlag | str, said: Line | None = None) -> Line:
    """What to do for a sign (or a tier, or ``said`` at that tier), spoken and on a card in the same words, so it
    can be read again."""
    tier = flag if isinstance(flag, str) else flag.tier
    own_words = isinstance(flag, RedFlag) and flag.say
    line = said or (turn.say.text(flag.say) if own_words else turn.say(keys.SAFETY_TIER(tier)))
    return line + Line(card=(turn.say(keys.SAFETY_TITLE(tier)).speech.plain(), line.speech.plain()))


def act_on(turn: Turn, flag: RedFlag | str, said: Line | None = None) -> Response:
    """Emergency and doctor-today signs end the session so the person can act on them. Any sign stops a movement
    (each exercise's own stop rule says so); a doctor-soon sign said elsewhere goes back to where the user was."""
    tier = flag if isinstance(flag, str) else flag.tier
    cursor = turn.cursor
    noted(turn, flag)
    if tier in ENDS_SESSION:  # what to do comes first; ending the session stops any movement
        turn.state.session.leave_flow()
        return turn.tell(advice(turn, flag, said))
    if cursor and cursor.flow in MOVEMENT_FLOWS:  # back later at the gentlest step, not where the sign came
        turn.flows.keep(turn.state, turn.flows.get(cursor.flow).gentlest(cursor))
        turn.state.session.leave_flow()
        return turn.tell(turn.say(keys.SAFETY_STOP_MOVEMENT) + advice(turn, flag, said))
    return turn.ask(advice(turn, flag, said) + turn.guide(keys.HINT))


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
            return turn.ask(turn.say(keys.SAFETY_UNCLEAR) + turn.guide(keys.HINT))
        return act_on(turn, flag)

    @staticmethod
    def named(turn: Turn) -> RedFlag | None:
        return turn.content.sign_heard(turn.input.request_envelope.request.intent.name, turn.slot_id(FLAG_SLOT),
                                       turn.slot_value(FLAG_SLOT), turn.slot_value(AGE_SLOT))


class WeightChangeHandler(IntentHandler):
    """"I've lost weight": a sign only when it was without trying, so that is asked, and what was waiting before
    waits again after the answer."""

    intents = ("WeightChangeIntent",)

    def respond(self, turn: Turn) -> Response:
        turn.state.session.ask(WEIGHT_WITHOUT_TRYING, {"was": turn.pending, "offer": turn.state.session.offer})
        return turn.ask(turn.say(keys.SAFETY_WEIGHT_ASKED))


def _back(key: str) -> Callable[[Turn, dict], Response]:
    """Say ``key``, then go back to the question that was waiting (if any) or to where the user was."""
    def answer(turn: Turn, offer: dict) -> Response:
        was, kept = offer.get("was"), offer.get("offer")
        if isinstance(was, str) and was != WEIGHT_WITHOUT_TRYING:
            turn.state.session.ask(was, kept if isinstance(kept, dict) else None)
        return turn.ask(turn.say(key) + turn.guide(keys.HINT))
    return answer


QUESTIONS = (
    # Not knowing why the weight went is weight lost without trying: the same-day route.
    YesNoQuestion(WEIGHT_WITHOUT_TRYING, yes=lambda turn, _: act_on(turn, turn.content.red_flags[WEIGHT_LOSS]),
                  no=_back(keys.SAFETY_WEIGHT_OTHER),
                  unsure=lambda turn, _: act_on(turn, turn.content.red_flags[WEIGHT_LOSS],
                                                turn.say(keys.UNSURE(WEIGHT_WITHOUT_TRYING)))),
)
