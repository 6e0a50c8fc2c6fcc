"""The user's ice and heat timers as the skill manages them: which are its own, which one a request means,
starting one or a whole round, changing one. Results are returned and failures raised; what to say about either
is the handlers' business.

The Timers API is the source of truth; the skill keeps no timer state of its own. Only timers carrying one of
the skill's labels are ever read out, paused or deleted: anyone else's are never touched, and delete-all is never
called.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from skill.clients.timers_api import Timer, TimerError, TimersApi
from skill.content import Content
from skill.content.model import CYCLE
from skill.foundations.times import iso_duration, parse_duration

MIN_TIMER = dt.timedelta(minutes=1)
ROUND_TOKEN = "cycle"
# After a create whose answer was lost, the listing that tells whether it was set gets this long of its own, so the
# turn may run the API budget plus this: still well inside Alexa's eight seconds.
CONFIRM_SECONDS = 1.5
_TIMER_TOKEN = "timer"


class AlreadyRunning(Exception):
    """The timer asked for is running already (the API refuses a second one with the same label)."""

    def __init__(self, own: OwnTimer) -> None:
        super().__init__(own.name)
        self.own = own


class OtherRunning(Exception):
    """Ice and heat never run together: another of the skill's timers (or a round) is set."""

    def __init__(self, group: OwnTimer) -> None:
        super().__init__(group.name)
        self.group = group


class NothingToChange(Exception):
    """None of the skill's timers is in a state the request could change."""


class WhichOne(Exception):
    """More than one of the skill's timers fits the request, and the user did not say which."""


@dataclass(frozen=True)
class OwnTimer:
    """What the user thinks of as one timer: an ice or heat timer, or a whole round of ice and heat (all its
    phase timers, paused, resumed and cancelled together so the phases stay in step), soonest first."""

    timers: tuple[Timer, ...]
    kind: str  # a timer id, or CYCLE for a round
    name: str

    @property
    def timer(self) -> Timer:
        """The one that goes off first: what "how long is left" reads."""
        return self.timers[0]


@dataclass(frozen=True)
class Wanted:
    """What the user asked for while the timers permission was missing, carried through Alexa's permission
    question in the AskFor token (the session may not survive it). ``kind`` None is the whole round."""

    kind: str | None = None
    duration: dt.timedelta | None = None

    def token(self) -> str:
        if self.kind is None:
            return ROUND_TOKEN
        return f"{_TIMER_TOKEN}:{self.kind}:{iso_duration(self.duration)}"

    @classmethod
    def from_token(cls, token: str, content: Content) -> Wanted | None:
        """The request a token carries, if it is one the skill would make: the token comes back from outside."""
        if token == ROUND_TOKEN:
            return cls()
        parts = token.split(":")
        if len(parts) != 3 or parts[0] != _TIMER_TOKEN or parts[1] not in content.timers:
            return None
        duration = parse_duration(parts[2])
        if duration is None or not MIN_TIMER <= duration <= content.timers[parts[1]].therapy.max:
            return None
        return cls(parts[1], duration)


class TimerService:
    """The timers of the user one request speaks for. ``permitted`` says whether the request carries the timers
    permission (or the user has just granted it); without it nothing is tried and ``TimerError("permission")``
    is raised, so the caller can ask."""

    def __init__(self, api: TimersApi, content: Content, locale: str, permitted: bool) -> None:
        self._api = api
        self._content = content
        self._locale = locale
        self._permitted = permitted

    def own_timers(self, kind: str | None = None) -> list[OwnTimer]:
        """The skill's own timers, of one kind if given, a round counted as one."""
        own, phases = [], []
        for timer in self._api.list():
            match = self._content.timer_by_label(timer.label)
            if match and match[0] == CYCLE:
                phases.append(timer)
            elif match and (kind is None or match[0] == kind):
                own.append(OwnTimer((timer,), *match))
        if phases and kind in (None, CYCLE):
            phases.sort(key=lambda timer: timer.remaining)
            own.append(OwnTimer(tuple(phases), CYCLE, self._content.cycle.spoken))
        return own

    def start(self, kind: str, duration: dt.timedelta) -> None:
        spec = self._content.timers[kind]
        self._require_permission()
        running = self.own_timers()
        if running:
            # The listing that keeps ice and heat apart also shows one of this kind already set.
            raise AlreadyRunning(running[0]) if running[0].kind == kind else OtherRunning(running[0])
        try:
            self._api.create(duration, spec.label, spec.announce, self._locale)
        except TimerError as error:
            if error.reason == "rejected":
                # A 400 on create is most often the skill's own label, set since the listing (another device):
                # say so, with the time left.
                running = self._quietly_mine(kind)
                if running:
                    raise AlreadyRunning(running[0]) from error
            if error.lost:  # sent, but the answer never came: look before saying anything
                if self._set_after_all(spec.label):
                    return  # set after all: say so, never "not set"
                raise TimerError("unconfirmed") from error  # it may yet be set: never promise it is not
            raise

    def start_round(self, plan: str) -> dt.timedelta:
        """Every phase of the ice-and-heat round at cumulative offsets, or none of them; returns its length."""
        self._require_permission()
        running = self.own_timers()
        if running:
            raise OtherRunning(running[0])
        created: list[Timer] = []
        offset = dt.timedelta(0)
        try:
            for phase in self._content.cycle.phases(plan):
                offset += phase.length
                created.append(self._api.create(offset, phase.label, phase.announce, self._locale))
        except TimerError as error:
            # Half a round leaves the user waiting for an announcement that never comes: take back what was set.
            api = self._api
            if error.lost:  # looked up, and taken back, with a little time of their own
                api = self._api.with_grace(CONFIRM_SECONDS)
                labels = {phase.label for phase in self._content.cycle.phases(plan)}
                known = {timer.id for timer in created}
                try:
                    found = [timer for timer in api.list() if timer.label in labels and timer.id not in known]
                except TimerError:
                    raise TimerError("left_over") from error
                created += found
            left = []
            for timer in created:
                try:
                    api.delete(timer.id)
                except TimerError:
                    left.append(timer)
            if left or (error.lost and not found):  # the lost one may yet be set: never promise it is not
                raise TimerError("left_over") from error
            raise
        return self._content.cycle.total(plan)

    def choose(self, kind: str | None, status: str | None) -> OwnTimer:
        """The one timer a request is about: of the kind named (if any) and in the state the change needs. A round
        holds both ice and heat, so naming either finds the round when no timer of that kind runs alone."""
        own_timers = self.own_timers()
        named = [own for own in own_timers if kind is None or own.kind in (kind, CYCLE)]
        if kind and any(own.kind == kind for own in named):
            named = [own for own in named if own.kind == kind]
        candidates = [own for own in named if status is None or own.timer.status == status]
        if not candidates:
            raise NothingToChange
        if len(candidates) > 1:
            raise WhichOne
        return candidates[0]

    def cancel(self, own: OwnTimer) -> None:
        for timer in own.timers:
            self._api.delete(timer.id)

    def cancel_first(self, own: OwnTimer) -> None:
        """Only the timer that goes off first: in a round, the phase that runs now."""
        self._api.delete(own.timer.id)

    def pause(self, own: OwnTimer) -> None:
        for timer in own.timers:
            self._api.pause(timer.id)

    def resume(self, own: OwnTimer) -> None:
        for timer in own.timers:
            self._api.resume(timer.id)

    def cancel_all(self) -> None:
        """Every timer the skill made, one by one."""
        own = self.own_timers()
        if not own:
            raise NothingToChange
        for timer in own:
            self.cancel(timer)

    def _require_permission(self) -> None:
        if not self._permitted:
            raise TimerError("permission")

    def _set_after_all(self, label: str) -> bool:
        """After a create whose answer was lost: whether a timer of ``label`` is there, looked up with a little time
        of its own; :class:`TimerError` "unconfirmed" when even that cannot say."""
        try:
            found = self._api.with_grace(CONFIRM_SECONDS).list()
        except TimerError:
            raise TimerError("unconfirmed") from None
        return any(timer.label == label for timer in found)

    def _quietly_mine(self, kind: str) -> list[OwnTimer]:
        try:
            return self.own_timers(kind)
        except TimerError:
            return []
