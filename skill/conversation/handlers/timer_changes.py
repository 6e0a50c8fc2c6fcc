"""What runs and changing it: how long is left (in a round, the phase now and the one to come), cancel, pause,
resume, one timer or every one the skill made. Cancelling inside a round stops the phase that runs and offers to
cancel the rest, since "cancel the ice" halfway through a round may mean either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ask_sdk_model import Response

from skill.clients.timers import NothingToChange, OwnTimer, TimerService, WhichOne
from skill.clients.timers_api import TimerError
from skill.content.model import CYCLE
from skill.content.phrasing import spoken_duration, spoken_remaining
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import IntentHandler, Turn
from skill.conversation.handlers.timers import done_with_timers, failure, go_on, named_kind, timer_service
from skill.conversation.names import ROUND_REST, TIMER_WHICH
from skill.conversation.speech import Line


class TimerStatusHandler(IntentHandler):
    """"How long is left on my ice timer", "how much time is left"."""

    intents = ("TimerStatusIntent",)

    def respond(self, turn: Turn) -> Response:
        kind = named_kind(turn)
        try:  # "how long on the heat" during a round means the round, which holds the heat
            running = [own for own in timer_service(turn).own_timers() if kind is None or own.kind in (kind, CYCLE)]
        except TimerError as error:
            return failure(turn, error)
        if not running:
            if kind:
                therapy = turn.content.timers[kind].therapy
                return done_with_timers(turn, turn.say(keys.TIMER_STATUS_NONE_OF_KIND, therapy=therapy.name))
            return done_with_timers(turn, turn.say(keys.TIMER_STATUS_NONE))
        return done_with_timers(turn, status(turn, running))


def status(turn: Turn, running: list[OwnTimer]) -> Line:
    """One short sentence per timer; ice and heat never overlap, so that is one sentence. In a round it names
    the phase running and the one to come."""
    line = Line()
    for own in running:
        remaining = spoken_remaining(own.timer.remaining)
        if own.timer.status == "PAUSED":
            line += turn.say(keys.TIMER_STATUS_PAUSED, name=own.name, remaining=remaining)
        elif own.kind == CYCLE:
            line += round_status(turn, own, remaining)
        else:
            line += turn.say(keys.TIMER_STATUS_RUNNING, name=own.name, remaining=remaining)
    return line


def running_rounds(turn: Turn) -> list[OwnTimer]:
    """The round that runs, if any; none when the Timers API cannot say (the question then gets its usual answer)."""
    try:
        return [own for own in timer_service(turn).own_timers(CYCLE) if own.timer.status != "PAUSED"]
    except TimerError:
        return []


def round_status(turn: Turn, own: OwnTimer, remaining: str) -> Line:
    """What runs now and for how long, then what comes next and after that: "the ice has about 6 minutes left,
    then a break for 20 minutes, then heat"."""
    cycle = turn.content.cycle
    left = cycle.phases_left([timer.label for timer in own.timers])
    if not left:  # a round changed by hand: say only when its next change comes
        return turn.say(keys.TIMER_STATUS_ROUND, name=own.name, remaining=remaining)
    now = cycle.phase_names[left[0].therapy]["now"]
    if len(left) == 1:
        return turn.say(keys.TIMER_STATUS_ROUND_LAST, now=now, remaining=remaining)
    following = {"now": now, "remaining": remaining, "next": cycle.phase_names[left[1].therapy]["next"],
                 "length": spoken_duration(left[1].length)}
    if len(left) == 2:
        return turn.say(keys.TIMER_STATUS_ROUND_PHASE, **following)
    return turn.say(keys.TIMER_STATUS_ROUND_PHASES, **following, then=cycle.phase_names[left[2].therapy]["next"])


class CancelAllTimersHandler(IntentHandler):
    """"Cancel all my timers": every timer this skill made, one by one, and nobody else's."""

    intents = ("CancelAllTimersIntent",)

    def respond(self, turn: Turn) -> Response:
        try:
            timer_service(turn).cancel_all()
        except NothingToChange:
            return done_with_timers(turn, turn.say(keys.NOTHING_TO("cancel")))
        except TimerError as error:
            return failure(turn, error)
        return done_with_timers(turn, turn.say(keys.TIMER_CANCELLED_ALL))


@dataclass(frozen=True)
class Change:
    """One change to a timer: the state the timer must be in, what doing it calls, and what it says once done."""

    name: str  # cancel, pause or resume: also what "nothing to <name>" says
    wanted_status: str | None
    done_key: str
    apply: Callable[[TimerService, OwnTimer], None]


CANCEL_TIMER = Change("cancel", None, keys.TIMER_CANCELLED, TimerService.cancel)
PAUSE_TIMER = Change("pause", "ON", keys.TIMER_PAUSED, TimerService.pause)
RESUME_TIMER = Change("resume", "PAUSED", keys.TIMER_RESUMED, TimerService.resume)


class ChangeTimerHandler(IntentHandler):
    """Cancel, pause or resume the one timer the user means; without a name, only when it is clear which."""

    change: Change
    plain: str | None = None  # the built-in intent ("resume" alone) that means a timer only when one is waiting

    def __init__(self, deps, otherwise: Callable[[Turn], Response] | None = None) -> None:
        super().__init__(deps)
        self.otherwise = otherwise  # what that built-in gets when no timer was meant after all

    def respond(self, turn: Turn) -> Response:
        if turn.input.request_envelope.request.intent.name == self.plain:
            return change_timer(turn, self.change, None, otherwise=self.otherwise)
        return change_timer(turn, self.change, named_kind(turn))


def change_timer(turn: Turn, change: Change, kind: str | None,
                 otherwise: Callable[[Turn], Response] | None = None) -> Response:
    """Make ``change`` to the timer meant; ``otherwise``, what to say when no timer was meant after all."""
    service = timer_service(turn)
    try:
        own: OwnTimer = service.choose(kind, change.wanted_status)
        if change is CANCEL_TIMER and own.kind == CYCLE and len(own.timers) > 1:
            return cancel_phase(turn, own)
        change.apply(service, own)
    except NothingToChange:
        if otherwise:
            return otherwise(turn)
        return done_with_timers(turn, turn.say(keys.NOTHING_TO(change.name)))
    except WhichOne:
        # The answer ("ice", "the heat one") comes back to this change, never as a new timer.
        turn.state.session.ask(TIMER_WHICH, {"action": change.name})
        return turn.ask(turn.say(keys.TIMER_SEVERAL))
    except TimerError as error:
        if otherwise:  # a plain "resume" with the service away: nothing here was meant to be a timer
            return otherwise(turn)
        return failure(turn, error)
    done = turn.say(change.done_key, name=own.name, remaining=spoken_remaining(own.timer.remaining))
    return done_with_timers(turn, done)


class WhichTimerHandler(IntentHandler):
    """"Ice", "the ice one", "the heat timer" after "which one, ice or heat?": whichever timer intent the words
    reached, they answer the question, and the change that asked it is made to that timer."""

    intents = ("StartTimerIntent", "CancelTimerIntent", "PauseTimerIntent", "ResumeTimerIntent", "TimerStatusIntent")

    def applies(self, turn: Turn) -> bool:
        return turn.pending == TIMER_WHICH and named_kind(turn) is not None

    def respond(self, turn: Turn) -> Response:
        change = CHANGERS.get((turn.state.session.offer or {}).get("action"))
        turn.state.session.ask(None)
        if change is None:
            return TimerStatusHandler(self.deps).respond(turn)
        return change_timer(turn, change, named_kind(turn))


class CancelTimerHandler(ChangeTimerHandler):
    """"Cancel my ice timer"."""

    intents = ("CancelTimerIntent",)
    change = CANCEL_TIMER


class PauseTimerHandler(ChangeTimerHandler):
    """"Pause my ice timer", and "pause it" when no walk-through is there to pause."""

    intents = ("PauseTimerIntent", "AMAZON.PauseIntent")
    change, plain = PAUSE_TIMER, "AMAZON.PauseIntent"


class ResumeTimerHandler(ChangeTimerHandler):
    """"Let the timer run again", and "resume" when there is no walk-through or kept place to resume."""

    intents = ("ResumeTimerIntent", "AMAZON.ResumeIntent")
    change, plain = RESUME_TIMER, "AMAZON.ResumeIntent"


class AdjustTimerHandler(IntentHandler):
    """"Can I leave it on longer?", "add five more minutes": a timer's length is the dose, so the answer is the
    limit and how to set another, never a longer timer."""

    intents = ("AdjustTimerIntent",)

    def respond(self, turn: Turn) -> Response:
        return done_with_timers(turn, turn.say(keys.TIMER_ADJUST))


# Every change a handler may make, hence every "nothing to <change>" the timers can say (cancel-all says "cancel").
CHANGERS = {change.name: change for change in (CANCEL_TIMER, PAUSE_TIMER, RESUME_TIMER)}
CHANGES = tuple(CHANGERS)


def cancel_phase(turn: Turn, own: OwnTimer) -> Response:
    """The phase that runs now is stopped; the rest of the round waits for a yes or no."""
    cycle = turn.content.cycle
    left = cycle.phases_left([timer.label for timer in own.timers])
    timer_service(turn).cancel_first(own)
    turn.state.session.ask(ROUND_REST)
    if not left:  # a round changed by hand: which phase ran cannot be named
        return turn.ask(turn.say(keys.TIMER_ROUND_REST_UNNAMED))
    return turn.ask(turn.say(keys.TIMER_ROUND_REST, now=cycle.phase_names[left[0].therapy]["now"]))


def cancel_rest(turn: Turn, _: dict) -> Response:
    try:
        service = timer_service(turn)
        service.cancel(service.choose(CYCLE, None))
    except NothingToChange:
        return done_with_timers(turn, turn.say(keys.NOTHING_TO("cancel")))
    except TimerError as error:
        return failure(turn, error)
    return done_with_timers(turn, turn.say(keys.TIMER_REST_CANCELLED))


def keep_rest(turn: Turn, _: dict) -> Response:
    rounds = running_rounds(turn)
    return done_with_timers(turn, turn.say(keys.TIMER_REST_KEPT) + (status(turn, rounds) if rounds else Line()))


QUESTIONS = (
    # Not sure whether to cancel the rest of a round: keep it, since cancelling later is one sentence away.
    YesNoQuestion(ROUND_REST, yes=cancel_rest, no=keep_rest,
                  unsure=lambda turn, _: go_on(turn, turn.say(keys.UNSURE(ROUND_REST)))),
)
