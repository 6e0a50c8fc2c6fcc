"""Next, Previous, Repeat, Start over, Pause and Resume, for whichever flow is active."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.content.phrasing import ordinal
from skill.conversation import speech_keys as keys
from skill.conversation.handlers.base import Deps, IntentHandler, Turn, goodbye, start_flow
from skill.conversation.handlers.builtin import answer
from skill.conversation.handlers.screen import pick_up
from skill.conversation.handlers.timer_changes import running_rounds, status
from skill.conversation.handlers.treatment import begin_treatment
from skill.conversation.names import (
    EXERCISE,
    NEXT_INTENT,
    NO,
    PAUSE_INTENT,
    PREVIOUS_INTENT,
    REPEAT_INTENT,
    RESUME_INTENT,
    RESUME_OFFER,
    ROUTINE,
    START_OVER_INTENT,
)
from skill.conversation.speech import Line


def intent_name(turn: Turn) -> str:
    return turn.input.request_envelope.request.intent.name


class FlowNavigationHandler(IntentHandler):
    """Moves within the active flow."""

    intents = (NEXT_INTENT, PREVIOUS_INTENT, REPEAT_INTENT, START_OVER_INTENT, RESUME_INTENT)

    def applies(self, turn: Turn) -> bool:
        # "Repeat" while a question of its own waits repeats the question (the hint handler below), not the step.
        if turn.cursor is None:
            return False
        return not (turn.pending and intent_name(turn) == REPEAT_INTENT
                    and not turn.flows.asking_own_offer(turn.say, turn.state))

    def respond(self, turn: Turn) -> Response:
        flows, say, state = turn.flows, turn.say, turn.state
        move = {
            NEXT_INTENT: flows.next,
            PREVIOUS_INTENT: flows.previous,
            REPEAT_INTENT: flows.repeat,
            START_OVER_INTENT: flows.start_over,
            RESUME_INTENT: flows.next,  # "continue", "keep going" mid-session: on to the next step
        }[intent_name(turn)]
        return turn.reply(move(say, state))


class PauseHandler(IntentHandler):
    """Pausing keeps the bookmark and ends the session: the user may be gone for a while."""

    intents = (PAUSE_INTENT,)

    def applies(self, turn: Turn) -> bool:
        return turn.cursor is not None

    def respond(self, turn: Turn) -> Response:
        if not turn.flows.get(turn.cursor.flow).resumable:
            return turn.tell(goodbye(turn))
        turn.flows.keep(turn.state, turn.cursor)
        return turn.tell(turn.say(keys.FLOW_PAUSED))


class BookmarkHandler(IntentHandler):
    """Resume, Continue, Start over or a plain yes in a new session ("Alexa, ask spasm coach to continue" after a
    timer): pick up the bookmark the last one left."""

    intents = (RESUME_INTENT, NEXT_INTENT, START_OVER_INTENT, "AMAZON.YesIntent")

    def applies(self, turn: Turn) -> bool:
        return turn.cursor is None and turn.flows.can_pick_up(turn.state.user.bookmark)

    def respond(self, turn: Turn) -> Response:
        start_over = intent_name(turn) == START_OVER_INTENT
        return pick_up(turn, None if start_over else turn.say(keys.FLOW_PICKING_UP), start_over=start_over)


def kept_place(turn: Turn) -> Line:
    """Where the kept place is, in words: the step's name, or, for a place kept without its plan, which step."""
    bookmark = turn.state.user.bookmark
    if bookmark.variant:
        return turn.say(keys.WHERE_KEPT("named"), title=turn.flows.position(bookmark)["title"])
    return turn.say(keys.WHERE_KEPT(bookmark.flow), step=ordinal(bookmark.index + 1))


class WhereWasIHandler(IntentHandler):
    """"Where was I?", "which exercise was I on?": the step now, or the place kept from before and the offer to go
    back to it."""

    intents = ("WhereWasIIntent",)

    def respond(self, turn: Turn) -> Response:
        cursor = turn.cursor
        if cursor is not None:
            return turn.ask(turn.say(keys.WHERE_NOW, **turn.flows.position(cursor)) + turn.guide(keys.HINT))
        if turn.flows.can_pick_up(turn.state.user.bookmark):
            turn.state.session.ask(RESUME_OFFER)
            return turn.ask(kept_place(turn) + turn.say(keys.WHERE_OFFER))
        return turn.ask(turn.say(keys.FLOW_NOTHING_TO_RESUME) + turn.guide(keys.HINT))


class SkipHandler(IntentHandler):
    """"Skip this one": in an exercise, on to the next exercise; in any other walk-through, the next item; at a
    question with nothing to skip to, a no."""

    intents = ("SkipIntent",)

    def __init__(self, deps: Deps, questions) -> None:
        super().__init__(deps)
        self.questions = questions

    def respond(self, turn: Turn) -> Response:
        cursor = turn.cursor
        if cursor is None:
            if turn.pending in self.questions:
                return answer(turn, self.questions[turn.pending], NO)
            return turn.ask(turn.say(keys.FLOW_NOT_STARTED) + turn.guide(keys.HINT))
        if cursor.flow != EXERCISE:
            return turn.reply(turn.flows.next(turn.say, turn.state))
        ids = list(turn.content.exercises)
        flow = turn.flows.get(EXERCISE)
        if cursor.variant == ROUTINE:
            here = flow.exercise_at(cursor.variant, cursor.index)
            later = next((i for i in range(cursor.index, flow.length(ROUTINE)) if flow.exercise_at(ROUTINE, i) != here),
                         None)
            if later is None:
                return turn.reply(turn.say(keys.EXERCISE_SKIPPED) + turn.say(keys.FLOW_ENDED))
            return turn.ask(turn.say(keys.EXERCISE_SKIPPED)
                            + turn.flows.go_to(turn.say, turn.state, cursor.moved(later)))
        following = ids[(ids.index(cursor.variant) + 1) % len(ids)] if cursor.variant in ids else ids[0]
        return start_flow(turn, EXERCISE, following, intro=turn.say(keys.EXERCISE_SKIPPED))


class FeelingHandler(IntentHandler):
    """"It's a bit better today", "it's worse": a word on what that means, then back to what was waiting."""

    intents = ("FeelingIntent",)

    def respond(self, turn: Turn) -> Response:
        feeling = turn.slot_id("feeling") or "SAME"
        return turn.ask(turn.say(keys.FEELING(feeling.lower())) + turn.guide(keys.HINT))


class NoFlowHandler(IntentHandler):
    """Navigation with nothing to navigate: say so, then what the user can do from here."""

    intents = (NEXT_INTENT, PREVIOUS_INTENT, START_OVER_INTENT, PAUSE_INTENT, RESUME_INTENT)

    def respond(self, turn: Turn) -> Response:
        if intent_name(turn) == NEXT_INTENT:  # "what's next" during a round: the round's next phase
            rounds = running_rounds(turn)
            if rounds:
                return turn.ask(status(turn, rounds) + turn.guide(keys.HINT))
        if intent_name(turn) == RESUME_INTENT:
            return carry_on_from_the_start(turn)
        return not_started(turn)


def not_started(turn: Turn) -> Response:
    return turn.ask(turn.say(keys.FLOW_NOT_STARTED) + turn.guide(keys.HINT))


def carry_on_from_the_start(turn: Turn) -> Response:
    """"Continue" with no place kept and no timer paused (after a timer set on its own): the plan, from its start."""
    return begin_treatment(turn, lead=turn.say(keys.FLOW_FROM_THE_START))
