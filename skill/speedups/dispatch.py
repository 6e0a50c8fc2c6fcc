"""Which handler takes a request: ask-sdk's request mapper, asking only the handlers that could.

ask-sdk asks every handler's ``can_handle`` in order until one says yes: for a request near the end of the list,
thirty questions, 8% of a turn (callgrind). :class:`IndexedRequestMapper` reads what each handler could take from
what it declares anyway, its ``intents`` (intent names) or its ``request_type``, and asks, in the same order,
only those that could take the request, so the same handler wins: one left out would have said no. A handler
that declares neither is asked about every request. Requests of an odd shape (an intent without a name) are
mapped the SDK's way, asking every handler. ``tests/test_dispatch.py`` holds it to ask-sdk's own mapper.
"""

from __future__ import annotations

from collections.abc import Sequence

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest
from ask_sdk_runtime.dispatch_components import GenericRequestHandlerChain, GenericRequestMapper

Key = tuple[str, str | None]
_ANY_OTHER = "\0any other intent"  # an intent no handler names: only handlers of any intent are asked
MAX_KEYS = 1024


class IndexedRequestMapper(GenericRequestMapper):
    def __init__(self, request_handler_chains: Sequence[GenericRequestHandlerChain]) -> None:
        super().__init__(list(request_handler_chains))
        self._named = {name for chain in self.request_handler_chains
                       for _, name in _takes(chain.request_handler) or ()}
        self._candidates: dict[Key, list[GenericRequestHandlerChain]] = {}

    def get_request_handler_chain(self, handler_input: HandlerInput) -> GenericRequestHandlerChain | None:
        request = handler_input.request_envelope.request
        key = self._key(request)
        if key is None:
            return super().get_request_handler_chain(handler_input)
        candidates = self._candidates.get(key)
        if candidates is None:
            candidates = [chain for chain in self.request_handler_chains if _could_take(chain.request_handler, key)]
            if len(self._candidates) < MAX_KEYS:  # request types are ask-sdk's few; an odd one is not kept
                self._candidates[key] = candidates
        for chain in candidates:
            if chain.request_handler.can_handle(handler_input=handler_input):
                return chain
        return None

    def _key(self, request: object) -> Key | None:
        object_type = getattr(request, "object_type", None)
        if not isinstance(object_type, str):
            return None
        if not isinstance(request, IntentRequest):
            return object_type, None
        name = request.intent.name if request.intent is not None else None
        if not isinstance(name, str):
            return None
        return object_type, name if name in self._named else _ANY_OTHER


def _takes(handler: AbstractRequestHandler) -> frozenset[Key] | None:
    """``(request type, intent name)`` pairs the handler could take, the name None for any request of the type;
    None if it could take anything."""
    intents = getattr(handler, "intents", None)
    if intents:
        return frozenset(("IntentRequest", name) for name in intents)
    request_type = getattr(handler, "request_type", None)
    if request_type:
        return frozenset({(request_type, None)})
    return None


def _could_take(handler: AbstractRequestHandler, key: Key) -> bool:
    takes = _takes(handler)
    return takes is None or key in takes or (key[0], None) in takes
