"""The requests both skills are loaded with: one envelope per request type, as Alexa sends them mid-session."""

from __future__ import annotations

from coach_tools.envelopes import envelope, intent_request, slot

MID_PLAN = {"v": 1, "cursor": {"flow": "treatment", "variant": "cold_first", "index": 2}, "pending": None}


def scenarios() -> dict[str, dict]:
    """Launch, content intents, help and the end of a session, each with the session it would arrive with."""
    return {
        "LaunchRequest": envelope({"type": "LaunchRequest"}, new=True),
        "TreatmentIntent": envelope(intent_request("TreatmentIntent", slot("onset", "yesterday", "RECENT"))),
        "AMAZON.NextIntent": envelope(intent_request("AMAZON.NextIntent"), attributes=MID_PLAN),
        "WhatIsSpasmIntent": envelope(intent_request("WhatIsSpasmIntent")),
        "AMAZON.HelpIntent": envelope(intent_request("AMAZON.HelpIntent"), attributes=MID_PLAN),
        "SessionEndedRequest": envelope({"type": "SessionEndedRequest", "reason": "USER_INITIATED"}),
    }
