"""Exercises and self-massage: which one, the routine of all four, and "it hurts" during a movement."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.content.phrasing import spoken_list
from skill.dialogue.exercises import EXERCISE, MASSAGE, ROUTINE
from skill.handlers.base import IntentHandler, Turn
from skill.handlers.screen import coach
from skill.speech_keys import HINT

EXERCISE_SLOT, AREA_SLOT = "exercise", "area"


def names(turn: Turn) -> str:
    return spoken_list([exercise.name for exercise in turn.content.exercises.values()])


class ExerciseHandler(IntentHandler):
    """"How do I do a bird dog", "teach me the eight point plank"."""

    intents = ("ExerciseIntent",)

    def respond(self, turn: Turn) -> Response:
        exercise = turn.slot_id(EXERCISE_SLOT)
        if exercise in turn.content.exercises:
            return coach(turn, EXERCISE, exercise)
        if turn.slot_value(EXERCISE_SLOT):  # a name we do not know: say so, and what there is
            return turn.ask(turn.say("exercise.unknown") + turn.say("exercise.list", names=names(turn)))
        return turn.ask(turn.say("exercise.which", names=names(turn)))


class ListExercisesHandler(IntentHandler):
    """"What exercises can I do", "what helps my lower back"."""

    intents = ("ListExercisesIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say("exercise.list", names=names(turn)))


class RoutineHandler(IntentHandler):
    """"Start my workout": all the exercises, one after another, counted."""

    intents = ("RoutineIntent",)

    def respond(self, turn: Turn) -> Response:
        return coach(turn, EXERCISE, ROUTINE)


class SelfMassageHandler(IntentHandler):
    """"How do I foam roll my upper back", "self massage for my low back"."""

    intents = ("SelfMassageIntent",)

    def respond(self, turn: Turn) -> Response:
        area = turn.slot_id(AREA_SLOT)
        if area in turn.content.massage:
            return coach(turn, MASSAGE, area)
        return turn.ask(turn.say("massage.which"))


class PainHandler(IntentHandler):
    """"It hurts", "that's painful": during a movement, stop it at once and say what to do."""

    intents = ("PainIntent",)

    def respond(self, turn: Turn) -> Response:
        cursor = turn.cursor
        if cursor and cursor.flow in (EXERCISE, MASSAGE):
            turn.flows.keep(turn.state, cursor)
            turn.state.session.leave_flow()
            return turn.tell(turn.say("safety.pain"))
        return turn.ask(turn.say("safety.pain_general") + turn.guide(HINT))
