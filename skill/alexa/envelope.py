"""Between a trusted JSON envelope and ask-sdk: request types we cannot parse, and slots we cannot read."""

from __future__ import annotations

from ask_sdk_model import Request

KNOWN_REQUEST_TYPES = frozenset(Request.discriminator_value_class_map)


def is_known_type(envelope: dict) -> bool:
    return envelope["request"]["type"] in KNOWN_REQUEST_TYPES


def clean_slots(envelope: dict) -> dict:
    """Drop slot data of the wrong shape, so a garbled slot reads as a missing one instead of failing the
    request. Returns the same envelope, changed in place."""
    intent = envelope["request"].get("intent")
    if not isinstance(intent, dict):
        return envelope
    slots = intent.get("slots")
    if slots is None:
        return envelope
    if not isinstance(slots, dict):
        intent.pop("slots")
        return envelope
    for name, slot in list(slots.items()):
        if not isinstance(slot, dict):
            slots.pop(name)
            continue
        slot["name"] = name
        if "value" in slot and not isinstance(slot["value"], str):
            slot.pop("value")
        for key in ("resolutions", "slotValue"):
            if key in slot and not isinstance(slot[key], dict):
                slot.pop(key)
    return envelope
