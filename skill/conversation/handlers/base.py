"""What every handler shares: the per-request :class:`Turn`, and base classes that route by request type."""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type, get_slot, is_request_type
from ask_sdk_model import IntentRequest, Response, Slot
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from skill.clients.timers_api import TimeoutApiClient
from skill.content import Content
from skill.content.locales import DEFAULT_LOCALE, language, nearest_locale
from skill.content.phrasing import shown, spelled
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.flows import Flows
from skill.conversation.names import HOME, RESUME_OFFER, START_OFFER
from skill.conversation.speech import Line, Speaker, SpeechError
from skill.conversation.speech_keys import Family
from skill.conversation.state import State


@dataclass(frozen=True)
class Voice:
    """What the skill says in one locale: its content, and the walk-throughs read from it."""

    content: Content
    flows: Flows


@dataclass(frozen=True)
class Deps:
    """What handlers are built with: a voice per locale, and the client for Alexa's APIs."""

    voices: Mapping[str, Voice]
    api_client: TimeoutApiClient

    @property
    def content(self) -> Content:
        """The default locale's content, for what every locale shares: its ids, intents, questions and flows."""
        return self.voices[DEFAULT_LOCALE].content

    @property
    def flows(self) -> Flows:
        return self.voices[DEFAULT_LOCALE].flows

    def speaks(self, locale: str) -> bool:
        """Whether the skill has content in the language of ``locale``."""
        return any(language(known) == language(locale) for known in self.voices)

    def voice(self, locale: str) -> Voice:
        """The locale's own voice; else its language's fallback, which names no country's number (en-NZ hears
        "your emergency number", never another country's); else the nearest locale of its language; else the
        default, for a polite word in it."""
        if locale in self.voices:
            return self.voices[locale]
        if language(locale) in self.voices:
            return self.voices[language(locale)]
        return self.voices[nearest_locale(locale, self.voices)]


class Turn:
    """One request's view of the conversation: its state, a speaker, and how to answer."""

    _KEY = "spasm_coach.turn"

    def __init__(self, handler_input: HandlerInput, deps: Deps) -> None:
        self.input = handler_input
        self.deps = deps
        voice = deps.voice(self.locale)
        self.content, self.flows = voice.content, voice.flows
        self.state = State.of(handler_input)
        self._api_deadline: float | None = None
        self.say = Speaker(self.content, handler_input.request_envelope.request.request_id or "",
                           self.state.session.said)
        self.opening = Line()  # said before whatever answers the turn ("I still didn't catch that, so ...")

    @classmethod
    def of(cls, handler_input: HandlerInput, deps: Deps) -> Turn:
        attributes = handler_input.attributes_manager.request_attributes
        if cls._KEY not in attributes:
            attributes[cls._KEY] = cls(handler_input, deps)
        return attributes[cls._KEY]

    # -- where the user is
    @property
    def cursor(self):
        return self.flows.active(self.state)

    @property
    def pending(self) -> str | None:
        return self.state.session.pending

    def where(self) -> str:
        """The context that help, hints and fallbacks are chosen by."""
        if self.pending:
            return self.pending
        cursor = self.cursor
        return cursor.flow if cursor else HOME

    def api_deadline(self) -> float:
        """When this turn's calls to Alexa's APIs must all be over (``time.monotonic()``): set by the first, so
        however many calls a turn makes, together they keep inside Alexa's eight seconds."""
        if self._api_deadline is None:
            self._api_deadline = time.monotonic() + self.deps.api_client.timeout
        return self._api_deadline

    @property
    def locale(self) -> str:
        return self.input.request_envelope.request.locale or DEFAULT_LOCALE

    def guide(self, family: Family) -> Line:
        """Help (``HELP``) or a short reminder of what to say (``HINT``), fitted to where the user is."""
        where = self.where()
        cursor = self.cursor
        values = self.flows.position(cursor) if cursor and not self.pending else {}
        if where == HOME:
            # The home guide ends by offering the treatment steps (the hint, the place kept if there is one), so a
            # yes answers that.
            if family is keys.HINT and self.flows.can_pick_up(self.state.user.bookmark):
                where = RESUME_OFFER
            self.state.session.ask(RESUME_OFFER if where == RESUME_OFFER else START_OFFER)
        return self.say(family(where), **values)

    def _slot(self, name: str):
        return get_slot(self.input, name) if isinstance(self.input.request_envelope.request, IntentRequest) else None

    def slot_value(self, name: str) -> str | None:
        """What the user said for a slot, as Alexa heard it; None if missing."""
        slot = self._slot(name)
        return slot.value if slot and slot.value else None

    def slot_id(self, name: str) -> str | None:
        """The id entity resolution matched for a custom slot, or None if it is missing or unmatched."""
        slot = self._slot(name)
        return matched_id(slot) if slot else None

    # -- answering
    def ask(self, line: Line) -> Response:
        """Speak and keep the microphone open; an open turn without a reprompt is a bug."""
        if not line.reprompt:
            raise SpeechError("an open turn needs a reprompt")
        return self._build(line).ask(line.reprompt.ssml()).response

    def reply(self, line: Line) -> Response:
        """A line that asks something keeps the session open; one that asks nothing (a summary) closes it."""
        return self.ask(line) if line.reprompt else self.tell(line)

    def tell(self, line: Line) -> Response:
        """Speak and end the session."""
        return self._build(line).set_should_end_session(True).response

    def _build(self, line: Line):
        builder = self.input.response_builder.speak((self.opening.speech + line.speech).ssml())
        if line.card:
            # A card is read, not heard: numbers in digits, words spelled the locale's way.
            title, text = (spelled(shown(part), self.content.spelling) for part in line.card)
            builder.set_card(SimpleCard(title=title, content=text))
        return builder


def matched_id(slot: Slot) -> str | None:
    """The id entity resolution matched for ``slot``, or None if nothing matched (or it has no resolutions)."""
    authorities = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in authorities or ():
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.id
    return None


def notice_once(turn: Turn) -> Line:
    """The not-medical-advice notice, for someone who reached the steps without hearing the welcome."""
    if turn.state.user.notice_heard:
        return Line()
    turn.state.update_user(notice_heard=True)
    return turn.say(keys.NOTICE)


def goodbye(turn: Turn) -> Line:
    """What leaving says: that the place is kept, only where one really is; else the walk-through's own goodbye,
    or a plain one."""
    cursor = turn.cursor
    flow = turn.flows.get(cursor.flow) if cursor else None
    if flow and flow.resumable and turn.state.user.bookmark:
        return turn.say(keys.GOODBYE_KEPT_PLACE)
    return turn.say(flow.goodbye if flow else keys.GOODBYE_PLAIN)


def start_flow(turn: Turn, flow: str, variant: str, intro: Line | None = None) -> Response:
    """Begin a walk-through from its first item, with the notice first for someone who has not heard it."""
    return turn.ask(notice_once(turn) + (intro or Line()) + turn.flows.start(turn.say, turn.state, flow, variant))


class TurnHandler(AbstractRequestHandler):
    """A handler that answers with a :class:`Turn`. Subclasses say which requests they take in ``matches``."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.matches(handler_input) and self.applies(Turn.of(handler_input, self.deps))

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.respond(Turn.of(handler_input, self.deps))

    @abstractmethod
    def matches(self, handler_input: HandlerInput) -> bool: ...

    def applies(self, turn: Turn) -> bool:
        """A further condition on where the user is (a flow active, a question pending)."""
        return True

    @abstractmethod
    def respond(self, turn: Turn) -> Response: ...


class IntentHandler(TurnHandler):
    """Takes the intents named in ``intents``; the model test checks each is in the interaction model."""

    intents: tuple[str, ...] = ()

    def matches(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "IntentRequest" and get_intent_name(handler_input) in self.intents


class RequestTypeHandler(TurnHandler):
    request_type: str = ""

    def matches(self, handler_input: HandlerInput) -> bool:
        return is_request_type(self.request_type)(handler_input)
