"""The interaction model and the handlers agree, and the model would pass Alexa's build."""

from __future__ import annotations

import copy
import json
import shutil

import pytest

from coach_tools.model_lint import intent_names, invocation_problems, lint_model, load_model
from coach_tools.models import bare_answers
from coach_tools.nlu import on_device
from skill.alexa.startup_checks import handled_intents
from skill.bundled import model_dir
from skill.cli import main
from skill.content import load_content

MODEL = load_model(model_dir() / "en-US.json")
HANDLED = handled_intents(load_content())
BARE = bare_answers(model_dir())


def test_every_model_intent_has_a_handler_and_every_handled_intent_is_in_the_model():
    assert intent_names(MODEL) == HANDLED


def test_the_model_lints_clean():
    assert lint_model(MODEL, HANDLED, bare_allowed=BARE) == []


def test_invocation_name():
    assert MODEL["invocationName"] == "spasm coach"


def test_built_ins_the_platform_lists_are_all_there():
    expected = {"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent",
                "AMAZON.FallbackIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NextIntent",
                "AMAZON.PreviousIntent", "AMAZON.RepeatIntent", "AMAZON.StartOverIntent", "AMAZON.PauseIntent",
                "AMAZON.ResumeIntent"}
    assert expected <= intent_names(MODEL)


def test_treatment_has_the_natural_phrasings():
    for phrase in ("what should I do for my back spasm", "how do I treat a back spasm", "my back is in spasm",
                   "read me the treatment steps", "I've done my back in", "my back's gone again"):
        assert on_device("en-US").resolve(phrase).intent == "TreatmentIntent", phrase


def test_no_sample_is_in_two_intents():
    seen: dict[str, str] = {}
    for intent in MODEL["intents"]:
        for sample in intent.get("samples", []):
            key = " ".join(sample.lower().split())
            assert seen.setdefault(key, intent["name"]) == intent["name"], sample


def _intent(model: dict, name: str) -> dict:
    return next(intent for intent in model["intents"] if intent["name"] == name)


def _broken(change) -> dict:
    model = copy.deepcopy(MODEL)
    change(model)
    return model


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["intents"][-1]["samples"].append("yes please"), "is in both"),
        (lambda m: _intent(m, "TreatmentIntent")["samples"].append("my {onset}"), "is a bare slot or nearly one"),
        (lambda m: m["intents"][-1]["samples"].append("ice"), "is also a TherapyType value"),
        (lambda m: m["intents"].append({"name": "DanceIntent", "samples": ["dance"]}), "DanceIntent has no handler"),
        (lambda m: m.update(intents=[i for i in m["intents"] if i["name"] != "SpasmOnsetIntent"]),
         "SpasmOnsetIntent, which the model does not define"),
        (lambda m: m["intents"][-1]["samples"].append("when {time}"), "undeclared slot time"),
        (lambda m: m.update(types=[]), "undeclared type SpasmOnset"),
        (lambda m: m.update(intents=[i for i in m["intents"] if i["name"] != "AMAZON.StopIntent"]),
         "AMAZON.StopIntent is missing"),
    ],
)
def test_the_lint_catches_each_fault(change, message):
    problems = lint_model(_broken(change), HANDLED, bare_allowed=BARE)
    assert any(message in problem for problem in problems), problems


@pytest.mark.parametrize("name", ["spasm", "alexa spasm coach", "Spasm Coach", "open spasm coach", "coach for spasm",
                                  "spasm coach 2"])
def test_bad_invocation_names_are_caught(name):
    assert invocation_problems(name)


def test_check_fails_on_a_broken_model(tmp_path, capsys):
    model = json.loads((model_dir() / "en-US.json").read_text())
    model["interactionModel"]["languageModel"]["invocationName"] = "spasm"
    (tmp_path / "en-US.json").write_text(json.dumps(model))
    assert main(["check", "--model-dir", str(tmp_path)]) == 1
    assert "invocationName: must be at least two words" in capsys.readouterr().err


def test_check_catches_content_phrases_the_model_would_not_resolve(tmp_path, capsys):
    model = json.loads((model_dir() / "en-US.json").read_text())
    for slot_type in model["interactionModel"]["languageModel"]["types"]:
        if slot_type["name"] == "RedFlag":
            slot_type["values"] = [v for v in slot_type["values"] if v["id"] != "CHEST_PAIN"]
    (tmp_path / "en-US.json").write_text(json.dumps(model))
    assert main(["check", "--model-dir", str(tmp_path)]) == 1
    assert "slot type RedFlag lacks 'chest pain' under id CHEST_PAIN" in capsys.readouterr().err


def test_check_catches_a_timer_kind_the_model_cannot_name(content_copy, capsys):
    timers = content_copy / "timers.yaml"
    timers.write_text(timers.read_text().replace("slot_id: HEAT", "slot_id: WARMTH"))
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    assert "slot type TherapyType has no value with id WARMTH" in capsys.readouterr().err


def test_check_fails_while_a_written_model_is_not_what_its_source_builds(tmp_path, capsys):
    shutil.copytree(model_dir(), tmp_path / "models", ignore=shutil.ignore_patterns("__*"))
    extra = tmp_path / "models" / "source" / "en-GB.yaml"
    extra.write_text(extra.read_text().replace("- should I see a GP\n",
                                               "- should I see a GP\n    - is it one for the GP\n"))
    assert main(["check", "--model-dir", str(tmp_path / "models")]) == 1
    assert "en-GB.json: not what interaction_model/source builds; run spasm-coach models" in capsys.readouterr().err
    assert main(["models", "--model-dir", str(tmp_path / "models")]) == 0
    assert main(["check", "--model-dir", str(tmp_path / "models")]) == 0
    assert "is it one for the GP" in (tmp_path / "models" / "en-GB.json").read_text()


def test_every_question_topic_names_an_answer():
    """"Can I {act}" and "is {thing} good": a topic the model can hear is an answer content has."""
    answers = set(load_content().faq)
    topics = {value["id"] for slot_type in MODEL["types"] if slot_type["name"] in ("QuestionAct", "QuestionThing")
              for value in slot_type["values"]}
    assert topics and topics <= answers, topics - answers
