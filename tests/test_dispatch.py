"""The indexed request mapper picks the handler ask-sdk's own mapper picks, for every intent of the model in
every place a user can be: the handlers' ``takes`` can only leave out handlers that would have said no."""

from __future__ import annotations

import json

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Request, RequestEnvelope
from ask_sdk_runtime.dispatch_components import GenericRequestMapper
from conftest import envelope, intent_request, slot

from coach_tools.model_lint import load_model
from skill.bundled import model_dir
from skill.conversation.handlers import QUESTIONS
from skill.speedups.dispatch import IndexedRequestMapper

MODEL = load_model(model_dir() / "en-US.json")


def places(deps) -> list[dict]:
    """Session attributes for each place: nowhere, each question waiting, each item of each flow."""
    found: list[dict] = [{}]
    found += [{"v": 1, "pending": question} for question in QUESTIONS]
    found += [{"v": 1, "cursor": {"flow": c.flow, "variant": c.variant, "index": c.index}, "checks": ["screen"]}
              for c in deps.flows.every_item()[::3]]
    return found


def requests() -> list[dict]:
    found = [{"type": name} for name in sorted(Request.discriminator_value_class_map) if name != "IntentRequest"]
    for intent in MODEL["intents"]:
        slots = [slot(s["name"], "something") for s in intent.get("slots", [])]
        found.append(intent_request(intent["name"], *slots))
    found.append(intent_request("NoSuchIntent"))
    found.append({"type": "IntentRequest", "intent": {"confirmationStatus": "NONE"}})  # no name: the SDK's way
    return found


def outcome(mapper, handler_input):
    try:
        chain = mapper.get_request_handler_chain(handler_input)
    except Exception as error:  # a handler that fails to decide fails the same way either way
        return type(error)
    return None if chain is None else type(chain.request_handler).__name__


def test_the_indexed_mapper_picks_what_the_sdk_mapper_picks(app):
    skill = app.extensions["spasm_coach"].skill
    indexed = skill.sdk.request_dispatcher.request_mappers[0]
    assert isinstance(indexed, IndexedRequestMapper)
    generic = GenericRequestMapper(indexed.request_handler_chains)
    compared = 0
    for attributes in places(skill.deps):
        for request in requests():
            for locale in ("en-GB", "fr-FR") if not attributes else ("en-GB",):
                body = envelope(request, attributes=attributes, locale=locale)
                try:
                    request_envelope = skill.serializer.from_data(json.loads(json.dumps(body)), RequestEnvelope)
                except SerializationException:
                    continue

                def fresh_input(request_envelope=request_envelope) -> HandlerInput:
                    # Each mapper asks from scratch: can_handle may keep a Turn in the request attributes.
                    return HandlerInput(request_envelope, AttributesManager(
                        request_envelope, persistence_adapter=skill.sdk.persistence_adapter))

                assert outcome(indexed, fresh_input()) == outcome(generic, fresh_input()), (request, attributes)
                compared += 1
    assert compared > 1500


@pytest.mark.parametrize("intent", ["AMAZON.HelpIntent", "RedFlagIntent", "NoSuchIntent"])
def test_the_index_asks_fewer_handlers(app, intent):
    skill = app.extensions["spasm_coach"].skill
    indexed = skill.sdk.request_dispatcher.request_mappers[0]
    request_envelope = skill.serializer.from_data(envelope(intent_request(intent)), RequestEnvelope)
    handler_input = HandlerInput(request_envelope, AttributesManager(request_envelope))
    indexed.get_request_handler_chain(handler_input)
    key = indexed._key(request_envelope.request)
    assert len(indexed._candidates[key]) < len(indexed.request_handler_chains) / 2
