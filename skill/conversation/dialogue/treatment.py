"""The treatment plan as a walk-through: the main part for the day the person is in, one step per turn, a timer
offered at the cold and warmth steps, then a little more if they want it, and the self-check offered at the end."""

from __future__ import annotations

from skill.content import Content
from skill.content.phrasing import spoken_duration
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.flows import Flow, Offer
from skill.conversation.names import ONSET, PLAN_MORE, SELFCHECK_OFFER, TIMER_OFFER, TREATMENT
from skill.conversation.speech import Line, Speaker
from skill.foundations.times import iso_duration

# The questions this walk-through asks; the handlers that answer them register under these names.


class TreatmentFlow(Flow):
    name = TREATMENT
    variant_tells_health = True  # the plan says whether the spasm began in the last two days

    def __init__(self, content: Content) -> None:
        self._plans = content.treatment.plans
        self._timers = content.timers

    def variants(self) -> tuple[str, ...]:
        return tuple(self._plans)

    def length(self, variant: str) -> int:
        plan = self._plans.get(variant)
        return len(plan.steps) if plan else 0

    def title(self, variant: str, index: int) -> str:
        return self._plans[variant].steps[index].title

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return say.text(self._plans[variant].steps[index].say)

    def place(self, say: Speaker, index: int | None) -> Offer:
        """Ask again when it began: the answer is not kept, and days may have passed, so the plan may now differ.
        Starting over (no step) is a new plan, asked as the first time."""
        return Offer(ONSET, {"index": index}, say(keys.TREATMENT_ASK_ONSET_AGAIN if index is not None
                                                  else keys.TREATMENT_ASK_ONSET))

    def offer(self, say: Speaker, variant: str, index: int) -> Offer | None:
        """At a cold or warmth step, offer to time it: Amazon wants a yes before a skill sets a timer itself.
        At the end of the main part, offer the rest; at the very end, the self-check."""
        if index == self.length(variant) - 1:
            return Offer(SELFCHECK_OFFER, {}, say(keys.SELFCHECK_OFFER))
        if index == self._plans[variant].main - 1:
            return Offer(PLAN_MORE, {}, say(keys.TREATMENT_MORE_OFFER))
        kind = self._plans[variant].steps[index].timer
        if kind is None:
            return None
        therapy = self._timers[kind].therapy
        line = say(keys.TIMER_OFFER, therapy=therapy.name, duration=spoken_duration(therapy.default))
        return Offer(TIMER_OFFER, {"kind": kind, "duration": iso_duration(therapy.default)}, line)
