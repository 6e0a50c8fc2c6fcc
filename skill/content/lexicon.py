"""The lexicon: the words people use, by what they mean, read from ``content/lexicon.yaml`` with each locale's own
words added (``lexicon:`` in ``content/locales/<locale>.yaml``).

Two things are grown from it: the interaction models (the grammar's ``<name>`` marks, ``coach_tools.grammar``) and
the skill's reading of words the model could not place (``skill.content.hearing``), so both hear the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skill.content.reader import Reader

GROUP_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def read_lexicon(doc: Any, r: Reader) -> dict[str, tuple[str, ...]]:
    """Every group's phrases in a language's lexicon. The file is made of sections, each with a ``source`` and its
    groups: ``body: {source: ..., saddle: [bum, bottom, ...]}``."""
    groups: dict[str, tuple[str, ...]] = {}
    if not isinstance(doc, dict) or not doc:
        r.problem("(top)", "must be a mapping of sections, each with a source and its groups of words")
        return groups
    for section, node in doc.items():
        if not isinstance(node, dict) or not isinstance(node.get("source"), str) or not node["source"].strip():
            r.problem(str(section), "must be a mapping with a source and groups of words")
            continue
        for name, phrases in node.items():
            if name == "source":
                continue
            key = f"{section}.{name}"
            if not isinstance(name, str) or set(name) - GROUP_NAME_CHARS:
                r.problem(key, "a group's name is lower case letters, digits and underscores")
            if name in groups:
                r.problem(key, "names a group another section already has")
            groups[name] = _phrases(phrases, r, key)
    return groups


def with_additions(groups: Mapping[str, tuple[str, ...]], additions: Mapping[str, Any],
                   locale_reader: Reader) -> dict[str, tuple[str, ...]]:
    """A language's groups with a locale's own words added after them."""
    found = dict(groups)
    for name, phrases in (additions or {}).items():
        if name not in found:
            locale_reader.problem(f"lexicon.{name}", "adds to a group content/lexicon.yaml does not have")
            continue
        found[name] = tuple(dict.fromkeys((*found[name], *_phrases(phrases, locale_reader, f"lexicon.{name}"))))
    return found


def _phrases(node: Any, r: Reader, key: str) -> tuple[str, ...]:
    if not isinstance(node, list) or not node:
        r.problem(key, "must be a non-empty list of phrases")
        return ()
    found = []
    for i, phrase in enumerate(node):
        if isinstance(phrase, bool) or not isinstance(phrase, str | int) or not str(phrase).strip():
            r.problem(f"{key}[{i}]", "must be a phrase (quote yes, no, on and off, which YAML reads otherwise)")
            continue
        text = " ".join(str(phrase).split())
        if set(text) & set("()[]|<>{}"):
            r.problem(f"{key}[{i}]", "is a phrase, not a template: no ( ) [ ] | < > { }")
            continue
        found.append(text)
    return tuple(dict.fromkeys(found))
