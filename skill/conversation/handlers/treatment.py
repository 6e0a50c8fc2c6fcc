"""The treatment plan, read one step per turn, cold first or warmth first depending on when it started."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.onset import age, classify
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import IntentHandler, Turn, notice_once, start_flow
from skill.conversation.handlers.screen import pick_up, screened_first
from skill.conversation.names import (
    EARLIER,
    LONG,
    LONG_ONSET,
    ONSET,
    PLAN_MORE,
    RECENT,
    RESUME_OFFER,
    START_OFFER,
    TREATMENT,
)
from skill.conversation.speech import Line
from skill.conversation.state import Cursor
from skill.foundations.times import utc_now

ONSET_SLOT, DATE_SLOT, AGO_SLOT, DAY_SLOT = "onset", "date", "ago", "day"
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
    treatment = turn.content.treatment
    return classify(length, treatment.recent_onset, treatment.see_doctor_after)


def kept_step(offer: dict | None) -> int | None:
    """The step of a kept place waiting for the plan to be picked again, from the question's offer."""
    index = (offer or {}).get("index")
    return index if isinstance(index, int) and index >= 0 else None


def start_plan(turn: Turn, onset: str, intro: Line | None = None, lead: Line | None = None,
               at: int | None = None) -> Response:
    """Cold first for a recent spasm, warmth first after; one that has gone on for weeks hears, in a turn of its
    own, that a doctor or physical therapist should see it too. ``at`` picks up a kept place in the plan."""
    treatment = turn.content.treatment
    lead = lead or Line()
    if onset == LONG:
        turn.state.session.ask(LONG_ONSET, {"index": at})
        return turn.ask(lead + turn.say(keys.TREATMENT_LONG_ONSET))
    plan = treatment.recent_plan if onset == RECENT else treatment.later_plan
    if at is not None:  # "Back to using heat safely" says which plan: no room for the intro as well
        cursor = Cursor(TREATMENT, plan, min(at, turn.flows.get(TREATMENT).length(plan) - 1))
        return turn.ask(lead + (intro or Line()) + turn.flows.resume(turn.say, turn.state, cursor))
    # What the answer changed comes first: cold for now, or warmth now.
    return start_flow(turn, TREATMENT, plan, intro=lead + (intro or turn.say(keys.TREATMENT_INTRO(plan))))


def begin_treatment(turn: Turn, lead: Line | None = None) -> Response:
    """The safety screen first (once a session), then the plan, using when the spasm started if the user already
    said it, and the kept place if this answers the question that picks the plan again."""
    onset = said_onset(turn)
    session = turn.state.session
    at = kept_step(session.offer) if session.pending in (ONSET, LONG_ONSET) else None
    return (screened_first(turn, AFTER_SCREEN, lead, onset=onset, index=at)
            or after_screen(turn, {"onset": onset, "index": at}, lead))


def after_screen(turn: Turn, offer: dict, lead: Line | None = None) -> Response:
    onset, at = offer.get("onset"), kept_step(offer)
    if onset in (RECENT, EARLIER, LONG):
        return start_plan(turn, onset, lead=lead, at=at)
    turn.state.session.ask(ONSET, {"index": at})
    return turn.ask(notice_once(turn) + (lead or Line()) + turn.say(keys.TREATMENT_ASK_ONSET))


def offer_resume(turn: Turn) -> Response:
    bookmark = turn.state.user.bookmark
    turn.state.session.ask(RESUME_OFFER)
    if not bookmark.variant:  # kept without its plan: where it was is said once the plan is known again
        return turn.ask(turn.say(keys.RESUME_FLOW(bookmark.flow)))
    return turn.ask(turn.say(keys.LAUNCH_RESUME_OFFER, **turn.flows.position(bookmark)))


def decline_resume(turn: Turn) -> Response:
    turn.state.update_user(bookmark=None)
    turn.state.session.ask(START_OFFER)
    return turn.ask(turn.say(keys.TREATMENT_FRESH_START) + turn.say(keys.HINT_HOME))


def more_of_the_plan(turn: Turn, lead: Line | None = None) -> Response:
    return turn.reply((lead or Line()) + turn.flows.next(turn.say, turn.state))


def enough_for_today(turn: Turn) -> Response:
    """The main part is done: the rest is kept for another time, so coming back offers exactly it."""
    cursor = turn.cursor
    if cursor is not None:
        turn.flows.keep(turn.state, cursor.moved(cursor.index + 1))
    return turn.ask(turn.say(keys.TREATMENT_MORE_DECLINED))


def decline_steps(turn: Turn) -> Response:
    return turn.tell(turn.say(keys.TREATMENT_DECLINED))


QUESTIONS = (
    # Not sure whether they want the steps: start them, since stopping is one word away.
    YesNoQuestion(START_OFFER, yes=lambda turn, _: begin_treatment(turn), no=lambda turn, _: decline_steps(turn),
                  unsure=lambda turn, _: begin_treatment(turn, lead=turn.say(keys.UNSURE(START_OFFER)))),
    # Not sure when it started: cold first, which is safe early on, where heat is not.
    YesNoQuestion(ONSET, yes=lambda turn, offer: start_plan(turn, RECENT, at=kept_step(offer)),
                  no=lambda turn, offer: start_plan(turn, EARLIER, at=kept_step(offer)),
                  unsure=lambda turn, offer: start_plan(turn, RECENT, intro=turn.say(keys.UNSURE(ONSET)),
                                                        at=kept_step(offer))),
    # Not sure whether to start after hearing to see a doctor: start, since stopping is one word away.
    YesNoQuestion(LONG_ONSET, yes=lambda turn, offer: start_plan(turn, EARLIER, at=kept_step(offer)),
                  no=lambda turn, _: decline_steps(turn),
                  unsure=lambda turn, offer: start_plan(turn, EARLIER, lead=turn.say(keys.UNSURE(LONG_ONSET)),
                                                        at=kept_step(offer))),
    # Not sure whether they want more: a little more is harmless, and stopping is one word away.
    YesNoQuestion(PLAN_MORE, yes=lambda turn, _: more_of_the_plan(turn), no=lambda turn, _: enough_for_today(turn),
                  unsure=lambda turn, _: more_of_the_plan(turn, lead=turn.say(keys.UNSURE(PLAN_MORE)))),
    YesNoQuestion(RESUME_OFFER, yes=lambda turn, _: pick_up(turn, turn.say(keys.FLOW_PICKING_UP)),
                  no=lambda turn, _: decline_resume(turn),
                  unsure=lambda turn, _: pick_up(turn, turn.say(keys.UNSURE(RESUME_OFFER)))),
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
            if turn.flows.can_pick_up(bookmark) and bookmark.flow == TREATMENT:
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
        session = turn.state.session
        session.ask(ONSET, {"index": kept_step(session.offer) if session.pending == ONSET else None})
        return turn.ask(turn.say(keys.TREATMENT_ONSET_UNCLEAR) + turn.say(keys.HINT(ONSET)))


