"""Words as a device hears them, and which warning sign a phrase names.

Alexa forgives articles and hesitations and nothing else, so :func:`words` is the one normal form the interaction
model is built, linted and tested in, and the form the skill reads a captured phrase in. :func:`named_signs` reads
words the model could not place (a carrier phrase's capture: "I've got {flag}") with the same lexicon the model's
values were grown from: a sign is named when every concept of one of its ``heard`` rules is present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

ARTICLES = frozenset({"a", "an", "the"})
HESITATIONS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "hmm", "mm"})
_NOT_SPOKEN = re.compile(r"[^a-z0-9' ]+")


def words(text: str) -> tuple[str, ...]:
    """Lower case, punctuation dropped (a hyphen parts words), articles and hesitations forgiven."""
    text = text.lower().replace("’", "'").replace("-", " ")
    return tuple(word for word in _NOT_SPOKEN.sub(" ", text).split()
                 if word.strip("'") and word not in ARTICLES and word not in HESITATIONS)


def heard_form(text: str) -> str:
    """The text as one string in the form :func:`words` gives: what two phrases are compared by."""
    return " ".join(words(text))


def contains(said: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` occurs in ``said`` as a run of whole words."""
    size = len(phrase)
    return bool(size) and any(said[i:i + size] == phrase for i in range(len(said) - size + 1))


# A capture that opens by denying ("no numbness", "not really") names nothing and hears the general answer; a
# denial that is itself a sign's phrase ("no feeling", "no control") is read as any other words.
_DENIALS = frozenset({"no", "not", "never", "none", "nothing"})


def named_signs(said: str, rules: Mapping[str, Iterable[Iterable[str]]],
                lexicon: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every sign (by id) whose rule the words meet: a rule is a list of lexicon concepts that must all occur."""
    heard = words(said)
    if not heard:
        return []
    if heard[0] in _DENIALS:  # "no numbness" names nothing, but "no feeling down below" is a sign's own phrase
        concepts = {concept for sign_rules in rules.values() for rule in sign_rules for concept in rule}
        if not any(heard[:len(w)] == w for c in concepts for w in map(words, lexicon.get(c, ())) if w):
            return []
    present: dict[str, bool] = {}

    def occurs(concept: str) -> bool:
        if concept not in present:
            present[concept] = any(contains(heard, words(phrase)) for phrase in lexicon.get(concept, ()))
        return present[concept]

    return [sign for sign, sign_rules in rules.items() if any(all(occurs(c) for c in rule) for rule in sign_rules)]
