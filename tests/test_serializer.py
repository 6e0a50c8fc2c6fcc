"""PlannedSerializer reads every request as ask-sdk's DefaultSerializer reads it and writes every response as it
writes it. The app fixture compares the two on every request of the suite (tests/equivalence.py); these tests
name the cases: each request type ask-sdk knows, odd values anywhere, the responses the skill sends."""

from __future__ import annotations

import json

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Request, RequestEnvelope, ResponseEnvelope
from conftest import envelope, intent_request, slot
from equivalence import SameAsDefault, install, outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.speedups.serializer import PlannedSerializer

FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def read_both(body: dict, obj_type=RequestEnvelope):
    """(ours, the default's) for one payload, each the object or SerializationException."""
    text = json.dumps(body)
    return (outcome(lambda: PlannedSerializer().deserialize(text, obj_type)),
            outcome(lambda: DefaultSerializer().deserialize(text, obj_type)))


def rich_envelope(request: dict) -> dict:
    body = envelope(request)
    body["context"]["System"]["device"]["supportedInterfaces"] = {
        "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}, "AudioPlayer": {}}
    body["context"]["Viewport"] = {"experiences": [{"canRotate": False, "canResize": False}], "shape": "RECTANGLE",
                                   "pixelWidth": 1024, "pixelHeight": 600, "dpi": 160, "currentPixelWidth": 1024,
                                   "currentPixelHeight": 600, "touch": ["SINGLE"], "keyboard": []}
    body["context"]["System"]["person"] = {"personId": "amzn1.ask.person.X"}
    return body


# Every request type ask-sdk can read, with the fields Alexa sends for the ones the skill hears from.
FIELDS = {
    "IntentRequest": intent_request("TreatmentIntent", slot("onset", "yesterday", "RECENT")),
    "SessionEndedRequest": {"reason": "ERROR", "error": {"type": "INVALID_RESPONSE", "message": "bad SSML"}},
    "Connections.Response": {"name": "AskFor", "status": {"code": "200", "message": "OK"},
                             "payload": {"permissionScope": "alexa::alerts:timers:skill:readwrite",
                                         "status": "ACCEPTED"}, "token": "t"},
    "AlexaSkillEvent.SkillPermissionAccepted": {
        "body": {"acceptedPermissions": [{"scope": "alexa::alerts:timers:skill:readwrite"}]},
        "eventCreationTime": "2026-11-21T10:00:00Z", "eventPublishingTime": "2026-11-21T10:00:05Z"},
    "Messaging.MessageReceived": {"message": {"any": ["thing", 1]}},
}


@pytest.mark.parametrize("request_type", sorted(Request.discriminator_value_class_map))
def test_every_request_type_is_read_as_ask_sdk_reads_it(request_type):
    request = {"type": request_type, **{k: v for k, v in FIELDS.get(request_type, {}).items() if k != "type"}}
    ours, theirs = read_both(rich_envelope(request))
    assert ours is not SerializationException
    assert ours == theirs
    assert type(ours.request).__name__ == type(theirs.request).__name__


def test_slot_values_resolutions_and_lists_are_read_alike():
    listed = slot("area", "neck and shoulders", "NECK", authority="BodyArea")
    listed["slotValue"] = {"type": "List", "values": [
        {"type": "Simple", "value": "neck", "resolutions": listed["resolutions"]},
        {"type": "Simple", "value": "shoulders"}]}
    ours, theirs = read_both(envelope(intent_request("SelfMassageIntent", listed)))
    assert ours == theirs
    assert ours.request.intent.slots["area"].slot_value.values[1].value == "shoulders"


@pytest.mark.parametrize("stamp", [
    "2026-11-21T10:00:00Z", "2026-11-21T10:00:00.123Z", "2026-11-21T10:00:00.123456Z", "2026-11-21T10:00:00+05:30",
    "2026-11-21T10:00:00-00:00", "2026-11-21T10:00:00", "2026-11-21", "21 Nov 2026 10:00", "2026-11-21T25:00:00Z",
    "2026-02-30T10:00:00Z", "yesterday", "", 1763719200, None, [], {"a": 1}])
def test_timestamps_are_read_alike_or_refused_alike(stamp):
    ours, theirs = read_both(envelope({"type": "LaunchRequest"}, timestamp="x") | {"request": {
        "type": "LaunchRequest", "requestId": "r", "locale": "en-US", "timestamp": stamp}})
    assert ours == theirs
    if ours is not SerializationException and isinstance(stamp, str) and "T" in stamp:
        assert ours.request.timestamp.utcoffset() == theirs.request.timestamp.utcoffset()


junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


def paths(node, here=()):
    """Every place in a JSON tree a value can be put: each key of each object, each item of each list."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*here, key)
            yield from paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*here, index)
            yield from paths(value, (*here, index))


SAMPLE = rich_envelope({**intent_request("SelfMassageIntent", slot("area", "neck", "NECK", authority="BodyArea")),
                        "type": "IntentRequest"})
PLACES = list(paths(SAMPLE))


@FAST
@given(place=st.sampled_from(PLACES), value=junk, extra=st.sampled_from(["", "__class__", "request_id", "newField"]))
def test_any_value_anywhere_is_read_alike_or_refused_alike(place, value, extra):
    body = json.loads(json.dumps(SAMPLE))
    node = body
    for step in place[:-1]:
        node = node[step]
    node[place[-1]] = value
    if extra and isinstance(node, dict):
        node[extra] = value  # a key the model does not know, as Alexa adds new fields
    ours, theirs = read_both(body)
    assert ours == theirs


def test_every_response_in_a_conversation_is_written_as_ask_sdk_writes_it(app, timers_api):
    """A session that uses every kind of answer: speech and reprompt, a card, the permission request directive,
    a timer, the safety tier, the end of a session."""
    from conftest import Alexa

    checker = install(app)
    alexa = Alexa(app.test_client(), api_endpoint=timers_api.url)
    replies = [alexa.launch(), alexa.intent("StartTimerIntent", slot("therapy", "ice", "ICE", "TherapyType"))]
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    replies += [alexa.intent("StartTimerIntent", slot("therapy", "ice", "ICE", "TherapyType")),
                alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT")),
                alexa.intent("AMAZON.NextIntent"), alexa.intent("SelfCheckIntent"), alexa.intent("AMAZON.YesIntent"),
                alexa.intent("RedFlagIntent", slot("flag", "I fell", "FALL_OR_BLOW", "RedFlag")),
                alexa.intent("AMAZON.StopIntent")]
    kinds = {key for reply in replies for key in reply.response}
    directives = {d["type"] for reply in replies for d in reply.response.get("directives", [])}
    assert {"outputSpeech", "reprompt", "card", "shouldEndSession"} <= kinds
    assert "Connections.SendRequest" in directives
    assert timers_api.timers  # the timer really was set, through the same turns
    assert checker.checked["write ResponseEnvelope"] == len(replies)
    assert checker.checked["read IntentRequest"] == len(replies) - 1


def test_the_comparison_fails_on_a_difference():
    """The harness the whole suite relies on can fail: a serializer that drops one key is caught."""

    class Forgetful(SameAsDefault):
        def _plan_writer(self, kind):
            write = super()._plan_writer(kind)
            if kind is ResponseEnvelope:
                return lambda obj: {k: v for k, v in write(obj).items() if k != "sessionAttributes"}
            return write

    response = ResponseEnvelope(version="1.0", session_attributes={"v": 1})
    with pytest.raises(AssertionError, match="written differently"):
        Forgetful().serialize(response)
    assert SameAsDefault().serialize(response) == {"version": "1.0", "sessionAttributes": {"v": 1}}
