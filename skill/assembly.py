"""Builds the ask-sdk skill (handlers in order, the state interceptor, persistence, the API client) and answers
trusted request envelopes with it."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.exceptions import PersistenceException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope

import skill
from skill import cache, dialogue, handlers, speech_keys
from skill.content import Content, ContentError
from skill.content.locales import DEFAULT_LOCALE
from skill.content.model import TIERS
from skill.dialogue.treatment import TREATMENT
from skill.envelope import clean_slots, is_known_type
from skill.handlers.base import Deps, Voice
from skill.handlers.dispatch import IndexedRequestMapper
from skill.handlers.errors import apology
from skill.serializer import PlannedSerializer
from skill.services.timers_api import TimeoutApiClient, TimerError
from skill.speech import Line, Speaker
from skill.state import State
from skill.verification import NORMAL_TOLERANCE, Rejected

EMPTY_RESPONSE = {"version": "1.0", "response": {}}
# Request ids are remembered twice as long as a request's timestamp is accepted: a replay inside the window is
# refused, and one outside it fails the timestamp check. (Skill events, accepted for an hour, change nothing a
# replay could harm: a second "skill disabled" deletes what is already gone.)
REPLAY_WINDOW = 2 * NORMAL_TOLERANCE.total_seconds()
log = logging.getLogger("skill.app")


class SaveState(AbstractResponseInterceptor):
    """Writes the turn's state once, after the handler: into the session and, if it changed, the database."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        state = State.existing(handler_input)
        if state is not None:
            state.save()


def handler_deps(contents: Content | Mapping[str, Content], api_timeout: float = 3.0) -> Deps:
    """What the handlers are built with, from one content or one per locale (the first then stands in for the
    default locale if it has none). One client serves every Alexa API call, so every call has the timeout."""
    contents = {contents.locale: contents} if isinstance(contents, Content) else dict(contents)
    voices = {locale: Voice(content, dialogue.walkthroughs(content)) for locale, content in contents.items()}
    voices.setdefault(DEFAULT_LOCALE, next(iter(voices.values())))
    return Deps(voices=voices, api_client=TimeoutApiClient(api_timeout))


def handled_intents(content: Content) -> set[str]:
    """Every intent some handler takes, for checking against the interaction model."""
    chain = handlers.request_handlers(handler_deps(content))
    return {name for handler in chain for name in getattr(handler, "intents", ())}


def model_expectations(content: Content) -> dict[str, dict[str, tuple[str, ...]]]:
    """The phrasings content relies on, by the model's slot type: what `check` compares with the model."""
    return {"RedFlag": {flag.id: flag.phrases for flag in content.red_flags.values()},
            "ExerciseName": {**{e.id: (e.name, *e.synonyms) for e in content.exercises.values()},
                             **{o.id: () for o in content.other_moves.values()}},
            "BodyArea": {a.id: (a.name, *a.synonyms) for a in content.massage.values()},
            "TherapyType": {spec.slot_id: () for spec in content.timers.values()}}


def required_speech(content: Content, deps: Deps | None = None) -> dict[str, frozenset[str]]:
    """Every speech key the code can ask for, with the values it fills in (see ``speech_keys``)."""
    deps = deps or handler_deps(content)
    flows = deps.flows.names
    others = [where for where in handlers.contexts(deps) if where not in flows]
    in_flow = {dataclasses.replace(speech_keys.HELP, values=speech_keys.POSITION): flows,
               dataclasses.replace(speech_keys.HINT, values=speech_keys.POSITION): flows}
    return speech_keys.required({
        speech_keys.HELP: others, speech_keys.HINT: others, **in_flow,
        speech_keys.TREATMENT_INTRO: content.treatment.plans,
        speech_keys.ROUND_STARTED: content.treatment.plans,
        speech_keys.RESUME_FLOW: [name for name in flows if deps.flows.get(name).variant_tells_health],
        speech_keys.TIMER_STARTED: content.timers,
        speech_keys.TIMER_ERROR: TimerError.REASONS,
        speech_keys.NOTHING_TO: handlers.timer_changes.CHANGES,
        speech_keys.SAFETY_TIER: TIERS,
        speech_keys.SAFETY_TITLE: TIERS,
        speech_keys.UNSURE: handlers.QUESTIONS,
        speech_keys.SCREEN_ASK: handlers.screen.ASKED,
        speech_keys.FEELING: ("better", "worse", "same"),
        speech_keys.WHERE_KEPT: ["named", *(name for name in flows if deps.flows.get(name).variant_tells_health)],
    })


def turn_problems(content: Content, deps: Deps) -> list[str]:
    """Every walk-through item as it is said (heading, words, cue), held to the word budget; a first item also
    with the not-medical-advice notice and the longest plan intro before it, as a new user may hear it."""
    from skill.content import budget  # a check of content read from its files, not needed to serve
    say = Speaker(content)
    intros = [say(speech_keys.TREATMENT_INTRO(plan)) for plan in content.treatment.plans]
    intro = max(intros, key=lambda line: len(line.speech.plain()), default=Line())
    found = []
    for cursor in deps.flows.every_item():
        line, _ = deps.flows.compose(say, cursor)
        if cursor.index == 0:
            line = say("notice") + (intro if cursor.flow == TREATMENT else Line()) + line
        problem = budget.turn_problem(line.speech.ssml())
        if problem:
            found.append(f"{cursor.flow} {cursor.variant} item {cursor.index + 1}: {problem}")
    return found


def check_speech(contents: Content | Mapping[str, Content]) -> None:
    """Raise :class:`ContentError` unless each locale's content has every key the code asks for, and nothing
    more, and every walk-through turn keeps to the word budget."""
    contents = {contents.locale: contents} if isinstance(contents, Content) else contents
    found: dict[str, list[str]] = {}  # problem -> the locales that have it
    for locale, content in contents.items():
        deps = handler_deps(content)
        for problem in speech_keys.problems(content, required_speech(content, deps)) or turn_problems(content, deps):
            found.setdefault(problem, []).append(locale)
    # A problem of the shared content is named once; one of a locale's own words, with its locale.
    problems = [problem if len(locales) == len(contents) else f"{', '.join(locales)}: {problem}"
                for problem, locales in found.items()]
    if problems:
        raise ContentError(problems)


def checked_locales(content_dir: Path, cache_dir: Path | None = None) -> dict[str, Content]:
    """Every locale's content, loaded and checked against the code (:func:`check_speech`): raises
    :class:`ContentError` naming every problem. Kept in ``cache_dir`` under a digest of the content and the code,
    so an unchanged start skips both (``skill.cache``)."""

    def load_and_check() -> dict[str, Content]:
        from skill.content.loader import load_locales  # only when the content is read from its files

        contents = load_locales(content_dir)
        check_speech(contents)
        return {locale: content.served() for locale, content in contents.items()}

    sources = [*content_dir.rglob("*.yaml"), *Path(skill.__file__).parent.rglob("*.py")]
    return cache.cached(cache_dir, "content", sources, load_and_check)


class Skill:
    """The ask-sdk skill, answering trusted envelopes (dicts) with response envelopes (dicts), built on content
    already checked (:func:`checked_locales`)."""

    def __init__(self, contents: Content | Mapping[str, Content], persistence: AbstractPersistenceAdapter,
                 api_timeout: float = 3.0) -> None:
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

    def first_answer(self, envelope: dict) -> bool:
        """Whether this request id has not been answered within the timestamp tolerance (a replay would be).
        Where the store cannot say, the request is answered: the turn itself will meet the same fault."""
        persistence = self.persistence
        if not hasattr(persistence, "first_answer"):
            return True
        try:
            return persistence.first_answer(str(envelope["request"]["requestId"]), time.time(), REPLAY_WINDOW)
        except PersistenceException:
            log.warning("replay check unavailable", exc_info=True)
            return True

    def answer(self, envelope: dict) -> tuple[str, dict]:
        """(outcome, response envelope) for a trusted envelope; :class:`Rejected` if ask-sdk cannot read it."""
        if not is_known_type(envelope):
            return "unsupported", EMPTY_RESPONSE
        serializer = self.serializer
        try:
            # The verifier's dict, read once: the body is not parsed again.
            request_envelope = serializer.from_data(clean_slots(envelope), RequestEnvelope)
        except SerializationException as error:
            raise Rejected("malformed Alexa envelope", detail=str(error)[:200]) from None
        try:
            return "answered", serializer.serialize(self.sdk.invoke(request_envelope=request_envelope, context=None))
        except Exception:
            # The exception handler answers what handlers raise; this is for failures around them.
            log.exception("skill invocation failed", extra={"request_id": envelope["request"]["requestId"]})
            return "error", self.apology(envelope)

    def apology(self, envelope: dict) -> dict:
        """The apology, with the session's attributes sent back unchanged so nothing is lost."""
        request = envelope["request"]
        session = envelope.get("session") if isinstance(envelope.get("session"), dict) else {}
        attributes = session.get("attributes") if isinstance(session.get("attributes"), dict) else None
        response = apology(self.deps.voice(str(request.get("locale") or "")).content, request["type"],
                           request["requestId"])
        return self.serializer.serialize(ResponseEnvelope(
            version="1.0", session_attributes=attributes if attributes else None, response=response))
