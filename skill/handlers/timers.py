"""Ice and heat timers: started by voice, announced by the speaker when they end, read and changed by voice.

The Timers API is the source of truth; the skill keeps no timer state of its own. A timer the user asks for is
created straight away; one the skill offers (at the cold step of the plan) is created only after a yes.
"""

from __future__ import annotations

import contextlib
import datetime as dt

import isodate
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.content import TimerSpec, spoken_duration
from skill.handlers.base import IntentHandler, Question, RequestTypeHandler, Turn
from skill.speech import Line
from skill.timers import PERMISSION_SCOPE, Timer, TimerError, TimersApi

THERAPY_SLOT, DURATION_SLOT = "therapy", "duration"
KIND_BY_SLOT_ID = {"ICE": "ice", "HEAT": "heat"}
MIN_TIMER = dt.timedelta(minutes=1)
CYCLE_TOKEN = "cycle"


# ---------------------------------------------------------------------------------------------- helpers


def api(turn: Turn) -> TimersApi:
    system = turn.input.request_envelope.context.system
    return TimersApi(turn.deps.api_client, system.api_endpoint or "", system.api_access_token or "")


def has_permission(turn: Turn) -> bool:
    user = turn.input.request_envelope.context.system.user
    return bool(user and user.permissions and user.permissions.consent_token)


def locale(turn: Turn) -> str:
    return turn.input.request_envelope.request.locale or "en-US"


def remaining_text(value: dt.timedelta | None) -> str:
    """"about 6 minutes", the way people read a clock; "less than a minute" near the end."""
    seconds = value.total_seconds() if value else 0
    if seconds < 60:
        return "less than a minute"
    return "about " + spoken_duration(dt.timedelta(minutes=round(seconds / 60)))


def ours(turn: Turn, timers: list[Timer]) -> list[tuple[Timer, str, str]]:
    """The skill's own timers among all the user's, with (kind, spoken name); anyone else's are never touched."""
    found = []
    for timer in timers:
        match = turn.deps.content.timer_by_label(timer.label)
        if match:
            found.append((timer, *match))
    return found


def finish(turn: Turn, line: Line) -> Response:
    """End the turn: inside a flow, carry on with it; otherwise the job is done and the session ends."""
    cursor = turn.cursor
    if cursor and not turn.pending:
        return turn.ask(line + turn.say("flow.continue", **turn.flows.position(cursor)))
    return turn.tell(line)


def failure(turn: Turn, error: TimerError, duration: dt.timedelta | None = None) -> Response:
    line = turn.say(f"timer.error.{error.reason}")
    if duration and error.reason in {"failed", "unreachable", "busy", "offline", "permission"}:
        line += turn.say("timer.device_timer", duration=spoken_duration(duration))
    return finish(turn, line)


def ask_permission(turn: Turn, wanted: str) -> Response:
    """Alexa asks the user itself; the token brings back what they wanted once they answer."""
    directive = SendRequestDirective(
        name="AskFor", token=wanted,
        payload={"@type": "AskForPermissionsConsentRequest", "@version": "1", "permissionScope": PERMISSION_SCOPE})
    return turn.input.response_builder.add_directive(directive).response


def timer_token(kind: str, duration: dt.timedelta) -> str:
    return f"timer:{kind}:{isodate.duration_isoformat(duration)}"


def wanted_timer(turn: Turn, token: str) -> tuple[str, dt.timedelta] | None:
    """The timer an AskFor token asked for, if it is one the skill would set (the token comes back from outside)."""
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != "timer" or parts[1] not in turn.deps.content.timers:
        return None
    duration = parse_duration(parts[2])
    therapy = turn.deps.content.timers[parts[1]].therapy
    return (parts[1], duration) if duration and MIN_TIMER <= duration <= therapy.max else None


# ---------------------------------------------------------------------------------------------- starting timers


def start_timer(turn: Turn, kind: str, duration: dt.timedelta, *, asked_permission: bool = False) -> Response:
    spec = turn.deps.content.timers[kind]
    if not has_permission(turn) and not asked_permission:
        return ask_permission(turn, timer_token(kind, duration))
    try:
        api(turn).create(duration, spec.label, spec.announce, locale(turn))
    except TimerError as error:
        if error.reason == "permission" and not asked_permission:
            return ask_permission(turn, timer_token(kind, duration))
        if error.reason == "rejected":
            return already_running(turn, spec) or failure(turn, error)
        return failure(turn, error, duration)
    return finish(turn, turn.say(f"timer.started.{kind}", duration=spoken_duration(duration)))


def already_running(turn: Turn, spec: TimerSpec) -> Response | None:
    """A 400 on create is most often our own label in use: say so, with the time left."""
    try:
        running = [t for t, kind, _ in ours(turn, api(turn).list()) if kind == spec.id]
    except TimerError:
        return None
    if not running:
        return None
    return finish(turn, turn.say("timer.already", name=spec.spoken, remaining=remaining_text(running[0].remaining)))


def offer_timer(turn: Turn, key: str, kind: str, duration: dt.timedelta) -> Response:
    spec = turn.deps.content.timers[kind]
    turn.state.session.ask("timer_offer", {"kind": kind, "duration": isodate.duration_isoformat(duration)})
    return turn.ask(turn.say(key, therapy=spec.therapy.name, duration=spoken_duration(duration),
                             limit=spoken_duration(spec.therapy.max)))


def take_offer(turn: Turn, offer: dict) -> Response:
    kind, duration = offer.get("kind"), parse_duration(offer.get("duration"))
    if kind not in turn.deps.content.timers or duration is None:
        return turn.ask(turn.say("timer.which"))
    return start_timer(turn, kind, duration)


def parse_duration(value: object) -> dt.timedelta | None:
    """An AMAZON.DURATION value (ISO 8601) as a timedelta; None for anything else, months and years included."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = isodate.parse_duration(value)
    except (isodate.ISO8601Error, ValueError):
        return None
    return parsed if isinstance(parsed, dt.timedelta) else None


QUESTIONS = {
    "timer_offer": Question(yes=take_offer, no=lambda turn, _: finish(turn, turn.say("timer.declined"))),
}


class StartTimerHandler(IntentHandler):
    """"Start an ice timer", "ice my back for ten minutes", "set a heat timer for 15 minutes"."""

    intents = ("StartTimerIntent",)

    def respond(self, turn: Turn) -> Response:
        content = turn.deps.content
        kind = KIND_BY_SLOT_ID.get(turn.slot_id(THERAPY_SLOT))
        raw = turn.slot_value(DURATION_SLOT) or (turn.state.session.offer or {}).get("duration")
        if kind is None:
            # Keep the length they said for when they name ice or heat.
            turn.state.session.ask(None, {"duration": raw} if raw else None)
            return turn.ask(turn.say("timer.which"))
        therapy = content.timers[kind].therapy
        if not raw:
            return start_timer(turn, kind, therapy.default)
        duration = parse_duration(raw)
        if duration is None:
            return offer_timer(turn, "timer.unclear", kind, therapy.default)
        if duration < MIN_TIMER:
            return offer_timer(turn, "timer.too_short", kind, therapy.default)
        if duration > therapy.max:
            return offer_timer(turn, "timer.over_limit", kind, therapy.max)
        return start_timer(turn, kind, duration)


class AlternateHandler(IntentHandler):
    """"Alternate ice and heat": a whole round announced by the speaker, with no more words from the user."""

    intents = ("AlternateIntent",)

    def respond(self, turn: Turn) -> Response:
        return start_cycle(turn)


def start_cycle(turn: Turn, *, asked_permission: bool = False) -> Response:
    cycle = turn.deps.content.cycle
    if not has_permission(turn) and not asked_permission:
        return ask_permission(turn, CYCLE_TOKEN)
    timers = api(turn)
    try:
        if ours(turn, timers.list()):
            return finish(turn, turn.say("timer.cycle.busy"))
    except TimerError as error:
        if error.reason == "permission" and not asked_permission:
            return ask_permission(turn, CYCLE_TOKEN)
        return failure(turn, error)
    created: list[Timer] = []
    offset = dt.timedelta(0)
    try:
        for phase in cycle.phases:
            offset += phase.length
            created.append(timers.create(offset, phase.label, phase.announce, locale(turn)))
    except TimerError as error:
        for timer in created:  # half a round would leave the user waiting for an announcement that never comes
            with contextlib.suppress(TimerError):
                timers.delete(timer.id)
        return failure(turn, error)
    return finish(turn, turn.say("timer.cycle.started", total=spoken_duration(cycle.total)))


# ---------------------------------------------------------------------------------------------- the permission answer


class PermissionResponseHandler(RequestTypeHandler):
    """Alexa's answer to the AskFor request: create what the user asked for, or explain how to allow it."""

    request_type = "Connections.Response"

    def applies(self, turn: Turn) -> bool:
        return getattr(turn.input.request_envelope.request, "name", None) == "AskFor"

    def respond(self, turn: Turn) -> Response:
        request = turn.input.request_envelope.request
        status = (request.payload or {}).get("status")
        token = request.token or ""
        wanted = wanted_timer(turn, token)
        if str(getattr(request.status, "code", None)) != "200" or not (wanted or token == CYCLE_TOKEN):
            return finish(turn, turn.say("permission.failed"))
        if status == "ACCEPTED":
            if wanted:
                return start_timer(turn, *wanted, asked_permission=True)
            return start_cycle(turn, asked_permission=True)
        # DENIED or NOT_ANSWERED: say how to allow it, send the consent card, offer the device's own timer.
        turn.input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[PERMISSION_SCOPE]))
        fallback = wanted[1] if wanted else turn.deps.content.cycle.phases[0].length
        return finish(turn, turn.say("permission.denied") +
                      turn.say("timer.device_timer", duration=spoken_duration(fallback)))


# ---------------------------------------------------------------------------------------------- reading and changing


def pick(turn: Turn, action: str, wanted_status: str | None) -> tuple[Timer, str] | Response:
    """The one timer a request is about, or the answer to give when there is none or it is unclear which.
    ``action`` (cancel, pause, resume) picks the content key for "nothing to do"."""
    kind = KIND_BY_SLOT_ID.get(turn.slot_id(THERAPY_SLOT))
    try:
        mine = ours(turn, api(turn).list())
    except TimerError as error:
        return failure(turn, error)
    candidates = [(t, name) for t, k, name in mine
                  if (kind is None or k == kind) and (wanted_status is None or t.status == wanted_status)]
    if not candidates:
        return finish(turn, turn.say(f"timer.nothing_to.{action}"))
    if len(candidates) > 1:
        return turn.ask(turn.say("timer.several"))
    return candidates[0]


class TimerStatusHandler(IntentHandler):
    """"How long is left on my ice timer", "how much time is left"."""

    intents = ("TimerStatusIntent",)

    def respond(self, turn: Turn) -> Response:
        kind = KIND_BY_SLOT_ID.get(turn.slot_id(THERAPY_SLOT))
        try:
            mine = [(t, name) for t, k, name in ours(turn, api(turn).list()) if kind is None or k == kind]
        except TimerError as error:
            return failure(turn, error)
        if not mine:
            if kind:
                return finish(turn, turn.say("timer.status.none_of_kind",
                                             therapy=turn.deps.content.timers[kind].therapy.name))
            return finish(turn, turn.say("timer.status.none"))
        line = Line()
        for timer, name in mine:
            key = "timer.status.paused" if timer.status == "PAUSED" else "timer.status.running"
            line += turn.say(key, name=name, remaining=remaining_text(timer.remaining))
        return finish(turn, line)


class CancelAllTimersHandler(IntentHandler):
    """"Cancel all my timers": every timer this skill made, one by one, and nobody else's."""

    intents = ("CancelAllTimersIntent",)

    def respond(self, turn: Turn) -> Response:
        timers = api(turn)
        try:
            mine = ours(turn, timers.list())
            if not mine:
                return finish(turn, turn.say("timer.nothing_to.cancel"))
            for timer, _, _ in mine:
                timers.delete(timer.id)
        except TimerError as error:
            return failure(turn, error)
        return finish(turn, turn.say("timer.cancelled_all"))


class ChangeTimerHandler(IntentHandler):
    """Cancel, pause or resume the one timer the user means; without a name, only when it is clear which."""

    action: str  # picks the content keys: timer.nothing_to.<action>
    wanted_status: str | None  # the state a timer must be in for the action
    done_key: str

    def change(self, timers: TimersApi, timer_id: str) -> None:
        raise NotImplementedError

    def respond(self, turn: Turn) -> Response:
        chosen = pick(turn, self.action, self.wanted_status)
        if isinstance(chosen, Response):
            return chosen
        timer, name = chosen
        try:
            self.change(api(turn), timer.id)
        except TimerError as error:
            return failure(turn, error)
        return finish(turn, turn.say(self.done_key, name=name, remaining=remaining_text(timer.remaining)))


class CancelTimerHandler(ChangeTimerHandler):
    """"Cancel my ice timer"."""

    intents = ("CancelTimerIntent",)
    action, wanted_status, done_key = "cancel", None, "timer.cancelled"

    def change(self, timers: TimersApi, timer_id: str) -> None:
        timers.delete(timer_id)


class PauseTimerHandler(ChangeTimerHandler):
    intents = ("PauseTimerIntent",)
    action, wanted_status, done_key = "pause", "ON", "timer.paused"

    def change(self, timers: TimersApi, timer_id: str) -> None:
        timers.pause(timer_id)


class ResumeTimerHandler(ChangeTimerHandler):
    intents = ("ResumeTimerIntent",)
    action, wanted_status, done_key = "resume", "PAUSED", "timer.resumed"

    def change(self, timers: TimersApi, timer_id: str) -> None:
        timers.resume(timer_id)
