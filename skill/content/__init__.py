"""Content: everything the skill says, loaded once from ``content/*.yaml`` into frozen dataclasses.

``model`` is the typed shape, ``loader`` reads and checks the files (``reader`` walks one YAML document), and
``phrasing`` says durations and lists in words.
"""

from skill.content.loader import load_content
from skill.content.model import Content, ContentError, SpeechItem

__all__ = ["Content", "ContentError", "SpeechItem", "load_content"]
