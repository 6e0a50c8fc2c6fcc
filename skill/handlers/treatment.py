"""The treatment plan, read one step per turn, cold first or warmth first depending on when it started."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.dialogue.onset import is_recent
from skill.dialogue.questions import YesNoQuestion
from skill.dialogue.treatment import TREATMENT
from skill.handlers.base import START_OFFER, IntentHandler, Turn, notice_once, start_flow
from skill.speech import Line
from skill.speech_keys import HINT, TREATMENT_INTRO, UNSURE
from skill.times import utc_now

ONSET_SLOT, DATE_SLOT, AGO_SLOT, DAY_SLOT = "onset", "date", "ago", "day"
RECENT, EARLIER = "RECENT", "EARLIER"
ONSET, RESUME = "onset", "resume"  # the questions "did it start in the last two days?" and "pick up there?"


def said_onset(turn: Turn) -> bool | None:
    """Whether the user said the spasm is recent (True), older (False), or nothing we could place (None)."""
    onset = turn.slot_id(ONSET_SLOT)
    if onset in (RECENT, EARLIER):
        return onset == RECENT
    request = turn.input.request_envelope.request
    today = (request.timestamp or utc_now()).date()
    return is_recent(turn.deps.content.treatment.recent_onset, today, date=turn.slot_value(DATE_SLOT),
                     ago=turn.slot_value(AGO_SLOT), day=turn.slot_value(DAY_SLOT))


def start_plan(turn: Turn, recent: bool, intro: Line | None = None) -> Response:
    treatment = turn.deps.content.treatment
    plan = treatment.recent_plan if recent else treatment.later_plan
    return start_flow(turn, TREATMENT, plan, intro=intro or turn.say(TREATMENT_INTRO(plan)))


def begin_treatment(turn: Turn, lead: Line | None = None) -> Response:
    """Start the treatment steps, using when the spasm started if the user already said; otherwise ask."""
    recent = said_onset(turn)
    if recent is not None:
        return start_plan(turn, recent)
    turn.state.session.ask(ONSET)
    return turn.ask(notice_once(turn) + (lead or Line()) + turn.say("treatment.ask_onset"))


def offer_resume(turn: Turn) -> Response:
    bookmark = turn.state.user.bookmark
    turn.state.session.ask(RESUME)
    return turn.ask(turn.say("launch.resume_offer", **turn.flows.position(bookmark)))


def resume_bookmark(turn: Turn, lead: Line | None = None) -> Response:
    return turn.ask((lead or Line()) + turn.flows.resume(turn.say, turn.state, turn.state.user.bookmark))


def decline_resume(turn: Turn) -> Response:
    turn.state.update_user(bookmark=None)
    turn.state.session.ask(START_OFFER)
    return turn.ask(turn.say("treatment.fresh_start") + turn.say("hint.home"))


def decline_steps(turn: Turn) -> Response:
    return turn.tell(turn.say("treatment.declined"))


QUESTIONS = (
    # Not sure whether they want the steps: start them, since stopping is one word away.
    YesNoQuestion(START_OFFER, yes=lambda turn, _: begin_treatment(turn), no=lambda turn, _: decline_steps(turn),
                  unsure=lambda turn, _: begin_treatment(turn, lead=turn.say(UNSURE(START_OFFER)))),
    # Not sure when it started: cold first, which is safe early on, where heat is not.
    YesNoQuestion(ONSET, yes=lambda turn, _: start_plan(turn, True), no=lambda turn, _: start_plan(turn, False),
                  unsure=lambda turn, _: start_plan(turn, True, intro=turn.say(UNSURE(ONSET)))),
    YesNoQuestion(RESUME, yes=lambda turn, _: resume_bookmark(turn), no=lambda turn, _: decline_resume(turn),
                  unsure=lambda turn, _: resume_bookmark(turn, lead=turn.say(UNSURE(RESUME)))),
)


class TreatmentIntentHandler(IntentHandler):
    """"What should I do for my back spasm", "read me the treatment steps", "my back spasmed this morning"."""

    intents = ("TreatmentIntent",)

    def respond(self, turn: Turn) -> Response:
        if said_onset(turn) is None:
            cursor = turn.cursor
            if cursor and cursor.flow == TREATMENT:
                return turn.ask(turn.flows.repeat(turn.say, turn.state))
            bookmark = turn.state.user.bookmark
            if turn.flows.valid(bookmark) and bookmark.flow == TREATMENT:
                return offer_resume(turn)
        return begin_treatment(turn)


class SpasmOnsetHandler(IntentHandler):
    """"It started yesterday", "since Tuesday", "two days back", "I woke up with it": answers the onset question,
    or starts the plan."""

    intents = ("SpasmOnsetIntent",)

    def respond(self, turn: Turn) -> Response:
        recent = said_onset(turn)
        if recent is not None:
            return start_plan(turn, recent)
        turn.state.session.ask(ONSET)
        return turn.ask(turn.say("treatment.onset_unclear") + turn.say(HINT(ONSET)))


