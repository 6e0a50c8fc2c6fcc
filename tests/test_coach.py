"""Talking like a coach: words people use, resolved through the interaction model, reach the right turn."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import Alexa, heading

from coach_tools.nlu import on_device
from skill.content import load_content

CONTENT = load_content()
NLU = on_device("en-US", today=dt.date(2026, 11, 21))  # a Saturday


def say(alexa: Alexa, words: str):
    """Send what a person says, as Alexa would resolve it through the model."""
    heard = NLU.resolve(words)
    return alexa.intent(heard.intent, *heard.slots.values())


def test_i_dont_know_when_it_started_gets_cold_first_and_why(alexa):
    say(alexa, "what should I do for my back spasm")
    reply = say(alexa, "I don't know")
    assert reply.speech.startswith("Not sure is fine: cold first")
    assert alexa.attributes["cursor"]["variant"] == "cold_first"


@pytest.mark.parametrize(("said", "plan"), [("since tuesday", "heat_first"), ("two days back", "cold_first"),
                                            ("about a week", "heat_first"), ("this morning", "cold_first"),
                                            ("I woke up with it", "cold_first"), ("it's day three", "cold_first"),
                                            ("since last week", "heat_first"), ("yesterday", "cold_first")])
def test_when_it_started_in_peoples_words(alexa, said, plan):
    say(alexa, "what should I do for my back spasm")
    say(alexa, said)
    assert alexa.attributes["cursor"] == {"flow": "treatment", "variant": plan, "index": 0}


def test_okay_and_continue_move_on(alexa):
    say(alexa, "what should I do for my back spasm")
    say(alexa, "yes")
    assert say(alexa, "okay").speech.startswith(heading("a cold pack"))
    say(alexa, "no")  # no timer
    assert say(alexa, "continue").speech.startswith(heading("using cold safely"))


def test_a_question_in_passing_is_answered_with_a_card_and_the_step_waits(alexa):
    say(alexa, "what should I do for my back spasm")
    say(alexa, "yes")
    reply = say(alexa, "should I stay in bed")
    assert reply.speech.startswith("Not for long.")
    assert re.search(r"repeat (to hear|for) (this|the) step again\.$", reply.speech)
    assert reply.response["card"]["content"].endswith("Source: NINDS Low Back Pain Fact Sheet; Mayo Clinic.")
    assert alexa.attributes["cursor"]["index"] == 0
    medicine = say(alexa, "how much ibuprofen should I take")
    assert "can't advise on medicines or doses" in medicine.speech and "mg" not in medicine.speech


def test_a_question_not_understood_is_asked_plainly_then_takes_its_safe_default(alexa):
    alexa.launch()
    say(alexa, "no")
    alexa.launch()
    first = say(alexa, "purple elephants")  # asked again, plainly
    assert first.speech.startswith("Let me") and first.speech.endswith("Please say yes or no.")
    second = say(alexa, "bananas on toast")  # the welcome's default for "not sure": start
    assert "as not sure" in second.speech and "let's start" in second.speech and second.attributes["pending"]
    assert second.attributes["misses"] == 0


def test_continuing_after_a_timer_resumes_at_the_step_after_it(timed_alexa):
    timed_alexa.intent("TreatmentIntent")
    say(timed_alexa, "yesterday")
    say(timed_alexa, "next")
    assert "Time to take the ice pack off" not in say(timed_alexa, "yes").speech  # the timer is set
    timed_alexa.end_session()
    # The plan is not kept between visits (it says when the spasm began), so it is asked again first.
    assert "did the spasm start within the last two days" in say(timed_alexa, "continue").speech
    assert say(timed_alexa, "yes").speech.startswith("Back to using cold safely.")


def _named_in(speech: str) -> list[str]:
    """The things a help turn tells the user to say: "Say a, b, or c." -> [a, b, c]."""
    choices = re.split(r"\b[Ss]ay ", speech)[-1].rstrip(".?")
    return [c.strip().removeprefix("or ").strip() for c in choices.split(",")]


@pytest.mark.parametrize(("where", "named"), [
    ("opening", ["ice timer", "list exercises", "self-check"]),
    ("home", ["treatment steps", "ice timer", "list exercises", "self-check"]),
])
def test_help_names_what_can_be_said_there_and_each_of_them_works(alexa, where, named):
    alexa.launch()
    if where == "home":
        say(alexa, "cancel")  # nothing waiting any more
    assert _named_in(say(alexa, "help").speech) == named
    for phrase in named:
        assert NLU.resolve(phrase).intent != "AMAZON.FallbackIntent", phrase


def test_help_when_asked_when_it_started_offers_people_s_own_answers(alexa):
    say(alexa, "what should I do for my back spasm")
    help_turn = say(alexa, "help")
    assert "since Tuesday" in help_turn.speech and "I don't know" in help_turn.speech
    assert say(alexa, "since tuesday").speech.startswith("Past two days, so warmth now.")


def test_timers_in_peoples_words_never_overlap_and_a_round_is_one_thing(timed_alexa, timers_api):
    def labels() -> list[str]:
        return sorted(t.label for t in timers_api.timers.values())

    assert say(timed_alexa, "ice for 12 minutes").speech.startswith("Your ice timer is set for 12 minutes")
    cautioned = say(timed_alexa, "warm pack timer for ten minutes")
    assert cautioned.speech.endswith("Shall I time ice instead?") and labels() == ["Spasm Coach: ice"]
    offer = say(timed_alexa, "no thanks")
    assert offer.speech.endswith("so you can rest before the heat timer?") and labels() == ["Spasm Coach: ice"]
    assert "leave it running" in say(timed_alexa, "not sure").speech and labels() == ["Spasm Coach: ice"]
    left = say(timed_alexa, "how much longer on the ice").speech
    assert left.startswith("There's about 12 minutes left on your ice timer.")  # one short sentence
    say(timed_alexa, "a round of ice and heat")
    assert say(timed_alexa, "yeah go on").speech.startswith("Okay, I've stopped your ice timer. Rest for 20")
    assert labels() == []
    assert say(timed_alexa, "a round of ice and heat").speech.startswith("No heat early on, so ice, a rest")
    assert len(labels()) == 3 and "Spasm Coach: last ice off" in labels()
    assert say(timed_alexa, "pause the round").speech.startswith("Okay, your round is paused")
    say(timed_alexa, "resume the timers")
    assert {t.status for t in timers_api.timers.values()} == {"ON"}
    say(timed_alexa, "cancel both timers")
    assert labels() == []


def test_an_exercise_by_its_short_name_opens_in_position_and_counts_each_side(alexa):
    first = say(alexa, "the exercise with the dog")
    assert "Bird dog. Stop at any sharp pain" in first.speech and "hands and knees" in first.speech
    say(alexa, "done")
    # The usual slips come before the first count, not after the reps.
    assert say(alexa, "okay next").speech.startswith("Before you start, the usual slips")
    counted = say(alexa, "next")
    assert "Hold. 2 3 4 5 6 And relax. Switch sides." in counted.speech


def test_the_seeds_ideas_are_spoken_in_plain_words(alexa):
    causes = say(alexa, "what causes it").speech
    assert "repetitive work" in causes and "sitting too long" in causes and "too little water" in causes
    medicine = say(alexa, "can I take ibuprofen").speech
    assert "pharmacist" in medicine and "anti-inflammatory" in medicine and "mg" not in medicine
    say(alexa, "what should I do for my back spasm")
    assert "Keep moving the parts that don't hurt" in say(alexa, "yesterday").speech


def test_is_this_going_to_help_gets_a_short_honest_answer_and_the_step_waits(alexa):
    say(alexa, "my back went into spasm this morning")
    reply = say(alexa, "is this going to help")
    assert reply.speech.startswith("It should make it easier to bear. Most spasms settle within days to weeks")
    assert reply.attributes["cursor"]["index"] == 0 and not reply.ends
