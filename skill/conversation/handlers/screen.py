"""The safety screen before coaching, asked once a session before the first treatment plan, exercise,
self-massage or self-check: the NHS's emergency signs in two questions, the same-day signs in one, and once who is
at higher risk, at most three signs a question so a listener in pain can hold them. Each yes is answered at its own
tier; "I don't know" gets cautious advice and the choice to go on. Someone screened in a session less than a day
ago hears one line instead ("anything new since last time?"). Exercises and self-massage then ask whether the
sharpest pain has settled, as the sources say to wait for that.

What was asked for waits in the question's offer as ``{"then": <continuation>, ...}``; the continuations are the
features' own starts, handed in by the handler package so this module imports none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from ask_sdk_model import Response

from skill.content.model import DOCTOR, EMERGENCY, URGENT
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import Deps, Turn, notice_once, start_flow
from skill.conversation.handlers.safety import RedFlagHandler, act_on, advice, noted
from skill.conversation.handlers.timers import offer_cold
from skill.conversation.names import (
    EXERCISE,
    MASSAGE,
    MOVING_OK,
    RESCREEN,
    RISK_WHICH,
    SCREEN_EMERGENCY,
    SCREEN_EMERGENCY_MORE,
    SCREEN_GO_ON,
    SCREEN_RISK,
    SCREEN_URGENT,
    SCREENED,
    SETTLED,
)
from skill.conversation.speech import Line
from skill.conversation.state import Cursor
from skill.foundations.times import parse_timestamp, utc_now

COACH = "coach"  # the continuation that starts a walk-through: {"flow": ..., "variant": ...}
PICK_UP = "pick_up"  # the continuation that picks up the bookmark of an earlier session
RESCREEN_WITHIN = dt.timedelta(days=1)

Continuation = Callable[[Turn, dict, Line], Response]  # (turn, the offer kept, what to say first)
MOVEMENT_FLOWS = (EXERCISE, MASSAGE)


def screened_recently(turn: Turn) -> bool:
    """Screened in a session that began less than a day ago: a one-line re-screen is enough."""
    at = turn.state.user.screened_at
    try:
        return at is not None and utc_now() - parse_timestamp(at) < RESCREEN_WITHIN
    except ValueError:
        return False


def screened_first(turn: Turn, then: str, lead: Line | None = None, **data: object) -> Response | None:
    """Ask the screen's first question (or, back within a day, the re-screen), keeping what was asked for; None
    when this session already answered it."""
    if turn.state.session.passed(SCREENED):
        return None
    turn.state.session.leave_flow()
    first = RESCREEN if screened_recently(turn) else SCREEN_EMERGENCY
    turn.state.session.ask(first, {"then": then, **data})
    return turn.ask(notice_once(turn) + (lead or Line()) + turn.say(keys.SCREEN_ASK(first)))


def coach(turn: Turn, flow: str, variant: str, lead: Line | None = None) -> Response:
    """Start a walk-through once it is safe to: the screen first, then, for movement, whether the pain has settled."""
    asked = screened_first(turn, COACH, lead, flow=flow, variant=variant)
    return asked or _after_screen_coach(turn, {"flow": flow, "variant": variant}, Line())


def pick_up(turn: Turn, lead: Line | None = None, start_over: bool = False) -> Response:
    """Pick up the bookmark of an earlier session: a new session, so the screen first, as for any coaching."""
    asked = screened_first(turn, PICK_UP, lead, start_over=start_over)
    return asked or _after_screen_pick_up(turn, {"start_over": start_over}, lead or Line())


def _after_screen_coach(turn: Turn, offer: dict, lead: Line) -> Response:
    flow, variant, index = offer.get("flow"), offer.get("variant"), offer.get("index")
    index = index if isinstance(index, int) and index >= 0 else None
    if not (isinstance(flow, str) and isinstance(variant, str)
            and turn.flows.valid(Cursor(flow, variant, index or 0))):  # an offer the session no longer holds
        return turn.ask(lead + turn.say(keys.FLOW_NOT_STARTED) + turn.guide(keys.HINT))
    if flow in MOVEMENT_FLOWS and not turn.state.session.passed(MOVING_OK):
        turn.state.session.ask(SETTLED, {"flow": flow, "variant": variant, "index": index})
        return turn.ask(lead + turn.say(keys.SCREEN_SETTLED))
    if index is None:
        return start_flow(turn, flow, variant, intro=lead)
    return turn.ask(lead + turn.flows.resume(turn.say, turn.state, Cursor(flow, variant, index)))


def _after_screen_pick_up(turn: Turn, offer: dict, lead: Line) -> Response:
    bookmark = turn.state.user.bookmark
    if not turn.flows.can_pick_up(bookmark):  # gone since (another device finished it): say so plainly
        return turn.ask(lead + turn.say(keys.FLOW_NOTHING_TO_RESUME) + turn.guide(keys.HINT))
    index = None if offer.get("start_over") else bookmark.index
    if not bookmark.variant:  # kept without the plan: ask again what picks it, carrying the step
        placing = turn.flows.get(bookmark.flow).place(turn.say, index)
        turn.state.session.ask(placing.question, placing.data)
        return turn.ask(lead + placing.line)
    return _after_screen_coach(turn, {"flow": bookmark.flow, "variant": bookmark.variant, "index": index}, lead)


def carry_on(turn: Turn, offer: dict, lead: Line, continuations: Mapping[str, Continuation]) -> Response:
    """The screen passed: remember when (for a one-line re-screen within a day), then what was asked for."""
    turn.state.session.pass_check(SCREENED)
    turn.state.update_user(screened_at=utc_now().isoformat(timespec="minutes"))
    every = {COACH: _after_screen_coach, PICK_UP: _after_screen_pick_up, **continuations}
    return every.get(offer.get("then", ""), _after_screen_coach)(turn, offer, lead)


@dataclass(frozen=True)
class Stage:
    """One question of the screen in order: the tier a yes is answered at (the risk question asks which instead),
    and what is said on a yes or after a clear no."""

    question: str
    yes_tier: str | None  # None: the risk question, whose yes asks which
    said_on_yes: str | None = None
    said_on_no: str | None = None


STAGES = (
    Stage(SCREEN_EMERGENCY, EMERGENCY, said_on_no=keys.SCREEN_FIRST_CLEAR),
    Stage(SCREEN_EMERGENCY_MORE, EMERGENCY),
    # A fall is the same day when young and the emergency department when older or with thin bones or steroids:
    # the answer says both, each at its tier, as the question cannot tell them apart.
    Stage(SCREEN_URGENT, URGENT, said_on_yes=keys.SCREEN_URGENT_YES),
    Stage(SCREEN_RISK, None),
)
ASKED = (*(stage.question for stage in STAGES), RESCREEN)  # every screen question, each said by its SCREEN_ASK key


class Screen:
    """The screen's answers; once it passes, it carries on with ``continuations`` (by name, as kept in the offer)."""

    def __init__(self, continuations: Mapping[str, Continuation]) -> None:
        self.continuations = continuations

    def questions(self) -> tuple[YesNoQuestion, ...]:
        return (
            *(YesNoQuestion(stage.question, yes=partial(self.yes_to, stage), no=partial(self.no_to, stage),
                            unsure=partial(self.unsure, stage.question)) for stage in STAGES),
            # "Yes" again to "which one?": asked once more plainly; not saying which gets each one's route.
            YesNoQuestion(RISK_WHICH, yes=self.which_again, no=self.each_route, unsure=self.each_route),
            YesNoQuestion(RESCREEN, yes=self.emergency, no=self.passed, unsure=partial(self.unsure, RESCREEN)),
            YesNoQuestion(SCREEN_GO_ON, yes=self.go_on, no=self.stopped, unsure=partial(self.ice, SCREEN_GO_ON)),
            # Not sure the worst has passed: wait, as moving too soon is the risk and waiting costs little.
            YesNoQuestion(SETTLED, yes=self.settled, no=self.not_settled, unsure=partial(self.ice, SETTLED)),
        )

    def yes_to(self, stage: Stage, turn: Turn, offer: dict) -> Response:
        if stage.yes_tier is None:
            turn.state.session.ask(RISK_WHICH, offer)
            return turn.ask(turn.say(keys.SCREEN_RISK_WHICH))
        return act_on(turn, stage.yes_tier, turn.say(stage.said_on_yes) if stage.said_on_yes else None)

    def no_to(self, stage: Stage, turn: Turn, offer: dict) -> Response:
        return self.after(stage, turn, offer, turn.say(stage.said_on_no) if stage.said_on_no else Line())

    def after(self, stage: Stage, turn: Turn, offer: dict, lead: Line) -> Response:
        """What follows a clear answer: the next question, or what was asked for."""
        following = STAGES[STAGES.index(stage) + 1:]
        if not following:
            return carry_on(turn, offer, lead + turn.say(keys.SCREEN_ALL_CLEAR), self.continuations)
        turn.state.session.ask(following[0].question, offer)
        return turn.ask(lead + turn.say(keys.SCREEN_ASK(following[0].question)))

    def unsure(self, question: str, turn: Turn, offer: dict) -> Response:
        turn.state.session.ask(SCREEN_GO_ON, {**offer, "stage": question})
        return turn.ask(turn.say(keys.UNSURE(question)))

    def go_on(self, turn: Turn, offer: dict) -> Response:
        """Yes after "I don't know": on to the next question, or what was asked for."""
        asked = offer.get("stage")
        stage = next((stage for stage in STAGES if stage.question == asked), STAGES[-1])  # the re-screen: the last
        return self.after(stage, turn, {k: v for k, v in offer.items() if k != "stage"}, Line())

    def emergency(self, turn: Turn, _: dict) -> Response:
        return act_on(turn, EMERGENCY)

    def passed(self, turn: Turn, offer: dict) -> Response:
        return carry_on(turn, offer, Line(), self.continuations)

    def which_again(self, turn: Turn, offer: dict) -> Response:
        turn.state.session.ask(RISK_WHICH, offer)
        return turn.ask(turn.guide(keys.HINT))

    def each_route(self, turn: Turn, offer: dict) -> Response:
        return carry_on(turn, offer, turn.say(keys.UNSURE(RISK_WHICH)), self.continuations)

    def stopped(self, turn: Turn, _: dict) -> Response:
        return turn.tell(turn.say(keys.SCREEN_STOPPED))

    def ice(self, question: str, turn: Turn, _: dict) -> Response:
        return offer_cold(turn, turn.say(keys.UNSURE(question)))

    def settled(self, turn: Turn, offer: dict) -> Response:
        turn.state.session.pass_check(MOVING_OK)
        return _after_screen_coach(turn, offer, Line())

    def not_settled(self, turn: Turn, _: dict) -> Response:
        return turn.tell(turn.say(keys.SCREEN_NOT_SETTLED))


class RiskAnswerHandler(RedFlagHandler):
    """"I'm pregnant", "I've had cancer" said to the risk question: a sign a doctor should see soon is answered and
    the screen goes on; one that needs care today or now is answered at its tier, as anywhere."""

    def __init__(self, deps: Deps, continuations: Mapping[str, Continuation]) -> None:
        super().__init__(deps)
        self.continuations = continuations

    def applies(self, turn: Turn) -> bool:
        return turn.pending in (SCREEN_RISK, RISK_WHICH) and RedFlagHandler.named(turn) is not None

    def respond(self, turn: Turn) -> Response:
        flag = RedFlagHandler.named(turn)
        if flag is None or flag.tier != DOCTOR:
            return act_on(turn, flag or URGENT)
        noted(turn, flag)
        return carry_on(turn, turn.state.session.offer or {}, advice(turn, flag), self.continuations)
