"""A serializer that is ours and ask-sdk's at once: every test that talks to the app through the ``app`` fixture
reads each request and writes each response both ways, and fails on the first difference."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer

from skill.speedups.serializer import PlannedSerializer


def outcome(call) -> Any:
    """What a call returns, or the kind of error it raises (only ``SerializationException`` is allowed)."""
    try:
        return call()
    except SerializationException:
        return SerializationException


class SameAsDefault(PlannedSerializer):
    def __init__(self) -> None:
        super().__init__()
        self.default = DefaultSerializer()
        self.checked: Counter[str] = Counter()  # what was compared, by request type / response
        self._writing = False

    def from_data(self, data: Any, obj_type: Any) -> Any:
        text = json.dumps(data)  # before ours reads it: the objects may share its parts
        expected = outcome(lambda: self.default.deserialize(text, obj_type))
        got = outcome(lambda: super(SameAsDefault, self).from_data(data, obj_type))
        assert got == expected, f"read differently from DefaultSerializer: {text[:300]}"
        kind = data.get("request", {}).get("type") if isinstance(data, dict) else None
        self.checked[f"read {kind or obj_type}"] += 1
        if got is SerializationException:
            raise SerializationException("refused by both")
        return got

    def serialize(self, obj: Any) -> Any:
        if self._writing:  # the parts of what is being compared
            return super().serialize(obj)
        self._writing = True
        try:
            got = super().serialize(obj)
        finally:
            self._writing = False
        expected = self.default.serialize(obj)
        assert json.dumps(got) == json.dumps(expected), f"written differently from DefaultSerializer: {obj!r}"[:500]
        self.checked[f"write {type(obj).__name__}"] += 1
        return got


def install(app) -> SameAsDefault:
    """Put the checking serializer into an app made by ``create_app``."""
    skill = app.extensions["spasm_coach"].skill
    skill.serializer = skill.sdk.serializer = SameAsDefault()
    return skill.serializer
