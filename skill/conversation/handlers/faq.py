"""Questions people ask in passing ("how long does this last?", "should I stay in bed?"): a short answer from
content, a card that names its sources, then whatever the user was doing, as it was."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation import speech_keys as keys
from skill.conversation.handlers.base import Deps, IntentHandler, Turn
from skill.conversation.handlers.builtin import not_understood
from skill.conversation.speech import Line

QUESTION_INTENT = "QuestionIntent"  # "can I {act}", "is {thing} good for my back": the answer named by its topic
TOPIC_SLOTS = ("act", "thing")


class FaqHandler(IntentHandler):
    """One handler for every answer in ``faq.yaml``; the intents are the ones content names."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.intents = (*(answer.intent for answer in deps.content.faq.values()), QUESTION_INTENT)

    def respond(self, turn: Turn) -> Response:
        intent = turn.input.request_envelope.request.intent.name
        if intent == QUESTION_INTENT:
            topic = next((turn.slot_id(slot) for slot in TOPIC_SLOTS if turn.slot_id(slot)), None)
            answer = turn.content.faq.get(topic or "")
            if answer is None:  # a frame with a topic the skill has no answer for ("can I {bake a cake}")
                return not_understood(turn, keys.FALLBACK_SORRY)
        else:
            answer = turn.content.faq_for_intent(intent)
        card = (answer.title, answer.card)  # the card ends by naming its source
        # The hint picks up where the user was: the step they were on, or the question still waiting.
        return turn.ask(turn.say.text(answer.say) + Line(card=card) + turn.guide(keys.HINT))
