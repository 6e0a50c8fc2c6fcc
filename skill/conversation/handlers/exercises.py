"""Exercises and self-massage: which one, the routine of all four, and "it hurts" during a movement."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.content.phrasing import spoken_list
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.questions import YesNoQuestion
from skill.conversation.handlers.base import IntentHandler, Turn
from skill.conversation.handlers.safety import pregnant
from skill.conversation.handlers.screen import coach
from skill.conversation.handlers.timers import offer_cold
from skill.conversation.names import EXERCISE, MASSAGE, NEAREST, ROUTINE, UPRIGHT
from skill.conversation.speech import Line

EXERCISE_SLOT, AREA_SLOT = "exercise", "area"


def names(turn: Turn) -> str:
    return spoken_list([exercise.name for exercise in turn.content.exercises.values()])


def start_exercise(turn: Turn, exercise: str) -> Response:
    """The exercise asked for, named first so the person knows it was heard, then the screen if it is due; in
    pregnancy, one done lying on the back is swapped for the nearest upright one, offered."""
    if pregnant(turn) and turn.content.exercises[exercise].lying_back:
        upright = next(ex for ex in turn.content.exercises.values() if not ex.lying_back)
        turn.state.session.ask(NEAREST, {"exercise": upright.id})
        return turn.ask(turn.say(keys.EXERCISE_NOT_LYING_BACK, title=upright.name))
    return coach(turn, EXERCISE, exercise, turn.say(keys.EXERCISE_CHOSEN, title=turn.content.exercises[exercise].title))


def list_them(turn: Turn, lead: Line | None = None) -> Response:
    return turn.ask((lead or Line()) + turn.say(keys.EXERCISE_LIST, names=names(turn)))


def take_nearest(turn: Turn, offer: dict) -> Response:
    exercise = offer.get("exercise")
    return start_exercise(turn, exercise) if exercise in turn.content.exercises else list_them(turn)


QUESTIONS = (
    # Not sure about the nearest one: say what there is, and let them choose.
    YesNoQuestion(NEAREST, yes=take_nearest, no=lambda turn, _: list_them(turn),
                  unsure=lambda turn, _: list_them(turn, turn.say(keys.UNSURE(NEAREST)))),
)


class ExerciseHandler(IntentHandler):
    """"How do I do a bird dog", "the one on all fours", "knee hugs" (not coached: the nearest one is offered)."""

    intents = ("ExerciseIntent",)

    def respond(self, turn: Turn) -> Response:
        exercise = turn.slot_id(EXERCISE_SLOT)
        if exercise in turn.content.exercises:
            return start_exercise(turn, exercise)
        other = turn.content.other_moves.get(exercise or "")
        if other is not None:
            nearest = turn.content.exercises[other.nearest]
            turn.state.session.ask(NEAREST, {"exercise": nearest.id})
            return turn.ask(turn.say(keys.EXERCISE_NEAREST, move=other.name, title=nearest.name))
        if turn.slot_value(EXERCISE_SLOT):  # a name we do not know: say so, and what there is
            return turn.ask(turn.say(keys.EXERCISE_UNKNOWN) + turn.say(keys.EXERCISE_LIST, names=names(turn)))
        return turn.ask(turn.say(keys.EXERCISE_WHICH, names=names(turn)))


class FloorHandler(IntentHandler):
    """"I can't get down on the floor": the exercises done standing or sitting, and never to push through pain."""

    intents = ("FloorIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say(keys.EXERCISE_FLOOR) + turn.guide(keys.HINT))


class RepsHandler(IntentHandler):
    """"How many reps?": I count them; fewer is fine, and stop at any sharp pain."""

    intents = ("RepsIntent",)

    def respond(self, turn: Turn) -> Response:
        return turn.ask(turn.say(keys.EXERCISE_REPS) + turn.guide(keys.HINT))


class ListExercisesHandler(IntentHandler):
    """"What exercises can I do", "what helps my lower back"."""

    intents = ("ListExercisesIntent",)

    def respond(self, turn: Turn) -> Response:
        return list_them(turn)


class RoutineHandler(IntentHandler):
    """"Start my workout": all the exercises, one after another, counted."""

    intents = ("RoutineIntent",)

    def respond(self, turn: Turn) -> Response:
        return coach(turn, EXERCISE, UPRIGHT if pregnant(turn) else ROUTINE)


class SelfMassageHandler(IntentHandler):
    """"How do I foam roll my upper back", "self massage for my low back"."""

    intents = ("SelfMassageIntent",)

    def respond(self, turn: Turn) -> Response:
        area = turn.slot_id(AREA_SLOT)
        if area in turn.content.massage and pregnant(turn) and turn.content.massage[area].lying_back:
            return turn.ask(turn.say(keys.MASSAGE_NOT_LYING_BACK) + turn.guide(keys.HINT))
        if area in turn.content.massage:
            return coach(turn, MASSAGE, area)
        return turn.ask(turn.say(keys.MASSAGE_WHICH))


class PainHandler(IntentHandler):
    """"It hurts", "that's painful": during a movement, stop it at once and say what to do."""

    intents = ("PainIntent",)

    def respond(self, turn: Turn) -> Response:
        cursor = turn.cursor
        if cursor and cursor.flow in (EXERCISE, MASSAGE):
            # Coming back starts the exercise gently again, never "keep going" where it hurt; meanwhile, something
            # gentler is offered: cold while resting.
            turn.flows.keep(turn.state, turn.flows.get(cursor.flow).gentlest(cursor))
            turn.state.session.leave_flow()
            return offer_cold(turn, turn.say(keys.SAFETY_PAIN))
        return turn.ask(turn.say(keys.SAFETY_PAIN_GENERAL) + turn.guide(keys.HINT))
