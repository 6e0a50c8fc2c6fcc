"""The interaction models, one per locale, built from one source per language.

``interaction_model/source/<language>.json`` is the language's model: every intent, sample and slot value, so a
sample added there reaches every locale of that language. ``interaction_model/source/<locale>.yaml`` adds what
people in one locale say their own way ("should I ring my GP", "A and E", "wheat bag"). The locales are those
of the content (``content/locales/``), and each locale's file names its language. ``spasm-coach models`` writes
``interaction_model/<locale>.json``, which is what the console and the ASK CLI read; ``spasm-coach check`` fails
while a written model differs from what its source builds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from skill.content import ContentError
from skill.content.locales import locale_names, read_locale

ADDITIONS = {"samples", "synonyms", "source"}


def source_dir(model_dir: Path) -> Path:
    return model_dir / "source"


def build_model(model_dir: Path, language: str, locale: str) -> dict:
    """The whole ASK model for ``locale``: its language's model with the locale's additions."""
    problems: list[str] = []
    with (source_dir(model_dir) / f"{language}.json").open(encoding="utf-8") as handle:
        model = json.load(handle)
    additions_path = source_dir(model_dir) / f"{locale}.yaml"
    if additions_path.exists():
        additions = yaml.safe_load(additions_path.read_text(encoding="utf-8")) or {}
        _add(model["interactionModel"]["languageModel"], additions, f"source/{locale}.yaml", problems)
    if problems:
        raise ContentError(problems)
    return model


def _add(language_model: dict, additions: Any, label: str, problems: list[str]) -> None:
    if not isinstance(additions, dict) or set(additions) - ADDITIONS:
        problems.append(f"{label}: takes only {sorted(ADDITIONS)}")
        return
    intents = {intent["name"]: intent for intent in language_model["intents"]}
    for name, samples in (additions.get("samples") or {}).items():
        if name not in intents or not isinstance(samples, list):
            problems.append(f"{label}: samples.{name}: must be a list for an intent of the model")
            continue
        intents[name].setdefault("samples", []).extend(s for s in samples if s not in intents[name]["samples"])
    types = {slot_type["name"]: slot_type for slot_type in language_model.get("types", [])}
    for type_name, by_id in (additions.get("synonyms") or {}).items():
        values = {value["id"]: value for value in types.get(type_name, {}).get("values", [])}
        for value_id, synonyms in (by_id or {}).items():
            if value_id not in values or not isinstance(synonyms, list):
                problems.append(f"{label}: synonyms.{type_name}.{value_id}: must be a list for a value of the model")
                continue
            known = values[value_id]["name"].setdefault("synonyms", [])
            known.extend(s for s in synonyms if s not in known)


def built_models(model_dir: Path, content_dir: Path) -> dict[str, dict]:
    """Every locale's model, by locale, as its source builds it."""
    problems: list[str] = []
    models = {}
    for locale in locale_names(content_dir):
        local = read_locale(content_dir, locale, problems)
        if local is not None:
            models[locale] = build_model(model_dir, local["language"], locale)
    if problems:
        raise ContentError(problems)
    return models


def rendered(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def write_models(model_dir: Path, content_dir: Path) -> list[Path]:
    written = []
    for locale, model in built_models(model_dir, content_dir).items():
        path = model_dir / f"{locale}.json"
        path.write_text(rendered(model), encoding="utf-8")
        written.append(path)
    return written


def stale_models(model_dir: Path, content_dir: Path) -> list[str]:
    """Each written model that is missing or differs from what its source builds, and any with no locale."""
    built = built_models(model_dir, content_dir)
    problems = []
    for locale, model in built.items():
        path = model_dir / f"{locale}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != rendered(model):
            problems.append(f"{path.name}: not what interaction_model/source builds; run spasm-coach models")
    for path in sorted(model_dir.glob("*.json")):
        if path.stem not in built:
            problems.append(f"{path.name}: no locale in content/locales names it")
    return problems

