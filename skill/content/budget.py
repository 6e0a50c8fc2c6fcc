"""The word budget of a spoken turn, for a listener in pain who cannot look anything up.

An ordinary turn says at most ``BODY`` words before its closing question (or its "say next" cue), and never more
than ``TURN`` in all; a launch says at most ``LAUNCH`` in all. Counting aloud at a steady pace ("Hold... two...
three... and relax") is not talk, so it does not count. Each content item is held to the same budget when it is
loaded, and whole turns are held to it by ``spasm-coach check`` (every walk-through item with its heading and
cue) and by the tests (every reply they hear).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from skill.content.model import Content, MoveStep
from skill.content.phrasing import heard, spoken

BODY, TURN, LAUNCH = 35, 60, 40
PACED_MS = 1000  # a break this long is counting, not a breath between sentences

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_SENTENCES = re.compile(r"(?<=[.?!])\s+")
_CUE = re.compile(r"^(?:(?:or|and|just|so|please|when you're ready,?|whenever you're ready,?)\s+)?say\b",
                  re.IGNORECASE)
_BREAK = re.compile(r'<break time="(\d+)ms"/>')


def words(text: str) -> int:
    return len(_WORD.findall(text))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCES.split(text.strip()) if s]


def is_closing(sentence: str) -> bool:
    """A question, or a cue that says what to say next."""
    sentence = sentence.strip()
    return sentence.endswith("?") or bool(_CUE.match(sentence))


def split_closing(text: str) -> tuple[str, str]:
    """(what is said before the closing question, the closing itself): the question and any cue after it ("Did
    it start in the last two days? Please say yes or no.")."""
    parts = sentences(text)
    end = len(parts)
    while end and is_closing(parts[end - 1]):
        end -= 1
    return " ".join(parts[:end]), " ".join(parts[end:])


@lru_cache(maxsize=16384)  # every locale shares most texts, and each is checked at every start
def why_over_budget(text: str, *, launch: bool = False) -> str | None:
    """Why ``text`` breaks the budget, or None if it fits."""
    total = words(text)
    if launch:
        return f"{total} words; a launch says at most {LAUNCH}" if total > LAUNCH else None
    if total > TURN:
        return f"{total} words; a turn never says more than {TURN}"
    body = words(split_closing(text)[0])
    if body > BODY:
        return f"{body} words before its closing question; at most {BODY}, then split it into steps"
    return None


def words_that_count(ssml: str) -> str:
    """The words of an SSML turn that count: paced counting (the cue before a long break, numbers between long
    breaks, the word after the last one) is left out."""
    chunks = _BREAK.split(ssml.removeprefix("<speak>").removesuffix("</speak>"))
    texts = [heard(chunk) for chunk in chunks[0::2]]
    long_before = [False] + [int(ms) >= PACED_MS for ms in chunks[1::2]]
    long_after = [*long_before[1:], False]
    kept: list[str] = []
    for text, before, after in zip(texts, long_before, long_after, strict=True):
        parts = sentences(text)
        if before and parts:
            parts = parts[1:]  # the number or "and relax" the break led to
        if after and parts:
            parts = parts[:-1]  # "hold", "ready, go": the first beat of the count
        kept.extend(parts)
    return " ".join(kept)


@lru_cache(maxsize=16384)
def turn_problem(ssml: str, *, launch: bool = False) -> str | None:
    """Why a whole rendered turn breaks the budget, or None."""
    problem = why_over_budget(words_that_count(ssml), launch=launch)
    return f"{problem}: {words_that_count(ssml)!r}" if problem else None


# Words a listener lying on the floor cannot picture, and references to where the words came from, which mean
# nothing spoken aloud (hazard H8): anatomy jargon from the seeds, and the seeds themselves.
UNSPEAKABLE = re.compile(r"\b(quadratus|lumborum|psoas|fascia|myofascial|thoracolumbar|source article|the seed)\b",
                         re.IGNORECASE)


def item_problems(key: str, texts: Iterator[str] | tuple[str, ...], *, launch: bool = False) -> Iterator[str]:
    """Every spoken content item passes here: held to the word budget and to words a listener can picture."""
    for text in map(spoken, texts):
        problem = why_over_budget(text, launch=launch)
        if problem:
            yield f"{key}: {problem}"
        jargon = UNSPEAKABLE.search(text)
        if jargon:
            yield f"{key}: says {jargon.group(0)!r}, which a listener cannot picture; say what to do in plain words"


def content_problems(content: Content) -> list[str]:
    """Every content item that would break the budget on its own, named by file and key."""
    found: list[str] = []
    for key, item in content.speech.items():
        found += item_problems(f"speech.yaml: {key}", item.variants + item.reprompts, launch=key.startswith("launch."))
    for plan in content.treatment.plans.values():
        for step in plan.steps:
            found += item_problems(f"treatment.yaml: steps.{step.id}", (step.say,))
    for exercise in content.exercises.values():
        found += item_problems(f"exercises.yaml: exercises.{exercise.id}", (exercise.purpose, exercise.stop_rule))
        found += _moves(f"exercises.yaml: exercises.{exercise.id}", exercise.steps)
    for area in content.massage.values():
        found += _moves(f"exercises.yaml: massage.{area.id}", area.steps)
    check = content.selfcheck
    for question in check.questions:
        found += item_problems(f"selfcheck.yaml: questions.{question.id}",
                               (question.ask, question.reprompt, question.advice, question.encourage))
    for spec in content.timers.values():
        found += item_problems(f"timers.yaml: timers.{spec.id}.announce", (spec.announce,))
    for plan, phases in content.cycle.rounds.items():
        for i, phase in enumerate(phases):
            found += item_problems(f"timers.yaml: cycle.rounds.{plan}[{i}].announce", (phase.announce,))
    for answer in content.faq.values():
        found += item_problems(f"faq.yaml: {answer.id}", (answer.say,))
    return sorted(set(found))


def _moves(key: str, steps: tuple[MoveStep, ...]) -> list[str]:
    return [p for i, step in enumerate(steps) for p in item_problems(f"{key}.steps[{i}]", (step.say,))]
