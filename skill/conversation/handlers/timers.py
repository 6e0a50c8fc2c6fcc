"""Ice and heat timers by voice, set through the timers service: one timer or a whole round, offered or asked
for, with the cautions and the rule that ice and heat never overlap; these handlers only choose what to say. A
timer the user asks for is created straight away; one the skill offers (at the cold step of the plan) only after a
yes. What runs, and changing it, is `timer_changes`."""

from __future__ import annotations

import datetime as dt
import math

from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective

from skill.clients.timers import (
    MIN_TIMER,
    AlreadyRunning,
    NothingToChange,
    OtherRunning,
    OwnTimer,
    TimerService,
    Wanted,
)
from skill.clients.timers_api import TimerError, TimersApi
from skill.content.model import COLD
from skill.content.phrasing import spoken_duration, spoken_remaining
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import IntentHandler, Turn
from skill.conversation.handlers.safety import pregnant
from skill.conversation.names import HEAT_EARLY, TIMER_OFFER, TIMER_SWITCH, TREATMENT
from skill.conversation.speech import Line
from skill.foundations.alexa_platform import TIMERS_PERMISSION
from skill.foundations.times import iso_duration, parse_duration

THERAPY_SLOT, DURATION_SLOT = "therapy", "duration"
ROUND = "round"  # a switch's "kind" when what was asked for is a round of ice and heat
# Failures after which the device's own timer is worth suggesting: the skill could not set one at all.
SUGGEST_DEVICE_TIMER = frozenset({"failed", "unreachable", "busy", "offline", "permission"})


def timer_service(turn: Turn, *, just_permitted: bool = False) -> TimerService:
    system = turn.input.request_envelope.context.system
    user = system.user
    permitted = just_permitted or bool(user and user.permissions and user.permissions.consent_token)
    api = TimersApi(turn.deps.api_client, system.api_endpoint or "", system.api_access_token or "",
                    turn.api_deadline())
    return TimerService(api, turn.content, turn.locale, permitted)


def named_kind(turn: Turn) -> str | None:
    spec = turn.content.timer_for_slot(turn.slot_id(THERAPY_SLOT))
    return spec.id if spec else None


def done_with_timers(turn: Turn, line: Line) -> Response:
    """End the turn: inside a flow, carry on with it (its question, if one waits, asked again); otherwise the job
    is done and the session ends."""
    cursor = turn.cursor
    if cursor and turn.pending:
        return turn.ask(line + turn.guide(keys.HINT))
    if cursor:
        return turn.ask(line + turn.say(keys.FLOW_CONTINUE, **turn.flows.position(cursor)))
    return turn.tell(line)


def go_on(turn: Turn, line: Line) -> Response:
    """After the safe default for someone not sure: in a flow, carry on with it; elsewhere, what they can do from
    here, so nobody unsure is dropped."""
    return done_with_timers(turn, line) if turn.cursor else turn.ask(line + turn.guide(keys.HINT))


def failure(turn: Turn, error: TimerError, duration: dt.timedelta | None = None) -> Response:
    if error.reason == "busy" and error.retry_after:  # the service said when: say it, roughly
        line = turn.say(keys.TIMER_BUSY_FOR, wait=spoken_duration(rough_wait(error.retry_after)))
    else:
        line = turn.say(keys.TIMER_ERROR(error.reason))
    if duration and error.reason in SUGGEST_DEVICE_TIMER:
        line += turn.say(keys.TIMER_DEVICE_TIMER, duration=spoken_duration(duration))
    return done_with_timers(turn, line)


def rough_wait(seconds: float) -> dt.timedelta:
    """A wait as people say it: whole minutes past a minute, tens of seconds below (at least ten)."""
    if seconds > 60:
        return dt.timedelta(minutes=math.ceil(seconds / 60))
    return dt.timedelta(seconds=max(10, math.ceil(seconds / 10) * 10))


def ask_permission(turn: Turn, wanted: Wanted) -> Response:
    """Alexa asks the user itself; the token brings back what they wanted once they answer."""
    directive = SendRequestDirective(
        name="AskFor", token=wanted.token(),
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1", "permissionScope": TIMERS_PERMISSION})
    return turn.input.response_builder.add_directive(directive).response


def cautions_once(turn: Turn) -> Line:
    """Who should not use cold or heat, said once with someone's first timer and carried on its card."""
    if turn.state.user.cautions_heard:
        return Line()
    turn.state.update_user(cautions_heard=True)
    return turn.say(keys.TIMER_CAUTIONS)


def offer_switch(turn: Turn, running: OwnTimer, wanted: str) -> Response:
    """Ice and heat never overlap, and a rest comes between them: offer to stop what runs, not to start the other."""
    asked = turn.content.cycle.spoken if wanted == ROUND else turn.content.timers[wanted].spoken
    turn.state.session.ask(TIMER_SWITCH, {"name": running.name, "wanted": asked})
    return turn.ask(turn.say(keys.TIMER_SWITCH, name=running.name, remaining=spoken_remaining(running.timer.remaining),
                             wanted=asked))


def switch(turn: Turn, offer: dict) -> Response:
    """Yes to the switch: stop what runs, and say to rest before what was asked for."""
    try:
        timer_service(turn).cancel_all()
    except NothingToChange:
        pass
    except TimerError as error:
        return failure(turn, error)
    name, wanted = str(offer.get("name", "")), str(offer.get("wanted", ""))
    return done_with_timers(turn, turn.say(keys.TIMER_SWITCHED, name=name, wanted=wanted))


def start_timer(turn: Turn, kind: str, duration: dt.timedelta, *, just_permitted: bool = False,
                lead: Line | None = None) -> Response:
    try:
        timer_service(turn, just_permitted=just_permitted).start(kind, duration)
    except OtherRunning as other:
        return offer_switch(turn, other.group, kind)
    except AlreadyRunning as running:
        return done_with_timers(turn, turn.say(keys.TIMER_ALREADY, name=running.own.name,
                                     remaining=spoken_remaining(running.own.timer.remaining)))
    except TimerError as error:
        if error.reason == "permission" and not just_permitted:
            return ask_permission(turn, Wanted(kind, duration))
        return failure(turn, error, None if error.reason == "rejected" else duration)
    heat = turn.content.timers[kind].therapy.id != COLD
    belly = turn.say(keys.TIMER_NOT_BELLY) if pregnant(turn) and heat else Line()
    started = turn.say(keys.TIMER_STARTED(kind), duration=spoken_duration(duration))
    return done_with_timers(turn, (lead or Line()) + started + belly + cautions_once(turn))


def round_plan(turn: Turn) -> str:
    """The plan the user is on decides the round: cold at both ends in the first days, warmth after. Outside the
    plan, when it started is unknown, so the cold-first round, which is safe early and later alike."""
    cursor, treatment = turn.cursor, turn.content.treatment
    if cursor and cursor.flow == TREATMENT and cursor.variant in treatment.plans:
        return cursor.variant
    return treatment.recent_plan


def start_round(turn: Turn, *, just_permitted: bool = False) -> Response:
    plan = round_plan(turn)
    try:
        total = timer_service(turn, just_permitted=just_permitted).start_round(plan)
    except OtherRunning as other:
        return offer_switch(turn, other.group, ROUND)
    except TimerError as error:
        if error.reason == "permission" and not just_permitted:
            return ask_permission(turn, Wanted())
        return failure(turn, error)
    started = turn.say(keys.ROUND_STARTED(plan), total=spoken_duration(total))
    return done_with_timers(turn, started + cautions_once(turn))


def offer_timer(turn: Turn, key: str, kind: str, duration: dt.timedelta, cautioned: bool = False,
                lead: Line | None = None) -> Response:
    therapy = turn.content.timers[kind].therapy
    turn.state.session.ask(TIMER_OFFER, {"kind": kind, "duration": iso_duration(duration), "cautioned": cautioned})
    return turn.ask((lead or Line()) + turn.say(key, therapy=therapy.name, duration=spoken_duration(duration),
                                                limit=spoken_duration(therapy.max)))


def offer_cold(turn: Turn, lead: Line) -> Response:
    """For someone not sure enough to go on: the care that is safe whenever it began, offered, so nobody is dropped."""
    kind = cold_kind(turn)
    return offer_timer(turn, keys.TIMER_OFFER, kind, turn.content.timers[kind].therapy.default, lead=lead)


def take_offer(turn: Turn, offer: dict) -> Response:
    kind, duration = offer.get("kind"), parse_duration(offer.get("duration"))
    if kind not in turn.content.timers or duration is None:
        return turn.ask(turn.say(keys.TIMER_WHICH))
    cursor = turn.cursor
    if cursor and turn.flows.valid(cursor.moved(cursor.index + 1)):
        # Whoever comes back when the timer goes off carries on after this step, not at it.
        turn.flows.keep(turn.state, cursor.moved(cursor.index + 1))
    if heat_too_soon(turn, kind) and not offer.get("cautioned"):
        return caution_heat(turn, kind, iso_duration(duration))
    return start_timer(turn, kind, duration)


def keep_running(turn: Turn, _: dict) -> Response:
    return done_with_timers(turn, turn.say(keys.TIMER_KEPT))


def heat_too_soon(turn: Turn, kind: str) -> bool:
    """Warmth asked for without knowing the spasm began more than two days ago (the warmth plan is not in use)."""
    return turn.content.timers[kind].therapy.id != COLD and round_plan(turn) != turn.content.treatment.later_plan


def caution_heat(turn: Turn, kind: str, duration: str | None) -> Response:
    turn.state.session.ask(HEAT_EARLY, {"kind": kind, "duration": duration})
    return turn.ask(turn.say(keys.TIMER_HEAT_EARLY))


def cold_kind(turn: Turn) -> str:
    return next(spec.id for spec in turn.content.timers.values() if spec.therapy.id == COLD)


def asked_for(turn: Turn, kind: str, raw: str | None, cautioned: bool = False) -> Response:
    """A timer of ``kind`` asked for by name, for the length said (``raw``) or the usual one."""
    therapy = turn.content.timers[kind].therapy
    if not raw:
        return start_timer(turn, kind, therapy.default)
    duration = parse_duration(raw)
    if duration is None:
        return offer_timer(turn, keys.TIMER_UNCLEAR, kind, therapy.default, cautioned)
    if duration < MIN_TIMER:
        return offer_timer(turn, keys.TIMER_TOO_SHORT, kind, therapy.default, cautioned)
    if duration > therapy.max:
        return offer_timer(turn, keys.TIMER_OVER_LIMIT, kind, therapy.max, cautioned)
    return start_timer(turn, kind, duration)


def ice_instead(turn: Turn, _: dict, lead: Line | None = None) -> Response:
    kind = cold_kind(turn)
    return start_timer(turn, kind, turn.content.timers[kind].therapy.default, lead=lead)


def heat_anyway(turn: Turn, offer: dict) -> Response:
    kind = offer.get("kind")
    if kind not in turn.content.timers:
        return turn.ask(turn.say(keys.TIMER_WHICH))
    return asked_for(turn, kind, offer.get("duration"), cautioned=True)


QUESTIONS = (
    YesNoQuestion(TIMER_OFFER, yes=take_offer, no=lambda turn, _: done_with_timers(turn, turn.say(keys.TIMER_DECLINED)),
                  unsure=lambda turn, _: go_on(turn, turn.say(keys.UNSURE(TIMER_OFFER)))),
    # Not sure about stopping the timer that runs: leave it, since nothing is lost by waiting.
    YesNoQuestion(TIMER_SWITCH, yes=switch, no=keep_running,
                  unsure=lambda turn, _: go_on(turn, turn.say(keys.UNSURE(TIMER_SWITCH)))),
    # Not sure, early on: ice, the choice that is safe whenever it began.
    YesNoQuestion(HEAT_EARLY, yes=ice_instead, no=heat_anyway,
                  unsure=lambda turn, offer: ice_instead(turn, offer, turn.say(keys.UNSURE(HEAT_EARLY)))),
)


class StartTimerHandler(IntentHandler):
    """"Start an ice timer", "ice my back for ten minutes", "set a heat timer for 15 minutes"."""

    intents = ("StartTimerIntent",)

    def respond(self, turn: Turn) -> Response:
        kind = named_kind(turn)
        raw = turn.slot_value(DURATION_SLOT) or (turn.state.session.offer or {}).get("duration")
        if kind is None:
            # Keep the length they said for when they name ice or heat.
            turn.state.session.ask(None, {"duration": raw} if raw else None)
            return turn.ask(turn.say(keys.TIMER_WHICH))
        if turn.pending == HEAT_EARLY:  # "heat", said to "shall I time ice instead?"
            return heat_anyway(turn, {"kind": kind, "duration": raw}) if kind != cold_kind(turn) \
                else ice_instead(turn, {})
        therapy = turn.content.timers[kind].therapy
        if heat_too_soon(turn, kind) and (parse_duration(raw) or therapy.default) <= therapy.max:
            return caution_heat(turn, kind, raw)
        return asked_for(turn, kind, raw)  # a length over the limit is offered at the limit first


class AlternateHandler(IntentHandler):
    """"Alternate ice and heat": a whole round announced by the speaker, with no more words from the user."""

    intents = ("AlternateIntent",)

    def respond(self, turn: Turn) -> Response:
        return start_round(turn)
