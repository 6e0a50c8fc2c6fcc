"""``POST /alexa``: verify, answer, log. What cannot be trusted or read is a 400 with a reason and never reaches
the skill. The app answers it through ``skill.speedups.wsgi_route`` and, without that, through its own view."""

from __future__ import annotations

from collections.abc import Mapping

from skill.alexa.assembly import Skill, UnreadableEnvelope
from skill.edge.verification import NORMAL_TOLERANCE, Rejected, RequestVerifier
from skill.foundations import logs

MAX_BODY_BYTES = 256 * 1024
PATH = "/alexa"
# Twice the timestamp tolerance: a replay inside it is refused here, one outside it fails the timestamp check.
REPLAY_WINDOW = 2 * NORMAL_TOLERANCE.total_seconds()


def answer_alexa(skill: Skill, verifier: RequestVerifier, headers: Mapping[str, str], body: bytes) -> tuple[int, dict]:
    """(status, JSON) for one POST: a request that cannot be trusted or read is a 400 and never reaches the
    skill."""
    record = logs.RequestRecord()
    try:
        envelope = verifier.verify(headers, body)  # the exact bytes, for the signature
        record.describe(envelope)
        if verifier.signatures is not None and not skill.first_answer(envelope, REPLAY_WINDOW):
            # A signed request sent again inside the timestamp window: answered once, never twice.
            raise Rejected("request already answered")
        try:
            outcome, answer, failure = skill.answer(envelope)
        except UnreadableEnvelope as error:
            raise Rejected("malformed Alexa envelope", detail=str(error)) from None
    except Rejected as rejected:
        record.write("rejected", 400, reason=rejected.detail or rejected.reason)
        return 400, {"error": "bad request", "reason": rejected.reason}
    record.write(outcome, 200, **({"error": failure} if failure else {}))
    return 200, answer
