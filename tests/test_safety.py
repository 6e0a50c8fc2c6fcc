"""Triage exactly as cautious as the sources: red flags at the tier of the sign, from any point, and the safety
screen before coaching. Driven by what people say, resolved through the interaction model."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Alexa, heading, slot

from coach_tools.nlu import on_device
from skill.content import load_content

CONTENT = load_content()
NLU = on_device("en-US", today=dt.date(2026, 11, 21))

EMERGENCY_FIRST = "Please call nine one one now."
TODAY_FIRST = "Please get help today: call your doctor, or an urgent care clinic."
SOON = "That's worth showing a doctor soon"


SCREEN_CLEAR = ("no", "nope", "no", "no")  # the four screen questions, each answered no


def say(alexa: Alexa, words: str):
    heard = NLU.resolve(words)
    return alexa.intent(heard.intent, *heard.slots.values())


@pytest.fixture
def person(client) -> Alexa:
    """Someone who has not answered the safety screen this session."""
    return Alexa(client, screened=False)


def into(alexa: Alexa, where: str) -> None:
    """Put the user somewhere in the conversation, the way they would get there."""
    steps = {
        "nowhere": [],
        "launch": ["open"],
        "the screen": ["what should I do for my back spasm"],
        "the onset question": ["what should I do for my back spasm", *SCREEN_CLEAR],
        "the plan": ["what should I do for my back spasm", *SCREEN_CLEAR, "yesterday", "next"],
        "an exercise": ["the plank", *SCREEN_CLEAR, "yes", "next"],
        "the self-check": ["start the self check", *SCREEN_CLEAR],
    }[where]
    for words in steps:
        if words == "open":
            alexa.launch()
        else:
            say(alexa, words)


def assert_card_says_it(reply) -> None:
    """The card carries the same words, with the number in digits."""
    assert reply.response["card"]["content"] == reply.speech.replace("nine one one", "911")


STATES = ["nowhere", "launch", "the screen", "the onset question", "the plan", "an exercise", "the self-check"]


@pytest.mark.parametrize("where", STATES)
@pytest.mark.parametrize("said", ["I've got numbness around my bottom", "I wet myself", "both my legs are numb",
                                  "I have chest pain", "I can't breathe", "I hurt my back in a car accident",
                                  "it started after a bad fall"])
def test_emergency_signs_from_anywhere_say_what_to_do_first(person, where, said):
    into(person, where)
    reply = say(person, said)
    assert reply.ends and reply.speech.startswith(EMERGENCY_FIRST)
    assert len(reply.speech.split()) <= 25  # one short sentence, then the one next thing
    assert_card_says_it(reply)


@pytest.mark.parametrize("where", ["launch", "the plan", "an exercise", "the self-check"])
@pytest.mark.parametrize("said", ["I have a high temperature", "I slipped", "I've lost weight without trying",
                                  "it's worse at night", "I've got a lump on my back", "I had a fall",
                                  "I have a history of cancer"])
def test_doctor_today_signs_are_not_an_ambulance(person, where, said):
    into(person, where)
    reply = say(person, said)
    assert reply.ends and reply.speech.startswith(TODAY_FIRST) and not reply.speech.startswith(EMERGENCY_FIRST)
    assert_card_says_it(reply)


@pytest.mark.parametrize("said", ["I have sciatica", "my leg is numb", "I've got pain down one leg",
                                  "it's not getting any better"])
def test_doctor_soon_signs_advise_a_doctor_and_go_back_to_the_step(person, said):
    into(person, "the plan")
    reply = say(person, said)
    assert not reply.ends and reply.speech.startswith(SOON) and "emergency" not in reply.speech
    assert reply.response["card"]["content"].startswith(SOON)  # the advice; the spoken hint follows it
    assert say(person, "next").speech.startswith(heading())  # the plan carries on where it was


@pytest.mark.parametrize("where", ["launch", "the plan", "an exercise"])
@pytest.mark.parametrize("said", ["both my legs have gone to jelly", "I'm feeling really dizzy",
                                  "I can't feel it when I wipe", "I think I'm having a heart attack",
                                  "there's no feeling between my legs", "I can't control when I pee"])
def test_a_sign_in_words_the_model_does_not_list_is_read_and_answered_at_its_tier(person, where, said):
    into(person, where)
    reply = say(person, said)  # a carrier phrase's capture, read in the skill with the lexicon
    assert reply.ends and reply.speech.startswith(EMERGENCY_FIRST)


@pytest.mark.parametrize("where", ["launch", "the plan", "an exercise"])
def test_captured_words_that_name_no_sign_hear_the_emergency_route_never_coaching(person, where):
    into(person, where)
    reply = say(person, "I've got a question about my cat")
    assert reply.speech.startswith("Numbness around your groin, bladder or bowel trouble, or weak legs: call nine one "
                                   "one now.") and "call your doctor, or an urgent care clinic today" in reply.speech
    assert not reply.speech.startswith(EMERGENCY_FIRST) and "Next," not in reply.speech


@pytest.mark.parametrize("said", ["I've lost weight", "I've been losing weight", "I've lost a stone"])
def test_weight_loss_alone_is_asked_without_trying_and_a_yes_is_the_same_day(person, said):
    asked = say(person, said)
    assert asked.speech == "Have you lost it without trying, or without knowing why?" and not asked.ends
    reply = say(person, "yes")
    assert reply.ends and reply.speech.startswith(TODAY_FIRST)


def test_weight_lost_on_purpose_is_no_sign_and_the_question_that_waited_waits_again(person):
    say(person, "what should I do for my back spasm")
    say(person, "I've lost weight")
    reply = say(person, "no")
    assert reply.speech.startswith("Okay, then it isn't a warning sign.")
    assert "doctor" not in reply.speech and reply.attributes["pending"] == "screen_emergency"
    say(person, "I've lost weight")
    unsure = say(person, "I don't know")  # not knowing why is weight lost without trying
    assert unsure.ends and "please call your doctor, or an urgent care clinic today" in unsure.speech


# ---------------------------------------------------------------------------------------------- the screen


@pytest.mark.parametrize("asked", ["what should I do for my back spasm", "the plank", "foam roll my upper back",
                                   "start my workout", "start the self check"])
def test_the_screen_comes_before_any_coaching(person, asked):
    reply = say(person, asked)
    assert "First, a quick safety check." in reply.speech
    assert reply.attributes["pending"] == "screen_emergency" and reply.attributes["cursor"] is None


def test_two_noes_then_the_plan_and_the_screen_is_not_asked_again_this_session(person):
    first = say(person, "my back spasmed this morning")
    assert "numbness around your bottom or genitals, or a changed feeling when you wipe" in first.speech
    second = say(person, "no")
    assert second.speech.startswith("Good. And any chest pain, pain going through to your belly or feeling faint")
    third = say(person, "nope")
    assert third.speech.startswith("And did it start with a knock or a small fall, or come with a high temperature")
    risk = say(person, "no")
    assert risk.speech.startswith("Last one. Have you had cancer, or do you take steroids long term")
    plan = say(person, "no")
    assert plan.speech.startswith("Thanks, that's all clear.") and "cold for now" in plan.speech
    assert person.attributes["cursor"]["variant"] == "cold_first"  # "this morning" was kept through the screen
    settled = say(person, "the plank")
    assert settled.speech.startswith("One thing first: exercises help once the worst has passed.")
    assert say(person, "yes").speech.startswith("Eight point plank.")


def test_a_yes_to_the_first_question_is_an_emergency(person):
    say(person, "what should I do for my back spasm")
    reply = say(person, "yes")
    assert reply.ends and reply.speech.startswith(EMERGENCY_FIRST)


def test_a_yes_to_the_second_emergency_question_is_an_emergency(person):
    say(person, "what should I do for my back spasm")
    say(person, "no")
    reply = say(person, "yes")
    assert reply.ends and reply.speech.startswith(EMERGENCY_FIRST)


def test_a_yes_to_the_second_question_is_a_doctor_today_never_an_ambulance(person):
    say(person, "what should I do for my back spasm")
    say(person, "no")
    say(person, "no")
    reply = say(person, "yes")  # a fall, a temperature or night pain: the same day, and the A&E case named
    assert reply.ends and reply.speech.startswith("Please call your doctor, or an urgent care clinic today.")
    assert "Fell, and over sixty five or on steroids or with thin bones? Go to the ER now." in reply.speech


def test_i_dont_know_gets_cautious_advice_and_the_choice_to_go_on(person):
    say(person, "the plank")
    first = say(person, "I don't know")
    assert "If any of those is new or getting worse, call nine one one now" in first.speech
    assert first.speech.endswith("shall we carry on?")
    second = say(person, "yes")
    assert "And any chest pain" in second.speech
    assert say(person, "not sure").speech.startswith("If you have chest pain, belly pain or feel faint, call nine one")
    assert "did it start with a knock or a small fall" in say(person, "yes").speech
    unsure = say(person, "not sure")
    assert unsure.speech.startswith("Then, to be safe, call your doctor, or an urgent care clinic today.")
    assert "Have you had cancer" in say(person, "yes").speech
    risk = say(person, "I don't know")
    assert risk.speech.startswith("That's fine. If you've had cancer, call your doctor, or an urgent care clinic today")
    assert "One thing first: exercises help" in say(person, "yes").speech
    assert say(person, "no").speech.startswith("Then it's a bit soon for exercises.")


def test_not_sure_the_pain_has_settled_means_wait_and_is_offered_cold_not_dropped(person):
    say(person, "the plank")
    for answer in SCREEN_CLEAR:
        say(person, answer)
    reply = say(person, "I don't know")
    assert reply.speech.startswith("If you're not sure, give it a little longer.") and not reply.ends
    assert reply.speech.endswith("Shall I time 15 minutes of ice for you?")
    assert reply.attributes["pending"] == "timer_offer"


def test_not_sure_whether_to_carry_on_after_the_screen_keeps_the_conversation(person):
    say(person, "what should I do for my back spasm")
    say(person, "I don't know")
    reply = say(person, "not sure")  # to "shall we carry on?"
    assert not reply.ends and reply.speech.startswith("Then let's keep to gentle care for now")
    assert "call nine one one" in reply.speech and reply.attributes["pending"] == "timer_offer"

def test_a_spasm_of_weeks_gets_the_plan_and_a_doctor_or_physical_therapist(alexa):
    reply = say(alexa, "my back went into spasm a month ago")
    assert "It's been 3 weeks or more, so please see a doctor or a physical therapist" in reply.speech
    assert "Past two days, so warmth now." in say(alexa, "yes please").speech
    assert alexa.attributes["cursor"]["variant"] == "heat_first"


def test_never_a_diagnosis():
    spoken = " ".join(item for key, item_ in CONTENT.speech.items() if key.startswith(("safety.", "screen."))
                      for item in item_.variants).lower()
    for word in ("you may have", "you might have", "sounds like", "diagnos", "cauda equina", "syndrome", "probably",
                 "a sign of", "sciatica"):
        assert word not in spoken


def test_no_heat_timer_is_offered_in_the_first_two_days(alexa):
    say(alexa, "my back went into spasm this morning")
    for _ in range(len(CONTENT.treatment.plans["cold_first"].steps) - 1):
        reply = say(alexa, "next")
        assert "heat for you?" not in reply.speech, reply.speech
        if reply.attributes.get("pending") == "timer_offer":
            say(alexa, "no")


def test_picking_up_an_exercise_in_a_new_session_screens_first_then_resumes_where_it_was(person):
    say(person, "the plank")
    for answer in SCREEN_CLEAR:
        say(person, answer)
    say(person, "yes")  # settled
    say(person, "next")
    say(person, "stop")  # the place is kept
    person.end_session()
    screen = say(person, "continue")  # screened minutes ago: one line, not the whole screen
    assert "First, anything new since last time, like numbness, bladder trouble, or weak legs?" in \
        screen.speech
    settled = say(person, "no")
    assert settled.speech.startswith("One thing first: exercises help")
    assert say(person, "yes").speech.startswith("Back to")


def test_a_settled_answer_with_a_forged_offer_is_a_plain_answer_not_an_error(person):
    person.attributes = {"v": 1, "pending": "settled", "offer": {"flow": "exercise", "variant": "nope", "index": -3}}
    person.new = False
    reply = say(person, "yes")
    assert reply.status == 200 and not reply.ends and "Sorry" not in reply.speech


def test_the_low_back_massage_is_named_for_what_it_rolls(alexa):
    which = say(alexa, "self massage")
    assert "hips and buttocks" in which.speech
    assert say(alexa, "low back").attributes["cursor"]["variant"] == "low_back"  # the old name still finds it


def to_risk_question(person: Alexa) -> None:
    say(person, "what should I do for my back spasm")
    for answer in SCREEN_CLEAR[:3]:
        say(person, answer)


def test_pregnancy_at_the_risk_question_gets_a_midwife_and_the_screen_goes_on(person):
    to_risk_question(person)
    which = say(person, "yes")
    assert which.speech == "Which one is it? Cancer, steroids, osteoporosis, or pregnancy?"
    reply = person.intent("PregnancyIntent")
    assert reply.speech.startswith("Please tell your midwife or a doctor about your back; call now if")
    assert "No heat on your belly." in reply.speech and "did the spasm start within the last two days?" in reply.speech
    assert not reply.ends and reply.response["card"]["title"] == "See a doctor soon"


def test_cancer_at_the_risk_question_is_a_doctor_today_and_the_session_ends(person):
    to_risk_question(person)
    say(person, "yes")
    reply = person.intent("CancerHistoryIntent")
    assert reply.ends and reply.speech.startswith(TODAY_FIRST)


def test_a_second_yes_asks_which_again_and_not_saying_gets_each_route(person):
    to_risk_question(person)
    say(person, "yes")
    assert "cancer, steroids, osteoporosis, or pregnancy" in say(person, "yes").speech.lower()
    reply = say(person, "I don't know")
    assert "If it's cancer, please call your doctor, or an urgent care clinic today" in reply.speech
    assert not reply.ends


def test_back_within_a_day_one_line_and_a_yes_is_an_emergency(person):
    to_risk_question(person)
    say(person, "no")
    person.end_session()
    rescreen = say(person, "what should I do for my back spasm")
    assert rescreen.speech.startswith("First, anything new since last time")
    reply = say(person, "yes")
    assert reply.ends and reply.speech.startswith(EMERGENCY_FIRST)


def test_back_after_a_day_hears_the_whole_screen(person, monkeypatch):
    import datetime as dt

    from skill.conversation.handlers import screen

    to_risk_question(person)
    say(person, "no")
    person.end_session()
    later = screen.utc_now() + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr(screen, "utc_now", lambda: later)
    assert say(person, "what should I do for my back spasm").speech.startswith("First, a quick safety check.")


@pytest.mark.parametrize("said", ["I've had cancer and my leg is numb", "I had cancer and now my leg is weak"])
def test_a_history_of_cancer_with_a_leg_sign_is_an_emergency_not_a_doctor_today(person, said):
    reply = say(person, said)
    assert reply.ends and reply.speech.startswith(EMERGENCY_FIRST)
    assert say(person, "I've had cancer").speech.startswith(TODAY_FIRST)  # alone: a doctor today


def test_in_pregnancy_no_lying_back_exercise_no_heat_on_the_belly_and_nothing_stored(timed_alexa, timers_api):
    said = timed_alexa.intent("PregnancyIntent")
    assert said.speech.startswith("Please tell your midwife or a doctor about your back; call now if there's "
                                  "tightening") and not said.ends
    swapped = say(timed_alexa, "how do I do the ball chest press")
    assert swapped.speech.startswith("That one has you lying on your back, which isn't advised in pregnancy.")
    assert "bird dog" in swapped.speech and "Bird dog." in say(timed_alexa, "yes").speech
    say(timed_alexa, "stop")
    timed_alexa.intent("PregnancyIntent")
    routine = say(timed_alexa, "start my workout")
    assert timed_alexa.attributes["cursor"]["variant"] == "routine_upright", routine.speech
    assert "Ball chest press" not in "".join(say(timed_alexa, "next").speech for _ in range(30))
    say(timed_alexa, "stop")
    timed_alexa.intent("PregnancyIntent")
    rolled = say(timed_alexa, "foam roll my upper back")
    assert rolled.speech.startswith("Rolling the upper back means lying on your back")
    timed_alexa.intent("PregnancyIntent")
    timed_alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER", "SpasmOnset"))
    heat = say(timed_alexa, "start a heat timer")
    assert "Not on your belly." in heat.speech
    assert [t.label for t in timers_api.timers.values()] == ["Spasm Coach: heat"]
