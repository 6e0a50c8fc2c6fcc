"""What a locale says its own way, laid over its language's content.

``content/locales/<locale>.yaml`` names the locale's language, the values ``{local.<name>}`` stands for in any
content file (its emergency number, its words for care), speech items it says differently, its store listing
fields and card spelling. The loader reads a language's files once and builds each locale's content from them
through :func:`localised`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from skill.bundled import content_dir
from skill.content.phrasing import said_as
from skill.content.reader import Reader, read_yaml

DEFAULT_LOCALE = "en-US"  # the locale whose content stands for what every locale shares
BASE_LANGUAGE = "en"  # the language whose content is at the top of the content directory
_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
_LANGUAGE = re.compile(r"[a-z]{2}")


def language(locale: str) -> str:
    return locale.split("-")[0].lower()


def nearest_locale(locale: str, known: Iterable[str]) -> str:
    """Of the ``known`` locales, the one that stands in for ``locale``: the default locale if it is of the same
    language or none is, else the first of its language."""
    same = [name for name in known if language(name) == language(locale)]
    return DEFAULT_LOCALE if DEFAULT_LOCALE in same or not same else same[0]


def locale_names(directory: Path | None = None) -> tuple[str, ...]:
    """Every locale with a file in ``locales/``, such as ``en-GB``: the ones the skill is published in."""
    return _stems(directory, _LOCALE)


def language_fallbacks(directory: Path | None = None) -> tuple[str, ...]:
    """Every language with a file of its own in ``locales/`` (``en.yaml``): what a device set to a locale of that
    language without a file hears, naming no country's number."""
    return _stems(directory, _LANGUAGE)


def served(directory: Path | None = None) -> tuple[str, ...]:
    """Every content the skill answers in: each locale, and each language's fallback."""
    return (*locale_names(directory), *language_fallbacks(directory))


def _stems(directory: Path | None, shape: re.Pattern) -> tuple[str, ...]:
    found = ((directory or content_dir()) / "locales").glob("*.yaml")
    return tuple(sorted(path.stem for path in found if shape.fullmatch(path.stem)))


def read_locale(directory: Path, locale: str, problems: list[str]) -> dict | None:
    """One ``locales/<locale>.yaml``: its language, the values ``{local.<name>}`` stands for (words, or
    ``{say, show}`` for a number heard in words and shown in digits), speech it says its own way, card spelling."""
    r = Reader(f"locales/{locale}.yaml", problems)
    doc = read_yaml(directory / "locales" / f"{locale}.yaml", problems)
    root = r.mapping(doc, "", {"language", "local", "source"}, {"speech", "spelling", "listing", "lexicon"})
    if root is None:
        return None
    values: dict[str, str] = {}
    for name, value in r.entries(root.get("local"), "local").items():
        if isinstance(value, dict):
            pair = r.mapping(value, f"local.{name}", {"say", "show"}) or {}
            values[name] = said_as(r.text(pair.get("show"), f"local.{name}.show"),
                                   r.text(pair.get("say"), f"local.{name}.say"))
        else:
            values[name] = r.text(value, f"local.{name}")
    spelling = root.get("spelling") or {}
    if not isinstance(spelling, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in spelling.items()):
        r.problem("spelling", "must map words to the locale's spelling of them")
        spelling = {}
    speech = root.get("speech") or {}
    if not isinstance(speech, dict):
        r.problem("speech", "must be a mapping of speech items, as in speech.yaml")
        speech = {}
    lexicon = root.get("lexicon") or {}
    if not isinstance(lexicon, dict):
        r.problem("lexicon", "must map lexicon groups to the words people here add to them")
        lexicon = {}
    return {"language": r.text(root.get("language"), "language"), "local": values, "spelling": spelling,
            "speech": speech, "listing": root.get("listing") or {}, "lexicon": lexicon,
            "source": r.text(root.get("source"), "source")}


LOCAL_REF = re.compile(r"\{local\.([a-z_]+)\}")


def localised(docs: Mapping[str, Any], local: Mapping[str, Any], r: Reader) -> dict[str, Any]:
    """A language's documents for one locale: its speech items laid over the language's, then every
    ``{local.<name>}`` in any text replaced by the locale's value."""
    docs = {**docs, "speech": _overlaid(docs.get("speech"), local["speech"])}
    return {name: filled(doc, local["local"], r, f"{name}.yaml") for name, doc in docs.items()}


def filled(node: Any, values: Mapping[str, str], r: Reader, where: str) -> Any:
    """``node`` (a YAML document or part of one) with every ``{local.<name>}`` in its texts replaced."""
    if isinstance(node, str):
        if "{local." not in node:  # most texts: no substitution, no copy
            return node

        def value(match: re.Match) -> str:
            if match.group(1) not in values:
                r.problem("local", f"has no {match.group(1)}, which {where} refers to")
                return match.group(0)
            return values[match.group(1)]
        return LOCAL_REF.sub(value, node)
    if isinstance(node, dict):
        return {key: filled(value, values, r, where) for key, value in node.items()}
    if isinstance(node, list):
        return [filled(value, values, r, where) for value in node]
    return node


def _overlaid(base: Any, over: Mapping[str, Any]) -> Any:
    """``over`` laid on ``base`` key by key; an item (a mapping with ``say``) replaces the base item whole."""
    if not isinstance(base, dict) or not over:
        return base
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        if isinstance(value, dict) and "say" not in value and isinstance(below, dict):
            merged[key] = _overlaid(below, value)
        else:
            merged[key] = value
    return merged
