"""The last line: any failure while answering becomes an apology, never a 500."""

from __future__ import annotations

import logging
from contextvars import ContextVar

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model import Response

from skill.content import Content
from skill.conversation import speech_keys as keys
from skill.conversation.handlers.base import Deps
from skill.conversation.speech import Speaker
from skill.foundations.alexa_platform import SPOKEN_REQUEST_TYPES

log = logging.getLogger("skill.errors")
# The failure this request's apology answered, if any, so its log line says "apologized" and why.
APOLOGIZED: ContextVar[str | None] = ContextVar("apologized", default=None)


def apology(content: Content, request_type: str, request_id: str, builder: ResponseFactory | None = None) -> Response:
    """Sorry, and try again, with the microphone open; nothing at all for a request nobody is listening to.
    Used by the exception handler below and, for failures outside ask-sdk's dispatch, by the assembly."""
    builder = builder or ResponseFactory()
    if request_type not in SPOKEN_REQUEST_TYPES:
        return builder.response
    line = Speaker(content, request_id)(keys.ERROR_APOLOGY)
    return builder.speak(line.speech.ssml()).ask(line.reprompt.ssml()).response


class ApologyHandler(AbstractExceptionHandler):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("handler failed: %s: %s", type(exception).__name__, exception, exc_info=exception)
        APOLOGIZED.set(f"{type(exception).__name__}: {exception}")
        request = handler_input.request_envelope.request
        return apology(self.deps.voice(request.locale or "").content, request.object_type, request.request_id or "",
                       handler_input.response_builder)
