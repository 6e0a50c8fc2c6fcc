"""Builds the ask-sdk skill (handlers in order, the state interceptor, persistence, the API client) and answers
trusted request envelopes with it."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.exceptions import PersistenceException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope

from skill.alexa.envelope import clean_slots, is_known_type
from skill.clients.timers_api import TimeoutApiClient
from skill.content import Content
from skill.content.locales import DEFAULT_LOCALE
from skill.conversation import dialogue, handlers
from skill.conversation.handlers.base import Deps, Voice
from skill.conversation.handlers.errors import APOLOGIZED, apology
from skill.conversation.state import State
from skill.foundations.config import Settings
from skill.speedups.dispatch import IndexedRequestMapper
from skill.speedups.serializer import PlannedSerializer

EMPTY_RESPONSE = {"version": "1.0", "response": {}}
log = logging.getLogger("skill.app")


class SaveState(AbstractResponseInterceptor):
    """Writes the turn's state once, after the handler: into the session and, if it changed, the database."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        state = State.existing(handler_input)
        if state is not None:
            state.save()


def handler_deps(contents: Content | Mapping[str, Content], api_timeout: float = Settings.api_timeout) -> Deps:
    """What the handlers are built with, from one content or one per locale (the first then stands in for the
    default locale if it has none). One client serves every Alexa API call, so every call has the timeout."""
    contents = {contents.locale: contents} if isinstance(contents, Content) else dict(contents)
    voices = {locale: Voice(content, dialogue.walkthroughs(content)) for locale, content in contents.items()}
    voices.setdefault(DEFAULT_LOCALE, next(iter(voices.values())))
    return Deps(voices=voices, api_client=TimeoutApiClient(api_timeout))


class UnreadableEnvelope(ValueError):
    """A trusted envelope ask-sdk cannot read: the edge answers it as a bad request."""


class Skill:
    """The ask-sdk skill, answering trusted envelopes (dicts) with response envelopes (dicts), built on content
    already checked (``skill.alexa.startup_checks.checked_locales``)."""

    def __init__(self, contents: Content | Mapping[str, Content], persistence: AbstractPersistenceAdapter,
                 api_timeout: float = Settings.api_timeout) -> None:
        deps = handler_deps(contents, api_timeout)
        self.persistence = persistence
        builder = CustomSkillBuilder(persistence_adapter=persistence, api_client=deps.api_client)
        for handler in handlers.request_handlers(deps):
            builder.add_request_handler(handler)
        for handler in handlers.exception_handlers(deps):
            builder.add_exception_handler(handler)
        builder.add_global_response_interceptor(SaveState())
        self.deps = deps
        self.sdk: CustomSkill = builder.create()
        self.sdk.serializer = self.serializer = PlannedSerializer()
        dispatcher = self.sdk.request_dispatcher
        dispatcher.request_mappers = [IndexedRequestMapper(mapper.request_handler_chains)
                                      for mapper in dispatcher.request_mappers]

    def first_answer(self, envelope: dict, window: float) -> bool:
        """Whether this request id has not been answered within the timestamp tolerance (a replay would be).
        Where the store cannot say, the request is answered: the turn itself will meet the same fault."""
        persistence = self.persistence
        if not hasattr(persistence, "first_answer"):
            return True
        try:
            return persistence.first_answer(str(envelope["request"]["requestId"]), time.time(), window)
        except PersistenceException:
            log.warning("replay check unavailable", exc_info=True)
            return True

    def answer(self, envelope: dict) -> tuple[str, dict, str | None]:
        """(outcome, response envelope, the failure an apology answered) for a trusted envelope;
        :class:`UnreadableEnvelope` if ask-sdk cannot read it."""
        if not is_known_type(envelope):
            return "unsupported", EMPTY_RESPONSE, None
        serializer = self.serializer
        try:
            # The verifier's dict, read once: the body is not parsed again.
            request_envelope = serializer.from_data(clean_slots(envelope), RequestEnvelope)
        except SerializationException as error:
            raise UnreadableEnvelope(str(error)[:200]) from None
        APOLOGIZED.set(None)
        try:
            response = serializer.serialize(self.sdk.invoke(request_envelope=request_envelope, context=None))
        except Exception as error:
            # The exception handler answers what handlers raise; this is for failures around them.
            log.exception("skill invocation failed", extra={"request_id": envelope["request"]["requestId"]})
            return "apologized", self.apology(envelope), f"{type(error).__name__}: {error}"
        failure = APOLOGIZED.get()
        return ("apologized" if failure else "answered"), response, failure

    def apology(self, envelope: dict) -> dict:
        """The apology, with the session's attributes sent back unchanged so nothing is lost."""
        request = envelope["request"]
        session = envelope.get("session") if isinstance(envelope.get("session"), dict) else {}
        attributes = session.get("attributes") if isinstance(session.get("attributes"), dict) else None
        response = apology(self.deps.voice(str(request.get("locale") or "")).content, request["type"],
                           request["requestId"])
        return self.serializer.serialize(ResponseEnvelope(
            version="1.0", session_attributes=attributes if attributes else None, response=response))
