"""The last line: any exception in a handler becomes an apology, never a 500."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.envelope import SPOKEN_REQUEST_TYPES
from skill.handlers.base import Deps
from skill.speech import Speaker

log = logging.getLogger("skill.errors")


class ApologyHandler(AbstractExceptionHandler):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("handler failed: %s: %s", type(exception).__name__, exception, exc_info=exception)
        request = handler_input.request_envelope.request
        if request.object_type not in SPOKEN_REQUEST_TYPES:
            return handler_input.response_builder.response  # nobody is listening for speech
        line = Speaker(self.deps.content, request.request_id or "")("error.apology")
        return handler_input.response_builder.speak(line.speech.ssml()).ask(line.reprompt.ssml()).response
