"""Rules at their edges, where mutation testing found the suite silent: the timer limits at the exact minute, a
length kept through a caution, nothing to cancel, permission without a single API call, a create refused because
another device changed the timers, forged tokens, the ends of a walk-through and of a kept place, and the word
budget itself."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Alexa, slot

from coach_tools.local_timers import Fault
from skill.clients.timers import Wanted
from skill.content import budget, load_content
from skill.conversation.dialogue.flows import Flows
from skill.conversation.dialogue.treatment import TreatmentFlow
from skill.conversation.state import Cursor

ICE = slot("therapy", "ice pack", "ICE", "TherapyType")
HEAT = slot("therapy", "heating pad", "HEAT", "TherapyType")
CONTENT = load_content()


def settings_client(settings, timers_api):
    """An app whose turns give the Timers API half a second in all."""
    from dataclasses import replace

    from skill.edge.app import create_app

    return create_app(replace(settings, api_timeout=0.5)).test_client()


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


def set_elsewhere(timers_api, token: str, label: str, minutes: int = 15) -> None:
    """A timer of the skill's, set from another device (the skill's own rule of one at a time does not reach it)."""
    status, _ = timers_api.handle("POST", "/v1/alerts/timers", token, {
        "duration": f"PT{minutes}M", "timerLabel": label,
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {"operation": {"type": "ANNOUNCE", "textToAnnounce": [
            {"locale": "en-US", "text": "Time."}]}, "notificationConfig": {"playAudible": True}}})
    assert status == 200


def test_a_create_refused_because_another_device_set_one_says_what_runs(timed_alexa, timers_api):
    """The listing showed nothing; meanwhile another device set the skill's ice timer, so the create is refused
    with a 400: the user hears the timer that runs, with its time left, not an error."""
    set_elsewhere(timers_api, timed_alexa.api_token, "Spasm Coach: ice")
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
    assert budget.why_over_budget(text, launch=launch).startswith(why)
    shorter = text.replace("word ", "", 1)  # one word fewer fits
    assert budget.why_over_budget(shorter, launch=launch) is None


# ---------------------------------------------------------------------------------------------- paths mutants found


def test_an_over_limit_heat_accepted_early_is_cautioned_once_then_set_at_the_limit(timed_alexa, timers_api):
    offered = timed_alexa.intent("StartTimerIntent", HEAT, duration("PT45M"))  # the limit first
    assert offered.speech.startswith("20 minutes is the longest")
    cautioned = timed_alexa.intent("AMAZON.YesIntent")
    assert cautioned.speech.endswith("Shall I time ice instead?") and not timers_api.timers
    reply = timed_alexa.intent("AMAZON.NoIntent")
    assert reply.speech.startswith("Your heat timer is set for 20 minutes.")


def test_a_long_heat_said_to_the_caution_is_offered_at_the_limit_and_not_cautioned_again(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", HEAT)  # cautioned: "shall I time ice instead?"
    offered = timed_alexa.intent("StartTimerIntent", HEAT, duration("PT45M"))  # "no, heat, for 45 minutes"
    assert offered.speech.startswith("20 minutes is the longest")
    reply = timed_alexa.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Your heat timer is set for 20 minutes.")


def test_ice_said_to_the_heat_caution_sets_ice(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", HEAT)
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("Your ice timer is set for 15 minutes.")
    assert [t.label for t in timers_api.timers.values()] == ["Spasm Coach: ice"]


def test_heat_for_exactly_the_limit_early_is_cautioned_not_offered_the_limit(timed_alexa, timers_api):
    reply = timed_alexa.intent("StartTimerIntent", HEAT, duration("PT20M"))
    assert reply.speech.endswith("Shall I time ice instead?")
    assert timed_alexa.intent("AMAZON.NoIntent").speech.startswith("Your heat timer is set for 20 minutes.")


def test_a_round_changed_by_hand_says_only_when_its_next_change_comes(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")
    middle = sorted(timers_api.timers.values(), key=lambda t: t.duration)[1]
    del timers_api.timers[middle.id]  # another device cancelled one phase
    reply = timed_alexa.intent("TimerStatusIntent")
    assert reply.speech == "The next change in your round is in about 15 minutes."


def test_yes_to_the_rest_of_a_round_already_gone_says_there_is_nothing(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")
    timed_alexa.intent("CancelTimerIntent")
    timers_api.timers.clear()  # the rest cancelled on another device meanwhile
    assert timed_alexa.intent("AMAZON.YesIntent").speech == "There's no timer of mine to cancel just now."


def test_yes_to_the_rest_of_a_round_with_the_service_down_says_so(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")
    timed_alexa.intent("CancelTimerIntent")
    timers_api.faults.append(Fault(status=500))
    reply = timed_alexa.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("The timer service had a problem just now.") and len(timers_api.timers) == 2


def test_a_switch_that_cannot_stop_what_runs_says_so(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    offered = timed_alexa.intent("AlternateIntent")
    assert "Shall I stop it now" in offered.speech
    timers_api.faults.append(Fault(status=500))
    reply = timed_alexa.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("The timer service had a problem just now.") and len(timers_api.timers) == 1


@pytest.mark.parametrize(("retry_after", "said"), [("5", "about 10 seconds"), ("55", "about a minute"),
                                                   ("61", "about 2 minutes"), ("121", "about 3 minutes")])
def test_retry_after_is_said_as_people_say_a_wait(timed_alexa, timers_api, retry_after, said):
    timers_api.faults.append(Fault(method="POST", status=429, headers={"Retry-After": retry_after}))
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith(f"The timer service is busy right now. Please try again in {said}.")


def test_unsure_at_a_timer_offer_in_the_plan_carries_on_with_the_plan(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    timed_alexa.intent("AMAZON.NextIntent")  # the cold pack, offering a timer
    reply = timed_alexa.intent("UnsureIntent")
    assert reply.speech.startswith("I'll leave the timer for now") and "repeat" not in reply.speech
    assert not timers_api.timers and timed_alexa.attributes["cursor"]["index"] == 1


def test_repeat_while_another_question_waits_repeats_that_question(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    asked = timed_alexa.intent("StartTimerIntent", HEAT)  # mid-plan: "shall I time ice instead?"
    again = timed_alexa.intent("AMAZON.RepeatIntent")
    assert "ice instead" in again.speech and "Find the position" not in again.speech
    assert asked.speech != ""


def test_an_ice_create_refused_while_another_devices_heat_runs_is_not_called_already_running(timed_alexa,
                                                                                              timers_api):
    set_elsewhere(timers_api, timed_alexa.api_token, "Spasm Coach: heat")
    timers_api.faults.extend([Fault(method="GET", body={"timers": [], "totalCount": 0}),
                              Fault(method="POST", status=400)])
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("Alexa wouldn't start that timer.")


def test_a_round_whose_later_answer_was_lost_takes_back_every_phase(settings, timers_api):
    alexa = Alexa(settings_client(settings, timers_api), api_endpoint=timers_api.url)
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    timers_api.faults.extend([Fault(method="POST"), Fault(method="POST", after=0.8)])
    reply = alexa.intent("AlternateIntent")
    assert reply.speech.startswith("I couldn't reach the timer service just now.")
    assert not timers_api.timers


def test_every_item_of_every_flow_is_listed_for_the_checks():
    flows = Flows([TreatmentFlow(CONTENT)])
    assert len(flows.every_item()) == sum(len(plan.steps) for plan in CONTENT.treatment.plans.values())


def test_a_bookmark_without_a_variant_is_only_ever_the_plans():
    from skill.alexa.assembly import handler_deps

    flows = handler_deps(CONTENT).flows
    assert not flows.can_pick_up(Cursor("exercise", "", 0))
    assert flows.can_pick_up(Cursor("treatment", "", 0))


@pytest.mark.parametrize(("token", "kind", "minutes"), [("timer:ice:PT1M", "ice", 1), ("timer:heat:PT20M", "heat", 20)])
def test_a_permission_token_at_the_limits_is_accepted(token, kind, minutes):
    assert Wanted.from_token(token, CONTENT) == Wanted(kind, dt.timedelta(minutes=minutes))


def test_paced_counting_is_not_talk_but_everything_around_it_is():
    counted = ('<speak>Slide one leg back. Hold.<break time="1000ms"/>2<break time="1000ms"/>3<break time="1000ms"/>'
               'And relax. Say next when you\'re ready.</speak>')
    assert budget.words_that_count(counted) == "Slide one leg back. Say next when you're ready."
    breath = '<speak>Next, a cold pack.<break time="400ms"/>Wrap it in a cloth.<break time="999ms"/>Say next.</speak>'
    # A breath is not counting.
    assert budget.words_that_count(breath) == "Next, a cold pack. Wrap it in a cloth. Say next."
    at_limit = '<speak>One. Two.<break time="1000ms"/>Three. Four.</speak>'
    assert budget.words_that_count(at_limit) == "One. Four."  # a thousand milliseconds is counting


def test_a_long_count_passes_where_its_words_would_not():
    count = "".join(f'<break time="1000ms"/>{n}' for n in range(2, 60))
    ssml = f"<speak>Hold.{count}<break time=\"1000ms\"/>And relax. Say next.</speak>"
    assert budget.turn_problem(ssml) is None
    assert budget.why_over_budget(" ".join(str(n) for n in range(2, 70))) is not None


def test_the_closing_is_the_question_and_any_cue_after_it():
    assert budget.split_closing("It's recent. Did it start today? Please say yes or no.") == (
        "It's recent.", "Did it start today? Please say yes or no.")
    assert budget.split_closing("Rest now. Just say next to go on.") == ("Rest now.", "Just say next to go on.")
    assert budget.split_closing("Rest now.") == ("Rest now.", "")


def test_two_timers_running_are_both_read_out_and_a_named_one_is_the_one_cancelled(timed_alexa, timers_api):
    set_elsewhere(timers_api, timed_alexa.api_token, "Spasm Coach: ice", 10)
    set_elsewhere(timers_api, timed_alexa.api_token, "Spasm Coach: heat", 15)
    status = timed_alexa.intent("TimerStatusIntent")
    assert "ice timer" in status.speech and "heat timer" in status.speech
    cancelled = timed_alexa.intent("CancelTimerIntent", HEAT)
    assert cancelled.speech.startswith("Okay, I've cancelled your heat timer")
    assert [t.label for t in timers_api.timers.values()] == ["Spasm Coach: ice"]


def test_pause_twice_finds_nothing_running_to_pause(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    timed_alexa.intent("PauseTimerIntent")
    again = timed_alexa.intent("PauseTimerIntent")
    assert again.speech == "There's no running timer of mine to pause just now."


def test_whats_next_is_the_rounds_only_while_a_round_runs(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)  # a lone timer is not a round
    assert timed_alexa.intent("AMAZON.NextIntent").speech.startswith("We haven't started any steps yet.")
    timed_alexa.intent("CancelAllTimersIntent")
    timed_alexa.intent("AlternateIntent")
    timed_alexa.intent("PauseTimerIntent")  # a paused round is not running
    assert timed_alexa.intent("AMAZON.NextIntent").speech.startswith("We haven't started any steps yet.")


def test_cancel_in_a_round_changed_by_hand_names_the_round(timed_alexa, timers_api):
    timed_alexa.intent("AlternateIntent")
    middle = sorted(timers_api.timers.values(), key=lambda t: t.duration)[1]
    del timers_api.timers[middle.id]
    asked = timed_alexa.intent("CancelTimerIntent")
    assert asked.speech == "Okay, I've stopped that part of your round. Shall I cancel the rest of the round too?"


def test_a_switch_names_what_runs_its_time_left_and_what_was_asked_for(timed_alexa, timers_api):
    timed_alexa.intent("StartTimerIntent", ICE)
    offered = timed_alexa.intent("AlternateIntent")
    assert offered.speech.startswith("Your ice timer still has about 15 minutes to go.")
    assert offered.speech.endswith("Shall I stop it now, so you can rest before the round?")
    assert timed_alexa.intent("AMAZON.YesIntent").speech.startswith("Okay, I've stopped your ice timer.")


def test_the_timer_accepted_in_the_plan_keeps_the_place_after_its_step(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    timed_alexa.intent("AMAZON.NextIntent")  # a cold pack: step 2
    timed_alexa.intent("AMAZON.YesIntent")  # time it
    timed_alexa.intent("AMAZON.StopIntent")
    timed_alexa.intent("AMAZON.ResumeIntent")
    assert timed_alexa.intent("AMAZON.YesIntent").speech.startswith("Back to using cold safely.")


def test_permission_granted_just_now_sets_the_timer_without_a_consent_token_yet(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    token = alexa.intent("StartTimerIntent", ICE).response["directives"][0]["token"]
    timers_api.grant(alexa.api_token)  # Alexa has the consent; this request does not carry it yet
    accepted = alexa.permission_answer("ACCEPTED", token)
    assert accepted.speech.startswith("Your ice timer is set for 15 minutes.")


def test_a_refused_create_suggests_no_device_timer(timed_alexa, timers_api):
    timers_api.faults.append(Fault(method="POST", status=400))
    reply = timed_alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("Alexa wouldn't start that timer.") and "set a timer for" not in reply.speech


def test_heat_outside_pregnancy_says_nothing_about_the_belly(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER"))
    reply = timed_alexa.intent("AMAZON.YesIntent")  # the warmth plan's timer offer
    assert reply.speech.startswith("Your heat timer is set") and "belly" not in reply.speech


@pytest.mark.parametrize("offer", [{"kind": "lava", "duration": "PT15M"}, {"kind": "ice", "duration": "soon"}])
def test_a_timer_offer_the_session_no_longer_holds_asks_which(timed_alexa, timers_api, offer):
    timed_alexa.attributes = {**Alexa.SCREENED, "pending": "timer_offer", "offer": offer}
    timed_alexa.new = False
    reply = timed_alexa.intent("AMAZON.YesIntent")
    assert reply.speech == "Should I time ice, or heat?" and not timers_api.timers



def test_help_in_an_exercise_says_which_step_of_how_many(alexa):
    bird_dog = CONTENT.exercises["bird_dog"]
    alexa.intent("ExerciseIntent", slot("exercise", "bird dog", "bird_dog", "ExerciseName"))
    alexa.intent("AMAZON.NextIntent")
    helped = alexa.intent("AMAZON.HelpIntent")
    assert helped.speech.startswith(f"You're on step 2 of {len(bird_dog.steps)}.")


def test_only_the_last_beat_before_a_count_is_not_talk():
    ssml = '<speak>Kneel down. Brace gently. Hold.<break time="1000ms"/>2<break time="1000ms"/>And rest.</speak>'
    assert budget.words_that_count(ssml) == "Kneel down. Brace gently."


def test_a_paused_timer_and_a_running_one_are_both_read_out(timed_alexa, timers_api):
    set_elsewhere(timers_api, timed_alexa.api_token, "Spasm Coach: ice", 10)
    timed_alexa.intent("PauseTimerIntent", ICE)
    set_elsewhere(timers_api, timed_alexa.api_token, "Spasm Coach: heat", 15)
    status = timed_alexa.intent("TimerStatusIntent")
    assert "ice timer is paused" in status.speech and "heat timer" in status.speech


@pytest.mark.parametrize("intent", ["TimerStatusIntent", "CancelAllTimersIntent"])
def test_status_and_cancel_all_with_the_service_down_say_so(timed_alexa, timers_api, intent):
    timers_api.faults.append(Fault(status=500))
    reply = timed_alexa.intent(intent)
    assert reply.speech.startswith("The timer service had a problem just now.")


def test_pause_with_nothing_to_pause_and_no_walk_through_says_nothing_has_started(timed_alexa, timers_api):
    reply = timed_alexa.intent("AMAZON.PauseIntent")
    assert reply.speech.startswith("We haven't started any steps yet.")


def test_a_round_granted_just_now_is_set_without_a_consent_token_yet(client, timers_api):
    alexa = Alexa(client, api_endpoint=timers_api.url)
    token = alexa.intent("AlternateIntent").response["directives"][0]["token"]
    timers_api.grant(alexa.api_token)
    accepted = alexa.permission_answer("ACCEPTED", token)
    assert accepted.speech.startswith("No heat early on, so ice, a rest, then ice again")
    assert len(timers_api.timers) == 3
