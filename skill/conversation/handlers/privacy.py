""""Forget me": everything stored about the user is erased, after a yes, since it cannot be undone."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import IntentHandler, Turn
from skill.conversation.names import FORGET


def forget(turn: Turn, _: dict) -> Response:
    turn.state.forget()
    return turn.tell(turn.say(keys.FORGET_DONE))


def keep(turn: Turn, _: dict) -> Response:
    return turn.ask(turn.say(keys.FORGET_KEPT) + turn.guide(keys.HINT))


QUESTIONS = (
    # Not sure is not consent to something that cannot be undone: keep everything.
    YesNoQuestion(FORGET, yes=forget, no=keep,
                  unsure=lambda turn, _: turn.ask(turn.say(keys.UNSURE(FORGET)) + turn.guide(keys.HINT))),
)


class ForgetMeHandler(IntentHandler):
    """"Forget me", "delete my data"."""

    intents = ("ForgetMeIntent",)

    def respond(self, turn: Turn) -> Response:
        turn.state.session.ask(FORGET)
        return turn.ask(turn.say(keys.FORGET_CONFIRM))
