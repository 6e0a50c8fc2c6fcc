"""People's words, replayed where they were said: each case is an utterance at a point of the conversation, in a
locale, with what a good answer does. The conversation is brought to that point, the utterance is resolved as a
device would (:func:`coach_tools.nlu.on_device`) and sent, and the answer is judged.

A case file is a list of mappings (``tests/corpus/people-words-dev.yaml`` is the development set): ``locale``,
``where`` (one of the points below, by its words), ``say``, ``group``, and either ``a good answer matches`` (a
regular expression searched in the spoken answer) or ``a good answer`` for a warning sign (an emergency, same day,
or a doctor), with ``and never matches`` for what must not be said.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from coach_tools.local_timers import LocalTimersApi
from coach_tools.nlu import Understanding, on_device
from coach_tools.simulator import Chat, Send, spoken
from skill.foundations.alexa_platform import FALLBACK_INTENT

# Where a case is said, by words of its "where", and the turns that bring a new user there.
_TREATMENT = ["open spasm coach", "treatment steps"]
_CLEAR = ["no", "no", "no", "no"]  # each safety-screen question answered no
_BIRD_DOG = ["open spasm coach", "bird dog", *_CLEAR, "yes", "next"]
POINTS: tuple[tuple[str, list[str], list[str]], ...] = (
    # (words in "where", turns of an earlier session, turns of this one)
    ("one-shot", [], []),
    ("welcome", [], ["open spasm coach"]),
    ("next day, partway through the treatment", [*_TREATMENT, *_CLEAR, "yes", "next", "next", "stop"],
     ["open spasm coach"]),
    ("again the next day", [*_TREATMENT, *_CLEAR, "yes", "next", "next", "stop"], ["open spasm coach"]),
    ("partway through the exercises", [*_BIRD_DOG, "stop"], ["open spasm coach"]),
    ("first safety-screen", [], _TREATMENT),
    ("second safety-screen", [], [*_TREATMENT, "no"]),
    ("two days", [], [*_TREATMENT, *_CLEAR]),
    ("offer to time the ice", [], [*_TREATMENT, *_CLEAR, "yes", "next"]),
    ("treatment step", [], [*_TREATMENT, *_CLEAR, "yes"]),
    ("ice timer is paused", [], ["open spasm coach", "start an ice timer", "pause my ice timer"]),
    ("ice timer runs", [], ["open spasm coach", "start an ice timer"]),
    ("exercise (the bird dog)", [], _BIRD_DOG),
    ("self-check", [], ["open spasm coach", "start the self check", *_CLEAR]),
    ("at launch", [], ["open spasm coach"]),
)

EMERGENCY, SAME_DAY, DOCTOR = "emergency", "same day", "doctor"


@dataclass
class Verdict:
    case: Mapping
    heard: str  # the intent the words reached
    answer: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def point_of(where: str) -> tuple[list[str], list[str]]:
    for words, before, now in POINTS:
        if words in where:
            return before, now
    raise ValueError(f"no known point of the conversation in {where!r}")


class Replay:
    """Plays the cases against a skill (``send``), each as a new user, through one locale's model at a time."""

    def __init__(self, send: Send, care_words: Mapping[str, Mapping[str, list[str]]]) -> None:
        self.send = send
        self.nlu: dict[str, Understanding] = {}  # by locale, each heard with its shipped model as a device would
        self.care_words = care_words  # locale -> tier -> words a good answer of that tier names

    def run(self, case: Mapping) -> Verdict:
        locale = case.get("locale", "en-US")
        lines: list[str] = []
        with LocalTimersApi() as timers:
            nlu = self.nlu.get(locale) or self.nlu.setdefault(locale, on_device(locale))
            chat = Chat(self.send, nlu, timers, out=lines.append, permission=lambda: "yes",
                        locale=locale, user_id=f"amzn1.ask.account.people-{uuid.uuid4()}")
            before, now = point_of(case["where"])
            for line in before:
                chat.say(line)
            chat.in_session = False
            for line in now:
                chat.say(line)
            lines.clear()
            said = case["say"]
            if "one-shot" in case["where"] and not said.lower().startswith(("alexa", "ask", "tell", "open")):
                said = f"ask spasm coach {said}"
            chat.say(said)
            ended = not chat.in_session
        heard = next((line.split("heard as ", 1)[1].split()[0].rstrip(")") for line in lines if "heard as " in line),
                     "(launch)")
        answer = " ".join(line.removeprefix("Alexa: ") for line in lines if line.startswith("Alexa: "))
        return Verdict(case, heard, answer, self._problems(case, locale, heard, answer, ended))

    def _problems(self, case: Mapping, locale: str, heard: str, answer: str, ended: bool) -> list[str]:
        problems = []
        if heard == FALLBACK_INTENT:
            problems.append("not understood")
        good = case.get("a good answer matches")
        if good and not re.search(good, answer, re.I):
            problems.append(f"does not match {good}")
        never = case.get("and never matches")
        if never and re.search(never, answer, re.I):
            problems.append(f"matches {never}")
        tier = _tier(case.get("a good answer", ""))
        if tier:
            words = self.care_words[locale][tier]
            if not any(word.lower() in answer.lower() for word in words):
                problems.append(f"names none of {words}")
            if tier == EMERGENCY and not ended:
                problems.append("coaches on after an emergency")
            if tier == SAME_DAY and not re.search(r"\b(today|now)\b", answer, re.I):
                problems.append("says neither today nor now")
        return problems


def _tier(good: str) -> str | None:
    for tier in (EMERGENCY, SAME_DAY, DOCTOR):
        if good.startswith(f"{tier}:") or good.startswith(f"an {tier}") or good.startswith(f"a {tier}"):
            return tier
    return None


def care_words(content_dir) -> dict[str, dict[str, list[str]]]:
    """What an answer of each tier names in each locale, as heard: its emergency number, its same-day route, its
    words for a doctor and a physio (``content/locales/<locale>.yaml``)."""
    from skill.content.locales import locale_names, read_locale
    from skill.content.phrasing import spoken as said

    words = {}
    for locale in locale_names(content_dir):
        local = {name: said(value) for name, value in (read_locale(content_dir, locale, []) or {})["local"].items()}
        words[locale] = {EMERGENCY: [local["emergency"]], SAME_DAY: [local["same_day"]],
                         DOCTOR: [local["a_doctor"], local["a_physio"], local["your_doctor"]]}
    return words


def summary(verdicts: list[Verdict], show: Callable[[str], None] = print) -> int:
    """Print each miss and the score by group; return the number of misses."""
    groups: dict[str, list[bool]] = {}
    for verdict in verdicts:
        groups.setdefault(verdict.case.get("group", "?"), []).append(verdict.passed)
        if not verdict.passed:
            case = verdict.case
            show(f"MISS [{case['locale']}] {case['where'][:50]!r} {case['say']!r} -> {verdict.heard}: "
                 f"{'; '.join(verdict.problems)}\n     {spoken(verdict.answer)[:300]}")
    for group, results in sorted(groups.items()):
        show(f"{group:24s} {sum(results):3d}/{len(results)}")
    total = [passed for results in groups.values() for passed in results]
    show(f"{'all':24s} {sum(total):3d}/{len(total)}")
    return total.count(False)
