"""The interaction models, one per locale, generated from one phrase grammar per language.

``interaction_model/source/<language>/`` is the language's grammar: ``model.yaml`` (invocation name, model
settings, and which slot types capture words outside their list) and one file per family of intents, each intent
with its slots and sample templates, each slot type with its values and synonym templates (``coach_tools.grammar``).
Templates name groups of the lexicon (``content/lexicon.yaml``), to which each locale adds its own words
(``lexicon:`` in ``content/locales/<locale>.yaml``), so "my bum is numb" grows "my arse is numb" in en-GB and "my
butt is numb" in en-US from one template. ``interaction_model/source/<locale>.yaml`` adds templates only one
locale needs ("should I ring one one one"). ``spasm-coach models`` writes ``interaction_model/<locale>.json``, which
is what the console and the ASK CLI read; ``spasm-coach check`` fails while a written model differs from what its
source builds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coach_tools.grammar import SLOT, distinct, expand, heard_key
from skill.content import ContentError
from skill.content.hearing import heard_form
from skill.content.reader import read_yaml

MODEL_FILE = "model.yaml"
MODEL_KEYS = {"invocationName", "modelConfiguration", "captures", "bare_answers", "source"}
FAMILY_KEYS = {"intents", "types", "source"}
ADDITIONS = {"samples", "synonyms", "source"}


def source_dir(model_dir: Path) -> Path:
    return model_dir / "source"


def grammar(model_dir: Path, language: str) -> tuple[dict, list[tuple[str, dict]]]:
    """The language's ``model.yaml`` and its families, as (file name, document), in file-name order."""
    problems: list[str] = []
    folder = source_dir(model_dir) / language
    settings = read_yaml(folder / MODEL_FILE, problems)
    if not isinstance(settings, dict) or set(settings) - MODEL_KEYS or "invocationName" not in settings:
        problems.append(f"source/{language}/{MODEL_FILE}: must hold invocationName, and only {sorted(MODEL_KEYS)}")
    families = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == MODEL_FILE:
            continue
        document = read_yaml(path, problems)
        if not isinstance(document, dict) or set(document) - FAMILY_KEYS or not (set(document) & {"intents", "types"}):
            problems.append(f"source/{language}/{path.name}: must hold intents or types (and a source)")
            continue
        families.append((path.name, document))
    if problems:
        raise ContentError(problems)
    return settings, families


def capture_types(model_dir: Path, language: str = "en") -> frozenset[str]:
    """The slot types whose slot takes words outside their list (carrier phrases: "I've got {flag}")."""
    settings, _ = grammar(model_dir, language)
    return frozenset(settings.get("captures") or ())


def bare_answers(model_dir: Path, language: str = "en") -> frozenset[str]:
    """The intents that may have a sample that is a slot alone: the answer to a question waiting for it."""
    settings, _ = grammar(model_dir, language)
    return frozenset(settings.get("bare_answers") or ())


def build_model(model_dir: Path, language: str, locale: str, lexicon: Mapping[str, tuple[str, ...]]) -> dict:
    """The whole ASK model for ``locale``: its language's grammar, with the locale's additions, expanded."""
    problems: list[str] = []
    settings, families = grammar(model_dir, language)
    intents: dict[str, dict] = {}
    types: dict[str, dict[str, dict]] = {}
    for name, family in families:
        where = f"source/{language}/{name}"
        for intent, node in (family.get("intents") or {}).items():
            if intent in intents:
                problems.append(f"{where}: intents.{intent}: defined in another family too")
                continue
            node = node or {}
            if set(node) - {"slots", "samples"}:
                problems.append(f"{where}: intents.{intent}: takes only slots and samples")
            intents[intent] = {"slots": dict(node.get("slots") or {}), "samples": list(node.get("samples") or []),
                               "where": where}
        for type_name, values in (family.get("types") or {}).items():
            if type_name in types or not isinstance(values, dict):
                problems.append(f"{where}: types.{type_name}: defined twice, or not a mapping of value ids")
                continue
            types[type_name] = {vid: {"value": str((spec or {}).get("value", "")),
                                      "synonyms": list((spec or {}).get("synonyms") or []), "where": where}
                                for vid, spec in values.items()}
    additions_path = source_dir(model_dir) / f"{locale}.yaml"
    if additions_path.exists():
        _add(intents, types, read_yaml(additions_path, problems), f"source/{locale}.yaml", problems)
    model = _expanded(settings, intents, types, lexicon, problems)
    if problems:
        raise ContentError(list(dict.fromkeys(problems)))  # a fault in a template is named once, not per phrase
    return model


def _add(intents: dict, types: dict, additions: Any, label: str, problems: list[str]) -> None:
    if not isinstance(additions, dict) or set(additions) - ADDITIONS:
        problems.append(f"{label}: takes only {sorted(ADDITIONS)}")
        return
    for name, samples in (additions.get("samples") or {}).items():
        if name not in intents or not isinstance(samples, list):
            problems.append(f"{label}: samples.{name}: must be a list for an intent of the grammar")
            continue
        intents[name]["samples"] += samples
    for type_name, by_id in (additions.get("synonyms") or {}).items():
        for value_id, synonyms in (by_id or {}).items():
            if value_id not in types.get(type_name, {}) or not isinstance(synonyms, list):
                problems.append(f"{label}: synonyms.{type_name}.{value_id}: must be a list for a value of the grammar")
                continue
            types[type_name][value_id]["synonyms"] += synonyms


def _expanded(settings: dict, intents: dict, types: dict, lexicon: Mapping[str, tuple[str, ...]],
              problems: list[str]) -> dict:
    def grown(templates: list, where: str) -> list[str]:
        phrases: list[str] = []
        for template in templates:
            try:
                phrases += expand(str(template), lexicon, where)
            except ContentError as error:
                problems.extend(error.problems)
        return distinct(phrases)

    word_types: dict[str, str] = {}  # lexicon group -> the slot type made of its phrases
    model_intents = []
    for name, node in intents.items():
        where = f"{node['where']}: intents.{name}"
        slots = dict(node["slots"])
        samples = []
        for sample in grown(node["samples"], where):
            for slot, group in SLOT.findall(sample):
                if not group:
                    continue
                slot_type = word_types.get(group) or word_types.setdefault(group, word_type_name(group))
                if slots.setdefault(slot, slot_type) != slot_type:
                    problems.append(f"{where}: slot {slot} is both {slots[slot]} and {slot_type}")
                if name.startswith("AMAZON."):
                    problems.append(f"{where}: a built-in intent takes no slots, so no {{{slot}:{group}}}")
            samples.append(SLOT.sub(lambda match: "{" + match.group(1) + "}", sample))
        intent: dict[str, Any] = {"name": name}
        if slots:
            intent["slots"] = [{"name": slot, "type": slot_type} for slot, slot_type in slots.items()]
        intent["samples"] = samples
        model_intents.append(intent)
    for group, type_name in sorted(word_types.items()):
        # A word class: its slot's value is read by no handler, so its values carry no id (ASK allows it).
        types[type_name] = {_value_id(phrase): {"value": phrase, "synonyms": [], "where": "content/lexicon.yaml",
                                                "word": True}
                            for phrase in distinct(lexicon.get(group, ()))}
    model_types = []
    for type_name, values in types.items():
        claimed: set[str] = set()  # a phrase names one value of a type: the first that grows it
        entries = []
        for vid, spec in values.items():
            value = spec["value"] or vid
            claimed.add(heard_key(value))
            synonyms = []
            for phrase in grown(spec["synonyms"], f"{spec['where']}: types.{type_name}.{vid}"):
                if heard_key(phrase) not in claimed:
                    claimed.add(heard_key(phrase))
                    synonyms.append(phrase)
            name: dict[str, Any] = {"value": value}
            if synonyms:
                name["synonyms"] = synonyms
            entries.append({"name": name} if spec.get("word") else {"id": vid, "name": name})
        model_types.append({"name": type_name, "values": entries})
    language_model: dict[str, Any] = {"invocationName": settings["invocationName"]}
    if settings.get("modelConfiguration"):
        language_model["modelConfiguration"] = settings["modelConfiguration"]
    language_model["intents"] = model_intents
    language_model["types"] = model_types
    return {"interactionModel": {"languageModel": language_model}}


def word_type_name(group: str) -> str:
    """The slot type made of a lexicon group's phrases: ``back_state`` -> ``BackStateWords``."""
    return "".join(part.capitalize() for part in group.split("_")) + "Words"


def _value_id(phrase: str) -> str:
    return "_".join(heard_form(phrase).replace("'", "").upper().split()) or "NONE"


def built_models(model_dir: Path, content_dir: Path) -> dict[str, dict]:
    """Every locale's model, by locale, as its source and the locale's lexicon build it."""
    from skill.content.loader import load_locales

    contents = load_locales(content_dir)
    return {locale: build_model(model_dir, content.language, locale, content.lexicon)
            for locale, content in contents.items()}


def rendered(model: dict) -> str:
    """One intent or slot type a line, with no spaces: a diff names what changed, and the file stays lean against
    Alexa's 1.5 MB a model (a line a phrase would cost a byte each of some 40,000 phrases)."""
    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    language_model = model["interactionModel"]["languageModel"]
    head = {key: value for key, value in language_model.items() if key not in ("intents", "types")}
    lines = [compact(head)[:-1] + ',"intents":[']
    lines += [compact(intent) + "," for intent in language_model["intents"]]
    lines[-1] = lines[-1].rstrip(",") + '],"types":['
    lines += [compact(slot_type) + "," for slot_type in language_model["types"]]
    lines[-1] = lines[-1].rstrip(",") + "]"
    return '{"interactionModel":{"languageModel":' + "\n".join(lines) + "}}}\n"


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
