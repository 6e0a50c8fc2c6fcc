"""The self-check: the safety screen, then four questions about habits, answered by voice, then tips."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.dialogue.selfcheck import NEEDS_ADVICE
from skill.conversation.handlers.base import IntentHandler, Turn
from skill.conversation.handlers.screen import screened_first
from skill.conversation.names import NO, SELFCHECK, SELFCHECK_ANSWER, SELFCHECK_OFFER, SOMETIMES, STANDARD, UNSURE, YES
from skill.conversation.speech import Line

AFTER_SCREEN = "selfcheck"  # the screen's continuation: the habits questions


def start_selfcheck(turn: Turn) -> Response:
    """The safety screen first (once a session), then the four questions about habits."""
    turn.state.session.leave_flow()
    turn.state.session.answers = {}
    return screened_first(turn, AFTER_SCREEN) or habits(turn, {})


def record(turn: Turn, offer: dict, answer: str) -> Response:
    """Keep the answer for the summary, and say the habit's advice now, where it belongs, when it needs some."""
    question = next((q for q in turn.content.selfcheck.questions if q.id == offer.get("question")), None)
    if question:
        turn.state.session.answers[question.id] = answer
    lead = turn.say(keys.UNSURE(SELFCHECK_ANSWER)) if answer == UNSURE else Line()
    if question and answer in NEEDS_ADVICE:
        lead += turn.say.text(question.advice)
    return turn.reply(lead + turn.flows.next(turn.say, turn.state))


def habits(turn: Turn, _: dict, lead: Line | None = None) -> Response:
    """The four questions about habits, the first one now."""
    first = turn.flows.start(turn.say, turn.state, SELFCHECK, STANDARD)
    return turn.ask((lead or Line()) + turn.say(keys.SELFCHECK_INTRO) + first)


def answering(answer: str):
    return lambda turn, offer: record(turn, offer, answer)


QUESTIONS = (
    YesNoQuestion(SELFCHECK_OFFER, yes=lambda turn, _: start_selfcheck(turn),
                  no=lambda turn, _: turn.tell(turn.say(keys.SELFCHECK_DECLINED)),
                  unsure=lambda turn, _: turn.ask(turn.say(keys.UNSURE(SELFCHECK_OFFER)) + turn.guide(keys.HINT))),
    YesNoQuestion(SELFCHECK_ANSWER, yes=answering(YES), no=answering(NO), unsure=answering(UNSURE),
                  sometimes=answering(SOMETIMES)),
)


class SelfCheckHandler(IntentHandler):
    """"Start the self check", "check my habits", "why do I keep getting spasms"."""

    intents = ("SelfCheckIntent",)

    def respond(self, turn: Turn) -> Response:
        return start_selfcheck(turn)
