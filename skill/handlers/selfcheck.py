"""The self-check: one safety question, then four questions about habits, answered by voice, then tips.

The questions are a flow, so skip, go back and repeat are the shared Next, Previous and Repeat. Answers stay in
the session and are gone when it ends: they are health information, which skills may not collect.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.content import Content
from skill.flows import Flow, Offer
from skill.handlers.base import IntentHandler, Question, Turn
from skill.speech import Line, Speaker
from skill.state import State

FLOW, VARIANT = "selfcheck", "standard"
ANSWER_SLOT = "answer"
NEEDS_ADVICE = {"NO", "SOMETIMES", "UNSURE"}


class SelfCheckFlow(Flow):
    name = FLOW
    heading = "selfcheck.heading"
    resumable = False  # a bookmark would be a hint about someone's health, and answers are not kept anyway
    goodbye = "selfcheck.stopped"

    def __init__(self, content: Content) -> None:
        self._questions = content.selfcheck.questions

    def length(self, variant: str) -> int:
        return len(self._questions) if variant == VARIANT else 0

    def title(self, variant: str, index: int) -> str:
        return self._questions[index].title

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return Line()  # the question itself is the offer that ends the item

    def offer(self, say: Speaker, variant: str, index: int) -> Offer:
        question = self._questions[index]
        return Offer("selfcheck_answer", {"question": question.id}, say.text(question.ask, question.reprompt))

    def finish(self, say: Speaker, state: State, variant: str) -> Line:
        return summary(say, self._questions, state.session.answers)


def summary(say: Speaker, questions, answers: dict[str, str]) -> Line:
    """Advice for each answer that needs it, encouragement for the rest, then what to expect; also as a card."""
    line = say("selfcheck.summary_intro")
    answered = [q for q in questions if q.id in answers]
    for question in answered:
        line += say.text(question.advice if answers[question.id] in NEEDS_ADVICE else question.encourage)
    if not answered:
        line += say("selfcheck.skipped_all")
    line += say("selfcheck.closing") + say("selfcheck.further_reading")
    title = say.item("selfcheck.closing").card_title
    return Line(line.speech, card=(title, line.speech.plain()))


def start_selfcheck(turn: Turn) -> Response:
    """Every self-check begins with the safety question; a yes there ends it with urgent advice."""
    selfcheck = turn.deps.content.selfcheck
    turn.state.session.leave_flow()
    turn.state.session.answers = {}
    turn.state.session.ask("selfcheck_safety")
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
    return turn.ask(turn.say("selfcheck.all_clear") + turn.flows.start(turn.say, turn.state, FLOW, VARIANT))


QUESTIONS = {
    "selfcheck_offer": Question(yes=lambda turn, _: start_selfcheck(turn),
                                no=lambda turn, _: turn.tell(turn.say("selfcheck.declined"))),
    "selfcheck_safety": Question(yes=safety_yes, no=safety_no),
    "selfcheck_answer": Question(yes=lambda turn, offer: record(turn, offer, "YES"),
                                 no=lambda turn, offer: record(turn, offer, "NO")),
}


class SelfCheckHandler(IntentHandler):
    """"Start the self check", "check my habits", "why do I keep getting spasms"."""

    intents = ("SelfCheckIntent",)

    def respond(self, turn: Turn) -> Response:
        return start_selfcheck(turn)


class SelfCheckAnswerHandler(IntentHandler):
    """"Not really", "sometimes", "I don't know": answers beyond yes and no, while a question waits."""

    intents = ("SelfCheckAnswerIntent",)

    def applies(self, turn: Turn) -> bool:
        return turn.pending == "selfcheck_answer"

    def respond(self, turn: Turn) -> Response:
        answer = turn.slot_id(ANSWER_SLOT)
        if answer is None:
            return turn.ask(turn.say("fallback.sorry") + turn.guide("hint"))
        offer = turn.state.session.offer or {}
        turn.state.session.ask(None)
        return record(turn, offer, answer)
