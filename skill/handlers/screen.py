"""The safety screen before coaching: at most two questions, asked once a session before the first treatment
plan, exercise, self-massage or self-check, for the signs the sources send to emergency services (first) and to
a doctor today (second). Each yes is answered at its own tier; "I don't know" gets cautious advice and the choice
to go on. Exercises and self-massage then ask whether the sharpest pain has settled, as the sources say to wait
for that.

What was asked for waits in the question's offer as ``{"then": <continuation>, ...}``; the continuations are the
features' own starts, handed in by the handler package so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ask_sdk_model import Response

from skill.dialogue.exercises import EXERCISE, MASSAGE
from skill.dialogue.questions import YesNoQuestion
from skill.handlers.base import Turn, notice_once, start_flow
from skill.handlers.safety import EMERGENCY, URGENT, act_on
from skill.speech import Line
from skill.speech_keys import HINT, UNSURE
from skill.state import Cursor

SCREEN_EMERGENCY = "screen_emergency"  # numbness in the saddle, bladder or bowels, both legs, chest, a bad accident
SCREEN_URGENT = "screen_urgent"  # a fall or knock, a high temperature, weight loss without trying, night pain
SCREEN_GO_ON = "screen_go_on"  # after "I don't know" to a screen question: carry on?
SETTLED = "settled"  # has the sharpest pain settled enough for gentle movement?
SCREENED, MOVING_OK = "screen", "settled"  # the session checks these set
COACH = "coach"  # the continuation that starts a walk-through: {"flow": ..., "variant": ...}
PICK_UP = "pick_up"  # the continuation that picks up the bookmark of an earlier session

Continuation = Callable[[Turn, dict, Line], Response]  # (turn, the offer kept, what to say first)
MOVEMENT_FLOWS = (EXERCISE, MASSAGE)


def screened_first(turn: Turn, then: str, lead: Line | None = None, **data: object) -> Response | None:
    """Ask the screen's first question, keeping what was asked for; None when this session already answered it."""
    if turn.state.session.passed(SCREENED):
        return None
    turn.state.session.leave_flow()
    turn.state.session.ask(SCREEN_EMERGENCY, {"then": then, **data})
    return turn.ask(notice_once(turn) + (lead or Line()) + turn.say("screen.emergency"))


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
        return turn.ask(lead + turn.say("flow.not_started") + turn.guide(HINT))
    if flow in MOVEMENT_FLOWS and not turn.state.session.passed(MOVING_OK):
        turn.state.session.ask(SETTLED, {"flow": flow, "variant": variant, "index": index})
        return turn.ask(lead + turn.say("screen.settled"))
    if index is None:
        return start_flow(turn, flow, variant, intro=lead)
    return turn.ask(lead + turn.flows.resume(turn.say, turn.state, Cursor(flow, variant, index)))


def _after_screen_pick_up(turn: Turn, offer: dict, lead: Line) -> Response:
    bookmark = turn.state.user.bookmark
    if not turn.flows.can_pick_up(bookmark):  # gone since (another device finished it): say so plainly
        return turn.ask(lead + turn.say("flow.nothing_to_resume") + turn.guide(HINT))
    index = None if offer.get("start_over") else bookmark.index
    if not bookmark.variant:  # kept without the plan: ask again what picks it, carrying the step
        placing = turn.flows.get(bookmark.flow).place(turn.say, index)
        turn.state.session.ask(placing.question, placing.data)
        return turn.ask(lead + placing.line)
    return _after_screen_coach(turn, {"flow": bookmark.flow, "variant": bookmark.variant, "index": index}, lead)


def questions(continuations: Mapping[str, Continuation]) -> tuple[YesNoQuestion, ...]:
    """The screen's questions, carrying on with ``continuations`` (by name, as kept in the offer) once it passes."""
    every = {COACH: _after_screen_coach, PICK_UP: _after_screen_pick_up, **continuations}

    def carry_on(turn: Turn, offer: dict, lead: Line) -> Response:
        turn.state.session.pass_check(SCREENED)
        return every.get(offer.get("then", ""), _after_screen_coach)(turn, offer, lead)

    def second(turn: Turn, offer: dict, lead: Line) -> Response:
        turn.state.session.ask(SCREEN_URGENT, offer)
        return turn.ask(lead + turn.say("screen.urgent"))

    def go_on(turn: Turn, offer: dict) -> Response:
        """Yes after "I don't know": on to the next question, or what was asked for."""
        step = second if offer.get("stage") == SCREEN_EMERGENCY else carry_on
        return step(turn, {k: v for k, v in offer.items() if k != "stage"}, Line())

    def unsure(stage: str) -> Callable[[Turn, dict], Response]:
        def answer(turn: Turn, offer: dict) -> Response:
            turn.state.session.ask(SCREEN_GO_ON, {**offer, "stage": stage})
            return turn.ask(turn.say(UNSURE(stage)))
        return answer

    def settled(turn: Turn, offer: dict) -> Response:
        turn.state.session.pass_check(MOVING_OK)
        return _after_screen_coach(turn, offer, Line())

    def not_settled(turn: Turn, _: dict) -> Response:
        return turn.tell(turn.say("screen.not_settled"))

    def unsure_settled(turn: Turn, _: dict) -> Response:
        return turn.tell(turn.say(UNSURE(SETTLED)))

    return (
        YesNoQuestion(SCREEN_EMERGENCY, yes=lambda turn, _: act_on(turn, EMERGENCY),
                      no=lambda turn, offer: second(turn, offer, turn.say("screen.first_clear")),
                      unsure=unsure(SCREEN_EMERGENCY)),
        YesNoQuestion(SCREEN_URGENT, yes=lambda turn, _: act_on(turn, URGENT),
                      no=lambda turn, offer: carry_on(turn, offer, turn.say("screen.all_clear")),
                      unsure=unsure(SCREEN_URGENT)),
        YesNoQuestion(SCREEN_GO_ON, yes=go_on, no=lambda turn, _: turn.tell(turn.say("screen.stopped")),
                      unsure=lambda turn, _: turn.tell(turn.say(UNSURE(SCREEN_GO_ON)))),
        # Not sure the worst has passed: wait, as moving too soon is the risk and waiting costs little.
        YesNoQuestion(SETTLED, yes=settled, no=not_settled, unsure=unsure_settled),
    )

