"""The treatment plan, heard the way a user hears it: through POST /alexa, turn by turn."""

from __future__ import annotations

import re

import yaml
from conftest import Alexa, slot

from skill.content import load_content
from skill.edge.app import create_app
from skill.foundations.config import Settings

CONTENT = load_content()
COLD = CONTENT.treatment.plans["cold_first"]
HEAT = CONTENT.treatment.plans["heat_first"]
RECENT = slot("onset", "yesterday", "RECENT")
EARLIER = slot("onset", "last week", "EARLIER")


def start_cold(alexa: Alexa):
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")
    return alexa.intent("AMAZON.YesIntent")


def test_first_launch_welcomes_with_the_notice_and_offers_the_steps(alexa):
    reply = alexa.launch()
    assert "Welcome to Spasm Coach" in reply.speech
    assert "not a doctor" in reply.speech and "isn't medical advice" in reply.speech
    assert reply.speech.endswith("Would you like to hear the treatment steps?")
    assert not reply.ends


def test_later_launch_is_shorter_and_has_no_notice(alexa):
    first = alexa.launch()
    alexa.intent("AMAZON.StopIntent")
    reply = alexa.launch()
    assert "not a doctor" not in reply.speech
    assert "treatment steps" in reply.speech
    assert len(reply.speech.split()) <= len(first.speech.split()) / 2


def test_recent_spasm_gets_cold_first(alexa):
    alexa.launch()
    asked = alexa.intent("AMAZON.YesIntent")
    assert "did the spasm start within the last two days?" in asked.speech
    reply = alexa.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("It's recent, so cold for now.")  # what the answer changed, said
    assert COLD.steps[0].say in reply.speech
    assert re.search(r"\b[Ss]ay next\b", reply.speech) and "step 1" not in reply.speech
    second = alexa.intent("AMAZON.NextIntent")
    assert "a cold pack." in second.speech
    assert "thin damp cloth" in second.speech and "about 15 minutes" in second.speech
    assert "never sleep with it on" in second.speech


def test_older_spasm_gets_warmth_first(alexa):
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")
    reply = alexa.intent("AMAZON.NoIntent")
    assert "heating pad on low or medium" in reply.speech and reply.speech.startswith("Past two days, so warmth")
    assert "Never use heat while you sleep" in alexa.intent("AMAZON.NextIntent").speech
    assert "Keep moving through the day" in alexa.intent("AMAZON.NextIntent").speech


def test_onset_taken_from_the_utterance_skips_the_question(alexa):
    reply = alexa.intent("TreatmentIntent", RECENT)
    # A one-shot user never heard the welcome, so the notice comes first, once.
    assert reply.speech.startswith("I'm not a doctor.")
    assert "Find the position that hurts least" in reply.speech
    alexa.end_session()
    again = alexa.intent("TreatmentIntent", EARLIER)
    assert "not a doctor" not in again.speech
    assert HEAT.steps[0].say in again.speech and "so warmth now" in again.speech


def test_onset_answer_in_words(alexa):
    alexa.intent("TreatmentIntent")
    reply = alexa.intent("SpasmOnsetIntent", EARLIER)
    assert HEAT.steps[0].say in reply.speech


def test_unrecognised_onset_asks_again_plainly(alexa):
    alexa.intent("TreatmentIntent")
    reply = alexa.intent("SpasmOnsetIntent", slot("onset", "banana"))
    assert "didn't catch when it started" in reply.speech
    assert "Please say yes or no" in reply.speech
    assert "Find the position that hurts least" in alexa.intent("AMAZON.YesIntent").speech


def test_next_previous_repeat_and_start_over(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.NextIntent")
    third = alexa.intent("AMAZON.NextIntent")
    assert "using cold safely." in third.speech
    assert "a cold pack." in alexa.intent("AMAZON.PreviousIntent").speech
    assert "a cold pack." in alexa.intent("AMAZON.RepeatIntent").speech
    assert "Find the position that hurts least" in alexa.intent("AMAZON.StartOverIntent").speech
    first = alexa.intent("AMAZON.PreviousIntent")
    assert first.speech.startswith("This is the first step.") and "Find the position that hurts least" in first.speech


def test_walk_to_the_end(alexa):
    start_cold(alexa)
    heard = []
    for step in COLD.steps[1:]:
        reply = alexa.intent("AMAZON.YesIntent" if alexa.attributes.get("pending") == "plan_more"
                             else "AMAZON.NextIntent")
        assert f"{step.title}." in reply.speech and "step" not in reply.speech.lower()
        heard.append(reply.speech)
    # The main part for the day ends by offering the rest, never reading it unasked.
    assert re.search(r"That's the main (thing for today|part done); (want|shall I tell you) a little more",
                     heard[COLD.main - 2])
    assert "That's everything. Would you like a quick self-check" in reply.speech
    assert "If it hasn't started to improve within 3 weeks" in alexa.intent("AMAZON.PreviousIntent").speech
    alexa.intent("AMAZON.NextIntent")
    past_end = alexa.intent("AMAZON.NextIntent")
    assert past_end.speech.startswith("That was the last one.") and not past_end.ends
    assert "That's everything" not in past_end.speech  # said once, on the last step, not again


def test_the_day_one_plan_holds_no_warmth_bath_tape_or_massage_as_steps():
    for plan in (COLD, HEAT):
        main = " ".join(step.say for step in plan.steps[:plan.main]).lower()
        assert not re.search(r"bath|tape|massage", main), plan.id
    today = " ".join(step.say for step in COLD.steps[:COLD.main]).lower()
    assert "heat" not in today.replace("not heat", "") and "warmth" not in today
    assert [s.id for s in COLD.steps[:COLD.main]] == ["start_gently", "ice_how", "ice_how_often", "urgent_signs",
                                                      "see_doctor"]


def test_no_to_a_little_more_keeps_the_rest_for_next_time(alexa):
    start_cold(alexa)
    while alexa.attributes.get("pending") != "plan_more":
        alexa.intent("AMAZON.NextIntent")
    enough = alexa.intent("AMAZON.NoIntent")
    assert "plenty for today" in enough.speech and not enough.ends
    assert alexa.intent("AMAZON.StopIntent").speech.startswith("I've kept your place.")
    assert "partway through the treatment steps" in alexa.launch().speech
    alexa.intent("AMAZON.YesIntent")
    rest = alexa.intent("AMAZON.YesIntent")  # still recent
    assert f"Back to {COLD.steps[COLD.main].title}." in rest.speech


def test_every_step_pauses_between_heading_body_and_cue(alexa):
    reply = start_cold(alexa)
    assert reply.ssml.count('<break time="400ms"/>') == 1  # the first step has no heading, only the cue
    assert alexa.intent("AMAZON.NextIntent").ssml.count('<break time="400ms"/>') == 2


def test_leaving_and_coming_back_offers_to_resume(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.NextIntent")
    bye = alexa.intent("AMAZON.StopIntent")
    assert bye.ends and "kept your place" in bye.speech
    offer = alexa.launch()
    assert "partway through the treatment steps" in offer.speech and "start over" in offer.speech
    # The plan was not kept (it says when the spasm began), so the question that picks it comes first.
    asked = alexa.intent("AMAZON.YesIntent")
    assert asked.speech.endswith(". To pick up the right plan, did the spasm start within the last two days?")
    resumed = alexa.intent("AMAZON.YesIntent")
    assert resumed.speech.startswith("Back to using cold safely.") and "Keep it on no longer than" in resumed.speech


def test_a_kept_place_continues_in_the_plan_the_answer_picks_now(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.NextIntent")  # a cold pack, the second step
    alexa.intent("AMAZON.StopIntent")
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")
    # Days later it is no longer recent: the warmth plan, at the same point in it.
    resumed = alexa.intent("AMAZON.NoIntent")
    assert resumed.speech.startswith("Back to using heat safely.")
    assert alexa.attributes["cursor"] == {"flow": "treatment", "variant": "heat_first", "index": 1}


def test_a_kept_place_weeks_on_hears_to_see_a_doctor_then_carries_on(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.PauseIntent")
    alexa.end_session()
    alexa.intent("AMAZON.ResumeIntent")
    weeks = alexa.intent("SpasmOnsetIntent", slot("onset", "a month ago", "LONG"))
    assert "see a doctor or a physical therapist" in weeks.speech
    assert "Back to using heat safely." in alexa.intent("AMAZON.YesIntent").speech


def test_declining_the_resume_forgets_the_place(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.StopIntent")
    alexa.launch()
    reply = alexa.intent("AMAZON.NoIntent")
    assert "forget where you were" in reply.speech
    alexa.intent("AMAZON.StopIntent")
    alexa.launch()
    assert alexa.attributes["pending"] == "start_offer"  # the steps offered afresh: no place to pick up


def test_resume_and_start_over_work_in_a_new_session(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.PauseIntent")
    alexa.end_session()
    assert "did the spasm start" in alexa.intent("AMAZON.ResumeIntent").speech
    assert "a cold pack." in alexa.intent("AMAZON.YesIntent").speech
    alexa.end_session()
    assert "did the spasm start" in alexa.intent("AMAZON.StartOverIntent").speech
    assert "Find the position that hurts least" in alexa.intent("AMAZON.YesIntent").speech


def test_pause_keeps_the_place_and_ends_the_session(alexa):
    start_cold(alexa)
    reply = alexa.intent("AMAZON.PauseIntent")
    assert reply.ends and "kept your place" in reply.speech and "resume" in reply.speech


def test_finishing_the_plan_leaves_no_bookmark(alexa):
    start_cold(alexa)
    for _ in range(len(COLD.steps) - 1):
        alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.StopIntent")
    alexa.launch()
    assert alexa.attributes["pending"] == "start_offer"  # the steps offered afresh: no place to pick up


def test_asking_for_treatment_mid_plan_rereads_the_current_step(alexa):
    start_cold(alexa)
    alexa.intent("AMAZON.NextIntent")
    assert "a cold pack." in alexa.intent("TreatmentIntent").speech


def test_no_to_the_offer_says_goodbye(alexa):
    alexa.launch()
    reply = alexa.intent("AMAZON.NoIntent")
    assert reply.ends and "Whenever you want the steps" in reply.speech


def test_spoken_durations_come_from_content(content_copy, tmp_path):
    therapies = yaml.safe_load((content_copy / "therapies.yaml").read_text())
    therapies["therapies"]["ice"]["default"] = "PT12M"
    (content_copy / "therapies.yaml").write_text(yaml.safe_dump(therapies))
    app = create_app(Settings(verify=False, data_dir=tmp_path / "d", content_dir=content_copy))
    alexa = Alexa(app.test_client())
    alexa.intent("TreatmentIntent", RECENT)
    assert "about 12 minutes; never sleep with it on" in alexa.intent("AMAZON.NextIntent").speech


def test_no_step_is_too_long_to_say():
    for plan in CONTENT.treatment.plans.values():
        for step in plan.steps:
            # One idea per turn: short enough to hold in mind while lying on the floor.
            assert len(re.findall(r"[.?!]", step.say)) <= 6, step.id
            assert len(step.say) < 450, step.id


def test_i_have_kept_your_place_is_said_only_when_a_place_is_kept(alexa):
    alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT", "SpasmOnset"))
    alexa.intent("AMAZON.NextIntent")
    assert alexa.intent("AMAZON.StopIntent").speech.startswith("I've kept your place.")
    assert "partway through the treatment steps" in alexa.launch().speech
    alexa.intent("AMAZON.StartOverIntent")
    alexa.intent("AMAZON.YesIntent")  # the onset asked again: recent
    while alexa.attributes["cursor"]["index"] < len(CONTENT.treatment.plans["cold_first"].steps) - 1:
        alexa.intent("AMAZON.NextIntent")
        if alexa.attributes.get("pending") == "timer_offer":
            alexa.intent("AMAZON.NoIntent")
    goodbye = alexa.intent("AMAZON.StopIntent")  # at the end of the plan nothing is kept, so it is not said
    assert "kept your place" not in goodbye.speech and goodbye.ends
    assert "partway" not in alexa.launch().speech
