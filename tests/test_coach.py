"""Talking like a coach: words people use, resolved through the interaction model, reach the right turn."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import Alexa

from skill.bundled import model_dir
from skill.content import load_content
from skill.tools.model_lint import load_model
from skill.tools.nlu import Understanding

CONTENT = load_content()
NLU = Understanding(load_model(model_dir() / "en-US.json"), today=dt.date(2026, 11, 21))  # a Saturday


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
    assert say(alexa, "okay").speech.startswith("Next, a cold pack.")
    say(alexa, "no")  # no timer
    assert say(alexa, "continue").speech.startswith("Next, using cold safely.")


def test_a_question_in_passing_is_answered_with_a_card_and_the_step_waits(alexa):
    say(alexa, "what should I do for my back spasm")
    say(alexa, "yes")
    reply = say(alexa, "should I stay in bed")
    assert reply.speech.startswith("Not for long.") and reply.speech.endswith("repeat to hear this step again.")
    assert reply.response["card"]["content"].endswith("Source: NINDS Low Back Pain Fact Sheet; Mayo Clinic.")
    assert alexa.attributes["cursor"]["index"] == 0
    medicine = say(alexa, "how much ibuprofen should I take")
    assert "can't advise on medicines or doses" in medicine.speech and "mg" not in medicine.speech


def test_two_misunderstandings_in_a_row_offer_the_main_choices_plainly(alexa):
    alexa.launch()
    say(alexa, "no")
    alexa.launch()
    first = say(alexa, "purple elephants")
    assert first.speech.startswith("Sorry")
    second = say(alexa, "bananas on toast")
    assert second.speech.startswith("Let's keep it simple.") and "treatment steps" in second.speech
    assert say(alexa, "help").attributes["misses"] == 0


def test_continuing_after_a_timer_resumes_at_the_step_after_it(timed_alexa):
    timed_alexa.intent("TreatmentIntent")
    say(timed_alexa, "yesterday")
    say(timed_alexa, "next")
    assert "Time to take the ice pack off" not in say(timed_alexa, "yes").speech  # the timer is set
    timed_alexa.end_session()
    back = say(timed_alexa, "continue")
    assert back.speech.startswith("Back to using cold safely.")


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
    assert say(alexa, "since tuesday").speech.startswith("It's been a while, so warmth first.")
