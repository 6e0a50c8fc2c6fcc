"""What Alexa's platform allows, in one place (``docs/sources.md``: alexa-timers-api, alexa-skill-design): limits
and names that code on both sides of an API (the skill, the content checks, the local Timers API) must agree on."""

from __future__ import annotations

import datetime as dt

# What Alexa sends when it heard words the model does not match (counted by the log, the metrics and the tools).
FALLBACK_INTENT = "AMAZON.FallbackIntent"
# Requests a person is waiting to hear an answer to; anything else is answered without speech.
SPOKEN_REQUEST_TYPES = frozenset({"LaunchRequest", "IntentRequest", "Connections.Response"})

# Speech (§4): Alexa rejects outputSpeech of 8000 characters or more, and a single <break> over ten seconds.
MAX_SSML_CHARS = 8000
MAX_BREAK_MS = 10_000
# Counting in one response stays well inside what Alexa will speak in a turn.
MAX_PACED_SECONDS = 90

# The Timers API (§2): a timer may not end more than two hours ahead, a user may have at most ten, and a label is
# at most 256 characters.
TIMERS_PATH = "/v1/alerts/timers"
TIMERS_PERMISSION = "alexa::alerts:timers:skill:readwrite"
MAX_TIMER = dt.timedelta(hours=2)
MAX_TIMERS = 10
MAX_LABEL = 256
