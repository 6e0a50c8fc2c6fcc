"""Content is validated at start: every problem stops the start with its file and key named."""

from __future__ import annotations

import pytest
import yaml

from skill.cli import main
from skill.content import ContentError, load_content
from skill.content.phrasing import spoken_duration
from skill.edge.app import create_app
from skill.foundations.config import Settings


def edit(directory, name, change):
    path = directory / f"{name}.yaml"
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_the_shipped_content_is_valid_and_sourced():
    content = load_content()
    assert {"ice", "heat"} <= set(content.therapies)
    for plan in content.treatment.plans.values():
        assert plan.steps and plan.source
        assert all(step.source for step in plan.steps)
    assert all(item.source for item in content.speech.values())


BREAKAGES = [
    ("speech", lambda d: d["launch"]["first"].update(colour="blue"), "speech.yaml: launch.first.colour: unknown key"),
    ("speech", lambda d: d["launch"]["first"].pop("source"), "speech.yaml: launch.first.source: missing"),
    ("speech", lambda d: d["goodbye"]["plain"].update(say=[]), "speech.yaml: goodbye.plain.say: must have at least"),
    ("speech", lambda d: d["launch"]["first"].update(say="Hello {ice.maximum}"),
     "speech.yaml: launch.first.say: refers to {ice.maximum}, which no content defines"),
    ("speech", lambda d: d["launch"]["returning"].update(reprompt=d["launch"]["returning"]["say"][0]),
     "speech.yaml: launch.returning.reprompt: must help more than repeating the prompt"),
    ("therapies", lambda d: d["therapies"]["ice"].update(max="twenty minutes"),
     "therapies.yaml: therapies.ice.max: must be a positive ISO 8601 duration"),
    ("therapies", lambda d: d["therapies"]["ice"].update(default="PT0M"),
     "therapies.yaml: therapies.ice.default: must be a positive ISO 8601 duration"),
    ("therapies", lambda d: d["therapies"]["heat"].update(default="PT45M"),
     "therapies.yaml: therapies.heat.default: is longer than max"),
    ("therapies", lambda d: d["therapies"]["heat"].pop("rest"), "therapies.yaml: therapies.heat.rest: missing"),
    ("treatment", lambda d: d["plans"]["cold_first"]["steps"].append("cartwheels"),
     "treatment.yaml: plans.cold_first.steps[5]: refers to step 'cartwheels', which steps does not define"),
    ("treatment", lambda d: d["steps"]["comforts"].pop("source"), "treatment.yaml: steps.comforts.source: missing"),
    ("treatment", lambda d: d["steps"]["comforts"].update(source="  "),
     "treatment.yaml: steps.comforts.source: must be non-empty text"),
    ("treatment", lambda d: d["onset"].update(later_plan="hot_tub"),
     "treatment.yaml: onset.later_plan: refers to plan 'hot_tub'"),
    ("treatment", lambda d: d["plans"]["heat_first"].update(more="everything"),
     "treatment.yaml: plans.heat_first.more: must be a list of step ids"),
    ("treatment", lambda d: d["onset"].update(recent_within="soon"),
     "treatment.yaml: onset.recent_within: must be a positive ISO 8601 duration"),
    ("treatment", lambda d: d.update(extra={}), "treatment.yaml: extra: unknown key"),
]


@pytest.mark.parametrize(("name", "change", "message"), BREAKAGES)
def test_each_kind_of_breakage_is_named_by_file_and_key(content_copy, name, change, message):
    edit(content_copy, name, change)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert any(problem.startswith(message) for problem in caught.value.problems), caught.value.problems


def test_broken_yaml_and_missing_files_are_reported(content_copy):
    (content_copy / "speech.yaml").write_text("launch: [unclosed")
    (content_copy / "therapies.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    text = str(caught.value)
    assert "speech.yaml: not valid YAML" in text and "therapies.yaml: file is missing" in text


def test_bad_content_stops_the_server_from_starting(content_copy, tmp_path):
    edit(content_copy, "treatment", lambda d: d["steps"]["comforts"].pop("source"))
    with pytest.raises(ContentError, match=r"steps\.comforts\.source"):
        create_app(Settings(verify=False, data_dir=tmp_path, content_dir=content_copy))


def test_a_changed_emergency_number_is_heard_at_the_next_start(content_copy, tmp_path):
    """Nothing is kept between starts (hazard H13): an edit is loaded, checked and spoken at once."""
    settings = Settings(verify=False, data_dir=tmp_path, content_dir=content_copy)
    create_app(settings)
    locale_file = content_copy / "locales" / "en-GB.yaml"
    locale_file.write_text(locale_file.read_text().replace("nine nine nine", "one one two"))
    voices = create_app(settings).extensions["spasm_coach"].skill.deps.voices
    spoken = repr(voices["en-GB"].content.speech)
    assert "one one two" in spoken and "nine nine nine" not in spoken


def test_check_command_exit_codes(content_copy, capsys):
    assert main(["check"]) == 0
    assert "valid" in capsys.readouterr().out
    edit(content_copy, "therapies", lambda d: d["therapies"]["ice"].update(max="PT-5M"))
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    assert "therapies.yaml: therapies.ice.max" in capsys.readouterr().err


@pytest.mark.parametrize(("seconds", "spoken"), [(15 * 60, "15 minutes"), (60, "a minute"), (90, "a minute and a half"),
                                                 (30, "30 seconds"), (3600, "an hour"), (5400, "an hour and a half"),
                                                 (7200, "2 hours"), (3900, "an hour and 5 minutes")])
def test_durations_are_spoken_the_way_people_say_them(seconds, spoken):
    import datetime as dt

    assert spoken_duration(dt.timedelta(seconds=seconds)) == spoken


def test_check_refuses_words_a_listener_cannot_picture(content_copy, capsys):
    def seedy(doc):
        doc["steps"]["move_gently"]["say"] = "Roll gently beside the quadratus lumborum, as the source article says."
    edit(content_copy, "treatment", seedy)
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert "treatment.yaml: steps.move_gently: says 'quadratus'" in err


def test_check_refuses_heat_in_the_first_days_round(content_copy, capsys):
    def heat_early(doc):
        rounds = doc["cycle"]["rounds"]
        rounds["cold_first"][1:1] = [dict(rounds["heat_first"][0]), dict(rounds["heat_first"][1])]
    edit(content_copy, "timers", heat_early)
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    assert "cycle.rounds.cold_first: must be ice and rests only: no heat early on" in capsys.readouterr().err


LONG = " ".join(["word"] * 61) + "."


@pytest.mark.parametrize(("name", "change", "named"), [
    ("speech", lambda d: d["launch"]["first"].update(say=" ".join(["word"] * 41) + "."),
     "speech.yaml: launch.first: 41 words; a launch says at most 40"),
    ("speech", lambda d: d["flow"]["at_first"].update(say=LONG), "speech.yaml: flow.at_first: 61 words"),
    ("exercises", lambda d: d["exercises"]["bird_dog"].update(purpose=LONG),
     "exercises.yaml: exercises.bird_dog: 61 words"),
    ("exercises", lambda d: d["exercises"]["bird_dog"]["steps"][0].update(say=LONG),
     "exercises.yaml: exercises.bird_dog.steps[0]: 61 words"),
    ("exercises", lambda d: d["massage"]["upper_back"]["steps"][1].update(say=LONG),
     "exercises.yaml: massage.upper_back.steps[1]: 61 words"),
    ("selfcheck", lambda d: d["questions"][0].update(advice=LONG), "selfcheck.yaml: questions.nutrition: 61 words"),
    ("timers", lambda d: d["timers"]["ice"].update(announce=LONG), "timers.yaml: timers.ice.announce: 61 words"),
    ("timers", lambda d: d["cycle"]["rounds"]["cold_first"][0].update(announce=LONG),
     "timers.yaml: cycle.rounds.cold_first[0].announce: 61 words"),
    ("faq", lambda d: d["answers"]["what_is"].update(say=LONG), "faq.yaml: what_is: 61 words"),
    ("treatment", lambda d: d["steps"]["ice_how"].update(say="Roll the psoas gently."),
     "treatment.yaml: steps.ice_how: says 'psoas'"),
])
def test_every_kind_of_spoken_item_is_held_to_the_budget_by_name(content_copy, name, change, named):
    edit(content_copy, name, change)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert any(problem.removeprefix("en-US: ").startswith(named) for problem in caught.value.problems), \
        caught.value.problems
