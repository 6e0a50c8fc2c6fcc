"""The coverage corpus: what people say reaches the intent they mean, through each locale's interaction model,
resolved as a device resolves it (exact samples, slot values and synonyms; only articles and hesitations forgiven).

``tests/corpus/everyone/*.yaml`` is how English speakers talk everywhere, written by hand in the styles people
speak in; ``tests/corpus/<locale>.yaml`` adds how the locale's own people do. A phrase is a string, or a mapping to
the slot values it must fill (a value id for a custom type, the ISO value for a built-in one), or, for when the
spasm began, to the plan the words pick (``plan: RECENT``). A phrase that fails here fails a user: grow the grammar
(``interaction_model/source``) or the lexicon so the phrase and its neighbours are heard, never an exception here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from coach_tools.nlu import Resolved, on_device
from skill.bundled import content_dir
from skill.content import load_content
from skill.content.loader import load_locales
from skill.conversation.dialogue.onset import age, classify

CORPUS_DIR = Path(__file__).parent / "corpus"
SATURDAY = dt.date(2026, 11, 21)  # the corpus reads dates as Alexa would fill them on this day
MINIMUM = 40  # phrasings of each intent, and of each kind of answer, in every locale
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
CONTENT = load_content()
TREATMENT = CONTENT.treatment


def _phrasings(entries: list) -> list[tuple[str, dict[str, str]]]:
    phrasings = []
    for entry in entries:
        if isinstance(entry, str):
            phrasings.append((entry, {}))
        else:
            ((said, slots),) = entry.items()
            phrasings.append((str(said), {name: str(value) for name, value in slots.items()}))
    return phrasings


def _read(path: Path) -> dict[str, list[tuple[str, dict[str, str]]]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {intent: _phrasings(entries) for intent, entries in raw.items()}


def _merged(*parts: dict) -> dict[str, list[tuple[str, dict[str, str]]]]:
    merged: dict[str, list] = {}
    for part in parts:
        for intent, phrasings in part.items():
            merged.setdefault(intent, []).extend(phrasings)
    return merged


SIGNS_FILE = "signs.yaml"  # keyed by the sign a phrase names, not by intent: a sign is heard by any route
UNPLACED = "UNPLACED"  # words a carrier phrase captures that name no sign
EVERYONE = _merged(*(_read(path) for path in sorted((CORPUS_DIR / "everyone").glob("*.yaml"))
                     if path.name != SIGNS_FILE))
CORPUS = {locale: _merged(EVERYONE, _read(CORPUS_DIR / f"{locale}.yaml")) for locale in LOCALES}
SIGNS = {locale: _merged(_read(CORPUS_DIR / "everyone" / SIGNS_FILE), _read(CORPUS_DIR / f"{locale}-signs.yaml"))
         for locale in LOCALES}
CONTENTS = load_locales(content_dir())


def plan(heard: Resolved) -> str | None:
    """RECENT, EARLIER or LONG: what the words about when the spasm began choose, as the skill reads them."""
    ids, values = heard.slot_ids(), heard.slot_values()
    if ids.get("onset"):
        return ids["onset"]
    length = age(SATURDAY, date=values.get("date"), ago=values.get("ago"), day=values.get("day"))
    return classify(length, TREATMENT.recent_onset, TREATMENT.see_doctor_after) if length else None


def meant(heard: Resolved) -> str:
    """The intent whose answer the skill gives: a question in a shared frame ("can I {act}") is its topic's."""
    if heard.intent == "QuestionIntent":
        ids = heard.slot_ids()
        answer = CONTENT.faq.get(ids.get("act") or ids.get("thing") or "")
        return answer.intent if answer else heard.intent
    return heard.intent


def filled(heard: Resolved, expected: dict[str, str]) -> dict[str, str | None]:
    ids, values = heard.slot_ids(), heard.slot_values()
    return {name: plan(heard) if name == "plan" else ids.get(name) or values.get(name) for name in expected}


def sign(locale: str, heard: Resolved) -> str:
    """The sign the skill acts on for these words (content's own reading of them), or UNPLACED."""
    ids, values = heard.slot_ids(), heard.slot_values()
    flag = CONTENTS[locale].sign_heard(heard.intent, ids.get("flag"), values.get("flag"), values.get("age"))
    return flag.id if flag else UNPLACED


def counted(locale: str) -> dict[str, int]:
    """Phrasings by the intent they exercise: signs count for their sign's intent, or the carrier's."""
    counts = {intent: len(phrasings) for intent, phrasings in CORPUS[locale].items()}
    for flag_id, phrasings in SIGNS[locale].items():
        flag = CONTENTS[locale].red_flags.get(flag_id)
        intent = flag.intent if flag and flag.intent else "RedFlagIntent"
        counts[intent] = counts.get(intent, 0) + len(phrasings)
    return counts


@pytest.mark.parametrize("locale", LOCALES)
def test_the_corpus_covers_every_intent_with_enough_phrasings(locale):
    counts = counted(locale)
    assert set(counts) | {"QuestionIntent"} == set(on_device(locale, today=SATURDAY).intents)
    thin = {intent: count for intent, count in counts.items() if count < MINIMUM}
    assert not thin, thin


@pytest.mark.parametrize("locale", LOCALES)
def test_every_warning_sign_is_heard_as_its_sign_and_nothing_else_is(locale):
    nlu = on_device(locale, today=SATURDAY)
    misses = [f"{flag_id}: {said!r} -> {heard.intent} {sign(locale, heard)}"
              for flag_id, phrasings in sorted(SIGNS[locale].items()) for said, _ in phrasings
              if sign(locale, heard := nlu.resolve(said)) != flag_id]
    assert not misses, f"{len(misses)} missed:\n" + "\n".join(misses)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_phrasing_reaches_its_intent(locale):
    nlu = on_device(locale, today=SATURDAY)
    misses = []
    for intent, phrasings in sorted(CORPUS[locale].items()):
        for said, slots in phrasings:
            heard = nlu.resolve(said)
            if meant(heard) != intent or filled(heard, slots) != slots:
                misses.append(f"{intent}: {said!r} -> {meant(heard)} {filled(heard, slots) or ''}")
    assert not misses, f"{len(misses)} missed:\n" + "\n".join(misses)
