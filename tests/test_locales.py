"""Every English-speaking market: each locale hears the number it dials and its own words for care, from what
its people say, resolved through its own interaction model."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, replace

import pytest
import yaml
from conftest import Alexa, slot

from coach_tools.models import built_models
from coach_tools.nlu import on_device
from skill.bundled import content_dir, model_dir
from skill.cli import main
from skill.content import load_content
from skill.content.phrasing import spelled
from skill.edge.app import create_app


@dataclass(frozen=True)
class Local:
    """What a locale must hear (docs/sources.md, numbers-*), written by hand so the content is checked against it."""

    emergency: str  # as said
    digits: str  # as the card shows it
    same_day: str  # who to call today, as said
    same_day_card: str
    a_doctor: str


LOCALES = {
    "en-US": Local("nine one one", "911", "your doctor, or an urgent care clinic",
                   "your doctor, or an urgent care clinic", "a doctor"),
    "en-GB": Local("nine nine nine", "999", "your GP, or NHS one one one", "your GP, or NHS 111", "a GP"),
    "en-CA": Local("nine one one", "911", "your family doctor or a walk-in clinic, or eight one one",
                   "your family doctor or a walk-in clinic, or 811", "a doctor"),
    "en-AU": Local("triple zero", "000", "your GP, or healthdirect on one eight hundred, oh two two, two two two",
                   "your GP, or healthdirect on 1800 022 222", "a GP"),
    "en-IN": Local("one one two", "112", "your doctor", "your doctor", "a doctor"),
}
NLU = {locale: on_device(locale, today=dt.date(2026, 11, 21)) for locale in LOCALES}


class Person(Alexa):
    """Someone whose device speaks ``locale``, heard through that locale's model."""

    def __init__(self, client, locale: str, **kwargs) -> None:
        super().__init__(client, **kwargs)
        self.locale = locale

    def send(self, request: dict, **overrides):
        return super().send(request, locale=self.locale, **overrides)

    def say(self, words: str):
        heard = NLU.get(self.locale, NLU["en-US"]).resolve(words)
        return self.intent(heard.intent, *heard.slots.values())


TIERS = {"emergency": "I wet myself", "urgent": "I slipped on the stairs", "doctor": "I've got sciatica"}
# Each tier in each locale's own words, as the corpus hears them there.
OWN_WORDS = {
    "en-US": {"emergency": "I peed my pants", "urgent": "I slipped on the stairs", "doctor": "I've got sciatica"},
    "en-GB": {"emergency": "my bum's gone numb", "urgent": "I've got a temperature",
              "doctor": "I've got sciatica down my leg"},
    "en-CA": {"emergency": "I can't pee at all", "urgent": "I slipped on the ice", "doctor": "my leg is numb"},
    "en-AU": {"emergency": "my arse has gone numb", "urgent": "I've got a fever",
              "doctor": "I've got pain down my leg"},
    "en-IN": {"emergency": "I am not able to pass urine", "urgent": "I am having fever since two days",
              "doctor": "I had TB last year"},
}
# Points of a conversation, and the words that bring someone there.
POINTS = {
    "a one-shot": [],
    "the welcome": ["open"],
    "the safety screen": ["what should I do for my back spasm"],
    "a treatment step": ["what should I do for my back spasm", "it started yesterday"],
    "a heat timer question": ["start a heat timer"],
    "an exercise": ["bird dog", "yes", "next"],
    "the self-check": ["start the self check"],
}


@pytest.mark.parametrize("where", ["nowhere", "the plan"])
@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_each_tier_names_the_locales_own_number_or_line(client, locale, tier, where):
    person, local = Person(client, locale), LOCALES[locale]
    if where == "the plan":
        person.say("what should I do for my back spasm")
        person.say("it started yesterday")
    reply = person.say(TIERS[tier])
    card = reply.response["card"]["content"]
    if tier == "emergency":
        assert reply.ends and reply.speech.startswith(f"Please call {local.emergency} now.")
        assert card.startswith(f"Please call {local.digits} now.")
    elif tier == "urgent":
        assert reply.ends and reply.speech.startswith(f"Please get help today: call {local.same_day}.")
        assert card.startswith(f"Please get help today: call {local.same_day_card}.")
        assert f"call {local.emergency}." in reply.speech and card.endswith(f"call {local.digits}.")
    else:
        assert not reply.ends and reply.speech.startswith(f"That's worth showing {local.a_doctor} soon")


def brought_to(client, locale: str, where: str) -> Person:
    """Someone in ``locale`` at a point of a conversation, the way they would get there."""
    person = Person(client, locale, screened=where != "the safety screen")
    for words in POINTS[where]:
        person.launch() if words == "open" else person.say(words)
    if where == "the safety screen":
        assert person.attributes["pending"] == "screen_emergency"
    return person


def assert_answered_at(reply, tier: str, local: Local, where: str) -> None:
    """The instruction first, the locale's own route, at ``tier``; a movement is stopped first."""
    if tier == "chemo":  # the cancer team's helpline, or the emergency number: now
        assert reply.ends
        assert reply.speech.startswith(f"Please call your cancer team's helpline or {local.emergency} now")
    elif tier == "emergency":
        assert reply.ends and reply.speech.startswith(f"Please call {local.emergency} now.")
    elif tier == "urgent":
        assert reply.ends and reply.speech.startswith(f"Please get help today: call {local.same_day}.")
    elif where == "an exercise":
        assert reply.ends and reply.speech.startswith(f"Let's stop the exercise there. That's worth showing "
                                                      f"{local.a_doctor} soon")
    else:
        assert not reply.ends and reply.speech.startswith(f"That's worth showing {local.a_doctor} soon")
        assert "emergency" not in reply.speech and local.emergency not in reply.speech


@pytest.mark.parametrize("where", POINTS)
@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_tier_in_the_locales_words_from_every_point(client, locale, tier, where):
    person = brought_to(client, locale, where)
    assert_answered_at(person.say(OWN_WORDS[locale][tier]), tier, LOCALES[locale], where)


# The signs the sources re-tier (NICE NG234 and CG151, the NHS, the Northern Ireland trust), with their tier.
RETIERED = {"I'm on chemo and I've got a temperature": "chemo", "I fell over and I'm seventy eight": "emergency",
            "the pain goes right through to my belly": "emergency", "I've had cancer and my leg is numb": "emergency",
            "pain between my shoulder blades": "urgent", "it hurts when I cough": "urgent",
            "I've been on steroids for years": "doctor"}
FIVE_POINTS = ("a one-shot", "the safety screen", "a treatment step", "an exercise", "the self-check")


@pytest.mark.parametrize("where", FIVE_POINTS)
@pytest.mark.parametrize("said", RETIERED)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_retiered_signs_are_answered_at_the_sources_tier_from_five_points(client, locale, said, where):
    person = brought_to(client, locale, where)
    assert_answered_at(person.say(said), RETIERED[said], LOCALES[locale], where)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_safety_screen_names_the_locales_number(client, locale):
    person, local = Person(client, locale, screened=False), LOCALES[locale]
    assert "numbness" in person.say("what should I do for my back spasm").speech
    unsure = person.say("I don't know")
    assert f"call {local.emergency} now" in unsure.speech and not unsure.ends


@pytest.mark.parametrize(("locale", "said", "service"), [
    ("en-US", "should I go to the emergency room", "the ER"),
    ("en-GB", "do I need to go to A and E", "A&E"),
    ("en-CA", "should I go to a walk in clinic", "the ER"),
    ("en-AU", "should I call triple zero", "the emergency department"),
    ("en-IN", "should I go to hospital", "the hospital"),
])
def test_when_to_get_help_in_the_locales_words(client, locale, said, service):
    person, local = Person(client, locale), LOCALES[locale]
    reply = person.say(said)
    assert reply.speech.startswith(f"Numbness around your groin, bladder trouble, or weak legs: call {local.emergency} "
                                   "now.")  # the emergency instruction first, then the locale's same-day route
    assert f"call {local.same_day} today" in reply.speech
    card = reply.response["card"]["content"]
    assert card.startswith(f"Call {local.digits} or go to {service} now") and local.same_day_card in card


COUNTRY_NUMBERS = ("nine one one", "911", "nine nine nine", "999", "triple zero", "000", "one one two", "112",
                   "eight one one", "811", "one one one", "111", "healthdirect", "NHS", "GP")


@pytest.mark.parametrize("locale", ["en-NZ", "en-IE", "en-ZA"])
def test_an_english_locale_without_its_own_file_names_no_countrys_number(client, locale):
    """Hazard H12: the country is unknown, so every tier, the screen and the welcome name the kind of help only."""
    person = Person(client, locale, screened=False)
    said = [person.launch(), person.say("what should I do for my back spasm")]
    emergency, urgent = Person(client, locale).say("I wet myself"), Person(client, locale).say("I've got a fever")
    said += [emergency, urgent, Person(client, locale).say("I've got sciatica")]
    assert emergency.speech.startswith("Please call your emergency number now.")
    assert emergency.response["card"]["content"].startswith("Please call your emergency number now.")
    assert urgent.speech.startswith("Please get help today: call a doctor, or an urgent care service.")
    said.append(person.say("yes"))  # a yes to the screen's first question
    assert said[-1].speech.startswith("Please call your emergency number now.")
    for reply in said:
        text = reply.speech + json.dumps(reply.response.get("card") or {})
        assert not [number for number in COUNTRY_NUMBERS if number in text], (locale, text)


@pytest.mark.parametrize("request_type", ["LaunchRequest", "IntentRequest"])
def test_another_language_gets_a_short_polite_answer_in_english(client, request_type):
    person = Person(client, "de-DE")
    reply = person.launch() if request_type == "LaunchRequest" else person.intent("AMAZON.HelpIntent")
    assert reply.ends and reply.speech.startswith("Sorry, Spasm Coach doesn't speak your language yet")
    assert "emergency number" in reply.speech


def test_a_template_added_once_reaches_every_locale_and_a_locales_own_words_stay_its_own(tmp_path):
    models = tmp_path / "interaction_model"
    shutil.copytree(model_dir() / "source", models / "source")
    family = models / "source" / "en" / "questions.yaml"
    grammar = yaml.safe_load(family.read_text())
    grammar["intents"]["WhenDoctorIntent"]["samples"].append("is my back (in trouble|in a bad way)")
    family.write_text(yaml.safe_dump(grammar))
    built = built_models(models, content_dir())
    assert sorted(built) == sorted(LOCALES)

    def samples(locale: str, intent: str) -> list[str]:
        language_model = built[locale]["interactionModel"]["languageModel"]
        return next(i for i in language_model["intents"] if i["name"] == intent)["samples"]

    assert all({"is my back in trouble", "is my back in a bad way"} <= set(samples(locale, "WhenDoctorIntent"))
               for locale in LOCALES)
    assert "should I ring one one one" in samples("en-GB", "WhenDoctorIntent")  # interaction_model/source/en-GB.yaml
    paining = [locale for locale in LOCALES if "paining" in json.dumps(built[locale])]
    assert paining == ["en-IN"]  # content/locales/en-IN.yaml adds it to the lexicon


@pytest.mark.parametrize(("locale", "said", "intent"), [
    ("en-IN", "my back is paining", "TreatmentIntent"), ("en-IN", "kindly start the ice timer", "StartTimerIntent"),
    ("en-IN", "can I do hot fomentation", "UseHeatIntent"), ("en-AU", "my back's stuffed", "TreatmentIntent"),
    ("en-GB", "I've done my back in", "TreatmentIntent"),
    ("en-CA", "start a timer for my magic bag", "StartTimerIntent"),
    ("en-US", "can I take tylenol", "PainReliefIntent"), ("en-AU", "can I take panadol", "PainReliefIntent"),
    ("en-IN", "can I take crocin", "PainReliefIntent"),
    # Brands known across borders are heard everywhere: a visitor names the one they know.
    ("en-GB", "can I take tylenol", "PainReliefIntent"), ("en-US", "can I take nurofen", "PainReliefIntent"),
    ("en-CA", "what is the best way to sleep", "SleepIntent"),
])
def test_each_locale_hears_its_own_words(locale, said, intent):
    heard = NLU[locale].resolve(said)
    topic = heard.slot_ids().get("act") or heard.slot_ids().get("thing")  # "can I {act}": the answer its topic names
    answer = load_content().faq.get(topic or "")
    assert (answer.intent if answer else heard.intent) == intent


def test_a_new_language_is_content_and_a_model_without_code(tmp_path, settings):
    """A language is a folder of the same content files and a locale file naming it; its locales then speak it."""
    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    (content / "fr").mkdir()
    for name in ("therapies", "speech", "treatment", "timers", "selfcheck", "redflags", "exercises", "faq", "lexicon"):
        shutil.copy(content / f"{name}.yaml", content / "fr" / f"{name}.yaml")
    speech = content / "fr" / "speech.yaml"
    speech.write_text(speech.read_text().replace("Welcome to Spasm Coach.", "Bienvenue dans Spasm Coach."))
    local = (content / "locales" / "en-CA.yaml").read_text().replace("language: en", "language: fr")
    (content / "locales" / "fr-CA.yaml").write_text(local.replace("nine one one", "neuf un un"))
    app = create_app(replace(settings, content_dir=content))
    assert Person(app.test_client(), "fr-CA").launch().speech.startswith("Bienvenue dans Spasm Coach.")
    assert Person(app.test_client(), "fr-FR").intent("RedFlagIntent", slot("flag", "chest pain", "CHEST_PAIN",
                                                                           "RedFlag")).speech.startswith(
        "Please call neuf un un now.")  # the nearest locale of its language
    assert Person(app.test_client(), "en-GB", user_id="amzn1.ask.account.UK").launch().speech.startswith(
        "Welcome to Spasm Coach.")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_simulator_hears_and_speaks_each_locale(locale, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SPASM_COACH_DATA_DIR", str(tmp_path))
    said = {"en-GB": "should I go to A and E", "en-AU": "should I ring healthdirect", "en-CA": "should I go to emerg",
            "en-IN": "should I go to hospital", "en-US": "should I go to the emergency room"}[locale]
    assert main(["chat", "--fresh", "--locale", locale, "--say", "open spasm coach", "--say", said]) == 0
    out = capsys.readouterr().out
    assert "(heard as WhenDoctorIntent)" in out and f"call {LOCALES[locale].emergency} now" in out


def test_cards_are_spelled_the_locales_way():
    british = load_content(locale="en-GB").spelling
    assert spelled("Color programs help you recognize it.", british) == "Colour programmes help you recognise it."
    assert spelled("Color programs", load_content(locale="en-US").spelling) == "Color programs"
