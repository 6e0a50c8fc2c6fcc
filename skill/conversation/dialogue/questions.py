"""Yes/no questions: each has a name, kept in session state while it waits, and what a yes, a no and an "I don't
know" do. People answer in their own words, so every question must say what "not sure" means for it: a safe
default, said with a word on why.

"Yes" and "no" mean something only as the answer to the question that is waiting, so every feature registers its
questions here, and the answer handler routes by the waiting question's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from skill.conversation.dialogue.registry import Registry
from skill.conversation.names import NO, SOMETIMES, YES

# An answer takes the turn and the data of the offer being answered and returns the response; the handlers define
# both, so the type stays open here.
Answer = Callable[[Any, dict], Any]




@dataclass(frozen=True)
class YesNoQuestion:
    name: str
    yes: Answer
    no: Answer
    unsure: Answer
    sometimes: Answer | None = None  # for questions where "sometimes" is an answer; otherwise it means unsure

    def answer(self, answer: str) -> Answer:
        if answer == SOMETIMES and self.sometimes:
            return self.sometimes
        return {YES: self.yes, NO: self.no}.get(answer, self.unsure)


def question_registry(*groups: Iterable[YesNoQuestion]) -> Registry[YesNoQuestion]:
    return Registry("question", ((q.name, q) for group in groups for q in group))
