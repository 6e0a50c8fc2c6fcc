"""Help, hints, stop, fallback and the rest of the conversation around the features."""

from __future__ import annotations

import itertools
import json
import re

import yaml
from conftest import Alexa, envelope, heading, slot

from skill.content import load_content
from skill.conversation.dialogue.treatment import TreatmentFlow
from skill.conversation.speech import Line, Speech
from skill.edge.app import create_app
from skill.foundations.config import Settings


def test_help_depends_on_where_the_user_is(alexa):
    home = alexa.intent("AMAZON.HelpIntent")
    assert "I can talk you through easing a back spasm" in home.speech
    alexa.intent("AMAZON.YesIntent")  # help offered the steps; yes takes the offer
    onset = alexa.intent("AMAZON.HelpIntent")
    assert "the usual advice is cold in the first two days" in onset.speech
    alexa.intent("AMAZON.YesIntent")
    alexa.intent("AMAZON.NextIntent")
    timer_offer = alexa.intent("AMAZON.HelpIntent")  # step 2 ends by offering an ice timer
    assert "I'll set a timer" in timer_offer.speech
    alexa.intent("AMAZON.NextIntent")
    in_plan = alexa.intent("AMAZON.HelpIntent")
    assert "We're on using cold safely." in in_plan.speech and "previous" in in_plan.speech
    assert "step" not in in_plan.speech  # where they are, in words, never "step 3 of 9"
    assert len({home.speech, onset.speech, timer_offer.speech, in_plan.speech}) == 4


def test_help_keeps_the_place(alexa):
    alexa.intent("TreatmentIntent")
    alexa.intent("AMAZON.YesIntent")
    alexa.intent("AMAZON.HelpIntent")
    assert "a cold pack." in alexa.intent("AMAZON.NextIntent").speech


def test_fallback_hint_fits_the_context(alexa):
    home = alexa.intent("AMAZON.FallbackIntent")
    assert home.speech.endswith(("Would you like the treatment steps?", "Shall we go through the treatment steps?"))
    alexa.intent("AMAZON.YesIntent")
    asked = alexa.intent("AMAZON.FallbackIntent")
    assert asked.speech.startswith("Let me") and "last two days" in asked.speech  # the question, more plainly
    alexa.intent("AMAZON.YesIntent")
    in_plan = alexa.intent("AMAZON.FallbackIntent")
    assert re.search(r"[Ss]ay next", in_plan.speech) and re.search(r"(this|the) step again", in_plan.speech)


def test_stop_cancel_and_home_end_the_session(alexa):
    for name in ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"):
        alexa.launch()
        reply = alexa.intent(name)
        assert reply.ends and reply.speech in {"Take it easy. Goodbye.", "Go gently. Bye for now."}


def test_yes_outside_a_question_is_answered_gracefully(alexa):
    alexa.intent("TreatmentIntent")
    alexa.intent("AMAZON.YesIntent")
    reply = alexa.intent("AMAZON.YesIntent")  # no question is waiting inside the plan: yes means go on
    assert reply.speech.startswith(heading("a cold pack"))


def test_no_in_the_plan_does_not_move_or_leave(alexa):
    alexa.intent("TreatmentIntent")
    alexa.intent("AMAZON.YesIntent")
    reply = alexa.intent("AMAZON.NoIntent")
    assert not reply.ends and reply.speech.startswith(("No rush.", "That's alright, take your time."))
    assert re.search(r"[Ss]ay next", reply.speech)
    assert "a cold pack." in alexa.intent("AMAZON.NextIntent").speech


def test_navigation_before_any_step(alexa):
    reply = alexa.intent("AMAZON.NextIntent")
    assert reply.speech.startswith("We haven't started any steps yet.")
    assert "last two days" in alexa.intent("AMAZON.YesIntent").speech  # the hint offered the steps
    alexa.end_session()
    # "Continue" with no place kept (after a timer set on its own) carries on with the plan, from its start.
    carry_on = alexa.intent("AMAZON.ResumeIntent")
    assert carry_on.speech.startswith("There's no place kept, so let's go through the plan from the start.")
    assert alexa.attributes["pending"] == "onset" and "last two days" in carry_on.speech


def test_repeat_with_a_question_waiting_repeats_the_question(alexa):
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")
    reply = alexa.intent("AMAZON.RepeatIntent")
    assert "did the spasm start within the last two days?" in reply.speech.lower()


def test_session_ended_is_acknowledged_silently(client, log_lines):
    request = {"type": "SessionEndedRequest", "reason": "ERROR",
               "error": {"type": "INVALID_RESPONSE", "message": "bad"}}
    response = client.post("/alexa", data=json.dumps(envelope(request)))
    assert response.status_code == 200
    assert "outputSpeech" not in response.get_json()["response"]
    assert [line for line in log_lines() if line["level"] == "ERROR"] == []


def test_the_reprompt_is_the_question_the_user_is_left_with(content_copy, tmp_path):
    """Joined lines keep the reprompt of the last part that has one: the plan's introduction may carry its own,
    but after the first step the user is asked to say next, so that is what a silence repeats."""
    speech = content_copy / "speech.yaml"
    document = yaml.safe_load(speech.read_text())
    document["treatment"]["intro"]["cold_first"]["reprompt"] = "Are you lying comfortably?"
    speech.write_text(yaml.safe_dump(document, sort_keys=False))
    alexa = Alexa(create_app(Settings(verify=False, data_dir=tmp_path, content_dir=content_copy)).test_client())
    reply = alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    assert "Find the position that hurts least" in reply.speech
    assert "say next" in reply.reprompt and "lying comfortably" not in reply.reprompt
    unknown = alexa.intent("OrderPizzaIntent")  # an answer with no reprompt of its own, then the hint's
    assert unknown.reprompt in load_content(content_copy).speech["hint.treatment"].reprompts


def test_joined_lines_keep_the_later_reprompt_and_card():
    first = Line(Speech.of("One."), Speech.of("First question?"), ("First", "one"))
    second = Line(Speech.of("Two."), Speech.of("Second question?"), ("Second", "two"))
    assert (first + second).reprompt == Speech.of("Second question?") and (first + second).card[0] == "Second"
    assert (first + Line(Speech.of("Two."))).reprompt == Speech.of("First question?")


def test_a_failing_handler_apologises_and_keeps_the_session(alexa, monkeypatch):
    alexa.intent("TreatmentIntent")
    before = dict(alexa.attributes)

    def broken(*args, **kwargs):
        raise RuntimeError("content exploded")

    monkeypatch.setattr(TreatmentFlow, "item", broken)
    alexa.apology_expected = True
    reply = alexa.intent("AMAZON.YesIntent")
    assert reply.speech == "Sorry, something went wrong on my side. Please try that again."
    assert not reply.ends and reply.reprompt
    assert reply.attributes == before  # the question is still waiting; nothing was lost
    monkeypatch.undo()
    assert "Find the position that hurts least" in alexa.intent("AMAZON.YesIntent").speech


def test_the_same_closing_is_never_said_twice_in_a_row(alexa):
    closings = load_content().speech["flow.continue"].variants
    assert len(closings) > 1
    said = []
    reply = alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER", "SpasmOnset"))
    while not reply.ends and reply.attributes.get("cursor"):
        if reply.attributes.get("pending") == "timer_offer":
            reply = alexa.intent("AMAZON.NoIntent")
        said.append(next((c for c in closings if reply.speech.endswith(c)), None))
        if reply.attributes.get("pending") == "selfcheck_offer":
            break
        reply = alexa.intent("AMAZON.NextIntent")
    cued = [closing for closing in said if closing]
    assert len(cued) >= 4
    assert all(a != b for a, b in itertools.pairwise(cued)), said  # one after another, never the same twice
