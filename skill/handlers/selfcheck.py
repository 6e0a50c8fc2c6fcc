"""The self-check: one safety question, then four questions about habits, answered by voice, then tips."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.dialogue.questions import NO, SOMETIMES, UNSURE, YES, YesNoQuestion
from skill.dialogue.selfcheck import SELFCHECK, SELFCHECK_ANSWER, STANDARD
from skill.dialogue.treatment import SELFCHECK_OFFER
from skill.handlers.base import IntentHandler, Turn
from skill.speech import Line
from skill.speech_keys import UNSURE as UNSURE_SPEECH

SELFCHECK_SAFETY = "selfcheck_safety"  # the question asked before any other: any sign that needs help now?
SELFCHECK_GO_ON = "selfcheck_go_on"  # after "not sure" to the safety question: carry on with the habits?


def start_selfcheck(turn: Turn) -> Response:
    """Every self-check begins with the safety question; a yes there ends it with urgent advice."""
    selfcheck = turn.deps.content.selfcheck
    turn.state.session.leave_flow()
    turn.state.session.answers = {}
    turn.state.session.ask(SELFCHECK_SAFETY)
    return turn.ask(turn.say.text(selfcheck.safety_ask, selfcheck.safety_reprompt))


def record(turn: Turn, offer: dict, answer: str) -> Response:
    question = offer.get("question")
    if question:
        turn.state.session.answers[question] = answer
    lead = turn.say(UNSURE_SPEECH(SELFCHECK_ANSWER)) if answer == UNSURE else Line()
    return turn.reply(lead + turn.flows.next(turn.say, turn.state))


def safety_yes(turn: Turn, _: dict) -> Response:
    turn.state.session.leave_flow()
    return turn.tell(turn.say("safety.emergency"))


def habits(turn: Turn, _: dict, lead: Line | None = None) -> Response:
    """The four questions about habits, the first one now."""
    return turn.ask((lead or Line()) + turn.flows.start(turn.say, turn.state, SELFCHECK, STANDARD))


def safety_no(turn: Turn, offer: dict) -> Response:
    return habits(turn, offer, lead=turn.say("selfcheck.all_clear"))


def safety_unsure(turn: Turn, _: dict) -> Response:
    """Not sure about a warning sign: cautious advice, then the choice to go on, since the habits questions are
    harmless either way."""
    turn.state.session.ask(SELFCHECK_GO_ON)
    return turn.ask(turn.say(UNSURE_SPEECH(SELFCHECK_SAFETY)))


def stop(turn: Turn, _: dict) -> Response:
    return turn.tell(turn.say("selfcheck.stopped"))


def answering(answer: str):
    return lambda turn, offer: record(turn, offer, answer)


QUESTIONS = (
    YesNoQuestion(SELFCHECK_OFFER, yes=lambda turn, _: start_selfcheck(turn),
                  no=lambda turn, _: turn.tell(turn.say("selfcheck.declined")),
                  unsure=lambda turn, _: turn.tell(turn.say(UNSURE_SPEECH(SELFCHECK_OFFER)))),
    YesNoQuestion(SELFCHECK_SAFETY, yes=safety_yes, no=safety_no, unsure=safety_unsure),
    YesNoQuestion(SELFCHECK_GO_ON, yes=habits, no=stop, unsure=stop),
    YesNoQuestion(SELFCHECK_ANSWER, yes=answering(YES), no=answering(NO), unsure=answering(UNSURE),
                  sometimes=answering(SOMETIMES)),
)


class SelfCheckHandler(IntentHandler):
    """"Start the self check", "check my habits", "why do I keep getting spasms"."""

    intents = ("SelfCheckIntent",)

    def respond(self, turn: Turn) -> Response:
        return start_selfcheck(turn)
