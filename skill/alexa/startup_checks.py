"""Every check made before the skill serves a word, in one place. A start that fails one stops with every problem
named by file and key, so a bad edit never reaches a user's turn.

At every start (``checked_locales``, called by ``create_app``):

1. Each content file reads as its schema says, every cross-reference resolves, and every spoken item keeps to
   the word budget and to words a listener can picture (``skill.content.loader``, ``skill.content.budget``).
2. Each locale's content has every speech key the code asks for, with the values it fills in, and nothing more
   (``required_speech``, ``skill.conversation.speech_keys``).
3. Every walk-through turn, as it is said with its heading, cue and first-time notice, keeps to the word budget
   (``turn_problems``).

Before those, ``check_settings`` (called by ``spasm-coach serve``, ``check`` and the WSGI module, before gunicorn
forks a worker) holds the settings to what the server needs: a content directory, a database URL it can use with
its driver installed, a database that takes a write, a data directory it can write. Each failure is one line
naming the setting and what to do, never a traceback per worker.

``spasm-coach check`` adds the checks that need files a server does not read: the interaction models against the
intents the handlers take and the phrasings the content relies on (``handled_intents``, ``model_expectations``),
and every ``source`` against ``docs/sources.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from skill.alexa.assembly import handler_deps
from skill.clients.timers_api import TimerError
from skill.content import Content, ContentError
from skill.content.model import TIERS
from skill.conversation import handlers
from skill.conversation import speech_keys as keys
from skill.conversation.handlers.base import Deps
from skill.conversation.names import TREATMENT
from skill.conversation.speech import Line, Speaker
from skill.foundations.config import Settings, SettingsError


def check_settings(settings: Settings) -> None:
    """Raise :class:`SettingsError` (one line: the setting, what is wrong, what to do) unless the server can start
    with ``settings``."""
    from skill.clients.persistence import build_adapter, uses_postgres

    content = settings.content_dir
    if not (content / "locales").is_dir():
        raise SettingsError(f"SPASM_COACH_CONTENT_DIR: {content} is not a content directory (it has no locales/"
                            " folder); unset it to use the shipped content, or point it at a copy of content/")
    url = settings.resolved_database_url
    try:
        postgres = uses_postgres(url)
    except ValueError as error:
        raise SettingsError(f"SPASM_COACH_DATABASE_URL: {error}") from None
    if postgres:
        try:
            import psycopg  # noqa: F401 - only whether it is installed
        except ImportError:
            raise SettingsError("SPASM_COACH_DATABASE_URL names PostgreSQL, whose driver is not installed: pip install"
                                " 'spasm-coach[postgres]'") from None
    where = "SPASM_COACH_DATABASE_URL" if settings.database_url else f"SPASM_COACH_DATA_DIR ({settings.data_dir})"
    try:
        store = build_adapter(url, settings.user_key_secret, settings.data_dir)
    except OSError as error:
        raise SettingsError(f"{where}: cannot write there ({error.strerror or error}); point it at a folder the"
                            " service user can write") from None
    try:
        refused = store.unwritable()
    finally:
        store.close()
    if refused:
        todo = "is the server up, and the URL right?" if postgres else "is the folder writable, with room?"
        refused = " ".join(refused.split())  # a driver's message may span lines; this is one
        raise SettingsError(f"{where}: the database would not take a write ({refused}); {todo}")


def checked_locales(content_dir: Path) -> dict[str, Content]:
    """Every locale's content as a server keeps it, loaded and checked against the code: raises
    :class:`ContentError` naming every problem."""
    return {locale: content.served() for locale, content in loaded_and_checked(content_dir).items()}


def loaded_and_checked(content_dir: Path) -> dict[str, Content]:
    """Every locale's content and each language's fallback, whole (with the lexicon ``spasm-coach check`` lints
    the models against), checked against the code."""
    from skill.content.loader import load_locales  # only when the content is read from its files
    from skill.content.locales import served

    contents = load_locales(content_dir, served(content_dir))
    check_speech(contents)
    return contents


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
    in_flow = {dataclasses.replace(keys.HELP, values=keys.POSITION): flows,
               dataclasses.replace(keys.HINT, values=keys.POSITION): flows}
    return keys.required({
        keys.HELP: others, keys.HINT: others, **in_flow,
        keys.TREATMENT_INTRO: content.treatment.plans,
        keys.ROUND_STARTED: content.treatment.plans,
        keys.RESUME_FLOW: [name for name in flows if deps.flows.get(name).variant_tells_health],
        keys.TIMER_STARTED: content.timers,
        keys.TIMER_ERROR: TimerError.REASONS,
        keys.NOTHING_TO: handlers.timer_changes.CHANGES,
        keys.SAFETY_TIER: TIERS,
        keys.SAFETY_TITLE: TIERS,
        keys.UNSURE: handlers.QUESTIONS,
        keys.SCREEN_ASK: handlers.screen.ASKED,
        keys.FEELING: ("better", "worse", "same"),
        keys.WHERE_KEPT: ["named", *(name for name in flows if deps.flows.get(name).variant_tells_health)],
    })


def turn_problems(content: Content, deps: Deps) -> list[str]:
    """Every walk-through item as it is said (heading, words, cue), held to the word budget; a first item also
    with the not-medical-advice notice and the longest plan intro before it, as a new user may hear it."""
    from skill.content import budget  # a check of content read from its files, not needed to serve
    say = Speaker(content)
    intros = [say(keys.TREATMENT_INTRO(plan)) for plan in content.treatment.plans]
    intro = max(intros, key=lambda line: len(line.speech.plain()), default=Line())
    found = []
    for cursor in deps.flows.every_item():
        line, _ = deps.flows.compose(say, cursor)
        if cursor.index == 0:
            line = say(keys.NOTICE) + (intro if cursor.flow == TREATMENT else Line()) + line
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
        for problem in keys.problems(content, required_speech(content, deps)) or turn_problems(content, deps):
            found.setdefault(problem, []).append(locale)
    # A problem of the shared content is named once; one of a locale's own words, with its locale.
    problems = [problem if len(locales) == len(contents) else f"{', '.join(locales)}: {problem}"
                for problem, locales in found.items()]
    if problems:
        raise ContentError(problems)
