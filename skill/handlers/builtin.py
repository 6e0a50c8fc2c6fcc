"""The built-in intents around the features: yes and no, help, repeat, stop, cancel, home and fallback."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.dialogue.questions import NO, YES, YesNoQuestion
from skill.dialogue.registry import Registry
from skill.envelope import SPOKEN_REQUEST_TYPES
from skill.handlers.base import Deps, IntentHandler, RequestTypeHandler, Turn, TurnHandler
from skill.speech_keys import HELP, HINT

YES_INTENT, NO_INTENT, ANSWER_INTENT = "AMAZON.YesIntent", "AMAZON.NoIntent", "AnswerIntent"
ANSWER_SLOT = "answer"


def answer_given(turn: Turn) -> str | None:
    """YES, NO, SOMETIMES or UNSURE, whether said as a plain yes or no or in other words ("not sure", "kind
    of"); None for words the model could not place."""
    name = turn.input.request_envelope.request.intent.name
    if name == YES_INTENT:
        return YES
    if name == NO_INTENT:
        return NO
    return turn.slot_id(ANSWER_SLOT)


class OtherLanguageHandler(TurnHandler):
    """A locale in a language the skill has no content for: a short, polite word in English, never an error."""

    takes = frozenset((request_type, None) for request_type in SPOKEN_REQUEST_TYPES)  # see handlers.dispatch

    def matches(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type in SPOKEN_REQUEST_TYPES

    def applies(self, turn: Turn) -> bool:
        return not turn.deps.speaks(turn.locale)

    def respond(self, turn: Turn) -> Response:
        return turn.tell(turn.say("language.unsupported"))


class AnswerHandler(IntentHandler):
    """Answers mean something only as the answer to the question that is waiting."""

    intents = (YES_INTENT, NO_INTENT, ANSWER_INTENT)

    def __init__(self, deps: Deps, questions: Registry[YesNoQuestion]) -> None:
        super().__init__(deps)
        self.questions = questions

    def applies(self, turn: Turn) -> bool:
        return turn.pending in self.questions

    def respond(self, turn: Turn) -> Response:
        answer = answer_given(turn)
        if answer is None:
            return not_understood(turn, "fallback.sorry")
        question = self.questions[turn.pending]
        offer = turn.state.session.offer or {}
        turn.state.session.ask(None)
        return question.answer(answer)(turn, offer)


class GoOnHandler(IntentHandler):
    """"Yes", "okay" while a step waits for "next": the user means go on."""

    intents = (YES_INTENT, ANSWER_INTENT)

    def applies(self, turn: Turn) -> bool:
        return turn.cursor is not None and not turn.pending and answer_given(turn) == YES

    def respond(self, turn: Turn) -> Response:
        return turn.reply(turn.flows.next(turn.say, turn.state))


def not_understood(turn: Turn, key: str) -> Response:
    """Say what was not understood, then what the user can say here; from the second miss in a row, drop the
    apology and offer the main choices plainly, since the same reprompt again would not help."""
    if turn.state.session.missed() < 2:
        return turn.ask(turn.say(key) + turn.guide(HINT))
    if turn.pending:
        return turn.ask(turn.say("fallback.plainly") + turn.guide(HINT))
    return turn.ask(turn.say("fallback.flow_choices" if turn.cursor else "fallback.home_choices"))


class UnexpectedAnswerHandler(IntentHandler):
    """An answer with no question waiting: no apology, just what can be said here."""

    intents = (YES_INTENT, NO_INTENT, ANSWER_INTENT)

    def respond(self, turn: Turn) -> Response:
        return not_understood(turn, "unknown.okay" if answer_given(turn) == YES else "unknown.answer")


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
            return turn.tell(turn.say("goodbye.kept_place"))
        return turn.tell(turn.say(flow.goodbye if flow else "goodbye.plain"))


class FallbackHandler(IntentHandler):
    intents = ("AMAZON.FallbackIntent",)

    def respond(self, turn: Turn) -> Response:
        return not_understood(turn, "fallback.sorry")


class UnknownIntentHandler(RequestTypeHandler):
    """An intent this skill does not know (a model newer than the code, or a forged name)."""

    request_type = "IntentRequest"

    def respond(self, turn: Turn) -> Response:
        return not_understood(turn, "unknown.intent")
