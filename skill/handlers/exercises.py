"""Exercises and self-massage, one step per turn, holds and repetitions counted aloud at the pace of a body."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.content import Content, MoveStep, spoken_list
from skill.flows import Flow
from skill.handlers.base import IntentHandler, Turn, notice_once
from skill.speech import Line, Speaker

EXERCISE_FLOW, MASSAGE_FLOW, ROUTINE = "exercise", "massage", "routine"
EXERCISE_SLOT, AREA_SLOT = "exercise", "area"
SECOND = 1000
FIVE_SECONDS = 5 * SECOND


def counted(say: Speaker, step: MoveStep) -> Line:
    """The step's words, then its hold or repetitions counted aloud with real pauses between the numbers."""
    line = say.text(step.say)
    if step.hold:
        start, end = say("exercise.hold_start"), say("exercise.hold_end").speech.plain()
        if step.hold <= 10:
            # "Hold... two... three...": the word "hold" is the first second.
            numbers, gap = range(2, step.hold + 1), SECOND
        else:
            # Longer holds call out the seconds gone every five, so the count never crowds the breath.
            numbers, gap = range(5, step.hold, 5), FIVE_SECONDS
        return line + Line(start.speech.counted(numbers, gap, end))
    if step.reps:
        start, end = say("exercise.reps_start"), say("exercise.reps_end").speech.plain()
        return line + Line(start.speech.counted(range(1, step.reps + 1), step.tempo * SECOND, end))
    return line


class ExerciseFlow(Flow):
    """One exercise, or the routine of all of them: the stop rule and purpose first, then each step."""

    name = EXERCISE_FLOW

    def __init__(self, content: Content) -> None:
        self._exercises = content.exercises

    def _items(self, variant: str) -> list[tuple[str, MoveStep | None]]:
        ids = list(self._exercises) if variant == ROUTINE else [variant] if variant in self._exercises else []
        items: list[tuple[str, MoveStep | None]] = []
        for exercise_id in ids:
            items.append((exercise_id, None))  # the opening: stop rule and purpose
            items.extend((exercise_id, step) for step in self._exercises[exercise_id].steps)
        return items

    def length(self, variant: str) -> int:
        return len(self._items(variant))

    def title(self, variant: str, index: int) -> str:
        return self._exercises[self._items(variant)[index][0]].name.capitalize()

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        exercise_id, step = self._items(variant)[index]
        if step is None:
            exercise = self._exercises[exercise_id]
            return say.text(exercise.stop_rule) + say.text(exercise.purpose)
        return counted(say, step)


class MassageFlow(Flow):
    name = MASSAGE_FLOW

    def __init__(self, content: Content) -> None:
        self._areas = content.massage

    def length(self, variant: str) -> int:
        return len(self._areas[variant].steps) if variant in self._areas else 0

    def title(self, variant: str, index: int) -> str:
        return self._areas[variant].name.capitalize()

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return counted(say, self._areas[variant].steps[index])


def begin(turn: Turn, flow: str, variant: str) -> Response:
    return turn.ask(notice_once(turn) + turn.flows.start(turn.say, turn.state, flow, variant))


def names(turn: Turn) -> str:
    return spoken_list([exercise.name for exercise in turn.deps.content.exercises.values()])


class ExerciseHandler(IntentHandler):
    """"How do I do a bird dog", "teach me the eight point plank"."""

    intents = ("ExerciseIntent",)

    def respond(self, turn: Turn) -> Response:
        exercise = turn.slot_id(EXERCISE_SLOT)
        if exercise in turn.deps.content.exercises:
            return begin(turn, EXERCISE_FLOW, exercise)
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
        return begin(turn, EXERCISE_FLOW, ROUTINE)


class SelfMassageHandler(IntentHandler):
    """"How do I foam roll my upper back", "self massage for my low back"."""

    intents = ("SelfMassageIntent",)

    def respond(self, turn: Turn) -> Response:
        area = turn.slot_id(AREA_SLOT)
        if area in turn.deps.content.massage:
            return begin(turn, MASSAGE_FLOW, area)
        return turn.ask(turn.say("massage.which"))


class PainHandler(IntentHandler):
    """"It hurts", "that's painful": during a movement, stop it at once and say what to do."""

    intents = ("PainIntent",)

    def respond(self, turn: Turn) -> Response:
        cursor = turn.cursor
        if cursor and cursor.flow in (EXERCISE_FLOW, MASSAGE_FLOW):
            turn.state.update_user(bookmark=cursor)
            turn.state.session.leave_flow()
            return turn.tell(turn.say("safety.pain"))
        return turn.ask(turn.say("safety.pain_general") + turn.guide("hint"))
