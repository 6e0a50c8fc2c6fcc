"""Ice and heat timers through POST /alexa, against a local Timers API over a real socket."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Alexa, intent_request, slot

from coach_tools.local_timers import Fault
from skill.edge.app import create_app
from skill.foundations.config import Settings

ICE = slot("therapy", "ice pack", "ICE", "TherapyType")
HEAT = slot("therapy", "heating pad", "HEAT", "TherapyType")


def duration(value: str) -> dict:
    return {"name": "duration", "value": value, "confirmationStatus": "NONE"}


def timers_of(api) -> list:
    return sorted(api.timers.values(), key=lambda t: t.duration)


def keep_heat(alexa, *slots):
    """Heat asked for when it is not known to be past the first two days: cautioned, then chosen anyway."""
    cautioned = alexa.intent("StartTimerIntent", HEAT, *slots)
    assert cautioned.speech.endswith("cold is the usual advice. Shall I time ice instead?")
    return alexa.intent("AMAZON.NoIntent")


# ---------------------------------------------------------------------------------------------- starting


def test_ask_for_an_ice_timer_and_it_is_created_as_an_announce_timer(timed_alexa, timers_api):
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("Your ice timer is set for 15 minutes. Pack on, in a thin cloth.")
    assert reply.ends  # asked for and done: the speaker takes it from here
    (timer,) = timers_of(timers_api)
    assert (timer.label, timer.duration) == ("Spasm Coach: ice", dt.timedelta(minutes=15))
    method, path, body = timers_api.requests[-1]
    assert (method, path) == ("POST", "/v1/alerts/timers")
    assert body["creationBehavior"] == {"displayExperience": {"visibility": "VISIBLE"}}
    assert body["triggeringBehavior"]["notificationConfig"] == {"playAudible": True}
    operation = body["triggeringBehavior"]["operation"]
    assert operation["type"] == "ANNOUNCE"
    assert operation["textToAnnounce"] == [{"locale": "en-US", "text": "Time to take the ice pack off. Give your skin "
                                            "at least 20 minutes before more cold. To carry on, say: Alexa, ask "
                                            "spasm coach to continue."}]


def test_the_announcement_speaks_the_requests_locale(timed_alexa, timers_api):
    request = intent_request("StartTimerIntent", ICE)
    request["locale"] = "en-GB"
    timed_alexa.send(request)
    assert timers_api.requests[-1][2]["triggeringBehavior"]["operation"]["textToAnnounce"][0]["locale"] == "en-GB"


def test_heat_timer_with_a_duration(timed_alexa, timers_api):
    reply = keep_heat(timed_alexa, duration("PT12M"))
    assert "Your heat timer is set for 12 minutes" in reply.speech
    assert timers_of(timers_api)[0].duration == dt.timedelta(minutes=12)


@pytest.mark.parametrize("asked", ["PT25M", "PT2H", "P3D"])
def test_a_duration_over_the_limit_is_not_accepted_silently(timed_alexa, timers_api, asked):
    reply = timed_alexa.intent("StartTimerIntent", ICE, duration(asked))
    assert reply.speech == ("20 minutes is the longest I'd suggest for ice at one time, to protect your skin. "
                            "Shall I set it for 20 minutes?")
    assert not timers_api.timers
    assert "Your ice timer is set for 20 minutes" in timed_alexa.intent("AMAZON.YesIntent").speech
    assert timers_of(timers_api)[0].duration == dt.timedelta(minutes=20)


def test_declining_the_limit_sets_nothing(timed_alexa, timers_api):
    offered = timed_alexa.intent("StartTimerIntent", HEAT, duration("PT45M"))  # the limit first, then the caution
    assert offered.speech.startswith("20 minutes is the longest")
    reply = timed_alexa.intent("AMAZON.NoIntent")
    assert reply.speech == "Okay, no timer." and not timers_api.timers


@pytest.mark.parametrize(("value", "expected"), [("PT0S", "too short"), ("PT20S", "too short"),
                                                 ("?", "didn't catch a time"), ("banana", "didn't catch a time"),
                                                 ("P1M", "didn't catch a time"),
                                                 ("-PT5M", "too short")])
def test_odd_durations_get_a_clear_answer_and_an_offer_of_the_usual(timed_alexa, timers_api, value, expected):
    reply = timed_alexa.intent("StartTimerIntent", ICE, duration(value))
    assert expected in reply.speech and "the usual 15 minutes" in reply.speech
    assert not timers_api.timers


def test_without_a_kind_it_asks_ice_or_heat_and_keeps_the_length(timed_alexa, timers_api):
    asked = timed_alexa.intent("StartTimerIntent", duration("PT10M"))
    assert asked.speech == "Should I time ice, or heat?"
    reply = keep_heat(timed_alexa)
    assert "heat timer is set for 10 minutes" in reply.speech


def test_words_a_bare_kind_answer_caught_start_no_timer(timed_alexa, timers_api):
    """A sample that is the kind alone ("ice") answers "ice, or heat?"; words it catches outside the list (as a
    device sends them, unresolved) ask which, and create nothing."""
    asked = timed_alexa.intent("StartTimerIntent", slot("therapy", "purple monkey", None, "TherapyType"))
    assert asked.speech == "Should I time ice, or heat?" and timers_api.timers == {}


def test_a_second_ice_timer_reports_the_first(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech == "Your ice timer is already running, with about 15 minutes left."
    assert len(timers_api.timers) == 1


def test_one_shot_invocation_without_a_session(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    reply = alexa.send(intent_request("StartTimerIntent", ICE), session=False)
    assert "Your ice timer is set" in reply.speech and len(timers_api.timers) == 1


# ---------------------------------------------------------------------------------------------- permission


def test_the_whole_permission_round_trip(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    alexa.launch()
    reply = keep_heat(alexa, duration("PT10M"))
    (directive,) = reply.response["directives"]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    assert directive["payload"] == {"@type": "AskForPermissionsConsentRequest", "@version": "1",
                                    "permissionScope": "alexa::alerts:timers:skill:readwrite"}
    assert "outputSpeech" not in reply.response  # Alexa asks the question itself
    assert not timers_api.timers
    timers_api.grant(alexa.api_token)  # the user said yes to Alexa
    alexa.consent = True
    accepted = alexa.permission_answer("ACCEPTED", directive["token"])
    assert "Your heat timer is set for 10 minutes" in accepted.speech
    (timer,) = timers_of(timers_api)
    assert (timer.label, timer.duration) == ("Spasm Coach: heat", dt.timedelta(minutes=10))


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_a_refused_permission_explains_sends_the_card_and_suggests_the_device_timer(client, timers_api, status):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    token = alexa.intent("StartTimerIntent", ICE).response["directives"][0]["token"]
    reply = alexa.permission_answer(status, token)
    assert "sent a card to the Alexa app" in reply.speech
    assert "Or say: Alexa, set a timer for 15 minutes." in reply.speech
    assert reply.response["card"] == {"type": "AskForPermissionsConsent",
                                      "permissions": ["alexa::alerts:timers:skill:readwrite"]}
    assert not timers_api.timers


def test_a_401_from_the_api_asks_for_permission(timed_alexa, timers_api):
    timers_api.granted_tokens.clear()  # consent token present, but the API says no
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.response["directives"][0]["name"] == "AskFor"


def test_a_403_from_the_api_asks_for_permission(timed_alexa, timers_api):
    timers_api.faults.append(Fault(status=403))
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.response["directives"][0]["name"] == "AskFor"


def test_accepted_but_still_refused_does_not_loop(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    token = alexa.intent("StartTimerIntent", ICE).response["directives"][0]["token"]
    reply = alexa.permission_answer("ACCEPTED", token)  # the API still answers 401
    assert "I still don't have permission" in reply.speech and "directives" not in reply.response


def test_a_permission_error_status_is_explained(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    reply = alexa.permission_answer("ACCEPTED", "timer:ice:PT15M", code="400")
    assert "Something went wrong while asking for permission" in reply.speech


def test_a_forged_permission_token_creates_nothing_unsafe(timed_alexa, timers_api):
    reply = timed_alexa.permission_answer("ACCEPTED", "timer:ice:PT90M")
    assert "Something went wrong" in reply.speech and not timers_api.timers


# ---------------------------------------------------------------------------------------------- offered in the plan


def test_the_plan_offers_a_timer_and_creates_it_only_after_yes(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    step = timed_alexa.intent("AMAZON.NextIntent")
    assert step.speech.endswith("Shall I time 15 minutes of ice for you?")
    assert not timers_api.timers
    reply = timed_alexa.intent("AMAZON.YesIntent")
    assert "Your ice timer is set for 15 minutes" in reply.speech
    assert not reply.ends and "say next" in reply.speech.lower()  # the plan goes on
    assert len(timers_api.timers) == 1
    assert "using cold safely." in timed_alexa.intent("AMAZON.NextIntent").speech


def test_next_passes_the_offer_by_and_no_declines_it(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    timed_alexa.intent("AMAZON.NextIntent")
    assert "using cold safely." in timed_alexa.intent("AMAZON.NextIntent").speech
    timed_alexa.intent("AMAZON.PreviousIntent")
    declined = timed_alexa.intent("AMAZON.NoIntent")
    assert declined.speech.startswith("Okay, no timer.") and not declined.ends
    assert not timers_api.timers


def test_repeat_at_the_offer_rereads_the_step(timed_alexa):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    timed_alexa.intent("AMAZON.NextIntent")
    again = timed_alexa.intent("AMAZON.RepeatIntent")
    assert "a cold pack." in again.speech and "Shall I time 15 minutes of ice for you?" in again.speech


# ---------------------------------------------------------------------------------------------- status and changes


def test_status_pause_resume_and_cancel_answer_from_the_api(timed_alexa, timers_api):
    assert timed_alexa.intent("TimerStatusIntent").speech == "You have no timers running from me."
    timed_alexa.intent("StartTimerIntent", ICE, duration("PT6M"))
    status = timed_alexa.intent("TimerStatusIntent")
    assert status.speech == "There's about 6 minutes left on your ice timer."
    paused = timed_alexa.intent("PauseTimerIntent", ICE)
    assert paused.speech.startswith("Okay, your ice timer is paused, with about 6 minutes left.")
    assert timers_of(timers_api)[0].status == "PAUSED"
    assert timed_alexa.intent("TimerStatusIntent").speech == "Your ice timer is paused, with about 6 minutes left."
    resumed = timed_alexa.intent("ResumeTimerIntent")
    assert resumed.speech == "Okay, your ice timer is running again, with about 6 minutes left."
    assert timers_of(timers_api)[0].status == "ON"
    cancelled = timed_alexa.intent("CancelTimerIntent", ICE)
    assert cancelled.speech == "Okay, I've cancelled your ice timer." and not timers_api.timers


def test_status_of_a_kind_that_is_not_running(timed_alexa):
    timed_alexa.intent("StartTimerIntent", ICE)
    assert timed_alexa.intent("TimerStatusIntent", HEAT).speech == "You have no heat timer running."


def test_nothing_to_pause_resume_or_cancel(timed_alexa):
    assert "no running timer of mine to pause" in timed_alexa.intent("PauseTimerIntent").speech
    assert "no paused timer of mine to resume" in timed_alexa.intent("ResumeTimerIntent").speech
    assert "no timer of mine to cancel" in timed_alexa.intent("CancelTimerIntent").speech


def test_other_timers_are_never_touched(timed_alexa, timers_api):
    status, _ = timers_api.handle("POST", "/v1/alerts/timers", timed_alexa.api_token, {
        "duration": "PT30M", "timerLabel": "pasta",
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {"operation": {"type": "NOTIFY_ONLY"}, "notificationConfig": {"playAudible": True}}})
    assert status == 200
    assert timed_alexa.intent("TimerStatusIntent").speech == "You have no timers running from me."
    timed_alexa.intent("StartTimerIntent", HEAT)
    timed_alexa.intent("CancelAllTimersIntent")
    assert [t.label for t in timers_api.timers.values()] == ["pasta"]
    assert ("DELETE", "/v1/alerts/timers", None) not in timers_api.requests  # never "delete all"


def test_heat_while_ice_runs_offers_to_switch_and_never_overlaps(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    offer = keep_heat(timed_alexa)
    assert ("Ice and heat need a rest of 20 minutes between them. Shall I stop it now, so you can rest before the "
            "heat timer?") in offer.speech
    assert [t.label for t in timers_api.timers.values()] == ["Spasm Coach: ice"]
    switched = timed_alexa.intent("AMAZON.YesIntent")  # stopped, and a rest before the heat: never straight on
    assert switched.speech == ("Okay, I've stopped your ice timer. Rest for 20 minutes, then ask me for the heat "
                               "timer.")
    assert not timers_api.timers
    assert keep_heat(timed_alexa).speech.startswith("Your heat timer is set")
    timed_alexa.intent("StartTimerIntent", ICE)
    kept = timed_alexa.intent("UnsureIntent")
    assert "leave it running" in kept.speech and [t.label for t in timers_api.timers.values()] == ["Spasm Coach: heat"]


CAUTIONS = "Skip it on numb or broken skin, or with diabetes, poor circulation or Raynaud's; never while asleep."


def test_the_cold_and_heat_cautions_come_once_with_the_first_timer_and_on_its_card(timed_alexa, timers_api):
    first = timed_alexa.intent("StartTimerIntent", ICE)
    assert CAUTIONS in first.speech
    assert first.response["card"]["title"] == "Cold and heat safely" and CAUTIONS in first.response["card"]["content"]
    timed_alexa.intent("CancelAllTimersIntent")
    again = timed_alexa.intent("StartTimerIntent", ICE)  # the same person in a new session: heard already
    assert "Your ice timer is set" in again.speech and CAUTIONS not in again.speech


@pytest.mark.parametrize(("answer", "created"), [("AMAZON.YesIntent", "Spasm Coach: ice"),
                                                 ("UnsureIntent", "Spasm Coach: ice"),
                                                 ("AMAZON.NoIntent", "Spasm Coach: heat")])
def test_heat_not_known_to_be_past_the_first_days_is_cautioned_with_ice_offered(timed_alexa, timers_api, answer,
                                                                                 created):
    cautioned = timed_alexa.intent("StartTimerIntent", HEAT)
    assert cautioned.speech.startswith("A heat timer? In the first two days, or if you're unsure when it began")
    assert not timers_api.timers  # nothing set until they choose
    reply = timed_alexa.intent(answer)
    assert [t.label for t in timers_api.timers.values()] == [created]
    if answer == "UnsureIntent":
        assert reply.speech.startswith("Ice, then. Your ice timer is set")


def test_saying_heat_again_keeps_the_heat_and_ice_takes_the_ice(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", HEAT)
    assert "Your heat timer is set" in timed_alexa.intent("StartTimerIntent", HEAT).speech


def test_past_the_first_days_heat_is_set_without_a_caution(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER", "SpasmOnset"))
    reply = timed_alexa.intent("StartTimerIntent", HEAT)
    assert reply.speech.startswith("Your heat timer is set for 15 minutes")
    assert [t.label for t in timers_api.timers.values()] == ["Spasm Coach: heat"]


def test_which_one_is_answered_by_the_kind_alone_and_never_starts_a_timer(timed_alexa, timers_api):
    # Two of the skill's timers at once can only be left from before ice and heat were kept apart.
    timed_alexa.intent("StartTimerIntent", ICE)
    status, _ = timers_api.handle("POST", "/v1/alerts/timers", timed_alexa.api_token, {
        "duration": "PT10M", "timerLabel": "Spasm Coach: heat",
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {"operation": {"type": "ANNOUNCE", "textToAnnounce": [
            {"locale": "en-US", "text": "Heat off."}]}, "notificationConfig": {"playAudible": True}}})
    assert status == 200
    reply = timed_alexa.intent("PauseTimerIntent")
    assert "Which one, ice or heat?" in reply.speech
    paused = timed_alexa.intent("StartTimerIntent", slot("therapy", "the ice one", "ICE", "TherapyType"))
    assert paused.speech.startswith("Okay, your ice timer is paused")
    statuses = {t.label: t.status for t in timers_api.timers.values()}
    assert statuses == {"Spasm Coach: ice": "PAUSED", "Spasm Coach: heat": "ON"}  # and no third timer


# ---------------------------------------------------------------------------------------------- the round


def test_alternating_creates_the_whole_round_at_cumulative_offsets_cold_at_both_ends(timed_alexa, timers_api):
    reply = timed_alexa.intent("AlternateIntent")  # when it started is unknown: no heat, as in the first days
    assert reply.speech.startswith("No heat early on, so ice, a rest, then ice again: about 50 minutes.")
    timers = timers_of(timers_api)
    # One dose (15 minutes) of ice, as in the plan and the timers, with 20 minutes off between.
    assert [(t.label, t.duration) for t in timers] == [
        ("Spasm Coach: ice off", dt.timedelta(minutes=15)),
        ("Spasm Coach: ice on", dt.timedelta(minutes=35)),
        ("Spasm Coach: last ice off", dt.timedelta(minutes=50))]
    texts = [t.announce[0]["text"] for t in timers]
    assert texts[0].startswith("Time to take the ice off") and texts[1].startswith("Rest is over. Put the ice pack")
    assert not any("heat" in text for text in texts)
    status = timed_alexa.intent("TimerStatusIntent")
    assert status.speech == "In your round, the ice has about 15 minutes left, then a break for 20 minutes, then ice."
    assert timed_alexa.intent("AMAZON.NextIntent").speech.startswith(  # "what's next", no plan open: the round's
        "In your round, the ice has about 15 minutes left, then a break for 20 minutes, then ice.")
    assert timed_alexa.intent("PauseTimerIntent").speech.startswith("Okay, your round is paused")
    assert {t.status for t in timers_api.timers.values()} == {"PAUSED"}  # every phase, so they stay in step
    timed_alexa.intent("CancelAllTimersIntent")
    assert not timers_api.timers


def test_cancel_inside_a_round_stops_the_phase_and_offers_to_cancel_the_rest(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")
    asked = timed_alexa.intent("CancelTimerIntent", ICE)  # "cancel the ice" halfway through a round
    assert asked.speech == "Okay, I've stopped the ice. Shall I cancel the rest of the round too?"
    assert [t.label for t in timers_of(timers_api)] == ["Spasm Coach: ice on", "Spasm Coach: last ice off"]
    kept = timed_alexa.intent("AMAZON.NoIntent")
    assert kept.speech.startswith("Okay, the rest of the round carries on. In your round, the break has about")
    assert len(timers_api.timers) == 2
    timed_alexa.intent("CancelTimerIntent")  # "cancel the timer": the phase now, the break, then the question
    unsure = timed_alexa.intent("UnsureIntent")  # the safe default keeps the rest: cancelling later is one sentence
    assert unsure.speech.startswith("I'll leave the rest of the round running")
    assert [t.label for t in timers_of(timers_api)] == ["Spasm Coach: last ice off"]
    assert timed_alexa.intent("CancelTimerIntent").speech == "Okay, I've cancelled your round."  # its last phase
    assert not timers_api.timers


def test_yes_cancels_the_rest_of_the_round(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")
    timed_alexa.intent("CancelTimerIntent")
    assert timed_alexa.intent("AMAZON.YesIntent").speech == "Okay, I've cancelled the rest of the round too."
    assert not timers_api.timers


def test_after_the_first_days_the_round_in_the_warmth_plan_starts_and_ends_with_warmth(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER", "SpasmOnset"))
    reply = timed_alexa.intent("AlternateIntent")
    assert reply.speech.startswith("Warmth, rest, ice, rest, warmth: an hour and 25 minutes.")
    timers = timers_of(timers_api)
    assert (timers[0].label, timers[-1].label) == ("Spasm Coach: heat off", "Spasm Coach: last heat off")
    # "How long is left on the heat" names the phase that runs and the one to come, as the round goes on.
    heat = slot("therapy", "heating pad", "HEAT", "TherapyType")
    assert timed_alexa.intent("TimerStatusIntent", heat).speech.startswith(
        "In your round, the heat has about 15 minutes left, then a break for 20 minutes, then ice.")
    assert [fired.label for fired in timers_api.advance(dt.timedelta(minutes=16))] == ["Spasm Coach: heat off"]
    assert timed_alexa.intent("TimerStatusIntent", heat).speech.startswith(
        "In your round, the break has about 19 minutes left, then ice for 15 minutes, then a break.")
    timers_api.advance(dt.timedelta(minutes=55))
    assert timed_alexa.intent("TimerStatusIntent").speech.startswith(
        "In your round, the heat has about 14 minutes left, and then the round is done.")


def test_a_round_never_overlaps_a_running_timer(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    reply = timed_alexa.intent("AlternateIntent")
    assert "Shall I stop it now, so you can rest before the round?" in reply.speech and len(timers_api.timers) == 1


def test_a_round_that_fails_half_way_leaves_nothing_behind(timed_alexa, timers_api):
    timers_api.faults.extend([Fault(status=None, method="GET"), Fault(status=None, method="POST"),
                              Fault(status=500, method="POST")])
    reply = timed_alexa.intent("AlternateIntent")
    assert "The timer service had a problem" in reply.speech
    assert not timers_api.timers


def test_the_round_asks_permission_first(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    token = alexa.intent("AlternateIntent").response["directives"][0]["token"]
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    assert "ice, a rest, then ice again" in alexa.permission_answer("ACCEPTED", token).speech
    assert len(timers_api.timers) == 3


# ---------------------------------------------------------------------------------------------- failures


@pytest.mark.parametrize(("fault", "heard"), [
    (Fault(status=400), "Alexa wouldn't start that timer"),
    (Fault(status=429), "The timer service is busy right now"),
    (Fault(status=500), "The timer service had a problem just now"),
    (Fault(status=504), "Your device seems to be offline"),
    (Fault(drop=True), "I couldn't reach the timer service just now"),
    (Fault(delay=1.0), "I couldn't reach the timer service just now"),
])
def test_api_failures_are_answered_honestly(client, timers_api, tmp_path, fault, heard):
    app = create_app(Settings(verify=False, data_dir=tmp_path / "d", api_timeout=0.3))
    alexa = Alexa(app.test_client(), api_endpoint=timers_api.url)
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    timers_api.faults.append(fault)
    reply = alexa.intent("StartTimerIntent", ICE)
    assert heard in reply.speech
    if fault.status in (None, 500, 504, 429):
        assert "Or say: Alexa, set a timer for 15 minutes." in reply.speech
    # and nothing else in the conversation broke
    assert "I can talk you through easing a back spasm" in alexa.intent("AMAZON.HelpIntent").speech


def test_a_timer_that_went_off_meanwhile_is_a_404_answered_plainly(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    timers_api.faults.append(Fault(status=404, method="DELETE"))
    assert "already gone off, or been cancelled" in timed_alexa.intent("CancelTimerIntent").speech


def test_refused_connection_and_plain_http_elsewhere(client):
    alexa = Alexa(client, api_endpoint="http://127.0.0.1:9")  # nothing listens on the discard port
    alexa.consent = True
    assert "I couldn't reach the timer service" in alexa.intent("StartTimerIntent", ICE).speech
    remote = Alexa(client, api_endpoint="http://api.amazonalexa.com")  # not loopback: HTTPS only
    remote.consent = True
    assert "I couldn't reach the timer service" in remote.intent("StartTimerIntent", ICE).speech


def test_the_local_api_enforces_its_limits(timers_api):
    token = "t"
    timers_api.grant(token)

    def create(duration="PT5M", label=None):
        body = {"duration": duration, "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
                "triggeringBehavior": {"operation": {"type": "NOTIFY_ONLY"}}}
        if label:
            body["timerLabel"] = label
        return timers_api.handle("POST", "/v1/alerts/timers", token, body)[0]

    assert create("PT2H1M") == 400 and create("PT0S") == 400
    assert timers_api.handle("POST", "/v1/alerts/timers", "stranger", {})[0] == 401
    assert create(label="a") == 200 and create(label="a") == 400
    assert [create() for _ in range(9)] == [200] * 9
    assert create() == 400  # the eleventh
    assert timers_api.handle("GET", "/v1/alerts/timers/nope", token, None)[0] == 404


def test_a_time_scaled_timer_fires_with_its_announcement(client):
    from coach_tools.local_timers import LocalTimersApi

    with LocalTimersApi(time_scale=3600) as fast:  # an hour a second
        alexa = Alexa(client, api_endpoint=fast.url)
        fast.grant(alexa.api_token)
        alexa.consent = True
        alexa.intent("StartTimerIntent", ICE)
        for _ in range(200):  # bounded wait for the background firing; no assertion on how long it took
            if fast.fired:
                break
            fast.fire_due()
            __import__("time").sleep(0.05)
        (fired,) = fast.fired
        assert fired.label == "Spasm Coach: ice" and fired.text.startswith("Time to take the ice pack off")


def test_done_means_launch_to_ice_timer_through_permission_then_status_pause_resume_cancel(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    assert "Welcome to Spasm Coach" in alexa.launch().speech
    ask = alexa.intent("StartTimerIntent", ICE)
    token = ask.response["directives"][0]["token"]
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    created = alexa.permission_answer("ACCEPTED", token)
    assert "Your ice timer is set for 15 minutes" in created.speech
    (timer,) = timers_of(timers_api)
    assert timers_api.requests[-1][2]["triggeringBehavior"]["operation"]["type"] == "ANNOUNCE"
    alexa.end_session()
    assert alexa.intent("TimerStatusIntent", ICE).speech == "There's about 15 minutes left on your ice timer."
    assert "is paused" in alexa.intent("PauseTimerIntent", ICE).speech and timer.status == "PAUSED"
    assert "running again" in alexa.intent("ResumeTimerIntent", ICE).speech and timer.status == "ON"
    assert alexa.intent("CancelTimerIntent", ICE).speech == "Okay, I've cancelled your ice timer."
    assert not timers_api.timers
