"""Reading and linting the ASK interaction models in ``interaction_model/<locale>.json``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from coach_tools.grammar import heard_key
from skill.content.hearing import heard_form

REQUIRED_BUILTINS = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
                     "AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent")
_FORBIDDEN_WORDS = {"alexa", "amazon", "echo", "skill", "app"}
_LAUNCH_WORDS = {"run", "start", "play", "resume", "use", "launch", "ask", "open", "tell", "load", "begin", "enable"}
_CONNECTING_WORDS = {"to", "from", "in", "using", "with", "about", "for", "that", "by", "if", "and", "whether"}
_SLOT_REF = re.compile(r"\{([^}]+)\}")
# Alexa's documented model limits (alexa-skill-design in docs/sources.md). The sample length limit is not in that
# table; 200
# characters is an assumption kept well below anything a person says.
MAX_INTENTS = 250
MAX_INTENTS_AND_TYPES = 350
MAX_SLOT_VALUE = 140
MAX_SAMPLE = 200
MAX_MODEL_BYTES = 1_500_000
_SAMPLE_TEXT = re.compile(r"[a-zA-Z .'\-]*")


def load_model(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["interactionModel"]["languageModel"]


def model_paths(model_dir: Path) -> list[Path]:
    return sorted(model_dir.glob("*.json"))


def intent_names(language_model: dict) -> set[str]:
    return {intent["name"] for intent in language_model.get("intents", [])}


# A sample that is a slot alone, or nearly ("I {flag}", "do {exercise}", "{therapy} one"), swallows other
# sentences on a device; the model lists the intents whose bare slot answers a question that waits for it.
_NEARLY_BARE = re.compile(r"^(?:(?:i|my|do|the|it|and)\s+)?\{[A-Za-z0-9_]+\}(?:\s+one)?$")


def invocation_problems(name: str) -> list[str]:
    problems = []
    if not re.fullmatch(r"[a-z][a-z' .]*", name or ""):
        problems.append("only lower-case letters, spaces, apostrophes and periods are allowed")
    words = (name or "").replace(".", " ").split()
    if len(words) < 2:
        problems.append("must be at least two words")
    if _FORBIDDEN_WORDS & set(words):
        problems.append(f"must not contain {sorted(_FORBIDDEN_WORDS & set(words))}")
    if (_LAUNCH_WORDS | _CONNECTING_WORDS) & set(words):
        banned = sorted((_LAUNCH_WORDS | _CONNECTING_WORDS) & set(words))
        problems.append(f"must not contain launch or connecting words {banned}")
    return problems


def lint_model(language_model: dict, handled: Iterable[str] | None = None, label: str = "model",
               bare_allowed: Iterable[str] = ()) -> list[str]:
    problems = [f"{label}: invocationName: {p}" for p in invocation_problems(language_model.get("invocationName", ""))]
    names = intent_names(language_model)
    for builtin in REQUIRED_BUILTINS:
        if builtin not in names:
            problems.append(f"{label}: intents: {builtin} is missing")
    custom_types = {t["name"] for t in language_model.get("types", [])}
    intents = language_model.get("intents", [])
    if len(intents) > MAX_INTENTS:
        problems.append(f"{label}: {len(intents)} intents, more than the {MAX_INTENTS} allowed")
    if len(intents) + len(custom_types) > MAX_INTENTS_AND_TYPES:
        problems.append(f"{label}: intents and slot types together exceed {MAX_INTENTS_AND_TYPES}")
    for slot_type in language_model.get("types", []):
        values = slot_type.get("values") or []
        if not values:
            problems.append(f"{label}: slot type {slot_type['name']} has no values")
        for value in values:
            for text in (value["name"]["value"], *value["name"].get("synonyms", [])):
                if len(text) > MAX_SLOT_VALUE:
                    problems.append(f"{label}: slot type {slot_type['name']}: {text[:30]!r}... is over "
                                    f"{MAX_SLOT_VALUE} characters")
    seen: dict[str, str] = {}
    bare: list[tuple[str, str]] = []  # (intent, custom slot type) of each sample that is a slot alone
    for intent in intents:
        slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for slot, slot_type in slots.items():
            if not slot_type.startswith("AMAZON.") and slot_type not in custom_types:
                problems.append(f"{label}: {intent['name']}: slot {slot} has undeclared type {slot_type}")
        used = {ref for sample in intent.get("samples", []) for ref in _SLOT_REF.findall(sample)}
        for slot in sorted(set(slots) - used):
            problems.append(f"{label}: {intent['name']}: slot {slot} is declared but no sample uses it")
        for sample in intent.get("samples", []):
            for ref in _SLOT_REF.findall(sample):
                if ref not in slots:
                    problems.append(f"{label}: {intent['name']}: sample {sample!r} uses undeclared slot {ref}")
            if not _SAMPLE_TEXT.fullmatch(_SLOT_REF.sub("", sample)):
                problems.append(f"{label}: {intent['name']}: sample {sample!r} has characters Alexa rejects "
                                "(spell numbers out; letters, spaces, apostrophes, periods and hyphens only)")
            if len(sample) > MAX_SAMPLE:
                problems.append(f"{label}: {intent['name']}: sample {sample[:30]!r}... is over {MAX_SAMPLE} characters")
            key = heard_key(sample)  # as a device hears it: articles and hesitations forgiven
            if key in seen and seen[key] != intent["name"]:
                problems.append(f"{label}: sample {sample!r} is in both {seen[key]} and {intent['name']}")
            seen.setdefault(key, intent["name"])
            if key.startswith("{") and key.endswith("}") and slots.get(key[1:-1]) in custom_types:
                bare.append((intent["name"], slots[key[1:-1]]))
            literal_words = len(_SLOT_REF.sub(" ", key).split())
            if ((_NEARLY_BARE.match(key) and intent["name"] not in bare_allowed)
                    or (literal_words == 0 and key.count("{") > 1)):
                problems.append(f"{label}: {intent['name']}: sample {sample!r} is a bare slot or nearly one")
    for name, slot_type in bare:  # a value said alone reaches that intent too: no other may have it as a sample
        for phrases in slot_type_values(language_model, slot_type).values():
            for phrase in sorted(phrases & seen.keys()):
                if seen[phrase] != name:
                    problems.append(f"{label}: sample {phrase!r} of {seen[phrase]} is also a {slot_type} value, "
                                    f"which {name} takes alone")
    if handled is not None:
        handled = set(handled)
        for name in sorted(names - handled):
            problems.append(f"{label}: intent {name} has no handler")
        for name in sorted(handled - names):
            problems.append(f"{label}: a handler takes {name}, which the model does not define")
    return problems


def slot_type_values(language_model: dict, type_name: str) -> dict[str, set[str]]:
    """Each value id of a custom slot type with its value and synonyms, as heard."""
    for slot_type in language_model.get("types", []):
        if slot_type["name"] == type_name:
            return {v.get("id", v["name"]["value"]): {heard_form(text) for text in
                                                      (v["name"]["value"], *v["name"].get("synonyms", []))}
                    for v in slot_type.get("values", [])}
    return {}


def content_problems(language_model: dict, expected: Mapping[str, Mapping[str, Iterable[str]]],
                     label: str = "model") -> list[str]:
    """Phrases the content relies on (slot type -> id -> phrases) that the model would not resolve to that id."""
    problems = []
    for type_name, by_id in expected.items():
        values = slot_type_values(language_model, type_name)
        for value_id, phrases in by_id.items():
            if not phrases and value_id not in values:  # an id the code resolves by, with no phrase of content's
                problems.append(f"{label}: slot type {type_name} has no value with id {value_id}")
            for phrase in phrases:
                if heard_form(phrase) not in values.get(value_id, set()):
                    problems.append(f"{label}: slot type {type_name} lacks {phrase!r} under id {value_id}")
    return problems


def lint_models(model_dir: Path, handled: Iterable[str] | None = None,
                expected: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
                bare_allowed: Iterable[str] = ()) -> list[str]:
    paths = model_paths(model_dir)
    if not paths:
        return [f"{model_dir}: no interaction model (<locale>.json) found"]
    problems: list[str] = []
    for path in paths:
        if path.stat().st_size > MAX_MODEL_BYTES:
            problems.append(f"{path.name}: larger than the {MAX_MODEL_BYTES} bytes a model may be")
        try:
            language_model = load_model(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            problems.append(f"{path.name}: cannot be read as an ASK interaction model: {error}")
            continue
        problems.extend(lint_model(language_model, handled, path.name, bare_allowed))
        problems.extend(content_problems(language_model, expected or {}, path.name))
    return problems
