"""Typed words to the intent and slots Alexa would send, using the interaction model's own samples and types.

A stand-in for Alexa's language understanding, to hold the conversation from a terminal and to test that the model
has a sample for what people say: a sample missing from the model fails here as it would fail a user. It matches
whole utterances against the samples, fills custom slots through their values and synonyms (with an
entity-resolution block like Alexa's), and reads the built-in AMAZON.DURATION, AMAZON.NUMBER and AMAZON.DATE types.

Two modes (see :class:`Understanding`): ``strict``, device-like, which the corpus tests and ``spasm-coach chat
--strict`` use: only articles and hesitations are forgiven; and the forgiving REPL mode, which also knows Alexa's
own phrases for the built-in intents and drops courtesy words ("so", "can you", "please") on a second try.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from coach_tools.envelopes import slot
from skill.content.hearing import heard_form, words
from skill.foundations.alexa_platform import FALLBACK_INTENT
from skill.foundations.times import iso_duration

# Built-in intents come with phrases of their own in Alexa; the forgiving mode knows these common ones. The
# strict mode does not: the model's own samples carry every phrase the skill relies on.
BUILTIN_PHRASES = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure", "okay", "ok", "yes please", "please do", "of course",
                         "go ahead", "alright", "why not"],
    "AMAZON.NoIntent": ["no", "nope", "no thanks", "no thank you", "not now", "nah", "not really no"],
    "AMAZON.HelpIntent": ["help", "help me", "what can I say", "what can you do", "what do I do", "I'm lost"],
    "AMAZON.StopIntent": ["stop", "quit", "exit", "goodbye", "bye", "that's all", "I'm finished for now"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "forget it"],
    "AMAZON.NavigateHomeIntent": ["go home", "home"],
    "AMAZON.NextIntent": ["next", "next one", "go on", "carry on", "continue", "keep going"],
    "AMAZON.PreviousIntent": ["previous", "go back one step"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "again", "repeat that", "pardon", "what did you say"],
    "AMAZON.StartOverIntent": ["start over", "restart", "from the beginning", "start again"],
    "AMAZON.PauseIntent": ["pause", "hold on", "wait", "pause it"],
    "AMAZON.ResumeIntent": ["resume", "pick up where I left off", "continue where I left off", "carry on from there"],
}

_COURTESY_BEFORE = re.compile(r"^(?:(?:so|well|oh|okay so|ok so|alright so|right|please|can you|could you|"
                              r"would you|can you please|could you please|i think|alexa)\s+)+")
_COURTESY_AFTER = re.compile(r"(?:\s+(?:please|thanks|thank you|for me|then|anyway))+$")

_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
            "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
            "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90, "couple": 2, "few": 3}
_UNITS = {"second": "S", "seconds": "S", "minute": "M", "minutes": "M", "min": "M", "mins": "M", "hour": "H",
          "hours": "H", "day": "D", "days": "D", "week": "W", "weeks": "W", "month": "MO", "months": "MO"}


def normalise(text: str) -> str:
    """Lower case without punctuation, every word kept: what follows the invocation is passed on as said."""
    text = text.lower().replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def parse_number(text: str) -> float | None:
    """"15", "fifteen", "twenty five", "a couple", "half"; None if the words are not a number."""
    said = words(text)
    if not said:
        return None
    if len(said) == 1 and re.fullmatch(r"\d+(\.\d+)?", said[0]):
        return float(said[0])
    if said == ("half",):
        return 0.5
    total = 0
    for word in said:
        if word == "and":
            continue
        if word == "hundred" and total:
            total *= 100
        elif word in _NUMBERS:
            total += _NUMBERS[word]
        else:
            return None
    return float(total)


_WHOLE = {"quarter of hour": "15 minutes", "quarter hour": "15 minutes", "half hour": "30 minutes",
          "half minute": "30 seconds"}


def words_to_duration(text: str) -> str | None:
    """English lengths of time as ISO 8601, as Alexa fills AMAZON.DURATION: "ten minutes" -> PT10M,
    "an hour and a half" -> PT1H30M, "90 seconds" -> PT90S, "a week" -> P7D, "a month" -> P1M."""
    said = " ".join(words(text))
    for spoken, plain in _WHOLE.items():
        said = said.replace(spoken, plain)
    tokens = said.split()
    if tokens[:1] == ["for"]:
        tokens = tokens[1:]
    parts: dict[str, float] = {}
    number: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if word in _UNITS:
            # "an hour": the article is forgiven, so a unit on its own is one of it
            value = parse_number(" ".join(number)) if number else 1.0
            if value is None:
                return None
            unit = _UNITS[word]
            parts[unit] = parts.get(unit, 0) + value
            number = []
            if tokens[i + 1:i + 3] == ["and", "half"]:
                parts[unit] += 0.5
                i += 2
        elif (word == "and" and not number) or word in {"of", "or", "so"}:
            pass  # joining words between the parts of a length
        else:
            number.append(word)
        i += 1
    if number or not parts:
        return None
    seconds = parts.get("S", 0) + 60 * parts.get("M", 0) + 3600 * parts.get("H", 0)
    days = parts.get("D", 0) + 7 * parts.get("W", 0)
    if parts.get("MO"):
        return f"P{int(parts['MO'])}M" if not (seconds or days) and parts["MO"] == int(parts["MO"]) else None
    if days:
        return f"P{int(days)}D" if not seconds else None
    return iso_duration(dt.timedelta(seconds=seconds))


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TODAY = {"today", "this morning", "this afternoon", "this evening", "tonight", "now", "earlier today"}
_YESTERDAY = {"yesterday", "last night", "yesterday morning", "yesterday afternoon", "yesterday evening"}


def words_to_date(text: str, today: dt.date) -> str | None:
    """English dates as Alexa fills AMAZON.DATE: a day as YYYY-MM-DD (a bare weekday is the next one, on or
    after today, as Alexa reads it; "last tuesday" the one before), a week as YYYY-Www, a month as YYYY-MM."""
    said = " ".join(words(text)).removeprefix("on ")
    if said in _TODAY:
        return today.isoformat()
    if said in _YESTERDAY:
        return (today - dt.timedelta(days=1)).isoformat()
    if said == "day before yesterday":
        return (today - dt.timedelta(days=2)).isoformat()
    tokens = said.split()
    if tokens and tokens[-1].removesuffix("s") in _WEEKDAYS and len(tokens) <= 2:
        ahead = (_WEEKDAYS.index(tokens[-1].removesuffix("s")) - today.weekday()) % 7
        day = today + dt.timedelta(days=ahead)
        if tokens[0] in ("last", "past"):
            day -= dt.timedelta(days=7)
        elif len(tokens) == 2 and tokens[0] not in ("this", "on"):
            return None
        return day.isoformat()
    weeks = {"this week": 0, "last week": -1, "week before last": -2}
    if said in weeks:
        year, week, _ = (today + dt.timedelta(weeks=weeks[said])).isocalendar()
        return f"{year}-W{week:02d}"
    if said in ("this month", "last month"):
        first = today.replace(day=1)
        if said == "last month":
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return f"{first.year}-{first.month:02d}"
    return None


_RESOLVED, _UNRESOLVED = 2, 1  # a match whose custom slots all resolved outranks one that carries a stray value


@dataclass(frozen=True)
class Resolved:
    intent: str
    slots: dict[str, dict] = field(default_factory=dict)
    sample: str = ""  # the sample that matched

    def slot_values(self) -> dict[str, str]:
        return {name: slot.get("value") for name, slot in self.slots.items() if slot.get("value")}

    def slot_ids(self) -> dict[str, str | None]:
        ids = {}
        for name, filled in self.slots.items():
            authority = ((filled.get("resolutions") or {}).get("resolutionsPerAuthority") or [{}])[0]
            values = authority.get("values") or [{}]
            ids[name] = values[0].get("value", {}).get("id")
        return ids


@dataclass
class _Node:
    """A trie of samples by word: shared openings are walked once, whatever the size of the model."""

    literals: dict[str, _Node] = field(default_factory=dict)
    slots: dict[tuple[str, str], _Node] = field(default_factory=dict)  # (slot name, slot type)
    ends: list[tuple[int, str, int]] = field(default_factory=list)  # (intent order, sample, its literal words)


class Understanding:
    """Resolves utterances against one locale's model.

    ``strict`` resolves as a device does: an utterance reaches an intent only through the model's own samples, a
    custom slot takes only its values and synonyms, except a slot of a ``captures`` type, which takes any words
    (sent unresolved, as Alexa sends a value outside the list) in a sample with a word of its own, and a
    built-in slot type takes only what it recognises; articles and hesitations are forgiven, nothing else. Without
    ``strict`` (the forgiving REPL), Alexa's own phrases for the built-in intents are known too, courtesy words
    around a request are dropped on a second try, and any custom slot may carry words outside its list.
    """

    def __init__(self, language_model: dict, skill_id: str = "amzn1.ask.skill.local",
                 today: dt.date | None = None, strict: bool = False, captures: Iterable[str] = ()) -> None:
        self.today = today or dt.datetime.now(dt.UTC).date()
        self.strict = strict
        self.captures = frozenset(captures)
        self.invocation = normalise(language_model["invocationName"])
        self.skill_id = skill_id
        self.types: dict[str, dict[str, str]] = {}  # type -> phrase (heard form) -> value id
        self.canonical: dict[str, dict[str, str]] = {}
        self.longest: dict[str, int] = {}
        for slot_type in language_model.get("types", []):
            phrases, names = {}, {}
            for value in slot_type.get("values", []):
                vid, name = value.get("id") or value["name"]["value"], value["name"]["value"]
                names[vid] = name
                for phrase in (name, *value["name"].get("synonyms", [])):
                    phrases.setdefault(heard_form(phrase), vid)
            self.types[slot_type["name"]] = phrases
            self.canonical[slot_type["name"]] = names
            self.longest[slot_type["name"]] = max((len(p.split()) for p in phrases), default=0)
        self.intents = [intent["name"] for intent in language_model.get("intents", [])]
        self.slot_types = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
                           for i in language_model.get("intents", [])}
        self.root = _Node()
        self.written: dict[str, str] = {}  # heard form -> a sample as written, for the nearest-samples hint
        for order, intent in enumerate(language_model.get("intents", [])):
            texts = list(intent.get("samples", []))
            if not strict:
                texts += BUILTIN_PHRASES.get(intent["name"], [])
            for text in texts:
                self._insert(order, intent["name"], text)

    def _insert(self, order: int, intent: str, text: str) -> None:
        node, literal = self.root, 0
        for token in re.split(r"(\{[^}]+\})", text):
            if token.startswith("{"):
                name = token[1:-1]
                node = node.slots.setdefault((name, self.slot_types[intent].get(name, "")), _Node())
            else:
                for word in words(token):
                    node = node.literals.setdefault(word, _Node())
                    literal += 1
        node.ends.append((order, text, literal))
        if "{" not in text:
            self.written.setdefault(heard_form(text), text)

    def resolve(self, utterance: str) -> Resolved:
        said = words(utterance)
        best = self._best(said)
        if not self.strict and (best is None or best[0][0] < _RESOLVED):
            plain = words(_COURTESY_AFTER.sub("", _COURTESY_BEFORE.sub("", " ".join(said))))
            relaxed = self._best(plain, custom_only=True) if plain and plain != said else None
            if relaxed is not None and (best is None or relaxed[0][0] > best[0][0]):
                best = relaxed
        return best[1] if best else Resolved(FALLBACK_INTENT)

    def nearest(self, utterance: str) -> tuple[str, ...]:
        """The samples closest to words that reached no intent: a hint for whoever grows the model."""
        near = difflib.get_close_matches(" ".join(words(utterance)), list(self.written), n=3, cutoff=0.4)
        return tuple(self.written[n] for n in near)

    def _best(self, said: tuple[str, ...], custom_only: bool = False) -> tuple[tuple, Resolved] | None:
        best: tuple[tuple, Resolved] | None = None
        for (order, sample, literal), filled in self._walk(self.root, said, 0, ()):
            intent = self.intents[order]
            if custom_only and intent.startswith("AMAZON."):
                continue
            unresolved = any(vid is None and slot_type in self.types for _, slot_type, _, vid in filled)
            if unresolved and literal < (1 if self.strict else 2):
                continue  # a sample that is all slot would swallow any sentence: it may not carry a stray value
            rank = (_UNRESOLVED if unresolved else _RESOLVED, literal, -order)
            if best is None or rank > best[0]:
                best = (rank, Resolved(intent, self._slots(intent, filled), sample=sample))
        return best

    def _walk(self, node: _Node, said: tuple[str, ...], at: int, filled: tuple) -> Iterator[tuple]:
        if at == len(said):
            for end in node.ends:
                yield end, filled
        if at < len(said) and said[at] in node.literals:
            yield from self._walk(node.literals[said[at]], said, at + 1, filled)
        for (name, slot_type), child in node.slots.items():
            for stop in range(at + 1, len(said) + 1):
                value = self._read(slot_type, said[at:stop])
                if value is not None:
                    yield from self._walk(child, said, stop, (*filled, (name, slot_type, value[0], value[1])))

    def _read(self, slot_type: str, span: tuple[str, ...]) -> tuple[str, str | None] | None:
        """(value, id) that the words fill a slot of ``slot_type`` with; the id is None for a custom value
        outside the list; None if the words cannot fill it."""
        text = " ".join(span)
        if slot_type == "AMAZON.DURATION":
            value = words_to_duration(text)
            return (value, None) if value else None
        if slot_type == "AMAZON.DATE":
            value = words_to_date(text, self.today)
            return (value, None) if value else None
        if slot_type == "AMAZON.NUMBER":
            number = parse_number(text)
            if number is None:
                return None
            return (str(int(number)) if number == int(number) else str(number)), None
        if slot_type in self.types:
            vid = self.types[slot_type].get(text)
            if vid is not None:
                return text, vid
            if self.strict and slot_type not in self.captures:
                return None
            return text, None
        return None if self.strict else (text, None)

    def _slots(self, intent: str, filled: tuple) -> dict[str, dict]:
        slots: dict[str, dict] = {}
        for name, slot_type, value, vid in filled:
            if slot_type in self.types:
                slots[name] = slot(name, value, vid, slot_type, skill_id=self.skill_id,
                                   canonical=self.canonical[slot_type].get(vid))
            else:
                slots[name] = {"name": name, "value": value, "confirmationStatus": "NONE"}
        for name in self.slot_types[intent]:
            slots.setdefault(name, {"name": name, "confirmationStatus": "NONE"})
        return slots

    def invocation_split(self, utterance: str) -> tuple[bool, str]:
        """("open spasm coach" -> launch) and ("ask spasm coach to start an ice timer" -> one-shot request)."""
        said = normalise(utterance)
        if said.startswith("alexa "):
            said = said[len("alexa "):]
        name = re.escape(self.invocation)
        launch = re.fullmatch(rf"(open|launch|start|begin|load|run|ask|talk to|use) {name}", said)
        if launch:
            return True, ""
        one_shot = re.fullmatch(rf"(ask|tell|open|launch|use|start) {name}(?: (?:to|for|and|about|that|if))? (.+)",
                                said)
        if one_shot:
            return True, one_shot.group(2)
        return False, utterance


@lru_cache(maxsize=8)  # one per locale: a model of 30,000 samples takes half a second to index
def on_device(locale: str, today: dt.date | None = None, model: Path | None = None) -> Understanding:
    """Resolution as a device does it (``strict``), with the shipped model of ``locale`` or ``model``."""
    from coach_tools.model_lint import load_model
    from coach_tools.models import capture_types
    from skill.bundled import model_dir

    language_model = load_model(model or model_dir() / f"{locale}.json")
    return Understanding(language_model, today=today, strict=True, captures=capture_types(model_dir()))
