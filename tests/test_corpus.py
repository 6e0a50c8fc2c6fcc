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


LOCALE = "en-US"
MODEL = load_model(model_dir() / f"{LOCALE}.json")
CORPUS = _corpus(LOCALE)
NLU = Understanding(MODEL, today=SATURDAY)


def test_the_corpus_covers_every_intent_with_enough_phrasings():
    assert set(CORPUS) == intent_names(MODEL)
    thin = {intent: len(phrasings) for intent, phrasings in CORPUS.items() if len(phrasings) < MINIMUM}
    assert not thin, thin


@pytest.mark.parametrize("intent", sorted(CORPUS))
def test_every_phrasing_reaches_its_intent(intent):
    misses = []
    for said, slots in CORPUS[intent]:
        heard = NLU.resolve(said)
        filled = {name: heard.slot_ids().get(name) or heard.slot_values().get(name) for name in slots}
        if heard.intent != intent or filled != slots:
            misses.append(f"{said!r} -> {heard.intent} {filled or ''}")
    assert not misses, "\n".join(misses)
