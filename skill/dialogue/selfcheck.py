"""The self-check as a walk-through: each question is the offer that ends its item, so skip, go back and repeat
are the shared Next, Previous and Repeat. Answers stay in the session and are gone when it ends: they are health
information, which skills may not collect."""

from __future__ import annotations

from collections.abc import Iterable

from skill.content import Content
from skill.content.model import SelfCheckQuestion
from skill.dialogue.flows import Flow, Offer
from skill.speech import Line, Speaker
from skill.state import State

SELFCHECK, STANDARD = "selfcheck", "standard"
SELFCHECK_ANSWER = "selfcheck_answer"  # the question waiting while a self-check question is asked
NEEDS_ADVICE = {"NO", "SOMETIMES", "UNSURE"}


class SelfCheckFlow(Flow):
    name = SELFCHECK
    heading = "selfcheck.heading"
    resumable = False  # a bookmark would be a hint about someone's health, and answers are not kept anyway
    goodbye = "selfcheck.stopped"

    def __init__(self, content: Content) -> None:
        self._questions = content.selfcheck.questions

    def length(self, variant: str) -> int:
        return len(self._questions) if variant == STANDARD else 0

    def title(self, variant: str, index: int) -> str:
        return self._questions[index].title

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return Line()  # the question itself is the offer that ends the item

    def offer(self, say: Speaker, variant: str, index: int) -> Offer:
        question = self._questions[index]
        return Offer(SELFCHECK_ANSWER, {"question": question.id}, say.text(question.ask, question.reprompt))

    def finish(self, say: Speaker, state: State, variant: str) -> Line:
        return summary(say, self._questions, state.session.answers)


def summary(say: Speaker, questions: Iterable[SelfCheckQuestion], answers: dict[str, str]) -> Line:
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
