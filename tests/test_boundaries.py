"""Rules at their edges, where mutation testing found the suite silent: the timer limits at the exact minute, a
length kept through a caution, nothing to cancel, permission without a single API call, a create refused because
another device changed the timers, forged tokens, the ends of a walk-through and of a kept place, and the word
budget itself."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Alexa, slot

from skill.content import budget, load_content
from skill.dialogue.flows import Flows
from skill.dialogue.treatment import TreatmentFlow
from skill.services.timers import Wanted
from skill.state import Cursor
from skill.tools.local_timers import Fault

ICE = slot("therapy", "ice pack", "ICE", "TherapyType")
HEAT = slot("therapy", "heating pad", "HEAT", "TherapyType")
CONTENT = load_content()


def duration(value: str) -> dict:
    return {"name": "duration", "value": value, "confirmationStatus": "NONE"}


@pytest.mark.parametrize(("asked", "set_for"), [("PT20M", 20), ("PT1M", 1)])
def test_twenty_minutes_and_one_minute_are_set_as_asked(timed_alexa, timers_api, asked, set_for):
    reply = timed_alexa.intent("StartTimerIntent", ICE, duration(asked))
    assert reply.speech.startswith(f"Your ice timer is set for {'a minute' if set_for == 1 else '20 minutes'}.")
    assert [t.duration for t in timers_api.timers.values()] == [dt.timedelta(minutes=set_for)]


@pytest.mark.parametrize(("asked", "heard"), [("PT21M", "20 minutes is the longest"), ("PT59S", "too short")])
def test_a_minute_over_the_limit_or_a_second_under_the_floor_is_refused(timed_alexa, timers_api, asked, heard):
    reply = timed_alexa.intent("StartTimerIntent", ICE, duration(asked))
    assert heard in reply.speech and not timers_api.timers


def test_a_heat_length_is_kept_through_the_early_caution(timed_alexa, timers_api):
    cautioned = timed_alexa.intent("StartTimerIntent", HEAT, duration("PT10M"))
    assert cautioned.speech.endswith("Shall I time ice instead?")
    reply = timed_alexa.intent("AMAZON.NoIntent")  # heat after all
    assert reply.speech.startswith("Your heat timer is set for 10 minutes.")
    assert [t.duration for t in timers_api.timers.values()] == [dt.timedelta(minutes=10)]


def test_cancel_all_with_nothing_running_says_so(timed_alexa, timers_api):
    reply = timed_alexa.intent("CancelAllTimersIntent")
    assert reply.speech == "There's no timer of mine to cancel just now."
    assert [r for r in timers_api.requests if r[0] == "DELETE"] == []


def test_without_a_consent_token_permission_is_asked_and_the_api_never_called(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    reply = alexa.intent("StartTimerIntent", ICE)
    assert reply.response["directives"][0]["name"] == "AskFor"
    assert timers_api.requests == []


def test_a_create_refused_because_another_device_set_one_says_what_runs(timed_alexa, timers_api):
    """The listing showed nothing; meanwhile another device set the skill's ice timer, so the create is refused
    with a 400: the user hears the timer that runs, with its time left, not an error."""
    status, _ = timers_api.handle("POST", "/v1/alerts/timers", timed_alexa.api_token, {
        "duration": "PT15M", "timerLabel": "Spasm Coach: ice",
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {"operation": {"type": "ANNOUNCE", "textToAnnounce": [
            {"locale": "en-US", "text": "Ice off."}]}, "notificationConfig": {"playAudible": True}}})
    assert status == 200
    timers_api.faults.extend([Fault(method="GET", body={"timers": [], "totalCount": 0}),
                              Fault(method="POST", status=400)])
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("Your ice timer is already running, with about 15 minutes left")
    assert len(timers_api.timers) == 1


@pytest.mark.parametrize("token", ["bogus:ice:PT10M", "timer:lava:PT10M", "timer:ice:PT30S", "timer:ice:PT21M",
                                   "timer:ice", "timer:ice:soon:extra"])
def test_a_forged_or_odd_permission_token_is_refused(token):
    assert Wanted.from_token(token, CONTENT) is None
    assert Wanted.from_token("timer:ice:PT10M", CONTENT) == Wanted("ice", dt.timedelta(minutes=10))


def test_a_cursor_one_past_the_last_step_is_not_a_place():
    flows = Flows([TreatmentFlow(CONTENT)])
    last = len(CONTENT.treatment.plans["cold_first"].steps) - 1
    assert flows.valid(Cursor("treatment", "cold_first", last))
    assert not flows.valid(Cursor("treatment", "cold_first", last + 1))


def test_a_plan_less_bookmark_keeps_the_exact_step_both_plans_can_keep():
    flow = TreatmentFlow(CONTENT)
    shortest = min(len(plan.steps) for plan in CONTENT.treatment.plans.values())
    assert flow.kept(Cursor("treatment", "cold_first", 3)) == Cursor("treatment", "", 3)
    # The last step both share keeps none past it: held to the one before the shortest plan's last.
    assert flow.kept(Cursor("treatment", "heat_first", shortest + 2)) == Cursor("treatment", "", shortest - 2)
    flows = Flows([flow])
    assert flows.can_pick_up(Cursor("treatment", "", shortest - 2))
    assert not flows.can_pick_up(Cursor("treatment", "", shortest - 1))


@pytest.mark.parametrize(("text", "launch", "why"), [
    (" ".join(["word"] * 30) + ". " + " ".join(["word"] * 31) + "?", False, "61 words; a turn never says more"),
    (" ".join(["word"] * 36) + ". Shall we?", False, "36 words before its closing question; at most 35"),
    (" ".join(["word"] * 41), True, "41 words; a launch says at most 40"),
])
def test_the_word_budget_refuses_one_word_over(text, launch, why):
    assert budget.over(text, launch=launch).startswith(why)
    shorter = text.replace("word ", "", 1)  # one word fewer fits
    assert budget.over(shorter, launch=launch) is None
