"""The self-check: one safety question, then four questions about habits, answered by voice, then tips."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.dialogue.questions import YesNoQuestion
from skill.dialogue.selfcheck import SELFCHECK, SELFCHECK_ANSWER, STANDARD
from skill.dialogue.treatment import SELFCHECK_OFFER
from skill.handlers.base import IntentHandler, Turn
from skill.speech_keys import HINT

ANSWER_SLOT = "answer"
SELFCHECK_SAFETY = "selfcheck_safety"  # the question asked before any other: any sign that needs help now?


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
    return turn.reply(turn.flows.next(turn.say, turn.state))


def safety_yes(turn: Turn, _: dict) -> Response:
    turn.state.session.leave_flow()
    return turn.tell(turn.say("safety.emergency"))


def safety_no(turn: Turn, _: dict) -> Response:
    return turn.ask(turn.say("selfcheck.all_clear") + turn.flows.start(turn.say, turn.state, SELFCHECK, STANDARD))


QUESTIONS = (
    YesNoQuestion(SELFCHECK_OFFER, yes=lambda turn, _: start_selfcheck(turn),
                  no=lambda turn, _: turn.tell(turn.say("selfcheck.declined"))),
    YesNoQuestion(SELFCHECK_SAFETY, yes=safety_yes, no=safety_no),
    YesNoQuestion(SELFCHECK_ANSWER, yes=lambda turn, offer: record(turn, offer, "YES"),
                  no=lambda turn, offer: record(turn, offer, "NO")),
)


class SelfCheckHandler(IntentHandler):
    """"Start the self check", "check my habits", "why do I keep getting spasms"."""

    intents = ("SelfCheckIntent",)

    def respond(self, turn: Turn) -> Response:
        return start_selfcheck(turn)


class SelfCheckAnswerHandler(IntentHandler):
    """"Not really", "sometimes", "I don't know": answers beyond yes and no, while a question waits."""

    intents = ("SelfCheckAnswerIntent",)

    def applies(self, turn: Turn) -> bool:
        return turn.pending == SELFCHECK_ANSWER

    def respond(self, turn: Turn) -> Response:
        answer = turn.slot_id(ANSWER_SLOT)
        if answer is None:
            return turn.ask(turn.say("fallback.sorry") + turn.guide(HINT))
        offer = turn.state.session.offer or {}
        turn.state.session.ask(None)
        return record(turn, offer, answer)
