"""The built-in intents around the features: yes and no, help, repeat, stop, cancel, home and fallback."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.dialogue.questions import YesNoQuestion
from skill.dialogue.registry import Registry
from skill.handlers.base import Deps, IntentHandler, RequestTypeHandler, Turn
from skill.speech_keys import HELP, HINT

YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"


class AnswerHandler(IntentHandler):
    """Yes and no mean something only as the answer to the question that is waiting."""

    intents = (YES, NO)

    def __init__(self, deps: Deps, questions: Registry[YesNoQuestion]) -> None:
        super().__init__(deps)
        self.questions = questions

    def applies(self, turn: Turn) -> bool:
        return turn.pending in self.questions

    def respond(self, turn: Turn) -> Response:
        question = self.questions[turn.pending]
        offer = turn.state.session.offer or {}
        yes = turn.input.request_envelope.request.intent.name == YES
        turn.state.session.ask(None)
        return question.yes(turn, offer) if yes else question.no(turn, offer)


class UnexpectedAnswerHandler(IntentHandler):
    intents = (YES, NO, "SelfCheckAnswerIntent")

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say("unknown.answer") + turn.guide(HINT))


class HelpHandler(IntentHandler):
    intents = ("AMAZON.HelpIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.guide(HELP))


class RepeatQuestionHandler(IntentHandler):
    """Repeat with no step to repeat: say again what the user can answer or do."""

    intents = ("AMAZON.RepeatIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.guide(HINT))


class StopHandler(IntentHandler):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def respond(self, turn: Turn) -> Response:
        cursor = turn.cursor
        flow = turn.flows.get(cursor.flow) if cursor else None
        if flow and flow.resumable:
            return turn.tell(turn.say("goodbye.kept_place", **turn.flows.position(cursor)))
        return turn.tell(turn.say(flow.goodbye if flow else "goodbye.plain"))


class FallbackHandler(IntentHandler):
    intents = ("AMAZON.FallbackIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say("fallback.sorry") + turn.guide(HINT))


class UnknownIntentHandler(RequestTypeHandler):
    """An intent this skill does not know (a model newer than the code, or a forged name)."""

    request_type = "IntentRequest"

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say("unknown.intent") + turn.guide(HINT))
