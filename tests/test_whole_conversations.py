"""Five whole conversations, as new users have them: first use on the morning a spasm starts, coming back the next
day, a full round of ice with "continue", an exercise that hurts, and someone unsure of everything.

Every utterance is resolved as a device resolves it (the model's samples, slot values and synonyms only), every
timer is a real one on the local Timers API with its clock moved on by the test, and every turn is held to what a
listener needs: never a fallback, within the word budget (``Alexa.send`` checks it), never the same closing
twice in a row, questions in passing answered where the user is, the round's phases named as they are at that
moment, and the place kept the place offered.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import Alexa, Reply

from coach_tools.nlu import on_device
from skill.content.budget import split_closing, words_that_count

NOT_UNDERSTOOD = ("Sorry, I didn't", "Let me ask that more simply", "Let me put that another way",
                  "I'll take that as not sure", "Still not caught", "Let's keep it simple",
                  "That's not something I can help with")


class Person:
    """One user talking to their speaker: words in, what Alexa says out, with the checks every turn must pass."""

    def __init__(self, client, timers_api, locale: str, user: str) -> None:
        self.alexa = Alexa(client, user_id=f"amzn1.ask.account.{user}", api_endpoint=timers_api.url, screened=False)
        timers_api.grant(self.alexa.api_token)
        self.alexa.consent = True
        self.timers_api = timers_api
        self.nlu = on_device(locale)
        self.locale = locale
        self.last_closing = ""
        self.heard: list[str] = []

    def launch(self) -> Reply:
        self.alexa.end_session()
        self.last_closing = ""
        return self._checked(self.alexa.send({"type": "LaunchRequest"}, locale=self.locale))

    def says(self, words: str) -> Reply:
        heard = self.nlu.resolve(words)
        assert heard.intent != "AMAZON.FallbackIntent", f"{words!r} is not in the model"
        request = {"type": "IntentRequest",
                   "intent": {"name": heard.intent, "confirmationStatus": "NONE", "slots": heard.slots}}
        return self._checked(self.alexa.send(request, locale=self.locale))

    def asks_in_passing(self, words: str) -> Reply:
        """A question between steps: answered, and the step (and any question it asked) still waits."""
        before = (self.alexa.attributes.get("cursor"), self.alexa.attributes.get("pending"))
        reply = self.says(words)
        assert not reply.ends, words
        assert (self.alexa.attributes.get("cursor"), self.alexa.attributes.get("pending")) == before, words
        return reply

    def later(self, minutes: int) -> list[str]:
        """Time passes on the speaker: the timers that came due go off."""
        return [fired.label for fired in self.timers_api.advance(dt.timedelta(minutes=minutes))]

    def _checked(self, reply: Reply) -> Reply:
        assert reply.status == 200
        self.heard.append(reply.speech)
        assert not reply.speech.startswith(NOT_UNDERSTOOD), reply.speech
        closing = split_closing(words_that_count(reply.ssml))[1]
        assert not closing or closing != self.last_closing, f"the same closing twice in a row: {closing!r}"
        self.last_closing = "" if reply.ends else closing
        return reply

    @property
    def place(self) -> tuple[str, int] | None:
        cursor = self.alexa.attributes.get("cursor")
        return (cursor["flow"], cursor["index"]) if cursor else None


@pytest.fixture
def person(client, timers_api):
    return lambda locale="en-GB", user="PERSON": Person(client, timers_api, locale, user)


def screen_clear(someone: Person, *noes: str) -> Reply:
    reply = None
    for no in noes or ("no", "nope", "no", "not that I know of"):
        reply = someone.says(no)
    return reply


def day_zero(someone: Person) -> tuple[str, int]:
    """The morning it started, up to the offer of more; returns the place kept when they leave."""
    assert "Would you like to hear the treatment steps?" in someone.launch().speech
    assert someone.says("my back just went").speech.startswith("First, a quick safety check.")
    assert "did the spasm start within the last two days?" in screen_clear(someone).speech
    plan = someone.says("I woke up with it")
    assert plan.speech.startswith("It's recent, so cold for now. Find the position that hurts least.")
    assert "cold pack" in someone.says("okay").speech
    timer = someone.says("yes please")
    assert timer.speech.startswith("Your ice timer is set for 15 minutes.")
    assert [t.label for t in someone.timers_api.timers.values()] == ["Spasm Coach: ice"]
    assert "about 15 minutes left on your ice timer" in someone.asks_in_passing("how long is left").speech
    bath = someone.asks_in_passing("can I have a hot bath")
    assert "after the first couple of days" in bath.speech  # not a step today: an answer when asked
    assert "using cold safely" in someone.says("next").speech
    assert "signs that need help now" in someone.says("next").speech
    today = someone.says("next")
    assert "NHS one one one" in today.speech and re.search(r"main (thing for today|part done); ", today.speech)
    assert someone.place == ("treatment", 4)
    rest = someone.says("yes")
    assert "warmth, after two days" in rest.speech  # what comes later, said as later
    kept = someone.place
    goodbye = someone.says("thanks that's all")
    assert goodbye.ends and goodbye.speech.startswith("I've kept your place.")
    return kept


def test_first_use_on_the_morning_it_started(person):
    someone = person("en-GB", "MORNING")
    day_zero(someone)
    assert not [said for said in someone.heard if re.search(r"\bstep \d+ of\b", said)]
    # Warmth, the bath, tape and self-massage are not today's steps: warmth is named only as what comes later.
    steps = [said for said in someone.heard if "treatment" in said or "Say next" in said or "say next" in said]
    assert not [said for said in steps if re.search(r"kinesiology|self-massage", said)]


def test_coming_back_the_next_day_finds_the_place_kept(person):
    someone = person("en-GB", "NEXTDAY")
    kept = day_zero(someone)
    back = someone.launch()
    assert back.speech.startswith("Welcome back. You were partway through the treatment steps.")
    # Within a day: the short re-screen, not the whole screen again.
    assert someone.says("carry on").speech.endswith("anything new since last time, like numbness, bladder trouble, "
                                                    "or weak legs?")
    assert "did the spasm start within the last two days?" in someone.says("no").speech
    resumed = someone.says("it started yesterday")
    assert resumed.speech.startswith("Back to warmth, after two days.") and someone.place == kept
    better = someone.asks_in_passing("it's a bit better today")
    assert "Good to hear it's easing" in better.speech and "warmth" not in better.speech.split(".")[1]
    assert "We're at warmth, after two days." in someone.asks_in_passing("what step was I on").speech
    assert "other things to try" in someone.says("next").speech
    assert "kinesiology tape" in someone.asks_in_passing("tell me about tape").speech
    assert someone.says("cheers").ends


def test_a_full_round_with_continue_at_a_fast_clock(person):
    someone = person("en-AU", "ROUND")
    someone.launch()
    someone.says("what should I do for my back spasm")
    screen_clear(someone, "no", "no", "no", "no")
    someone.says("it started yesterday")
    someone.says("next")
    assert someone.says("yes").speech.startswith("Your ice timer is set for 15 minutes.")
    kept = (someone.place[0], someone.place[1] + 1)  # the timer's step done: coming back carries on after it
    assert someone.says("stop").speech.startswith("I've kept your place.")
    assert someone.later(16) == ["Spasm Coach: ice"]
    # The speaker said to carry on: "Alexa, ask spasm coach to continue".
    someone.alexa.end_session()
    assert "anything new since last time" in someone.says("continue").speech
    someone.says("no")
    back = someone.says("yes")
    assert back.speech.startswith("Back to using cold safely.") and someone.place == kept
    started = someone.says("alternate ice and heat")
    assert started.speech.startswith("No heat early on, so ice, a rest, then ice again: about 50 minutes.")
    assert someone.asks_in_passing("how long is left on the ice").speech.startswith(
        "In your round, the ice has about 15 minutes left, then a break for 20 minutes, then ice.")
    assert someone.later(16) == ["Spasm Coach: ice off"]
    assert someone.asks_in_passing("how long is left on the heat").speech.startswith(
        "In your round, the break has about 19 minutes left, then ice for 15 minutes.")
    assert someone.later(20) == ["Spasm Coach: ice on"]
    assert someone.asks_in_passing("how long is left").speech.startswith(
        "In your round, the ice has about 14 minutes left, and then the round is done.")
    stopped = someone.says("cancel the ice")
    assert stopped.speech.startswith("Okay, I've cancelled your round.")  # its last phase: nothing left to offer
    assert not someone.timers_api.timers
    assert someone.says("next").speech.startswith(("Next, ", "Now, ", "On to "))  # the plan goes on


def test_an_exercise_that_hurts(person):
    someone = person("en-US", "EXERCISE")
    someone.launch()
    assert "Bird dog it is. First, a quick safety check." in someone.says("let's do the bird dog").speech
    assert someone.place is None
    asked = screen_clear(someone, "no", "no", "no", "no")
    assert "Has the sharpest pain settled enough to move gently?" in asked.speech
    assert someone.says("yes").speech.startswith("Bird dog. Stop at any sharp pain")
    someone.says("done")
    assert someone.says("next").speech.startswith("Before you start, the usual slips")  # before the counting
    assert "Hold. 2 3 4 5 6 And relax." in someone.says("next").speech
    hurt = someone.says("ow that hurts")
    assert hurt.speech.startswith("Stop there, and rest") and "Shall I time 15 minutes of ice" in hurt.speech
    assert someone.says("yes").speech.startswith("Your ice timer is set for 15 minutes.")
    again = someone.launch()
    assert "you'd got to Bird dog;" in again.speech  # the gentlest place of the movement that hurt


def test_someone_unsure_of_everything_is_never_dropped(person):
    someone = person("en-IN", "UNSURE")
    someone.launch()
    started = someone.says("I don't know")  # to "would you like the treatment steps?": the steps, since stop is a word
    assert "quick safety check" in started.speech
    unsure = someone.says("not sure")
    assert "call one one two now" in unsure.speech and not unsure.ends
    explained = someone.asks_in_passing("what do you mean")
    assert explained.speech and not explained.ends
    helps = someone.asks_in_passing("is this going to help")
    assert "Most spasms settle" in helps.speech
    care = someone.says("maybe")
    assert "gentle care" in care.speech and "Shall I time 15 minutes of ice" in care.speech
    left = someone.says("I don't know")
    assert "I'll leave the timer for now" in left.speech and not left.ends  # the default said, and on we go
    assert "quick safety check" in someone.says("hmm I don't know").speech
    for answer in ("no", "no", "no", "no"):
        reply = someone.says(answer)
    assert "did the spasm start within the last two days?" in reply.speech
    plan = someone.says("no idea")
    assert plan.speech.startswith("Not sure is fine: cold first") and someone.place == ("treatment", 0)
    waits = someone.says("I'm not sure")
    assert not waits.ends and someone.place == ("treatment", 0)
    assert someone.says("that's it for now").ends


@pytest.mark.parametrize("launched", [True, False], ids=["at launch", "one-shot"])
@pytest.mark.parametrize(("words", "then"), [
    ("continue", "yes"), ("carry on", "yes"), ("carry on from before", "yes"), ("where was I", "yes"),
    ("what step was I on", "yes"), ("it's a bit better today", "yes"), ("it's worse today", "yes"),
    ("start again", None), ("it's a new spasm", None)])
def test_coming_back_in_peoples_words_finds_the_place_or_starts_afresh(client, launched, words, then):
    someone = Alexa(client, user_id="amzn1.ask.account.BACK")
    nlu = on_device("en-GB")
    for said in ("what should I do for my back spasm", "yesterday", "next", "no", "next", "stop"):
        heard = nlu.resolve(said)
        someone.intent(heard.intent, *heard.slots.values())
    kept = 2  # using cold safely, where they stopped
    someone.launch() if launched else someone.end_session()
    heard = nlu.resolve(words)
    first = someone.intent(heard.intent, *heard.slots.values())
    assert not first.ends and not first.speech.startswith(NOT_UNDERSTOOD), first.speech
    if then:  # the place kept, offered or asked for, is found after saying when it began
        if someone.attributes.get("pending") == "resume":
            first = someone.intent("AMAZON.YesIntent")
        assert first.speech.endswith("did the spasm start within the last two days?")
        back = someone.intent("AMAZON.YesIntent")
        assert back.speech.startswith("Back to using cold safely.")
        assert someone.attributes["cursor"]["index"] == kept
    else:  # afresh: the plan from its first step, asked as the first time
        assert first.speech.endswith("So I can give you the right plan: did the spasm start within the last two days?")
        assert "Find the position that hurts least" in someone.intent("AMAZON.YesIntent").speech
