"""The phrase grammar: templates that expand into the samples and slot synonyms of the interaction models.

A template is words with five marks: ``(a|b)`` says one of them, ``[a|b]`` one of them or nothing, ``<name>``
any phrase of the lexicon's group ``name`` (``content/lexicon.yaml``, with each locale's own words added),
``{slot}`` a slot, passed through, and ``{slot:name}`` a slot whose values are the phrases of the group ``name``:
where a group is large, a slot keeps the model small while it hears every combination (the model builder makes a
slot type of the group). ``"[{lead:please}] (start|set) {therapy} timer [{tail:thanks}]"`` is every courteous
way of asking for a timer the lexicon knows. The grammar is the asset; this expander is the thirty lines it needs.

Phrases are compared as a device hears them (:func:`skill.content.hearing.words`: articles and hesitations
forgiven), so two expansions that differ only by an article are one sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from skill.content import ContentError
from skill.content.hearing import heard_form

MAX_EXPANSIONS = 200_000  # one template, before duplicates go; more is a grammar mistake, not a model
_TOKEN = re.compile(r"[()\[\]|]|<[a-z0-9_]+>|\{[A-Za-z0-9_]+(?::[a-z0-9_]+)?\}|[^\s()\[\]|<>{}]+")


class GrammarError(ContentError):
    pass


def expand(template: str, lexicon: Mapping[str, Iterable[str]], where: str = "template") -> list[str]:
    """Every phrase ``template`` stands for, in order, each once (as heard)."""
    tokens = _TOKEN.findall(template)
    if "".join(tokens) != "".join(template.split()):
        raise GrammarError([f"{where}: {template!r} has characters a template cannot hold"])

    def sequence(at: int, stops: str) -> tuple[list[str], int]:
        phrases = [""]
        while at < len(tokens) and tokens[at] not in stops:
            token = tokens[at]
            if token in "([":
                close = ")" if token == "(" else "]"
                options, at = alternatives(at + 1, close)
                options = ["", *options] if token == "[" else options
            elif token.startswith("<"):
                if token[1:-1] not in lexicon:
                    raise GrammarError([f"{where}: {template!r} names {token}, which the lexicon lacks"])
                options, at = list(lexicon[token[1:-1]]), at + 1
            elif token in ")]|":
                raise GrammarError([f"{where}: {template!r} has an unmatched {token!r}"])
            else:
                options, at = [token], at + 1
            phrases = [f"{head} {tail}".strip() for head in phrases for tail in options]
            if len(phrases) > MAX_EXPANSIONS:
                raise GrammarError([f"{where}: {template!r} expands to more than {MAX_EXPANSIONS} phrases"])
        return phrases, at

    def alternatives(at: int, close: str) -> tuple[list[str], int]:
        options: list[str] = []
        while True:
            phrases, at = sequence(at, "|" + close)
            options += phrases
            if at >= len(tokens):
                raise GrammarError([f"{where}: {template!r} never closes a {'(' if close == ')' else '['}"])
            if tokens[at] == close:
                return options, at + 1
            at += 1

    phrases, _ = sequence(0, "")
    return distinct(" ".join(phrase.split()) for phrase in phrases if phrase.strip())


SLOT = re.compile(r"\{([A-Za-z0-9_]+)(?::([a-z0-9_]+))?\}")


@lru_cache(maxsize=1 << 19)  # a build compares each of some 150,000 phrases several times
def heard_key(phrase: str) -> str:
    """A phrase as heard, its slots kept as slots: what two samples are compared by."""
    if "{" not in phrase:
        return heard_form(phrase)
    parts = SLOT.split(phrase)
    # split() gives text, slot name, group, text, ...: every third item from 0 is text
    out = []
    for i in range(0, len(parts), 3):
        out.append(heard_form(parts[i]))
        if i + 1 < len(parts):
            out.append("{" + parts[i + 1] + "}")
    return " ".join(part for part in out if part)


def distinct(phrases: Iterable[str]) -> list[str]:
    """Each phrase once, as heard: the first way of writing it is kept."""
    seen: dict[str, str] = {}
    for phrase in phrases:
        seen.setdefault(heard_key(phrase), phrase)
    return [phrase for key, phrase in seen.items() if key]
