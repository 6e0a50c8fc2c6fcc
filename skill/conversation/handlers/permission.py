"""Alexa's answer to the skill's request for the timers permission (``Connections.Response`` to ``AskFor``):
create what the user asked for, or explain how to allow it."""

from __future__ import annotations

from ask_sdk_model import Response
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill.clients.timers import Wanted
from skill.content.model import COLD
from skill.content.phrasing import spoken_duration
from skill.conversation import speech_keys as keys
from skill.conversation.handlers.base import RequestTypeHandler, Turn
from skill.conversation.handlers.timers import done_with_timers, start_round, start_timer
from skill.foundations.alexa_platform import TIMERS_PERMISSION


class PermissionResponseHandler(RequestTypeHandler):
    request_type = "Connections.Response"

    def applies(self, turn: Turn) -> bool:
        return getattr(turn.input.request_envelope.request, "name", None) == "AskFor"

    def respond(self, turn: Turn) -> Response:
        request = turn.input.request_envelope.request
        wanted = Wanted.from_token(request.token or "", turn.content)
        if str(getattr(request.status, "code", None)) != "200" or wanted is None:
            return done_with_timers(turn, turn.say(keys.PERMISSION_FAILED))
        if (request.payload or {}).get("status") == "ACCEPTED":
            if wanted.kind is None:
                return start_round(turn, just_permitted=True)
            return start_timer(turn, wanted.kind, wanted.duration, just_permitted=True)
        # DENIED or NOT_ANSWERED: say how to allow it, send the consent card, offer the device's own timer.
        turn.input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[TIMERS_PERMISSION]))
        fallback = wanted.duration or turn.content.therapies[COLD].default
        return done_with_timers(turn, turn.say(keys.PERMISSION_DENIED) +
                      turn.say(keys.TIMER_DEVICE_TIMER, duration=spoken_duration(fallback)))
