"""Exercises and self-massage by voice alone: every name, every step both ways, counting, pain, kept places."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from conftest import slot

from coach_tools.model_lint import load_model
from skill.bundled import model_dir
from skill.content import load_content
from skill.foundations.alexa_platform import MAX_BREAK_MS, MAX_PACED_SECONDS

CONTENT = load_content()
EXERCISES = CONTENT.exercises
AREAS = CONTENT.massage


def exercise(value: str, exercise_id: str | None) -> dict:
    return slot("exercise", value, exercise_id, "ExerciseName")


def area(value: str, area_id: str | None) -> dict:
    return slot("area", value, area_id, "BodyArea")


def breaks(ssml: str) -> list[int]:
    return [int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', ssml)]


@pytest.mark.parametrize(("exercise_id", "said"),
                         [(e.id, name) for e in EXERCISES.values() for name in (e.name, *e.synonyms)])
def test_every_exercise_by_every_name_starts_with_its_stop_rule(alexa, exercise_id, said):
    """The first turn names the exercise once, folds in the stop rule and gets the body into position; what it is
    for goes on the card."""
    target = EXERCISES[exercise_id]
    reply = alexa.intent("ExerciseIntent", exercise(said, exercise_id))
    assert f"{target.title}. {target.stop_rule} {target.steps[0].say}" in reply.speech
    assert "Step" not in reply.speech and target.purpose in reply.response["card"]["content"]


@pytest.mark.parametrize("exercise_id", list(EXERCISES))
def test_each_exercise_can_be_followed_start_to_finish_and_back(alexa, exercise_id):
    target = EXERCISES[exercise_id]
    alexa.intent("ExerciseIntent", exercise(target.name, exercise_id))
    for step in target.steps[1:]:
        reply = alexa.intent("AMAZON.NextIntent")
        assert reply.speech.startswith(step.say) and target.title not in reply.speech  # named once, not each turn
    assert "That's the last step" in reply.speech
    for step in reversed(target.steps[:-1]):
        assert step.say in alexa.intent("AMAZON.PreviousIntent").speech


@pytest.mark.parametrize(("area_id", "said"), [(a.id, name) for a in AREAS.values() for name in (a.name, *a.synonyms)])
def test_every_massage_area_by_every_name(alexa, area_id, said):
    reply = alexa.intent("SelfMassageIntent", area(said, area_id))
    assert f"Self-massage for your {AREAS[area_id].name}." in reply.speech
    assert "at least a day after a spasm" in reply.speech  # the wait the seed names, before anything else


@pytest.mark.parametrize("area_id", list(AREAS))
def test_each_massage_area_start_to_finish(alexa, area_id):
    steps = AREAS[area_id].steps
    alexa.intent("SelfMassageIntent", area(AREAS[area_id].name, area_id))
    for step in steps[1:]:
        reply = alexa.intent("AMAZON.NextIntent")
        assert step.say in reply.speech
    assert "That's the last step" in reply.speech


def test_the_low_back_is_never_rolled_and_deep_muscles_are_left_to_a_physio():
    spoken = " ".join(step.say for step in AREAS["low_back"].steps)
    assert "We won't roll the low back itself" in spoken and "best left to a physical therapist" in spoken
    assert "quadratus" not in spoken and "psoas" not in spoken and "source article" not in spoken
    assert "minutes" not in " ".join(step.say for a in AREAS.values() for step in a.steps)  # not the seed's 5-30


def test_a_short_hold_is_counted_each_second(alexa):
    alexa.intent("ExerciseIntent", exercise("bird dog", "bird_dog"))
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.NextIntent")  # the usual slips, before any counting
    reply = alexa.intent("AMAZON.NextIntent")  # the first 6-second hold, on each leg
    ET.fromstring(reply.ssml)
    assert "Hold. 2 3 4 5 6 And relax. Switch sides. Hold. 2 3 4 5 6 And relax." in reply.speech
    assert breaks(reply.ssml).count(1000) == 13  # six seconds a side, and a breath to switch


def test_a_long_hold_calls_out_every_five_seconds(alexa):
    alexa.intent("SelfMassageIntent", area("upper back", "upper_back"))
    for _ in range(3):
        reply = alexa.intent("AMAZON.NextIntent")
    assert "Hold. 5 10 15 20 25 And relax." in reply.speech
    assert breaks(reply.ssml).count(5000) == 6  # thirty seconds


def test_reps_are_counted_at_their_tempo(alexa):
    alexa.intent("ExerciseIntent", exercise("squat to row", "squat_to_row"))
    for _ in range(5):
        reply = alexa.intent("AMAZON.NextIntent")
    assert "Ready, go. 1 2 3 4 5 6 7 8 9 10 And rest." in reply.speech
    assert breaks(reply.ssml).count(4000) == 11


def test_the_usual_slips_come_before_the_first_counted_step():
    for move in EXERCISES.values():
        slips = next(i for i, step in enumerate(move.steps) if "usual slips" in step.say)
        counted = next(i for i, step in enumerate(move.steps) if step.hold or step.reps)
        assert slips < counted, move.id


def test_every_counted_step_fits_one_response(alexa):
    """Walk the whole routine and both massages: every break legal, the counting inside the time limit."""
    replies = [alexa.intent("RoutineIntent")]
    total = sum(len(e.steps) for e in EXERCISES.values())
    replies += [alexa.intent("AMAZON.NextIntent") for _ in range(total - 1)]
    for area_id, target in AREAS.items():
        replies.append(alexa.intent("SelfMassageIntent", area(target.name, area_id)))
        replies += [alexa.intent("AMAZON.NextIntent") for _ in target.steps[1:]]
    for reply in replies:
        assert all(0 < ms <= MAX_BREAK_MS for ms in breaks(reply.ssml))
        assert sum(breaks(reply.ssml)) <= (MAX_PACED_SECONDS + 2) * 1000
        assert len(reply.ssml) < 8000


def test_the_routine_goes_through_all_four_in_order(alexa):
    reply = alexa.intent("RoutineIntent")
    total = sum(len(e.steps) for e in EXERCISES.values())
    assert "Bird dog." in reply.speech
    seen = ["Bird dog"]
    for _ in range(total - 1):
        opening = re.search(r"Next exercise: ([^.]+)\.", alexa.intent("AMAZON.NextIntent").speech)
        if opening:
            seen.append(opening.group(1))
    assert seen == ["Bird dog", "Eight point plank", "Squat to row", "Ball chest press"]


def test_the_routine_remembers_where_the_user_stopped(alexa):
    alexa.intent("RoutineIntent")
    for _ in range(6):
        alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.StopIntent")
    offer = alexa.launch()
    assert "you'd got to Eight point plank" in offer.speech and "start over" in offer.speech
    plank = EXERCISES["eight_point_plank"].steps[0].say
    assert plank in alexa.intent("AMAZON.YesIntent").speech


def test_unknown_and_missing_names(alexa):
    unknown = alexa.intent("ExerciseIntent", exercise("burpees", None))
    assert unknown.speech.startswith("I don't know that one yet.")
    assert "bird dog, eight point plank, squat to row, and ball chest press" in unknown.speech
    missing = alexa.intent("ExerciseIntent")
    assert missing.speech.startswith("Which exercise would you like?")
    assert "Bird dog." in alexa.intent("ExerciseIntent", exercise("bird dog", "bird_dog")).speech
    assert alexa.intent("SelfMassageIntent").speech.startswith("Self-massage for which part")
    assert alexa.intent("SelfMassageIntent", area("knee", None)).speech.startswith("Self-massage for which part")


def test_listing_what_there_is(alexa):
    reply = alexa.intent("ListExercisesIntent")
    assert "four exercises" in reply.speech and "upper back, or hips and buttocks" in reply.speech and not reply.ends


def test_it_hurts_in_the_middle_stops_and_says_what_to_do(alexa):
    alexa.intent("ExerciseIntent", exercise("bird dog", "bird_dog"))
    alexa.intent("AMAZON.NextIntent")
    reply = alexa.intent("PainIntent")
    assert reply.speech.startswith("Stop there") and not reply.attributes["cursor"]  # the movement is over
    assert "call nine one one" in reply.speech  # the red-flag path, when it applies
    assert reply.speech.endswith("Shall I time 15 minutes of ice for you?")  # something gentler, offered
    assert "you'd got to Bird dog" in alexa.launch().speech
    # Back at the gentlest step, the exercise's first, not where it hurt.
    assert EXERCISES["bird_dog"].steps[0].say in alexa.intent("AMAZON.YesIntent").speech


def test_it_hurts_in_the_routine_comes_back_at_the_start_of_that_exercise_not_the_routine(alexa):
    alexa.intent("RoutineIntent")
    for _ in range(len(EXERCISES["bird_dog"].steps) + 1):  # into the second exercise, one step along
        alexa.intent("AMAZON.NextIntent")
    assert alexa.intent("PainIntent").attributes["cursor"] is None  # stopped, and ice offered
    alexa.launch()
    second = list(EXERCISES.values())[1]
    assert second.steps[0].say in alexa.intent("AMAZON.YesIntent").speech


def test_it_hurts_outside_a_movement_is_general_advice(alexa):
    alexa.intent("TreatmentIntent")
    reply = alexa.intent("PainIntent")
    assert not reply.ends and reply.speech.startswith("If something hurts, stop and rest")
    assert "last two days" in reply.speech  # and the question that was waiting


def test_a_red_flag_during_an_exercise_is_answered_at_once(alexa):
    alexa.intent("RoutineIntent")
    reply = alexa.intent("RedFlagIntent", slot("flag", "my legs are going weak", "LEG_WEAKNESS", "RedFlag"))
    assert reply.ends and "call nine one one now" in reply.speech


def test_done_is_a_way_of_saying_next_and_skip_has_its_own_intent():
    model = load_model(model_dir() / "en-US.json")
    samples = {i["name"]: set(i["samples"]) for i in model["intents"]}
    assert {"done", "I'm done"} <= samples["AMAZON.NextIntent"] and "skip" in samples["SkipIntent"]


def test_pause_keeps_the_exercise_place(alexa):
    alexa.intent("ExerciseIntent", exercise("eight point plank", "eight_point_plank"))
    alexa.intent("AMAZON.NextIntent")
    assert alexa.intent("AMAZON.PauseIntent").ends
    alexa.end_session()
    assert EXERCISES["eight_point_plank"].steps[1].say in alexa.intent("AMAZON.ResumeIntent").speech


def test_self_massage_keeps_no_place_as_its_area_says_where_it_hurts(alexa):
    alexa.intent("SelfMassageIntent", area("low back", "low_back"))
    alexa.intent("AMAZON.NextIntent")
    paused = alexa.intent("AMAZON.PauseIntent")
    assert paused.ends and "kept your place" not in paused.speech
    alexa.end_session()
    assert alexa.intent("AMAZON.ResumeIntent").speech.startswith("There's no place kept")
    assert "hips and buttocks" not in alexa.launch().speech


def test_a_move_the_skill_lacks_offers_the_nearest_and_a_yes_starts_it(alexa):
    offer = alexa.intent("ExerciseIntent", exercise("knee hugs", "knee_hug"))
    assert "knee hugs" in offer.speech and alexa.attributes["pending"] == "nearest_exercise"
    assert "Bird dog. Stop at any sharp pain" in alexa.intent("AMAZON.YesIntent").speech
    assert alexa.attributes["cursor"]["variant"] == "bird_dog"


def test_a_yes_to_a_nearest_offer_the_session_no_longer_holds_lists_the_exercises(alexa):
    alexa.attributes = {**alexa.SCREENED, "pending": "nearest_exercise", "offer": {"exercise": "gone"}}
    alexa.new = False
    reply = alexa.intent("AMAZON.YesIntent")
    assert reply.status == 200 and "bird dog" in reply.speech.lower() and not reply.ends
