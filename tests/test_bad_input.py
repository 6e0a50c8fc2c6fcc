"""Whatever arrives, the answer is a clear 4xx for what is not an Alexa envelope and a valid envelope otherwise."""

from __future__ import annotations

import io
import json

import pytest
from conftest import envelope, intent_request, slot, strip_ssml

from skill.alexa.startup_checks import handled_intents
from skill.content import load_content
from skill.conversation.names import NAME_FREE_INTENTS


def post(client, data, content_type="application/json"):
    return client.post("/alexa", data=data, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b"not json at all", "body is not JSON"),
        (b"[1, 2, 3]", "body is not a JSON object"),
        (b"\xff\xfe\x00garbage", "body is not UTF-8"),
        (json.dumps({"version": "1.0"}).encode(), "envelope has no request type"),
        (json.dumps({"version": "1.0", "request": {"requestId": "r"}}).encode(), "envelope has no request type"),
        (json.dumps({"version": "1.0", "request": {"type": "LaunchRequest"}}).encode(), "envelope has no request id"),
        (b"[" * 50_000 + b"]" * 50_000, "body is nested too deeply"),
        (b'{"request": ' + b'{"a": ' * 20_000 + b"1" + b"}" * 20_001, "body is nested too deeply"),
    ],
)
def test_what_is_not_an_envelope_is_a_400(client, body, reason):
    response = post(client, body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "bad request", "reason": reason}


def test_oversized_body_is_a_413(client):
    body = json.dumps(envelope({"type": "LaunchRequest"}, attributes={"pad": "x" * (256 * 1024)}))
    response = post(client, body)
    assert response.status_code == 413
    assert response.get_json()["error"] == "Request Entity Too Large"


@pytest.mark.parametrize("body", [
    json.dumps(envelope(intent_request("AMAZON.HelpIntent"))).encode(), b"not json at all", b"[1]",
    json.dumps(envelope({"type": "LaunchRequest"}, attributes={"pad": "x" * (256 * 1024)})).encode()])
def test_the_fast_route_answers_as_flasks_own_view(app, body):
    """PostRoute (skill.speedups) answers POST /alexa; Flask's view (the app without it) gives the same status and
    JSON."""
    fast = post(app.test_client(), body)
    app.wsgi_app = app.wsgi_app.flask_wsgi
    flask = post(app.test_client(), body)
    assert (fast.status_code, fast.get_json()) == (flask.status_code, flask.get_json())
    assert fast.content_type == flask.content_type == "application/json"


def chunked(client, body: bytes):
    """A body sent without a Content-Length, as a chunked upload arrives from gunicorn."""
    return client.post("/alexa", input_stream=io.BytesIO(body), content_type="application/json",
                       environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""})


def test_a_chunked_body_is_read_and_held_to_the_same_cap(client):
    help_body = json.dumps(envelope(intent_request("AMAZON.HelpIntent"))).encode()
    assert chunked(client, help_body).status_code == 200
    over = chunked(client, json.dumps(envelope({"type": "LaunchRequest"}, attributes={"pad": "x" * 300_000})).encode())
    assert over.status_code == 413 and over.get_json()["error"] == "Request Entity Too Large"


def test_a_bug_is_a_500_with_flasks_json_either_way(app, monkeypatch, log_lines):
    def broken(envelope):
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.extensions["spasm_coach"].skill, "answer", broken)
    body = json.dumps(envelope({"type": "LaunchRequest"})).encode()
    fast = post(app.test_client(), body)
    app.wsgi_app = app.wsgi_app.flask_wsgi
    flask = post(app.test_client(), body)
    assert fast.status_code == flask.status_code == 500
    assert fast.get_json() == flask.get_json() and fast.get_json()["error"] == "Internal Server Error"
    assert [line["message"] for line in log_lines() if "exception" in line] == ["Exception on /alexa [POST]"] * 2


def test_malformed_envelope_fields_are_a_400(client):
    body = envelope({"type": "LaunchRequest"}, timestamp="yesterday-ish")
    response = post(client, json.dumps(body))
    assert response.status_code == 400 and response.get_json()["reason"] == "malformed Alexa envelope"


def test_wrong_method_and_path_answer_json(client):
    assert client.get("/alexa").status_code == 405
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.get_json()["error"] == "Not Found"


@pytest.mark.parametrize(
    "request_body",
    [
        {"type": "Messaging.MessageReceived", "message": {"hello": "world"}},
        {"type": "Alexa.Presentation.APL.UserEvent", "token": "t", "arguments": ["next"]},
        {"type": "AlexaSkillEvent.SkillEnabled", "eventCreationTime": "2026-11-21T10:00:00Z"},
        {"type": "AlexaSkillEvent.SkillPermissionAccepted", "body": {}},
        {"type": "System.ExceptionEncountered", "error": {"type": "INVALID_RESPONSE", "message": "x"},
         "cause": {"requestId": "r"}},
        {"type": "Some.FutureRequestType", "whatever": 1},
    ],
)
def test_requests_we_do_not_serve_get_a_valid_empty_envelope(client, log_lines, request_body):
    response = post(client, json.dumps(envelope(request_body)))
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == "1.0" and "outputSpeech" not in body["response"]
    # Acknowledged on purpose, not by an apology path that logs a failure.
    assert [line for line in log_lines() if line["level"] == "ERROR"] == []


def can_fulfill(client, name: str, *slots: dict) -> dict:
    intent = {"name": name, "slots": {s["name"]: s for s in slots}} if slots else {"name": name}
    response = post(client, json.dumps(envelope({"type": "CanFulfillIntentRequest", "intent": intent})))
    assert response.status_code == 200 and "outputSpeech" not in response.get_json()["response"]
    return response.get_json()["response"]["canFulfillIntent"]


def test_name_free_coaching_and_timers_are_fulfilled_when_every_slot_is_known(client):
    assert can_fulfill(client, "TreatmentIntent") == {"canFulfill": "YES"}
    timer = can_fulfill(client, "StartTimerIntent", slot("therapy", "ice pack", "ice", "TherapyType"),
                        {"name": "duration", "value": "PT10M"})
    assert timer == {"canFulfill": "YES", "slots": {"therapy": {"canUnderstand": "YES", "canFulfill": "YES"},
                                                     "duration": {"canUnderstand": "YES", "canFulfill": "YES"}}}
    lava = can_fulfill(client, "StartTimerIntent", slot("therapy", "lava", None, "TherapyType"))
    assert lava == {"canFulfill": "NO", "slots": {"therapy": {"canUnderstand": "NO", "canFulfill": "NO"}}}


@pytest.mark.parametrize("name", ["RedFlagIntent", "BladderBowelIntent", "AMAZON.HelpIntent", "OrderPizzaIntent"])
def test_warning_signs_and_anything_else_are_not_taken_name_free(client, name):
    assert can_fulfill(client, name)["canFulfill"] == "NO"


def test_every_name_free_intent_is_one_a_handler_takes():
    assert handled_intents(load_content()) >= NAME_FREE_INTENTS


def test_unknown_intent_gets_a_helpful_spoken_reply(alexa):
    reply = alexa.intent("OrderPizzaIntent")
    assert reply.speech.startswith("That's not something I can help with yet.")
    assert "treatment steps" in reply.speech and not reply.ends


@pytest.mark.parametrize(
    "slots",
    ["garbage", [1, 2, 3], {"onset": "not a slot"}, {"onset": {"name": "onset", "value": 42}},
     {"onset": {"name": "onset", "value": "yesterday", "resolutions": "nope"}}, None],
)
def test_garbage_slots_read_as_missing(client, slots):
    request = intent_request("TreatmentIntent")
    request["intent"]["slots"] = slots
    response = post(client, json.dumps(envelope(request)))
    assert response.status_code == 200
    speech = strip_ssml(response.get_json()["response"]["outputSpeech"]["ssml"])
    assert "First, a quick safety check." in speech  # a new session: the screen, whatever the slots held


def test_unmatched_slot_value_asks_instead_of_guessing(alexa):
    reply = alexa.intent("TreatmentIntent", slot("onset", "purple elephants"))
    assert "did the spasm start within the last two days?" in reply.speech


def test_session_attributes_of_another_shape_start_clean(client):
    body = envelope(intent_request("AMAZON.NextIntent"), attributes={"v": 99, "cursor": "garbage"})
    response = post(client, json.dumps(body))
    assert response.status_code == 200
    assert "haven't started any steps" in strip_ssml(response.get_json()["response"]["outputSpeech"]["ssml"])


def test_a_cursor_pointing_past_the_content_is_ignored(client):
    attributes = {"v": 1, "cursor": {"flow": "treatment", "variant": "cold_first", "index": 999}, "pending": None}
    response = post(client, json.dumps(envelope(intent_request("AMAZON.NextIntent"), attributes=attributes)))
    assert response.status_code == 200
    assert "haven't started any steps" in strip_ssml(response.get_json()["response"]["outputSpeech"]["ssml"])
