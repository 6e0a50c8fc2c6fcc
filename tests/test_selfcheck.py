"""The self-check, by voice alone, and the red flags that can interrupt anything."""

from __future__ import annotations

import json

from conftest import Alexa, slot

from skill.content import load_content
from skill.edge.app import create_app

CONTENT = load_content()
QUESTIONS = CONTENT.selfcheck.questions


def flag(value: str, flag_id: str | None) -> dict:
    return slot("flag", value, flag_id, "RedFlag")


def begin(alexa: Alexa):
    """Into the self-check, in a session whose safety screen is answered (tests/test_safety.py drives the screen)."""
    first = alexa.intent("SelfCheckIntent")
    assert first.speech.startswith("Four quick questions about your habits.")
    assert QUESTIONS[0].ask in first.speech
    return first


def test_all_yes_hears_encouragement_and_the_closing(alexa):
    begin(alexa)
    for number in range(2, 5):
        reply = alexa.intent("AMAZON.YesIntent")
        assert reply.speech == QUESTIONS[number - 1].ask  # no "question 2 of 4": each speaks for itself
    summary = alexa.intent("AMAZON.YesIntent")
    assert summary.ends and "doing well on all of them" in summary.speech
    for question in QUESTIONS:
        assert question.encourage in summary.response["card"]["content"] and question.advice not in summary.speech
    # What to expect was said in the plan a minute ago; the summary leaves it to the card.
    assert "Most spasms ease" not in summary.speech and "Most spasms ease" in summary.response["card"]["content"]
    assert summary.response["card"]["title"] == "Your self-check"
    assert "Low Back Pain Fact Sheet" in summary.response["card"]["content"]
    assert "<" not in summary.response["card"]["content"]


def test_all_no_hears_advice_for_each(alexa):
    begin(alexa)
    for question in QUESTIONS:
        reply = alexa.intent("AMAZON.NoIntent")
        # Each habit's advice aloud with its answer, before the next question, never left to the app.
        assert reply.speech.startswith(question.advice), question.id
    assert reply.speech.endswith("Take it easy.") and "card" in reply.speech
    assert all(q.advice in reply.response["card"]["content"] for q in QUESTIONS)


def test_mixed_answers_in_words(alexa):
    begin(alexa)
    assert alexa.intent("AMAZON.NoIntent").speech.startswith(QUESTIONS[0].advice)  # "not really"
    assert alexa.intent("AMAZON.YesIntent").speech.startswith(QUESTIONS[2].ask)  # "definitely": nothing to add
    assert alexa.intent("SometimesIntent").speech.startswith(QUESTIONS[2].advice)
    summary = alexa.intent("UnsureIntent")  # "I don't know"
    _, rest, water, sleep = QUESTIONS
    assert summary.speech.startswith(f"That's fine. {sleep.advice}")
    card = summary.response["card"]["content"]
    assert rest.encourage in card and water.advice in card and sleep.advice in card


def test_skip_repeat_and_go_back(alexa):
    begin(alexa)
    skipped = alexa.intent("AMAZON.NextIntent")  # "skip"
    assert QUESTIONS[1].ask in skipped.speech
    assert QUESTIONS[1].ask in alexa.intent("AMAZON.RepeatIntent").speech
    back = alexa.intent("AMAZON.PreviousIntent")  # "go back"
    assert QUESTIONS[0].ask in back.speech
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.NextIntent")
    summary = alexa.intent("AMAZON.NextIntent")
    assert summary.ends and "You skipped every question" in summary.speech


def test_stop_in_the_middle_ends_politely_and_keeps_nothing(alexa):
    begin(alexa)
    alexa.intent("AMAZON.NoIntent")
    bye = alexa.intent("AMAZON.StopIntent")
    assert bye.ends and bye.speech == "Okay, we'll stop the self-check there. Take it easy."
    alexa.launch()
    assert alexa.attributes["pending"] == "start_offer"  # no bookmark into a health questionnaire


def test_an_answer_not_understood_is_asked_plainly_then_taken_as_not_sure(alexa):
    begin(alexa)
    plainer = alexa.intent("AMAZON.FallbackIntent")
    assert plainer.speech.startswith("Let me") and plainer.speech.endswith(QUESTIONS[0].reprompt)
    taken = alexa.intent("AMAZON.FallbackIntent")  # a second miss: "not sure", said, and on to the next question
    assert "not sure" in taken.speech and taken.speech.endswith(QUESTIONS[1].ask)
    assert alexa.attributes["answers"] == {QUESTIONS[0].id: "UNSURE"}


def test_help_in_the_self_check(alexa):
    begin(alexa)
    assert "say skip, go back, or repeat" in alexa.intent("AMAZON.HelpIntent").speech


def test_the_plan_ends_by_offering_the_self_check(alexa):
    alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER"))
    for _ in range(len(CONTENT.treatment.plans["heat_first"].steps) - 1):
        last = alexa.intent("AMAZON.NextIntent")
    assert last.speech.endswith("Would you like a quick self-check, four questions to help keep spasms away?")
    # the screen was answered before the plan, so the self-check goes straight to its questions
    assert alexa.intent("AMAZON.YesIntent").speech.startswith("Four quick questions about your habits.")


def test_no_to_the_offered_self_check_says_goodbye(alexa):
    alexa.intent("TreatmentIntent", slot("onset", "last week", "EARLIER"))
    for _ in range(len(CONTENT.treatment.plans["heat_first"].steps) - 1):
        alexa.intent("AMAZON.NextIntent")
    reply = alexa.intent("AMAZON.NoIntent")
    assert reply.ends and "ask for the self-check any time" in reply.speech


def test_answers_never_reach_the_database_or_the_logs(settings, adapter, capfd):
    app = create_app(settings, persistence=adapter)
    alexa = Alexa(app.test_client(), user_id="amzn1.ask.account.PRIVATE")
    alexa.launch()
    begin(alexa)
    alexa.intent("AMAZON.NoIntent")  # "not really"
    alexa.intent("SometimesIntent")
    assert alexa.attributes["answers"] == {"nutrition": "NO", "rest": "SOMETIMES"}  # the session holds them
    with adapter._transaction() as cursor:
        cursor.execute("SELECT attributes FROM spasm_coach_user_state")
        rows = [json.dumps(r[0]) if isinstance(r[0], dict) else r[0] for r in cursor.fetchall()]
    assert rows and all(json.loads(r).keys() <= {"v", "notice_heard", "bookmark"} for r in rows)
    assert all("SOMETIMES" not in r and "nutrition" not in r for r in rows)
    logged = capfd.readouterr().err
    assert "SOMETIMES" not in logged and "nutrition" not in logged and "not really" not in logged


# ---------------------------------------------------------------------------------------------- yes and no


def test_yes_in_the_self_check_never_starts_a_timer(timed_alexa, timers_api):
    begin(timed_alexa)
    timed_alexa.intent("AMAZON.YesIntent")
    assert not timers_api.timers and not timed_alexa.attributes.get("offer", {}).get("kind")


def test_yes_to_a_timer_offer_never_answers_the_self_check(timed_alexa, timers_api):
    timed_alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    timed_alexa.intent("AMAZON.NextIntent")
    timed_alexa.intent("AMAZON.YesIntent")
    assert len(timers_api.timers) == 1 and timed_alexa.attributes["answers"] == {}


def test_yes_in_the_self_check_never_resumes_the_plan(alexa):
    alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    alexa.intent("AMAZON.StopIntent")  # a bookmark is waiting
    alexa.end_session()
    begin(alexa)
    reply = alexa.intent("AMAZON.YesIntent")
    assert QUESTIONS[1].ask in reply.speech and "Next," not in reply.speech


def test_a_resume_offer_yes_never_becomes_a_self_check_answer(alexa):
    alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    alexa.intent("AMAZON.StopIntent")
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")  # carry on: then when it began, asked again
    reply = alexa.intent("AMAZON.YesIntent")
    assert "Find the position that hurts least" in reply.speech and alexa.attributes["answers"] == {}


def test_self_check_answers_outside_the_self_check_are_handled_gracefully(alexa):
    alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT"))
    reply = alexa.intent("SometimesIntent")
    assert reply.speech.startswith(("No rush.", "That's alright, take your time."))
    assert "say next" in reply.speech.lower()
    assert "yes or no" not in reply.speech


def test_red_flags_come_before_anything_that_answers_the_users_words():
    """Dispatch order is priority: no handler of the user's words may stand ahead of the red-flag handler, so a
    later handler that claims a red-flag phrase (a yes, an answer, a step) can never take it first."""
    from skill.alexa.assembly import handler_deps
    from skill.conversation.handlers import request_handlers
    from skill.conversation.handlers.base import IntentHandler
    from skill.conversation.handlers.safety import RedFlagHandler

    chain = request_handlers(handler_deps(CONTENT))
    first_of_speech = next(i for i, handler in enumerate(chain) if isinstance(handler, IntentHandler))
    assert isinstance(chain[first_of_speech], RedFlagHandler)
