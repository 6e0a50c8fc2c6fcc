"""Typed words to the intent and slots Alexa would send, using the interaction model's own samples and types.

This is a stand-in for Alexa's language understanding, good enough to hold the conversation from a terminal and
to test that the model has a sample for what people say: a sample missing from the model fails here as it would
fail a user. It matches whole utterances against the samples, fills custom slots through their values and
synonyms (with an entity-resolution block like Alexa's), and reads the built-in AMAZON.DURATION,
AMAZON.NUMBER and AMAZON.DATE types.

Alexa is looser than whole-utterance matching in two documented ways, and the simulator allows for those two and
nothing else: speech recognition drops hesitations ("um", "er"), and a custom intent can be reached without an
exactly matching sample while a built-in intent cannot. So an utterance that finds no custom intent, or only one
that would carry an unresolved slot value, is tried again without courtesy words around it ("so", "can you",
"please"), against custom intents only. Every other way of saying a thing must be in the model.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from skill.times import iso_duration
from skill.tools.envelopes import slot

# Built-in intents come with phrases of their own in Alexa; these are the common ones.
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
FALLBACK = "AMAZON.FallbackIntent"

HESITATIONS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "hmm", "mm"})
_COURTESY_BEFORE = re.compile(r"^(?:(?:so|well|oh|okay so|ok so|alright so|right|please|can you|could you|"
                              r"would you|can you please|could you please|i think|alexa)\s+)+")
_COURTESY_AFTER = re.compile(r"(?:\s+(?:please|thanks|thank you|for me|then|anyway))+$")

_NUMBERS = {"zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
            "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
            "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90, "couple": 2, "few": 3}
_UNITS = {"second": "S", "seconds": "S", "minute": "M", "minutes": "M", "min": "M", "mins": "M", "hour": "H",
          "hours": "H", "day": "D", "days": "D", "week": "W", "weeks": "W"}


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def parse_number(text: str) -> float | None:
    """"15", "fifteen", "twenty five", "a", "half"; None if the words are not a number."""
    words = normalise(text).replace("-", " ").split()
    if not words:
        return None
    if len(words) == 1 and re.fullmatch(r"\d+(\.\d+)?", words[0]):
        return float(words[0])
    if words == ["half"] or words == ["a", "half"]:
        return 0.5
    if words[:2] in (["a", "couple"], ["a", "few"]):
        words = words[1:]  # "a couple" is two, not one and two
    total = 0
    for word in words:
        if word == "and":
            continue
        if word == "hundred" and total:
            total *= 100
        elif word in _NUMBERS:
            total += _NUMBERS[word]
        else:
            return None
    return float(total)


def words_to_duration(text: str) -> str | None:
    """English lengths of time as ISO 8601, as Alexa fills AMAZON.DURATION: "ten minutes" -> PT10M,
    "an hour and a half" -> PT1H30M, "90 seconds" -> PT90S."""
    text = normalise(text).replace("-", " ")
    for spoken, plain in (("a quarter of an hour", "15 minutes"), ("half an hour", "30 minutes"),
                          ("half a minute", "30 seconds"), ("quarter of an hour", "15 minutes"),
                          ("a quarter hour", "15 minutes")):
        text = text.replace(spoken, plain)
    words = text.split()
    if words[:1] == ["for"]:
        words = words[1:]
    parts: dict[str, float] = {}
    number: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _UNITS:
            value = parse_number(" ".join(number)) if number else None
            if value is None:
                return None
            unit = _UNITS[word]
            parts[unit] = parts.get(unit, 0) + value
            number = []
            if words[i + 1:i + 4] == ["and", "a", "half"]:
                parts[unit] += 0.5
                i += 3
        elif (word == "and" and not number) or word in {"of", "or", "so"}:
            pass  # joining words between the parts of a length
        else:
            number.append(word)
        i += 1
    if number or not parts:
        return None
    seconds = parts.get("S", 0) + 60 * parts.get("M", 0) + 3600 * parts.get("H", 0)
    days = parts.get("D", 0) + 7 * parts.get("W", 0)
    if days:
        return f"P{int(days)}D" if not seconds else None
    return iso_duration(dt.timedelta(seconds=seconds))


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TODAY = {"today", "this morning", "this afternoon", "this evening", "tonight", "now", "earlier today"}
_YESTERDAY = {"yesterday", "last night", "yesterday morning", "yesterday afternoon", "yesterday evening"}


def words_to_date(text: str, today: dt.date) -> str | None:
    """English dates as Alexa fills AMAZON.DATE: a day as YYYY-MM-DD (a bare weekday is the next one, on or
    after today, as Alexa reads it; "last tuesday" the one before), a week as YYYY-Www, a month as YYYY-MM."""
    said = normalise(text)
    said = said.removeprefix("on ").removeprefix("the ")
    if said in _TODAY:
        return today.isoformat()
    if said in _YESTERDAY:
        return (today - dt.timedelta(days=1)).isoformat()
    if said == "the day before yesterday" or said == "day before yesterday":
        return (today - dt.timedelta(days=2)).isoformat()
    words = said.split()
    if words and words[-1].removesuffix("s") in _WEEKDAYS and len(words) <= 2:
        ahead = (_WEEKDAYS.index(words[-1].removesuffix("s")) - today.weekday()) % 7
        day = today + dt.timedelta(days=ahead)
        if words[0] in ("last", "past"):
            day -= dt.timedelta(days=7)
        elif len(words) == 2 and words[0] not in ("this", "on"):
            return None
        return day.isoformat()
    weeks = {"this week": 0, "last week": -1, "the week before last": -2}
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
    near: tuple[str, ...] = ()  # for a fallback: the nearest samples, as a hint

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
class _Sample:
    intent: str
    text: str
    tokens: tuple[tuple[bool, str], ...]  # (is a slot, its name or the literal word)
    slot_names: tuple[str, ...]
    literal_words: int

    def splits(self, words: list[str]) -> Iterator[dict[str, str]]:
        """Every way the words fill this sample's slots: "a fifteen minute ice timer" can only be read as
        duration "fifteen minute" and therapy "ice" once the first split ("fifteen" alone) is rejected."""
        def walk(token: int, word: int, filled: dict[str, str]) -> Iterator[dict[str, str]]:
            if token == len(self.tokens):
                if word == len(words):
                    yield filled
                return
            is_slot, text = self.tokens[token]
            if not is_slot:
                if word < len(words) and words[word] == text:
                    yield from walk(token + 1, word + 1, filled)
                return
            for end in range(word + 1, len(words) + 1):
                yield from walk(token + 1, end, {**filled, text: " ".join(words[word:end])})
        yield from walk(0, 0, {})


class Understanding:
    """Resolves utterances against one locale's model."""

    def __init__(self, language_model: dict, skill_id: str = "amzn1.ask.skill.local",
                 today: dt.date | None = None) -> None:
        self.today = today or dt.datetime.now(dt.UTC).date()
        self.invocation = normalise(language_model["invocationName"])
        self.skill_id = skill_id
        self.types: dict[str, dict[str, str]] = {}  # type -> phrase -> (id, canonical)
        self.canonical: dict[str, dict[str, str]] = {}
        for slot_type in language_model.get("types", []):
            phrases, names = {}, {}
            for value in slot_type.get("values", []):
                vid, name = value.get("id") or value["name"]["value"], value["name"]["value"]
                names[vid] = name
                for phrase in (name, *value["name"].get("synonyms", [])):
                    phrases[normalise(phrase)] = vid
            self.types[slot_type["name"]] = phrases
            self.canonical[slot_type["name"]] = names
        self.samples: list[_Sample] = []
        for intent in language_model.get("intents", []):
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            texts = list(intent.get("samples", [])) + BUILTIN_PHRASES.get(intent["name"], [])
            for text in texts:
                self.samples.append(self._compile(intent["name"], text, slot_types))
        self.slot_types = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
                           for i in language_model.get("intents", [])}

    @staticmethod
    def _compile(intent: str, text: str, slot_types: dict[str, str]) -> _Sample:
        tokens: list[tuple[bool, str]] = []
        for token in re.split(r"(\{[^}]+\})", text):
            if token.startswith("{"):
                tokens.append((True, token[1:-1]))
            else:
                tokens.extend((False, word) for word in normalise(token).split())
        names = tuple(name for is_slot, name in tokens if is_slot)
        return _Sample(intent, text, tuple(tokens), names, len(tokens) - len(names))

    def resolve(self, utterance: str) -> Resolved:
        said = normalise(utterance)
        best = self._best(said)
        fluent = " ".join(word for word in said.split() if word not in HESITATIONS)
        if fluent != said and (best is None or best[0][0] < _RESOLVED):
            said, best = fluent, self._best(fluent) or best
        if best is None or best[0][0] < _RESOLVED:
            plain = _COURTESY_AFTER.sub("", _COURTESY_BEFORE.sub("", said))
            relaxed = self._best(plain, custom_only=True) if plain and plain != said else None
            if relaxed is not None and (best is None or relaxed[0][0] > best[0][0]):
                best = relaxed
        if best:
            return best[1]
        written = {normalise(s.text): s.text for s in self.samples if not s.text.startswith("{")}
        near = difflib.get_close_matches(said, list(written), n=3, cutoff=0.4)
        return Resolved(FALLBACK, {}, tuple(written[n] for n in near))

    def _best(self, said: str, custom_only: bool = False) -> tuple[tuple, Resolved] | None:
        best: tuple[tuple, Resolved] | None = None
        words = said.split()
        for sample in self.samples:
            if custom_only and sample.intent.startswith("AMAZON."):
                continue
            for raw in sample.splits(words):
                slots, score = self._fill(sample, raw)
                if slots is None:
                    continue
                rank = (score, sample.literal_words)
                if best is None or rank > best[0]:
                    best = (rank, Resolved(sample.intent, slots))
        return best

    def _fill(self, sample: _Sample, raw_values: dict[str, str]) -> tuple[dict | None, int]:
        slots: dict[str, dict] = {}
        score = _RESOLVED
        for name in sample.slot_names:
            raw = raw_values[name]
            slot_type = self.slot_types[sample.intent].get(name, "")
            filled = {"name": name, "value": raw, "confirmationStatus": "NONE"}
            if slot_type == "AMAZON.DURATION":
                value = words_to_duration(raw)
                if value is None:
                    return None, 0
                filled["value"] = value
            elif slot_type == "AMAZON.DATE":
                value = words_to_date(raw, self.today)
                if value is None:
                    return None, 0
                filled["value"] = value
            elif slot_type == "AMAZON.NUMBER":
                number = parse_number(raw)
                if number is None:
                    return None, 0
                filled["value"] = str(int(number)) if number == int(number) else str(number)
            elif slot_type in self.types:
                vid = self.types[slot_type].get(normalise(raw))
                # Alexa passes values outside the list, unresolved; a sample that is mostly slot would then
                # swallow any sentence, so only samples with words of their own may carry one.
                if vid is None and sample.literal_words < 2:
                    return None, 0
                score = _UNRESOLVED if vid is None else score
                filled = slot(name, raw, vid, slot_type, skill_id=self.skill_id,
                              canonical=self.canonical[slot_type].get(vid))
            slots[name] = filled
        for name in self.slot_types[sample.intent]:
            slots.setdefault(name, {"name": name, "confirmationStatus": "NONE"})
        return slots, score

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
