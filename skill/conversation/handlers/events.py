"""Requests that are not the user speaking: skill events, the end of a session, types we do not serve."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response, Slot
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from skill.conversation.handlers.base import matched_id
from skill.conversation.names import NAME_FREE_INTENTS

log = logging.getLogger("skill.events")


class OfType(AbstractRequestHandler):
    """A handler of one request type, whatever the session (skill events, the end of a session)."""

    request_type: str = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(self.request_type)(handler_input)


class SkillDisabledHandler(OfType):
    """Disabling the skill forgets the user: their row is deleted."""

    request_type = "AlexaSkillEvent.SkillDisabled"

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.delete_persistent_attributes()
        return handler_input.response_builder.response


class SessionEndedHandler(OfType):
    request_type = "SessionEndedRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = request.error
        log.log(
            logging.WARNING if error else logging.INFO,  # an error here is Alexa refusing what the skill sent
            "session ended",
            extra={"reason": request.reason.value if request.reason else None,
                   "error_type": error.object_type.value if error and error.object_type else None,
                   "error_message": error.message if error else None},
        )
        return handler_input.response_builder.response


class ExceptionEncounteredHandler(OfType):
    """Alexa could not use a response the skill sent: logged at WARNING with what Alexa said, then acknowledged."""

    request_type = "System.ExceptionEncountered"

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error, cause = request.error, request.cause
        log.warning("alexa could not use a response",
                    extra={"error_type": error.object_type.value if error and error.object_type else None,
                           "error_message": error.message if error else None,
                           "cause_request_id": cause.request_id if cause else None})
        return handler_input.response_builder.response


class CanFulfillHandler(OfType):
    """Whether Spasm Coach can answer an intent asked for without its name: yes for coaching and timers whose every
    slot said is one it knows (a custom slot's value resolved, a built-in's given); no for anything else."""

    request_type = "CanFulfillIntentRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = handler_input.request_envelope.request.intent
        slots = {name: _slot_answer(slot) for name, slot in ((intent.slots or {}) if intent else {}).items()
                 if slot is not None and slot.value}
        fulfils = bool(intent and intent.name in NAME_FREE_INTENTS) and all(
            answer.can_fulfill == CanFulfillSlotValues.YES for answer in slots.values())
        verdict = CanFulfillIntentValues.YES if fulfils else CanFulfillIntentValues.NO
        return handler_input.response_builder.set_can_fulfill_intent(
            CanFulfillIntent(can_fulfill=verdict, slots=slots or None)).response


def _slot_answer(slot: Slot) -> CanFulfillSlot:
    # A built-in slot carries no resolutions: its value is what Alexa heard.
    known = slot.resolutions is None or matched_id(slot) is not None
    return CanFulfillSlot(can_understand=CanUnderstandSlotValues.YES if known else CanUnderstandSlotValues.NO,
                          can_fulfill=CanFulfillSlotValues.YES if known else CanFulfillSlotValues.NO)


class QuietHandler(AbstractRequestHandler):
    """Any other request (skill events, messages, screen events): acknowledge with an empty response."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response
