"""Builds the ask-sdk skill: handlers in order, the state interceptor, persistence, the API client."""

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
from skill.timers import TimeoutApiClient


class SaveState(AbstractResponseInterceptor):
    """Writes the turn's state once, after the handler: into the session and, if it changed, the database."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        state = State.existing(handler_input)
        if state is not None:
            state.save()


def _deps(content: Content, api_client: DefaultApiClient) -> Deps:
    return Deps(content=content, flows=Flows(handlers.flows(content)), api_client=api_client)


def handled_intents(content: Content) -> set[str]:
    """Every intent some handler takes, for checking against the interaction model."""
    deps = _deps(content, DefaultApiClient())
    return {name for handler in handlers.request_handlers(deps) for name in getattr(handler, "intents", ())}


def model_expectations(content: Content) -> dict[str, dict[str, tuple[str, ...]]]:
    """The phrasings content relies on, by the model's slot type: what `check` compares with the model."""
    return {"SelfCheckAnswer": dict(content.selfcheck.answers),
            "RedFlag": {flag.id: flag.phrases for flag in content.red_flags.values()},
            "ExerciseName": {e.id: (e.name, *e.synonyms) for e in content.exercises.values()},
            "BodyArea": {a.id: (a.name, *a.synonyms) for a in content.massage.values()}}


def build_skill(content: Content, persistence: AbstractPersistenceAdapter, api_timeout: float = 3.0) -> CustomSkill:
    # One client for every Alexa API call, so every call has the timeout.
    api_client = TimeoutApiClient(api_timeout)
    deps = _deps(content, api_client)
    builder = CustomSkillBuilder(persistence_adapter=persistence, api_client=api_client)
    for handler in handlers.request_handlers(deps):
        builder.add_request_handler(handler)
    for handler in handlers.exception_handlers(deps):
        builder.add_exception_handler(handler)
    builder.add_global_response_interceptor(SaveState())
    return builder.create()
