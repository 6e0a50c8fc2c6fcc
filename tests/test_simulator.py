"""The local simulator and the skill tooling: utterances resolve as Alexa would, chats hold, packages deploy."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from coach_tools.model_lint import lint_model, load_model
from coach_tools.nlu import Understanding, words_to_duration
from coach_tools.simulator import announcer, permission_status
from skill.bundled import content_dir, model_dir
from skill.cli import main

MODEL = load_model(model_dir() / "en-US.json")
NLU = Understanding(MODEL)

@pytest.mark.parametrize(("said", "iso"), [("ten minutes", "PT10M"), ("an hour and a half", "PT1H30M"),
                                           ("twenty five minutes", "PT25M"), ("a couple of minutes", "PT2M"),
                                           ("90 seconds", "PT1M30S"), ("half an hour", "PT30M"),
                                           ("banana", None)])
def test_durations_as_alexa_fills_them(said, iso):
    assert words_to_duration(said) == iso


def test_an_unplaceable_utterance_names_the_nearest_samples():
    assert NLU.resolve("the treatmint plan").intent == "AMAZON.FallbackIntent"
    assert "treatment plan" in NLU.nearest("the treatmint plan")


def test_invocations_and_one_shots():
    assert NLU.invocation_split("Alexa, open spasm coach") == (True, "")
    assert NLU.invocation_split("ask spasm coach to start an ice timer") == (True, "start an ice timer")
    assert NLU.invocation_split("next") == (False, "next")


@pytest.mark.parametrize(("answer", "status"), [("yes", "ACCEPTED"), ("I approve", "ACCEPTED"),
                                                ("no", "DENIED"), ("I don't", "DENIED"), ("", "NOT_ANSWERED")])
def test_permission_answers(answer, status):
    assert permission_status(answer) == status


# ---------------------------------------------------------------------------------------------- chat


def chat(tmp_path, capsys, lines: list[str], *extra: str) -> tuple[int, str]:
    script = tmp_path / "script.txt"
    script.write_text("\n".join(["# a conversation", *lines]) + "\n")
    code = main(["chat", "--fresh", "--script", str(script), *extra])
    return code, capsys.readouterr().out


def test_a_scripted_chat_through_an_ice_timer_that_fires(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    code, out = chat(tmp_path, capsys, ["open spasm coach", "start an ice timer", "yes", "how long is left"],
                     "--time-scale", "3600", "--wait-for-timers")
    assert code == 0
    assert "Alexa: Welcome to Spasm Coach." in out
    assert "Do you give Spasm Coach permission to update your timers?" in out
    assert "(permission accepted)" in out and "Your ice timer is set for 15 minutes" in out
    assert "[timer 'Spasm Coach: ice' went off] Alexa: Time to take the ice pack off." in out


def test_a_refused_permission_in_chat(tmp_path, capsys):
    code, out = chat(tmp_path, capsys, ["ask spasm coach to start an ice timer", "no"])
    assert code == 0 and "(permission denied)" in out and "card to the Alexa app" in out
    assert "[card AskForPermissionsConsent" in out


def test_chat_shows_pauses_and_the_fallback_hint(tmp_path, capsys):
    code, out = chat(tmp_path, capsys, ["how do I do a bird dog", "no", "no", "no", "no", "yes", "next", "next", "next",
                                          "the treatmint plan"])
    assert code == 0
    assert "Hold. (pause 1s) 2 (pause 1s) 3" in out
    assert 'heard as AMAZON.FallbackIntent; nearest samples: "treatment plan"' in out


def test_a_chat_is_not_broken_up_by_log_lines(tmp_path, capsys):
    script = tmp_path / "script.txt"
    script.write_text("open spasm coach\n")
    assert main(["chat", "--fresh", "--script", str(script)]) == 0
    out, err = capsys.readouterr()
    assert "Welcome to Spasm Coach" in out and '"logger"' not in out + err


def test_a_missing_script_is_a_sentence_not_a_traceback(tmp_path, capsys):
    assert main(["chat", "--script", str(tmp_path / "conversation.txt")]) == 2
    err = capsys.readouterr().err
    assert "no script at" in err and "docs/conversation.txt" in err and "Traceback" not in err


def test_a_locale_without_a_model_is_heard_through_the_nearest_and_says_so(tmp_path, capsys):
    script = tmp_path / "script.txt"
    script.write_text("I wet myself\n")
    assert main(["chat", "--fresh", "--strict", "--locale", "en-NZ", "--script", str(script)]) == 0
    out, err = capsys.readouterr()
    assert "no interaction model for en-NZ: heard through en-US's" in err
    assert "Alexa: Please call your emergency number now." in out


def test_speak_without_espeak_says_so(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    said: list[str] = []
    announcer(said.append, speak=True)
    assert said and "needs espeak-ng" in said[0]


def test_say_and_the_exit_code_when_the_skill_does_not_answer(capsys):
    assert main(["chat", "--fresh", "--say", "open spasm coach", "--url", "http://127.0.0.1:9/alexa"]) == 1
    assert "[no answer] could not reach" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------- package


EMERGENCY = {"en-US": "911", "en-GB": "999", "en-CA": "911", "en-AU": "000", "en-IN": "112"}  # sources.md numbers-*


def test_the_package_has_the_shape_ask_deploy_expects(tmp_path, capsys):
    out = tmp_path / "project"
    assert main(["package", "--endpoint", "https://coach.example.com/alexa", "--out", str(out),
                 "--certificate", "Wildcard"]) == 0
    resources = json.loads((out / "ask-resources.json").read_text())
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"
    manifest = json.loads((out / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["apis"]["custom"]["interfaces"] == [{"type": "CAN_FULFILL_INTENT_REQUEST"}]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": "https://coach.example.com/alexa",
                                                     "sslCertificateType": "Wildcard"}
    assert manifest["permissions"] == [{"name": "alexa::alerts:timers:skill:readwrite"}]
    assert manifest["events"]["subscriptions"] == [{"eventName": "SKILL_DISABLED"}]
    publishing = manifest["publishingInformation"]
    assert publishing["distributionCountries"] == ["AU", "CA", "GB", "IN", "US"]
    assert sorted(publishing["locales"]) == sorted(EMERGENCY) == sorted(manifest["privacyAndCompliance"]["locales"])
    for code, locale in publishing["locales"].items():
        # The disclaimer, with the number people dial where that locale is spoken, in digits: a listing is read.
        assert "not a substitute for professional medical advice" in locale["description"]
        assert locale["description"].endswith(f"emergency response phone number ({EMERGENCY[code]}).")
        nlu = Understanding(load_model(model_dir() / f"{code}.json"))
        for phrase in locale["examplePhrases"]:  # certification: example phrases come from the locale's samples
            launch, rest = nlu.invocation_split(phrase)
            assert launch and (not rest or nlu.resolve(rest).intent != "AMAZON.FallbackIntent"), phrase
        model = json.loads((out / "skill-package" / "interactionModels" / "custom" / f"{code}.json").read_text())
        assert model == json.loads((model_dir() / f"{code}.json").read_text())
    assert "Call your GP to receive medical advice" in publishing["locales"]["en-GB"]["description"]
    assert "says when to get help, but it cannot examine you" in publishing["locales"]["en-US"]["description"]
    privacy = manifest["privacyAndCompliance"]
    assert privacy["usesHealthInfo"] is False and privacy["usesPersonalInfo"] is False
    # One host is enough: the service serves its own privacy policy and terms, linked for every locale.
    assert {tuple(links.items()) for links in privacy["locales"].values()} == {(
        ("privacyPolicyUrl", "https://coach.example.com/privacy"), ("termsOfUseUrl", "https://coach.example.com/terms"))}
    for locale in publishing["locales"].values():
        for uri, side in (("smallIconUri", 108), ("largeIconUri", 512)):
            icon = out / "skill-package" / locale[uri].removeprefix("file://")
            assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and icon.read_bytes()[16:24] == (
                side.to_bytes(4, "big") * 2)


def test_the_package_links_the_policies_it_is_given(tmp_path):
    assert main(["package", "--endpoint", "https://coach.example.com/alexa", "--out", str(tmp_path),
                 "--privacy-url", "https://example.org/p", "--terms-url", "https://example.org/t"]) == 0
    manifest = json.loads((tmp_path / "skill-package" / "skill.json").read_text())["manifest"]
    assert manifest["privacyAndCompliance"]["locales"]["en-GB"] == {"privacyPolicyUrl": "https://example.org/p",
                                                                    "termsOfUseUrl": "https://example.org/t"}
    assert main(["package", "--endpoint", "https://coach.example.com/alexa", "--out", str(tmp_path),
                 "--privacy-url", "http://example.org/p"]) == 2


@pytest.mark.parametrize(("icon", "message"), [
    (None, "small.png is missing"),
    (b"GIF89a" + bytes(40), "small.png is not a PNG"),
    ("large.png", "small.png must be 108×108 pixels, not 512×512"),
])
def test_the_package_refuses_to_go_without_the_stores_icons(tmp_path, capsys, icon, message):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    small = content / "icons" / "small.png"
    if icon is None:
        small.unlink()
    else:
        small.write_bytes(icon if isinstance(icon, bytes) else (content / "icons" / icon).read_bytes())
    out = tmp_path / "project"
    assert main(["package", "--endpoint", "https://coach.example.com/alexa", "--out", str(out),
                 "--content-dir", str(content)]) == 2
    assert message in capsys.readouterr().err
    assert not (out / "skill-package" / "skill.json").exists()


@pytest.mark.parametrize("endpoint", ["http://coach.example.com/alexa", "https://coach.example.com:8443/alexa",
                                      "coach.example.com", "https://coach.example.com", "https://coach.example.com/",
                                      "https://coach.example.com/alexa/", "https://coach.example.com/healthz",
                                      "https://coach.example.com/alexa?x=1"])
def test_the_package_refuses_endpoints_alexa_cannot_call(tmp_path, endpoint):
    assert main(["package", "--endpoint", endpoint, "--out", str(tmp_path)]) == 2


def test_check_reads_the_listing(tmp_path, capsys):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    listing = (content / "listing.yaml").read_text().replace("not a substitute for professional medical advice",
                                                             "great fun")
    (content / "listing.yaml").write_text(listing)
    assert main(["check", "--content-dir", str(content)]) == 1
    assert "listing.yaml: description: must carry the not-medical-advice disclaimer" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------- the lint


def _intent(model: dict, name: str) -> dict:
    return next(i for i in model["intents"] if i["name"] == name)


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m["types"][0].update(values=[]), "has no values"),
    (lambda m: _intent(m, "TimerStatusIntent")["slots"].append({"name": "spare", "type": "TherapyType"}),
     "slot spare is declared but no sample uses it"),
    (lambda m: _intent(m, "TreatmentIntent")["samples"].append("treat my back 2 times"), "characters Alexa rejects"),
    (lambda m: _intent(m, "TreatmentIntent")["samples"].append("please " * 40), "is over 200 characters"),
    (lambda m: m["types"][0]["values"][0]["name"]["synonyms"].append("x" * 141), "is over 140 characters"),
    (lambda m: m["intents"].extend({"name": f"Extra{i}Intent", "samples": []} for i in range(260)),
     "more than the 250 allowed"),
])
def test_the_lint_catches_build_faults(change, message):
    model = copy.deepcopy(MODEL)
    change(model)
    assert any(message in problem for problem in lint_model(model)), lint_model(model)[:5]


def test_the_readme_conversation_is_what_the_skill_says(capsys):
    """README shows docs/conversation.txt as `make demo` replays it; a change in wording must update both."""
    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- conversation:", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert main(["chat", "--fresh", "--strict", "--replay", "readme", "--script",
                 str(root / "docs" / "conversation.txt")]) == 0
    said = [line for line in capsys.readouterr().out.splitlines() if not line.startswith(("  (heard", "  (perm"))]
    assert shown.splitlines() == said


def test_models_are_never_written_into_an_installed_package(tmp_path, monkeypatch, capsys):
    installed = tmp_path / "site-packages" / "skill" / "bundled" / "interaction_model"
    installed.mkdir(parents=True)
    monkeypatch.setattr("skill.bundled.model_dir", lambda: installed)
    assert main(["models"]) == 2
    assert "give --model-dir" in capsys.readouterr().err and list(installed.iterdir()) == []
