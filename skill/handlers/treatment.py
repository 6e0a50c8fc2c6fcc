"""The treatment plan, read one step per turn, cold first or warmth first depending on when it started."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.dialogue.questions import YesNoQuestion
from skill.dialogue.treatment import TREATMENT
from skill.handlers.base import START_OFFER, IntentHandler, Turn, notice_once, start_flow
from skill.speech_keys import HINT, TREATMENT_INTRO

ONSET_SLOT = "onset"
RECENT, EARLIER = "RECENT", "EARLIER"
ONSET, RESUME = "onset", "resume"  # the questions "did it start in the last two days?" and "pick up there?"


def start_plan(turn: Turn, recent: bool) -> Response:
    treatment = turn.deps.content.treatment
    plan = treatment.recent_plan if recent else treatment.later_plan
    return start_flow(turn, TREATMENT, plan, intro=turn.say(TREATMENT_INTRO(plan)))


def begin_treatment(turn: Turn) -> Response:
    """Start the treatment steps, using when the spasm started if the user already said; otherwise ask."""
    onset = turn.slot_id(ONSET_SLOT)
    if onset in (RECENT, EARLIER):
        return start_plan(turn, onset == RECENT)
    turn.state.session.ask(ONSET)
    return turn.ask(notice_once(turn) + turn.say("treatment.ask_onset"))


def offer_resume(turn: Turn) -> Response:
    bookmark = turn.state.user.bookmark
    turn.state.session.ask(RESUME)
    return turn.ask(turn.say("launch.resume_offer", **turn.flows.position(bookmark)))


def resume_bookmark(turn: Turn) -> Response:
    return turn.ask(turn.flows.resume(turn.say, turn.state, turn.state.user.bookmark))


def decline_resume(turn: Turn) -> Response:
    turn.state.update_user(bookmark=None)
    turn.state.session.ask(START_OFFER)
    return turn.ask(turn.say("treatment.fresh_start") + turn.say("hint.home"))


def decline_steps(turn: Turn) -> Response:
    return turn.tell(turn.say("treatment.declined"))


QUESTIONS = (
    YesNoQuestion(START_OFFER, yes=lambda turn, _: begin_treatment(turn), no=lambda turn, _: decline_steps(turn)),
    YesNoQuestion(ONSET, yes=lambda turn, _: start_plan(turn, True), no=lambda turn, _: start_plan(turn, False)),
    YesNoQuestion(RESUME, yes=lambda turn, _: resume_bookmark(turn), no=lambda turn, _: decline_resume(turn)),
)


class TreatmentIntentHandler(IntentHandler):
    """"What should I do for my back spasm", "read me the treatment steps", "my back spasmed this morning"."""

    intents = ("TreatmentIntent",)

    def respond(self, turn: Turn) -> Response:
        if turn.slot_id(ONSET_SLOT) is None:
            cursor = turn.cursor
            if cursor and cursor.flow == TREATMENT:
                return turn.ask(turn.flows.repeat(turn.say, turn.state))
            bookmark = turn.state.user.bookmark
            if turn.flows.valid(bookmark) and bookmark.flow == TREATMENT:
                return offer_resume(turn)
        return begin_treatment(turn)


class SpasmOnsetHandler(IntentHandler):
    """"It started yesterday", "about a week ago": answers the onset question, or starts the plan."""

    intents = ("SpasmOnsetIntent",)

    def respond(self, turn: Turn) -> Response:
        onset = turn.slot_id(ONSET_SLOT)
        if onset in (RECENT, EARLIER):
            return start_plan(turn, onset == RECENT)
        turn.state.session.ask(ONSET)
        return turn.ask(turn.say("treatment.onset_unclear") + turn.say(HINT(ONSET)))


