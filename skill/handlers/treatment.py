"""The treatment plan, read one step per turn, cold first or warmth first depending on when it started."""

from __future__ import annotations

import isodate
from ask_sdk_model import Response

from skill.content import Content, spoken_duration
from skill.flows import Flow, Offer
from skill.handlers.base import IntentHandler, Question, Turn, notice_once
from skill.speech import Line, Speaker

FLOW = "treatment"
ONSET_SLOT = "onset"
RECENT, EARLIER = "RECENT", "EARLIER"


class TreatmentFlow(Flow):
    name = FLOW

    def __init__(self, content: Content) -> None:
        self._plans = content.treatment.plans
        self._timers = content.timers

    def length(self, variant: str) -> int:
        plan = self._plans.get(variant)
        return len(plan.steps) if plan else 0

    def title(self, variant: str, index: int) -> str:
        return self._plans[variant].steps[index].title

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return say.text(self._plans[variant].steps[index].say)

    def offer(self, say: Speaker, variant: str, index: int) -> Offer | None:
        """At a cold or warmth step, offer to time it: Amazon wants a yes before a skill sets a timer itself.
        At the end, offer the self-check."""
        if index == self.length(variant) - 1:
            return Offer("selfcheck_offer", {}, say("selfcheck.offer"))
        kind = self._plans[variant].steps[index].timer
        if kind is None:
            return None
        therapy = self._timers[kind].therapy
        line = say("timer.offer", therapy=therapy.name, duration=spoken_duration(therapy.default))
        return Offer("timer_offer", {"kind": kind, "duration": isodate.duration_isoformat(therapy.default)}, line)


def start_plan(turn: Turn, recent: bool) -> Response:
    treatment = turn.deps.content.treatment
    plan = treatment.recent_plan if recent else treatment.later_plan
    intro = turn.say(f"treatment.intro.{plan}")
    return turn.ask(notice_once(turn) + intro + turn.flows.start(turn.say, turn.state, FLOW, plan))


def ask_onset(turn: Turn, prefix: Line | None = None) -> Response:
    turn.state.session.ask("onset")
    return turn.ask((prefix or Line()) + turn.say("treatment.ask_onset"))


def begin(turn: Turn) -> Response:
    """Start the treatment steps, using when the spasm started if the user already said."""
    onset = turn.slot_id(ONSET_SLOT)
    if onset in (RECENT, EARLIER):
        return start_plan(turn, onset == RECENT)
    return ask_onset(turn, notice_once(turn))


def offer_resume(turn: Turn) -> Response:
    bookmark = turn.state.user.bookmark
    turn.state.session.ask("resume")
    return turn.ask(turn.say("launch.resume_offer", **turn.flows.position(bookmark)))


def resume_bookmark(turn: Turn) -> Response:
    return turn.ask(turn.flows.resume(turn.say, turn.state, turn.state.user.bookmark))


def decline_resume(turn: Turn) -> Response:
    turn.state.update_user(bookmark=None)
    turn.state.session.ask("start_offer")
    return turn.ask(turn.say("treatment.fresh_start") + turn.say("hint.home"))


def decline_steps(turn: Turn) -> Response:
    turn.state.session.ask(None)
    return turn.tell(turn.say("treatment.declined"))


QUESTIONS = {
    "start_offer": Question(yes=lambda turn, _: begin(turn), no=lambda turn, _: decline_steps(turn)),
    "onset": Question(yes=lambda turn, _: start_plan(turn, True), no=lambda turn, _: start_plan(turn, False)),
    "resume": Question(yes=lambda turn, _: resume_bookmark(turn), no=lambda turn, _: decline_resume(turn)),
}


class TreatmentIntentHandler(IntentHandler):
    """"What should I do for my back spasm", "read me the treatment steps", "my back spasmed this morning"."""

    intents = ("TreatmentIntent",)

    def respond(self, turn: Turn) -> Response:
        if turn.slot_id(ONSET_SLOT) is None:
            cursor = turn.cursor
            if cursor and cursor.flow == FLOW:
                return turn.ask(turn.flows.repeat(turn.say, turn.state))
            if turn.flows.valid(turn.state.user.bookmark) and turn.state.user.bookmark.flow == FLOW:
                return offer_resume(turn)
        return begin(turn)


class SpasmOnsetHandler(IntentHandler):
    """"It started yesterday", "about a week ago": answers the onset question, or starts the plan."""

    intents = ("SpasmOnsetIntent",)

    def respond(self, turn: Turn) -> Response:
        onset = turn.slot_id(ONSET_SLOT)
        if onset in (RECENT, EARLIER):
            return start_plan(turn, onset == RECENT)
        turn.state.session.ask("onset")
        return turn.ask(turn.say("treatment.onset_unclear") + turn.say("hint.onset"))
