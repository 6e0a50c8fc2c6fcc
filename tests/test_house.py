"""The house as its users and operators meet it: a wheel that works from anywhere, a server that never loads the
developer tools, and start-up checks that refuse content the code cannot speak."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import edit_speech, envelope, intent_request

from skill.content import ContentError, load_content
from skill.conversation import speech_keys
from skill.conversation.dialogue.questions import YesNoQuestion, question_registry
from skill.conversation.dialogue.registry import DuplicateName
from skill.edge.app import create_app
from skill.foundations.config import Settings

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = json.dumps(envelope({"type": "LaunchRequest"}, new=True))
# Run in a fresh interpreter: answer a launch through the app and report what was loaded to do it.
ANSWER_A_LAUNCH = textwrap.dedent(f"""
    import json, sys, tempfile
    from pathlib import Path
    import skill
    from skill.edge.app import create_app
    from skill.foundations.config import Settings
    settings = Settings(verify=False, data_dir=Path(tempfile.mkdtemp()))
    reply = create_app(settings).test_client().post("/alexa", data={LAUNCH!r}).get_json()
    print(json.dumps({{"package": skill.__file__, "content": str(settings.content_dir),
                      "speech": reply["response"]["outputSpeech"]["ssml"],
                      "tools": sorted(m for m in sys.modules if m.startswith("coach_tools"))}}))
""")


def run_python(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_serving_never_loads_the_developer_tools(tmp_path):
    result = run_python(ANSWER_A_LAUNCH, tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "Welcome to Spasm Coach" in answer["speech"]
    assert answer["tools"] == []


def test_a_built_wheel_carries_its_content_and_works_from_any_directory(tmp_path):
    """Built from the source tree, installed into a directory of its own, run from somewhere else entirely."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("spasm_coach-*.whl")
    target = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                                str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    answer = run_python(ANSWER_A_LAUNCH, elsewhere, PYTHONPATH=str(target))
    assert answer.returncode == 0, answer.stderr
    reply = json.loads(answer.stdout)
    assert reply["package"].startswith(str(target)) and reply["content"].startswith(str(target))
    assert "Welcome to Spasm Coach" in reply["speech"]
    check = run_python("from skill.cli import main; raise SystemExit(main(['check']))", elsewhere,
                       PYTHONPATH=str(target))
    assert check.returncode == 0, check.stderr
    assert "content and interaction models are valid" in check.stdout


def test_the_content_directory_can_be_overridden(content_copy, tmp_path):
    speech = content_copy / "speech.yaml"
    speech.write_text(speech.read_text().replace("Welcome to Spasm Coach", "Welcome to Spasm Coach Leeds"))
    settings = Settings.from_env({"SPASM_COACH_CONTENT_DIR": str(content_copy), "SPASM_COACH_VERIFY": "0",
                                  "SPASM_COACH_DATA_DIR": str(tmp_path / "data")})
    assert settings.content_dir == content_copy
    reply = create_app(settings).test_client().post("/alexa", data=LAUNCH).get_json()
    assert "Welcome to Spasm Coach Leeds" in reply["response"]["outputSpeech"]["ssml"]


def test_a_question_name_used_twice_is_refused():
    def answer(turn, offer):
        return None

    with pytest.raises(DuplicateName, match="two questions are named 'onset'"):
        question_registry([YesNoQuestion("onset", answer, answer, answer)],
                          [YesNoQuestion("onset", answer, answer, answer)])


# ---------------------------------------------------------------------------------------------- speech keys


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["timer"]["error"].pop("busy"), "speech.yaml: timer.error.busy: missing (the code asks for it)"),
    (lambda d: d["timer"]["started"].pop("heat"), "speech.yaml: timer.started.heat: missing"),
    (lambda d: d["help"].pop("timer_offer"), "speech.yaml: help.timer_offer: missing"),
    (lambda d: d["hint"].pop("exercise"), "speech.yaml: hint.exercise: missing"),
    (lambda d: d["safety"].pop("urgent"), "speech.yaml: safety.urgent: missing"),
    (lambda d: d["treatment"]["intro"].pop("heat_first"), "speech.yaml: treatment.intro.heat_first: missing"),
    (lambda d: d["timer"]["nothing_to"].pop("pause"), "speech.yaml: timer.nothing_to.pause: missing"),
    (lambda d: d["timer"]["which"].update(say="Ice or heat, {name}?"),
     "speech.yaml: timer.which: uses {name}, which the code does not fill in here"),
    (lambda d: d["help"]["onset"].update(say="You're on step {number}."),
     "speech.yaml: help.onset: uses {number}, which the code does not fill in here"),
    (lambda d: d["timer"].update(sandwich={"say": "Lunch time.", "source": "none"}),
     "speech.yaml: timer.sandwich: no code asks for it"),
])
def test_content_the_code_cannot_speak_stops_the_start(content_copy, tmp_path, change, problem):
    edit_speech(content_copy, change)
    with pytest.raises(ContentError) as caught:
        create_app(Settings(verify=False, data_dir=tmp_path, content_dir=content_copy))
    assert any(found.startswith(problem) for found in caught.value.problems), caught.value.problems


def test_speech_keys_are_said_by_their_constant_and_every_constant_is_said():
    """Declaring a key is using it: no literal key in the serving code, and no declared key that nothing says."""
    speech = set(load_content().speech)
    groups = {key.split(".")[0] for key in speech}
    literals, said = set(), set()
    for path in (ROOT / "skill").rglob("*.py"):
        # The content loader's literals are YAML paths; speech_keys is the declaration.
        if "content" in path.parts or path.name == "speech_keys.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.value in speech or (re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", node.value)
                                             and node.value.split(".")[0] in groups)):
                literals.add(node.value)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "keys":
                said.add(node.attr)
    assert literals == set(), "speech keys written as literals; say them by their constant in speech_keys"
    declared = {name for name, value in vars(speech_keys).items() if isinstance(value, str) and value in
                speech_keys.FIXED}
    assert declared - said == set(), "keys declared in speech_keys that no code says"


# ---------------------------------------------------------------------------------------------- failures


def test_a_failure_around_the_handlers_is_an_apology_that_keeps_the_session(app, client, monkeypatch, log_lines):
    def broken(**kwargs):
        raise RuntimeError("the SDK fell over")

    monkeypatch.setattr(app.extensions["spasm_coach"].skill.sdk, "invoke", broken)
    attributes = {"v": 1, "cursor": {"flow": "treatment", "variant": "cold_first", "index": 2}, "pending": None}
    response = client.post("/alexa", data=json.dumps(envelope(intent_request("AMAZON.NextIntent"),
                                                              attributes=attributes)))
    assert response.status_code == 200
    body = response.get_json()
    assert "something went wrong" in body["response"]["outputSpeech"]["ssml"]
    assert body["response"]["reprompt"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert body["response"]["shouldEndSession"] is False
    assert body["sessionAttributes"] == attributes  # nothing lost: the next "next" moves on from step 3
    line = next(line for line in log_lines() if line["logger"] == "skill.requests")
    assert (line["outcome"], line["error"]) == ("apologized", "RuntimeError: the SDK fell over")
    ended = client.post("/alexa", data=json.dumps(envelope({"type": "SessionEndedRequest", "reason": "ERROR"})))
    assert ended.status_code == 200 and "outputSpeech" not in ended.get_json()["response"]
