"""The built-in intents around the features: yes and no, help, repeat, stop, cancel, home and fallback."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type
from ask_sdk_model import Response

from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.dialogue.registry import Registry
from skill.conversation.handlers.base import Deps, IntentHandler, RequestTypeHandler, Turn, TurnHandler, goodbye
from skill.conversation.names import (
    NEXT_INTENT,
    NO,
    NO_INTENT,
    RESUME_INTENT,
    SOMETIMES,
    SOMETIMES_INTENT,
    UNSURE,
    UNSURE_INTENT,
    YES,
    YES_INTENT,
)
from skill.foundations.alexa_platform import FALLBACK_INTENT, SPOKEN_REQUEST_TYPES

ANSWERS = {YES_INTENT: YES, NO_INTENT: NO, UNSURE_INTENT: UNSURE, SOMETIMES_INTENT: SOMETIMES}
# "Go on", "continue": a yes to a waiting question when there is no step to move to.
GO_ON = {NEXT_INTENT: YES, RESUME_INTENT: YES}


def answer_given(turn: Turn) -> str | None:
    """YES, NO, SOMETIMES or UNSURE, however it was said ("yup", "not that I know of", "maybe", "on and off")."""
    name = turn.input.request_envelope.request.intent.name
    return ANSWERS.get(name) or (GO_ON.get(name) if turn.cursor is None else None)


class OtherLanguageHandler(TurnHandler):
    """A locale in a language the skill has no content for: a short, polite word in English, never an error."""

    def matches(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) in SPOKEN_REQUEST_TYPES

    def applies(self, turn: Turn) -> bool:
        return not turn.deps.speaks(turn.locale)

    def respond(self, turn: Turn) -> Response:
        return turn.tell(turn.say(keys.LANGUAGE_UNSUPPORTED))


class AnswerHandler(IntentHandler):
    """Answers mean something only as the answer to the question that is waiting."""

    intents = (*ANSWERS, *GO_ON)

    def __init__(self, deps: Deps, questions: Registry[YesNoQuestion]) -> None:
        super().__init__(deps)
        self.questions = questions

    def applies(self, turn: Turn) -> bool:
        return turn.pending in self.questions and answer_given(turn) is not None

    def respond(self, turn: Turn) -> Response:
        return answer(turn, self.questions[turn.pending], answer_given(turn))


def answer(turn: Turn, question: YesNoQuestion, given: str) -> Response:
    offer = turn.state.session.offer or {}
    turn.state.session.ask(None)
    return question.answer(given)(turn, offer)


class GoOnHandler(IntentHandler):
    """"Yes", "okay" while a step waits for "next": the user means go on."""

    intents = (YES_INTENT,)

    def applies(self, turn: Turn) -> bool:
        return turn.cursor is not None and not turn.pending

    def respond(self, turn: Turn) -> Response:
        return turn.reply(turn.flows.next(turn.say, turn.state))


class WaitHandler(IntentHandler):
    """"Hang on", "give me a moment": whatever was waiting keeps waiting; the reprompt says how to go on. "Pause"
    at a question (no step to keep) means the same."""

    intents = ("WaitIntent", "AMAZON.PauseIntent")

    def applies(self, turn: Turn) -> bool:
        name = turn.input.request_envelope.request.intent.name
        return name == "WaitIntent" or (turn.pending is not None and turn.cursor is None)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say(keys.WAIT) + turn.guide(keys.HINT))


class ExplainHandler(IntentHandler):
    """"What do you mean?": why the question is asked, in a line, and how to answer it (help for where one is)."""

    intents = ("ExplainIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.guide(keys.HELP))


def not_understood(turn: Turn, key: str, questions: Registry[YesNoQuestion] | None = None) -> Response:
    """What to do with words not understood. At a question: ask it again more plainly, and after a second miss
    take its safe default, saying so (every question defines what "not sure" means for it). Elsewhere: say so,
    then what can be said here, and from the second miss the main choices plainly."""
    misses = turn.state.session.missed()
    question = questions.get(turn.pending) if questions is not None and turn.pending else None
    if question is not None:
        if misses < 2:
            plainly = turn.flows.own_offer_plainly(turn.say, turn.state) or turn.guide(keys.HINT)
            return turn.ask(turn.say(keys.FALLBACK_REASK) + plainly)
        turn.state.session.misses = 0
        turn.opening = turn.say(keys.FALLBACK_DEFAULT)
        return answer(turn, question, UNSURE)
    if misses < 2:
        return turn.ask(turn.say(key) + turn.guide(keys.HINT))
    if turn.pending:
        return turn.ask(turn.say(keys.FALLBACK_PLAINLY) + turn.guide(keys.HINT))
    return turn.ask(turn.say(keys.FALLBACK_FLOW_CHOICES if turn.cursor else keys.FALLBACK_HOME_CHOICES))


class UnexpectedAnswerHandler(IntentHandler):
    """An answer with no question waiting: no apology, just what can be said here."""

    intents = tuple(ANSWERS)

    def respond(self, turn: Turn) -> Response:
        return not_understood(turn, keys.UNKNOWN_OKAY if answer_given(turn) == YES else keys.UNKNOWN_ANSWER)


class HelpHandler(IntentHandler):
    intents = ("AMAZON.HelpIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.guide(keys.HELP))


class RepeatQuestionHandler(IntentHandler):
    """Repeat with no step to repeat: say again what the user can answer or do."""

    intents = ("AMAZON.RepeatIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.guide(keys.HINT))


class StopHandler(IntentHandler):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def respond(self, turn: Turn) -> Response:
        return turn.tell(goodbye(turn))


class FallbackHandler(IntentHandler):
    intents = (FALLBACK_INTENT,)

    def __init__(self, deps: Deps, questions: Registry[YesNoQuestion]) -> None:
        super().__init__(deps)
        self.questions = questions

    def respond(self, turn: Turn) -> Response:
        return not_understood(turn, keys.FALLBACK_SORRY, self.questions)


class UnknownIntentHandler(RequestTypeHandler):
    """An intent this skill does not know (a model newer than the code, or a forged name)."""

    request_type = "IntentRequest"

    def __init__(self, deps: Deps, questions: Registry[YesNoQuestion]) -> None:
        super().__init__(deps)
        self.questions = questions

    def respond(self, turn: Turn) -> Response:
        return not_understood(turn, keys.UNKNOWN_INTENT, self.questions)
