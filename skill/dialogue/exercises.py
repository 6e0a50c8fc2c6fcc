"""Exercises and self-massage as walk-throughs: each exercise opens with its stop rule, and holds and repetitions
are counted aloud with real pauses, at the pace of a body."""

from __future__ import annotations

from skill.content import Content
from skill.content.model import MoveStep
from skill.dialogue.flows import Flow
from skill.speech import Line, Speaker

EXERCISE, MASSAGE, ROUTINE = "exercise", "massage", "routine"
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

    name = EXERCISE

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
        return self._exercises[self._items(variant)[index][0]].title

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        exercise_id, step = self._items(variant)[index]
        if step is None:
            exercise = self._exercises[exercise_id]
            return say.text(exercise.stop_rule) + say.text(exercise.purpose)
        return counted(say, step)


class MassageFlow(Flow):
    name = MASSAGE

    def __init__(self, content: Content) -> None:
        self._areas = content.massage

    def length(self, variant: str) -> int:
        return len(self._areas[variant].steps) if variant in self._areas else 0

    def title(self, variant: str, index: int) -> str:
        return self._areas[variant].title

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return counted(say, self._areas[variant].steps[index])
