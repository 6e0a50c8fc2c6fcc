"""Reading one YAML content file: every problem is recorded against its file and key, never raised one by one,
so a content reviewer sees all of them at once."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skill.foundations.times import parse_duration

# ``{ice.max}`` names a content value, filled in at load; ``{number}`` is filled in by the code at render time.
CONTENT_REF = re.compile(r"\{([a-z_]+)\.([a-z_]+)\}")


class Reader:
    """Walks one YAML document and records problems against its file and key path."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.file}: {key}: {message}")

    def mapping(self, node: Any, key: str, required: set[str], optional: set[str] = frozenset()) -> dict | None:
        if not isinstance(node, dict):
            self.problem(key, "must be a mapping")
            return None
        for unknown in sorted(set(node) - required - optional, key=str):
            self.problem(f"{key}.{unknown}" if key else str(unknown), "unknown key")
        for missing in sorted(required - set(node)):
            self.problem(f"{key}.{missing}" if key else missing, "missing")
        return node

    def entries(self, node: Any, key: str) -> dict:
        """A mapping whose keys are ids chosen by the content author."""
        if not isinstance(node, dict) or not node:
            self.problem(key, "must be a non-empty mapping of ids")
            return {}
        return node

    def text(self, node: Any, key: str) -> str:
        if not isinstance(node, str) or not node.strip():
            self.problem(key, "must be non-empty text")
            return ""
        return " ".join(node.split())

    def texts(self, node: Any, key: str) -> tuple[str, ...]:
        items = node if isinstance(node, list) else [node]
        if not items:
            self.problem(key, "must have at least one variant")
        return tuple(self.text(item, f"{key}[{i}]" if isinstance(node, list) else key) for i, item in
                     enumerate(items))

    def duration(self, node: Any, key: str) -> dt.timedelta:
        value = parse_duration(node)
        if value is None or value <= dt.timedelta(0):
            self.problem(key, f"must be a positive ISO 8601 duration such as PT15M, not {node!r}")
            return dt.timedelta(0)
        return value


def read_yaml(path: Path, problems: list[str]) -> Any:
    # Imported here: a process given content already loaded (a test, a forked worker) never needs the YAML library.
    import yaml

    try:  # the C loader parses the content about ten times faster where libyaml is installed
        from yaml import CSafeLoader as SafeLoader
    except ImportError:  # pragma: no cover - depends on the install
        from yaml import SafeLoader

    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SafeLoader)
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except yaml.YAMLError as error:
        problems.append(f"{path.name}: not valid YAML: {error}")
    return None


def resolve_refs(text: str, values: Mapping[str, Mapping[str, str]], r: Reader, key: str) -> str:
    def replace(match: re.Match) -> str:
        group, name = match.groups()
        if name not in values.get(group, {}):
            r.problem(key, f"refers to {{{group}.{name}}}, which no content defines")
            return match.group(0)
        return values[group][name]

    resolved = CONTENT_REF.sub(replace, text)
    try:
        list(string.Formatter().parse(resolved))
    except ValueError as error:
        r.problem(key, f"has a broken placeholder: {error}")
    return resolved


def phrases(node: Any, r: Reader, key: str) -> tuple[str, ...]:
    if not isinstance(node, list) or not node:
        r.problem(key, "must be a non-empty list of phrases")
        return ()
    return tuple(r.text(p, f"{key}[{i}]").lower() for i, p in enumerate(node))


HAZARD_ID = re.compile(r"H\d{1,2}")


def hazard(node: Any, r: Reader, key: str) -> str:
    """A reference to an entry of the hazard log (docs/clinical-safety.md), such as ``H3``."""
    if not isinstance(node, str) or not HAZARD_ID.fullmatch(node):
        r.problem(f"{key}.hazard", "must name a hazard log entry, such as H3")
        return ""
    return node
