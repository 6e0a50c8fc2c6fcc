"""Content: everything the skill says, loaded once from ``content/*.yaml`` into frozen dataclasses.

``model`` is the typed shape; ``loader`` reads and checks the files (``reader`` walks one YAML document,
``locales`` lays a locale's own words over its language, ``moves`` and ``rounds`` read exercises and timers);
``budget`` holds every spoken item to the word budget; ``phrasing`` says durations and lists in words;
``lexicon`` and ``hearing`` are the words people use, as the model and the skill both read them.
"""

from typing import Any

from skill.content.model import Content, ContentError, SpeechItem

__all__ = ["Content", "ContentError", "SpeechItem", "load_content"]


def __getattr__(name: str) -> Any:
    # The loader (and the YAML library) only when content is read from its files: a test that builds content in
    # code never loads them.
    if name == "load_content":
        from skill.content.loader import load_content

        return load_content
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
