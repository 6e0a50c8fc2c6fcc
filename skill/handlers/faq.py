"""Questions people ask in passing ("how long does this last?", "should I stay in bed?"): a short answer from
content, a card that names its sources, then whatever the user was doing, as it was."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.base import Deps, IntentHandler, Turn
from skill.speech import Line
from skill.speech_keys import HINT


class FaqHandler(IntentHandler):
    """One handler for every answer in ``faq.yaml``; the intents are the ones content names."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.intents = tuple(answer.intent for answer in deps.content.faq.values())

    def respond(self, turn: Turn) -> Response:
        answer = turn.content.faq_for_intent(turn.input.request_envelope.request.intent.name)
        card = (answer.title, f"{answer.card}\n\nSource: {answer.cite}")
        # The hint picks up where the user was: the step they were on, or the question still waiting.
        return turn.ask(turn.say.text(answer.say) + Line(card=card) + turn.guide(HINT))
