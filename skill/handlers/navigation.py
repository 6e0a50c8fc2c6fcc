"""Next, Previous, Repeat, Start over, Pause and Resume, for whichever flow is active."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.base import IntentHandler, Turn
from skill.handlers.screen import pick_up
from skill.speech_keys import HINT

NEXT, PREVIOUS, REPEAT = "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent"
START_OVER, PAUSE, RESUME = "AMAZON.StartOverIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent"


def intent_name(turn: Turn) -> str:
    return turn.input.request_envelope.request.intent.name


class FlowNavigationHandler(IntentHandler):
    """Moves within the active flow."""

    intents = (NEXT, PREVIOUS, REPEAT, START_OVER, RESUME)

    def applies(self, turn: Turn) -> bool:
        # "Repeat" while a question of its own waits repeats the question (the hint handler below), not the step.
        if turn.cursor is None:
            return False
        return not (turn.pending and intent_name(turn) == REPEAT
                    and not turn.flows.asking_own_offer(turn.say, turn.state))

    def respond(self, turn: Turn) -> Response:
        flows, say, state = turn.flows, turn.say, turn.state
        move = {
            NEXT: flows.next,
            PREVIOUS: flows.previous,
            REPEAT: flows.repeat,
            START_OVER: flows.start_over,
            RESUME: flows.repeat,
        }[intent_name(turn)]
        return turn.reply(move(say, state))


class PauseHandler(IntentHandler):
    """Pausing keeps the bookmark and ends the session: the user may be gone for a while."""

    intents = (PAUSE,)

    def applies(self, turn: Turn) -> bool:
        return turn.cursor is not None

    def respond(self, turn: Turn) -> Response:
        flow = turn.flows.get(turn.cursor.flow)
        if not flow.resumable:
            return turn.tell(turn.say(flow.goodbye))
        turn.flows.keep(turn.state, turn.cursor)
        return turn.tell(turn.say("flow.paused"))


class BookmarkHandler(IntentHandler):
    """Resume, Continue or Start over in a new session ("Alexa, ask spasm coach to continue" after a timer): pick
    up the bookmark the last one left."""

    intents = (RESUME, NEXT, START_OVER)

    def applies(self, turn: Turn) -> bool:
        return turn.flows.can_pick_up(turn.state.user.bookmark)

    def respond(self, turn: Turn) -> Response:
        return pick_up(turn, start_over=intent_name(turn) == START_OVER)


class NoFlowHandler(IntentHandler):
    """Navigation with nothing to navigate: say so, then what the user can do from here."""

    intents = (NEXT, PREVIOUS, START_OVER, PAUSE, RESUME)

    def respond(self, turn: Turn) -> Response:
        key = "flow.nothing_to_resume" if intent_name(turn) == RESUME else "flow.not_started"
        return turn.ask(turn.say(key) + turn.guide(HINT))
