"""Opening the skill: the first welcome with the notice, a shorter one later, and the offer to resume."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.conversation import speech_keys as keys
from skill.conversation.handlers.base import RequestTypeHandler, Turn
from skill.conversation.handlers.treatment import offer_resume
from skill.conversation.names import START_OFFER


class LaunchHandler(RequestTypeHandler):
    request_type = "LaunchRequest"

    def respond(self, turn: Turn) -> Response:
        user = turn.state.user
        if not user.notice_heard:
            turn.state.update_user(notice_heard=True)
            turn.state.session.ask(START_OFFER)
            return turn.ask(turn.say(keys.LAUNCH_FIRST))
        if turn.flows.can_pick_up(user.bookmark):
            return offer_resume(turn)
        turn.state.session.ask(START_OFFER)
        return turn.ask(turn.say(keys.LAUNCH_RETURNING))
