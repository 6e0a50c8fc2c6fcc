"""What the content rests on, checked by ``spasm-coach check``: every ``source`` names entries of ``docs/sources.md``
and only those, each entry says what it is, and the one "not getting better" length is the only one stated.

A source names entries as ``[id]`` anywhere in its text. A length of recovery written into spoken text ("if it
isn't better after a week") is refused: the one length is ``treatment.yaml onset.see_doctor_after``, said as
``{onset.see_doctor_after}``, so two places can never send people to a doctor at two different times (hazard H4).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from skill.content.reader import read_yaml

FIELDS = ("Title", "Publisher", "Address", "Read", "Supports")
ENTRY = re.compile(r"^### ([a-z0-9][a-z0-9-]*)\s*$", re.M)
FIELD = re.compile(r"^- (\w+): *(\S.*)$", re.M)
CITED = re.compile(r"\[([a-z0-9][a-z0-9-]*)\]")
OUTSIDE = re.compile(r"health-facts|alexa-platform|\.\./shared|§")
SPOKEN = {"say", "reprompt", "card", "announce", "advice", "ask"}
NOT_BETTER = re.compile(r"\b(?:better|improv\w*)\b")
LENGTH = re.compile(r"\b(?:a|one|two|three|four|five|six|few|\d+)\s+(?:days?|weeks?|months?)\b", re.I)


def registry(path: Path) -> tuple[set[str], list[str]]:
    """The entry ids of ``docs/sources.md``, and a problem for each entry without all of its fields."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return set(), [f"{path.name}: cannot be read: {error}"]
    heads = list(ENTRY.finditer(text))
    ids, problems = set(), []
    for i, head in enumerate(heads):
        body = text[head.end():heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        missing = [name for name in FIELDS if name not in {m.group(1) for m in FIELD.finditer(body)}]
        if missing:
            problems.append(f"{path.name}: {head.group(1)}: lacks {', '.join(missing)}")
        if head.group(1) in ids:
            problems.append(f"{path.name}: {head.group(1)}: is listed twice")
        ids.add(head.group(1))
    if not ids:
        problems.append(f"{path.name}: lists no sources")
    return ids, problems


def _walk(node: Any, where: str) -> Iterator[tuple[str, str, str]]:
    """(key path, field name, text) for every string under a mapping key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield f"{where}.{key}".lstrip("."), str(key), value
            else:
                yield from _walk(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                yield f"{where}[{i}]", where.rsplit(".", 1)[-1], value
            else:
                yield from _walk(value, f"{where}[{i}]")


def _documents(content_dir: Path, model_dir: Path) -> Iterator[tuple[str, Any]]:
    problems: list[str] = []
    for path in sorted(content_dir.glob("*.yaml")) + sorted((content_dir / "locales").glob("*.yaml")):
        yield str(path.relative_to(content_dir)), read_yaml(path, problems)
    grammar = model_dir / "source"
    for path in sorted(grammar.rglob("*.yaml")):
        yield f"interaction_model/{path.relative_to(model_dir)}", read_yaml(path, problems)


def problems(content_dir: Path, model_dir: Path, sources: Path) -> list[str]:
    """Every source that names no entry or an unknown one, or points outside the project; every entry without its
    fields; every spoken length of "not getting better" of its own."""
    known, found = registry(sources)
    for name, doc in _documents(content_dir, model_dir):
        for where, field, text in _walk(doc, ""):
            if field == "source" or where.startswith("_"):
                cited = CITED.findall(text)
                if not cited:
                    found.append(f"{name}: {where}: names no entry of docs/sources.md, as [id]")
                found.extend(f"{name}: {where}: names [{i}], which docs/sources.md does not list"
                             for i in cited if i not in known)
                if OUTSIDE.search(text):
                    found.append(f"{name}: {where}: points outside the project; cite docs/sources.md entries")
            elif field in SPOKEN:
                for sentence in re.split(r"(?<=[.?!])\s+", text):
                    if NOT_BETTER.search(sentence) and LENGTH.search(sentence):
                        found.append(f"{name}: {where}: states a 'not getting better' length of its own "
                                     f"({LENGTH.search(sentence).group(0)!r}); say {{onset.see_doctor_after}}")
    return found
