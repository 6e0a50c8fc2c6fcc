"""The self-check as a walk-through: each question is the offer that ends its item, so skip, go back and repeat
are the shared Next, Previous and Repeat. Answers stay in the session and are gone when it ends: they are health
information, which skills may not collect."""

from __future__ import annotations

from collections.abc import Iterable

from skill.content import Content
from skill.content.model import SelfCheckQuestion
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.flows import Flow, Offer
from skill.conversation.names import SELFCHECK, SELFCHECK_ANSWER, STANDARD
from skill.conversation.speech import Line, Speaker
from skill.conversation.state import State

NEEDS_ADVICE = {"NO", "SOMETIMES", "UNSURE"}


class SelfCheckFlow(Flow):
    name = SELFCHECK
    resumable = False  # a bookmark would be a hint about someone's health, and answers are not kept anyway
    goodbye = keys.SELFCHECK_STOPPED

    def __init__(self, content: Content) -> None:
        self._questions = content.selfcheck.questions

    def variants(self) -> tuple[str, ...]:
        return (STANDARD,)

    def heading(self, say: Speaker, variant: str, index: int) -> Line:
        return Line()  # each question speaks for itself

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
    """The end of the self-check: each habit's advice was said with its answer, so this only closes; the whole
    advice is on a card with encouragement for each answer, what to expect and further reading."""
    answered = [q for q in questions if q.id in answers]
    tips = [q for q in answered if answers[q.id] in NEEDS_ADVICE]
    if not answered:
        line = say(keys.SELFCHECK_SUMMARY_INTRO) + say(keys.SELFCHECK_SKIPPED_ALL)
    elif not tips:
        line = say(keys.SELFCHECK_SUMMARY_INTRO) + say(keys.SELFCHECK_ALL_GOOD)
    else:
        line = say(keys.SELFCHECK_TIPS)
    line += say(keys.SELFCHECK_GOODBYE)
    card = [f"{q.title}: {q.advice if q in tips else q.encourage}" for q in answered]
    card += [say(keys.SELFCHECK_CLOSING).speech.plain(), say(keys.SELFCHECK_FURTHER_READING).speech.plain()]
    return Line(line.speech, card=(say.item(keys.SELFCHECK_CLOSING).card_title, "\n".join(card)))
