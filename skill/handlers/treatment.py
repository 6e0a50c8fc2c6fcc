"""The treatment plan, read one step per turn, cold first or warmth first depending on when it started."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.dialogue.onset import EARLIER, LONG, RECENT, age, classify
from skill.dialogue.questions import YesNoQuestion
from skill.dialogue.treatment import TREATMENT
from skill.handlers.base import START_OFFER, IntentHandler, Turn, notice_once, start_flow
from skill.handlers.screen import pick_up, screened_first
from skill.speech import Line
from skill.speech_keys import HINT, TREATMENT_INTRO, UNSURE
from skill.times import utc_now

ONSET_SLOT, DATE_SLOT, AGO_SLOT, DAY_SLOT = "onset", "date", "ago", "day"
ONSET, RESUME = "onset", "resume"  # the questions "did it start in the last two days?" and "pick up there?"
LONG_ONSET = "long_onset"  # "it's been weeks: see a doctor or physical therapist too. Shall we start?"
AFTER_SCREEN = "treatment"  # the screen's continuation: the plan, once the safety questions are answered


def said_onset(turn: Turn) -> str | None:
    """RECENT, EARLIER or LONG, from what the user said about when the spasm began; None if nothing placed it."""
    onset = turn.slot_id(ONSET_SLOT)
    if onset in (RECENT, EARLIER, LONG):
        return onset
    request = turn.input.request_envelope.request
    length = age((request.timestamp or utc_now()).date(), date=turn.slot_value(DATE_SLOT),
                 ago=turn.slot_value(AGO_SLOT), day=turn.slot_value(DAY_SLOT))
    if length is None:
        return None
    treatment = turn.deps.content.treatment
    return classify(length, treatment.recent_onset, treatment.see_doctor_after)


def start_plan(turn: Turn, onset: str, intro: Line | None = None, lead: Line | None = None) -> Response:
    """Cold first for a recent spasm, warmth first after; one that has gone on for weeks hears, in a turn of its
    own, that a doctor or physical therapist should see it too."""
    treatment = turn.deps.content.treatment
    if onset == LONG:
        turn.state.session.ask(LONG_ONSET)
        return turn.ask((lead or Line()) + turn.say("treatment.long_onset"))
    plan = treatment.recent_plan if onset == RECENT else treatment.later_plan
    return start_flow(turn, TREATMENT, plan, intro=(lead or Line()) + (intro or turn.say(TREATMENT_INTRO(plan))))


def begin_treatment(turn: Turn, lead: Line | None = None) -> Response:
    """The safety screen first (once a session), then the plan, using when the spasm started if the user already
    said it."""
    onset = said_onset(turn)
    return screened_first(turn, AFTER_SCREEN, lead, onset=onset) or after_screen(turn, {"onset": onset}, lead)


def after_screen(turn: Turn, offer: dict, lead: Line | None = None) -> Response:
    onset = offer.get("onset")
    if onset in (RECENT, EARLIER, LONG):
        return start_plan(turn, onset, lead=lead)
    turn.state.session.ask(ONSET)
    return turn.ask(notice_once(turn) + (lead or Line()) + turn.say("treatment.ask_onset"))


def offer_resume(turn: Turn) -> Response:
    bookmark = turn.state.user.bookmark
    turn.state.session.ask(RESUME)
    return turn.ask(turn.say("launch.resume_offer", **turn.flows.position(bookmark)))


def resume_bookmark(turn: Turn, lead: Line | None = None) -> Response:
    return pick_up(turn, lead)


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
    YesNoQuestion(ONSET, yes=lambda turn, _: start_plan(turn, RECENT), no=lambda turn, _: start_plan(turn, EARLIER),
                  unsure=lambda turn, _: start_plan(turn, RECENT, intro=turn.say(UNSURE(ONSET)))),
    # Not sure whether to start after hearing to see a doctor: start, since stopping is one word away.
    YesNoQuestion(LONG_ONSET, yes=lambda turn, _: start_plan(turn, EARLIER), no=lambda turn, _: decline_steps(turn),
                  unsure=lambda turn, _: start_plan(turn, EARLIER, lead=turn.say(UNSURE(LONG_ONSET)))),
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
        onset = said_onset(turn)
        if onset is not None:
            return begin_treatment(turn)  # the screen, if this session has not had it, then the plan
        turn.state.session.ask(ONSET)
        return turn.ask(turn.say("treatment.onset_unclear") + turn.say(HINT(ONSET)))


