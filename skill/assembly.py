"""Builds the ask-sdk skill: handlers in dispatch order, the state interceptor, persistence, the API client."""

from __future__ import annotations

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response

from skill import handlers
from skill.content import Content
from skill.flows import Flows
from skill.handlers.base import Deps
from skill.state import State


class SaveState(AbstractResponseInterceptor):
    """Writes the turn's state once, after the handler: into the session and, if it changed, the database."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        state = State.existing(handler_input)
        if state is not None:
            state.save()


def _deps(content: Content) -> Deps:
    return Deps(content=content, flows=Flows(handlers.flows(content)))


def handled_intents(content: Content) -> set[str]:
    """Every intent some handler takes, for checking against the interaction model."""
    return {name for handler in handlers.request_handlers(_deps(content)) for name in getattr(handler, "intents", ())}


def build_skill(content: Content, persistence: AbstractPersistenceAdapter) -> CustomSkill:
    deps = _deps(content)
    builder = CustomSkillBuilder(persistence_adapter=persistence, api_client=DefaultApiClient())
    for handler in handlers.request_handlers(deps):
        builder.add_request_handler(handler)
    for handler in handlers.exception_handlers(deps):
        builder.add_exception_handler(handler)
    builder.add_global_response_interceptor(SaveState())
    return builder.create()
