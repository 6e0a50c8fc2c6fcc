"""The coverage corpus: what people say reaches the intent they mean, through the interaction model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from skill.bundled import model_dir
from skill.tools.model_lint import intent_names, load_model
from skill.tools.nlu import Understanding

CORPUS_DIR = Path(__file__).parent / "corpus"
SATURDAY = dt.date(2026, 11, 21)  # the corpus writes its dates as Alexa would fill them on this day
MINIMUM = 15


def _phrasings(entries: list) -> list[tuple[str, dict[str, str]]]:
    """A corpus entry is a phrase, or a phrase mapped to the slot values it must fill."""
    phrasings = []
    for entry in entries:
        if isinstance(entry, str):
            phrasings.append((entry, {}))
        else:
            ((said, slots),) = entry.items()
            phrasings.append((said, {name: str(value) for name, value in slots.items()}))
    return phrasings


def _corpus(locale: str) -> dict[str, list[tuple[str, dict[str, str]]]]:
    raw = yaml.safe_load((CORPUS_DIR / f"{locale}.yaml").read_text(encoding="utf-8"))
    return {intent: _phrasings(entries) for intent, entries in raw.items()}


LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
BASE = _corpus("en-US")  # how English speakers talk everywhere; each locale adds how its own people do


def _locale_corpus(locale: str) -> dict[str, list[tuple[str, dict[str, str]]]]:
    own = _corpus(locale) if locale != "en-US" else {}
    return {intent: BASE.get(intent, []) + own.get(intent, []) for intent in {*BASE, *own}}


MODELS = {locale: load_model(model_dir() / f"{locale}.json") for locale in LOCALES}
CORPUS = {locale: _locale_corpus(locale) for locale in LOCALES}
NLU = {locale: Understanding(MODELS[locale], today=SATURDAY) for locale in LOCALES}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_corpus_covers_every_intent_with_enough_phrasings(locale):
    assert set(CORPUS[locale]) == intent_names(MODELS[locale])
    thin = {intent: len(phrasings) for intent, phrasings in CORPUS[locale].items() if len(phrasings) < MINIMUM}
    assert not thin, thin


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("intent", sorted(BASE))
def test_every_phrasing_reaches_its_intent(locale, intent):
    misses = []
    for said, slots in CORPUS[locale][intent]:
        heard = NLU[locale].resolve(said)
        filled = {name: heard.slot_ids().get(name) or heard.slot_values().get(name) for name in slots}
        if heard.intent != intent or filled != slots:
            misses.append(f"{said!r} -> {heard.intent} {filled or ''}")
    assert not misses, "\n".join(misses)
