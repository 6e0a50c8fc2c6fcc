"""Ice and heat timers by voice: started, read out, paused, resumed and cancelled through the timers service;
these handlers only choose what to say. A timer the user asks for is created straight away; one the skill
offers (at the cold step of the plan) only after a yes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective

from skill.alexa_platform import TIMERS_PERMISSION
from skill.content.model import COLD, CYCLE
from skill.content.phrasing import spoken_duration, spoken_remaining
from skill.dialogue.questions import YesNoQuestion
from skill.dialogue.treatment import TIMER_OFFER, TREATMENT
from skill.handlers.base import IntentHandler, Turn
from skill.handlers.safety import pregnant
from skill.services.timers import (
    MIN_TIMER,
    AlreadyRunning,
    NothingToChange,
    OtherRunning,
    OwnTimer,
    TimerService,
    Wanted,
    WhichOne,
)
from skill.services.timers_api import TimerError, TimersApi
from skill.speech import Line
from skill.speech_keys import NOTHING_TO, ROUND_STARTED, TIMER_ERROR, TIMER_STARTED, UNSURE
from skill.times import iso_duration, parse_duration

THERAPY_SLOT, DURATION_SLOT = "therapy", "duration"
# The questions "cancel the ice and start the heat?" and "which one, ice or heat?" (answered by a kind alone).
TIMER_SWITCH, TIMER_WHICH = "timer_switch", "timer_which"
HEAT_EARLY = "timer_heat_early"  # heat asked for in the first two days, or not knowing when it began: ice instead?
ROUND = "round"  # a switch's "kind" when what was asked for is a round of ice and heat
# Failures after which the device's own timer is worth suggesting: the skill could not set one at all.
SUGGEST_DEVICE_TIMER = frozenset({"failed", "unreachable", "busy", "offline", "permission"})


def timers(turn: Turn, *, just_permitted: bool = False) -> TimerService:
    system = turn.input.request_envelope.context.system
    user = system.user
    permitted = just_permitted or bool(user and user.permissions and user.permissions.consent_token)
    api = TimersApi(turn.deps.api_client, system.api_endpoint or "", system.api_access_token or "",
                    turn.api_deadline())
    return TimerService(api, turn.content, turn.locale, permitted)


def named_kind(turn: Turn) -> str | None:
    spec = turn.content.timer_for_slot(turn.slot_id(THERAPY_SLOT))
    return spec.id if spec else None


def finish(turn: Turn, line: Line) -> Response:
    """End the turn: inside a flow, carry on with it; otherwise the job is done and the session ends."""
    cursor = turn.cursor
    if cursor and not turn.pending:
        return turn.ask(line + turn.say("flow.continue", **turn.flows.position(cursor)))
    return turn.tell(line)


def failure(turn: Turn, error: TimerError, duration: dt.timedelta | None = None) -> Response:
    line = turn.say(TIMER_ERROR(error.reason))
    if duration and error.reason in SUGGEST_DEVICE_TIMER:
        line += turn.say("timer.device_timer", duration=spoken_duration(duration))
    return finish(turn, line)


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
    return turn.say("timer.cautions")


def offer_switch(turn: Turn, running: OwnTimer, wanted: str) -> Response:
    """Ice and heat never overlap, and a rest comes between them: offer to stop what runs, not to start the other."""
    asked = turn.content.cycle.spoken if wanted == ROUND else turn.content.timers[wanted].spoken
    turn.state.session.ask(TIMER_SWITCH, {"name": running.name, "wanted": asked})
    return turn.ask(turn.say("timer.switch", name=running.name, remaining=spoken_remaining(running.timer.remaining),
                             wanted=asked))


def switch(turn: Turn, offer: dict) -> Response:
    """Yes to the switch: stop what runs, and say to rest before what was asked for."""
    try:
        timers(turn).cancel_all()
    except NothingToChange:
        pass
    except TimerError as error:
        return failure(turn, error)
    name, wanted = str(offer.get("name", "")), str(offer.get("wanted", ""))
    return finish(turn, turn.say("timer.switched", name=name, wanted=wanted))


def start_timer(turn: Turn, kind: str, duration: dt.timedelta, *, just_permitted: bool = False,
                lead: Line | None = None) -> Response:
    try:
        timers(turn, just_permitted=just_permitted).start(kind, duration)
    except OtherRunning as other:
        return offer_switch(turn, other.group, kind)
    except AlreadyRunning as running:
        return finish(turn, turn.say("timer.already", name=running.own.name,
                                     remaining=spoken_remaining(running.own.timer.remaining)))
    except TimerError as error:
        if error.reason == "permission" and not just_permitted:
            return ask_permission(turn, Wanted(kind, duration))
        return failure(turn, error, None if error.reason == "rejected" else duration)
    belly = turn.say("timer.not_belly") if pregnant(turn) and turn.content.timers[kind].therapy.id != COLD else Line()
    return finish(turn, (lead or Line()) + turn.say(TIMER_STARTED(kind), duration=spoken_duration(duration)) + belly
                  + cautions_once(turn))


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
        total = timers(turn, just_permitted=just_permitted).start_round(plan)
    except OtherRunning as other:
        return offer_switch(turn, other.group, ROUND)
    except TimerError as error:
        if error.reason == "permission" and not just_permitted:
            return ask_permission(turn, Wanted())
        return failure(turn, error)
    return finish(turn, turn.say(ROUND_STARTED(plan), total=spoken_duration(total)) + cautions_once(turn))


def offer_timer(turn: Turn, key: str, kind: str, duration: dt.timedelta, cautioned: bool = False,
                lead: Line | None = None) -> Response:
    therapy = turn.content.timers[kind].therapy
    turn.state.session.ask(TIMER_OFFER, {"kind": kind, "duration": iso_duration(duration), "cautioned": cautioned})
    return turn.ask((lead or Line()) + turn.say(key, therapy=therapy.name, duration=spoken_duration(duration),
                                                limit=spoken_duration(therapy.max)))


def offer_cold(turn: Turn, lead: Line) -> Response:
    """For someone not sure enough to go on: the care that is safe whenever it began, offered, so nobody is dropped."""
    kind = cold_kind(turn)
    return offer_timer(turn, "timer.offer", kind, turn.content.timers[kind].therapy.default, lead=lead)


def take_offer(turn: Turn, offer: dict) -> Response:
    kind, duration = offer.get("kind"), parse_duration(offer.get("duration"))
    if kind not in turn.content.timers or duration is None:
        return turn.ask(turn.say("timer.which"))
    cursor = turn.cursor
    if cursor and turn.flows.valid(cursor.moved(cursor.index + 1)):
        # Whoever comes back when the timer goes off carries on after this step, not at it.
        turn.flows.keep(turn.state, cursor.moved(cursor.index + 1))
    if heat_too_soon(turn, kind) and not offer.get("cautioned"):
        return caution_heat(turn, kind, iso_duration(duration))
    return start_timer(turn, kind, duration)


def keep_running(turn: Turn, _: dict) -> Response:
    return finish(turn, turn.say("timer.kept"))


def heat_too_soon(turn: Turn, kind: str) -> bool:
    """Warmth asked for without knowing the spasm began more than two days ago (the warmth plan is not in use)."""
    return turn.content.timers[kind].therapy.id != COLD and round_plan(turn) != turn.content.treatment.later_plan


def caution_heat(turn: Turn, kind: str, duration: str | None) -> Response:
    turn.state.session.ask(HEAT_EARLY, {"kind": kind, "duration": duration})
    return turn.ask(turn.say("timer.heat_early"))


def cold_kind(turn: Turn) -> str:
    return next(spec.id for spec in turn.content.timers.values() if spec.therapy.id == COLD)


def asked_for(turn: Turn, kind: str, raw: str | None, cautioned: bool = False) -> Response:
    """A timer of ``kind`` asked for by name, for the length said (``raw``) or the usual one."""
    therapy = turn.content.timers[kind].therapy
    if not raw:
        return start_timer(turn, kind, therapy.default)
    duration = parse_duration(raw)
    if duration is None:
        return offer_timer(turn, "timer.unclear", kind, therapy.default, cautioned)
    if duration < MIN_TIMER:
        return offer_timer(turn, "timer.too_short", kind, therapy.default, cautioned)
    if duration > therapy.max:
        return offer_timer(turn, "timer.over_limit", kind, therapy.max, cautioned)
    return start_timer(turn, kind, duration)


def ice_instead(turn: Turn, _: dict, lead: Line | None = None) -> Response:
    kind = cold_kind(turn)
    return start_timer(turn, kind, turn.content.timers[kind].therapy.default, lead=lead)


def heat_anyway(turn: Turn, offer: dict) -> Response:
    kind = offer.get("kind")
    if kind not in turn.content.timers:
        return turn.ask(turn.say("timer.which"))
    return asked_for(turn, kind, offer.get("duration"), cautioned=True)


QUESTIONS = (
    YesNoQuestion(TIMER_OFFER, yes=take_offer, no=lambda turn, _: finish(turn, turn.say("timer.declined")),
                  unsure=lambda turn, _: finish(turn, turn.say(UNSURE(TIMER_OFFER)))),
    # Not sure about stopping the timer that runs: leave it, since nothing is lost by waiting.
    YesNoQuestion(TIMER_SWITCH, yes=switch, no=keep_running,
                  unsure=lambda turn, _: finish(turn, turn.say(UNSURE(TIMER_SWITCH)))),
    # Not sure, early on: ice, the choice that is safe whenever it began.
    YesNoQuestion(HEAT_EARLY, yes=ice_instead, no=heat_anyway,
                  unsure=lambda turn, offer: ice_instead(turn, offer, turn.say(UNSURE(HEAT_EARLY)))),
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
            return turn.ask(turn.say("timer.which"))
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


class TimerStatusHandler(IntentHandler):
    """"How long is left on my ice timer", "how much time is left"."""

    intents = ("TimerStatusIntent",)

    def respond(self, turn: Turn) -> Response:
        kind = named_kind(turn)
        try:  # "how long on the heat" during a round means the round, which holds the heat
            mine = [own for own in timers(turn).mine() if kind is None or own.kind in (kind, CYCLE)]
        except TimerError as error:
            return failure(turn, error)
        if not mine:
            if kind:
                therapy = turn.content.timers[kind].therapy
                return finish(turn, turn.say("timer.status.none_of_kind", therapy=therapy.name))
            return finish(turn, turn.say("timer.status.none"))
        return finish(turn, status(turn, mine))


def status(turn: Turn, mine: list[OwnTimer]) -> Line:
    """One short sentence per timer; ice and heat never overlap, so that is one sentence. In a round it names
    the phase running and the one to come."""
    line = Line()
    for own in mine:
        remaining = spoken_remaining(own.timer.remaining)
        if own.timer.status == "PAUSED":
            line += turn.say("timer.status.paused", name=own.name, remaining=remaining)
        elif own.kind == CYCLE:
            line += round_status(turn, own, remaining)
        else:
            line += turn.say("timer.status.running", name=own.name, remaining=remaining)
    return line


def running_rounds(turn: Turn) -> list[OwnTimer]:
    """The round that runs, if any; none when the Timers API cannot say (the question then gets its usual answer)."""
    try:
        return [own for own in timers(turn).mine(CYCLE) if own.timer.status != "PAUSED"]
    except TimerError:
        return []


def round_status(turn: Turn, own: OwnTimer, remaining: str) -> Line:
    cycle = turn.content.cycle
    found = cycle.now_and_next([timer.label for timer in own.timers])
    if found is None:  # a round changed by hand: say only when its next change comes
        return turn.say("timer.status.round", name=own.name, remaining=remaining)
    now, following = found
    now_name = cycle.phase_names[now.therapy]["now"]
    if following is None:
        return turn.say("timer.status.round_last", now=now_name, remaining=remaining)
    return turn.say("timer.status.round_phase", now=now_name, remaining=remaining,
                    next=cycle.phase_names[following.therapy]["next"], length=spoken_duration(following.length))


class CancelAllTimersHandler(IntentHandler):
    """"Cancel all my timers": every timer this skill made, one by one, and nobody else's."""

    intents = ("CancelAllTimersIntent",)

    def respond(self, turn: Turn) -> Response:
        try:
            timers(turn).cancel_all()
        except NothingToChange:
            return finish(turn, turn.say(NOTHING_TO("cancel")))
        except TimerError as error:
            return failure(turn, error)
        return finish(turn, turn.say("timer.cancelled_all"))


class ChangeTimerHandler(IntentHandler):
    """Cancel, pause or resume the one timer the user means; without a name, only when it is clear which."""

    action: str  # cancel, pause or resume: the service method, and what "nothing to do" says
    wanted_status: str | None  # the state a timer must be in for the action
    done_key: str
    plain: str | None = None  # the built-in intent ("resume" alone) that means a timer only when one is waiting

    def __init__(self, deps, otherwise: Callable[[Turn], Response] | None = None) -> None:
        super().__init__(deps)
        self.otherwise = otherwise  # what that built-in gets when no timer was meant after all

    def respond(self, turn: Turn) -> Response:
        if turn.input.request_envelope.request.intent.name == self.plain:
            return change(turn, self.action, None, otherwise=self.otherwise)
        return change(turn, self.action, named_kind(turn))


def change(turn: Turn, action: str, kind: str | None, otherwise: Callable[[Turn], Response] | None = None) -> Response:
    """Do ``action`` on the timer meant; ``otherwise``, what to say when no timer was meant after all."""
    handler = CHANGERS[action]
    service = timers(turn)
    try:
        own: OwnTimer = service.choose(kind, handler.wanted_status)
        getattr(service, action)(own)
    except NothingToChange:
        if otherwise:
            return otherwise(turn)
        return finish(turn, turn.say(NOTHING_TO(action)))
    except WhichOne:
        # The answer ("ice", "the heat one") comes back to this action, never as a new timer.
        turn.state.session.ask(TIMER_WHICH, {"action": action})
        return turn.ask(turn.say("timer.several"))
    except TimerError as error:
        if otherwise:  # a plain "resume" with the service away: nothing here was meant to be a timer
            return otherwise(turn)
        return failure(turn, error)
    return finish(turn, turn.say(handler.done_key, name=own.name, remaining=spoken_remaining(own.timer.remaining)))


class WhichTimerHandler(IntentHandler):
    """"Ice", "the ice one", "the heat timer" after "which one, ice or heat?": whichever timer intent the words
    reached, they answer the question, and the action that asked it is done on that timer."""

    intents = ("StartTimerIntent", "CancelTimerIntent", "PauseTimerIntent", "ResumeTimerIntent", "TimerStatusIntent")

    def applies(self, turn: Turn) -> bool:
        return turn.pending == TIMER_WHICH and named_kind(turn) is not None

    def respond(self, turn: Turn) -> Response:
        action = (turn.state.session.offer or {}).get("action")
        turn.state.session.ask(None)
        if action not in CHANGERS:
            return TimerStatusHandler(self.deps).respond(turn)
        return change(turn, action, named_kind(turn))


class CancelTimerHandler(ChangeTimerHandler):
    """"Cancel my ice timer"."""

    intents = ("CancelTimerIntent",)
    action, wanted_status, done_key = "cancel", None, "timer.cancelled"


class PauseTimerHandler(ChangeTimerHandler):
    """"Pause my ice timer", and "pause it" when no walk-through is there to pause."""

    intents = ("PauseTimerIntent", "AMAZON.PauseIntent")
    action, wanted_status, done_key = "pause", "ON", "timer.paused"
    plain = "AMAZON.PauseIntent"


class ResumeTimerHandler(ChangeTimerHandler):
    """"Let the timer run again", and "resume" when there is no walk-through or kept place to resume."""

    intents = ("ResumeTimerIntent", "AMAZON.ResumeIntent")
    action, wanted_status, done_key = "resume", "PAUSED", "timer.resumed"
    plain = "AMAZON.ResumeIntent"


class AdjustTimerHandler(IntentHandler):
    """"Can I leave it on longer?", "add five more minutes": a timer's length is the dose, so the answer is the
    limit and how to set another, never a longer timer."""

    intents = ("AdjustTimerIntent",)

    def respond(self, turn: Turn) -> Response:
        return finish(turn, turn.say("timer.adjust"))


# Every change a handler may make, hence every "nothing to <change>" the timers can say (cancel-all says "cancel").
CHANGERS = {handler.action: handler for handler in (CancelTimerHandler, PauseTimerHandler, ResumeTimerHandler)}
CHANGES = tuple(CHANGERS)
