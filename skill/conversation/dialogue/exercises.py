"""Exercises and self-massage as walk-throughs: the first turn of each names it, folds in its stop rule and gets
the body into position; holds and repetitions are counted aloud with real pauses, at the pace of a body."""

from __future__ import annotations

from skill.content import Content
from skill.content.model import MoveStep
from skill.conversation import speech_keys as keys
from skill.conversation.dialogue.flows import Flow
from skill.conversation.names import EXERCISE, MASSAGE, ROUTINE, UPRIGHT
from skill.conversation.speech import Line, Speaker, Speech
from skill.conversation.state import Cursor

SECOND = 1000
FIVE_SECONDS = 5 * SECOND


def _count(say: Speaker, step: MoveStep) -> Speech:
    """One side's count: "Hold... two... three... and relax", or "Ready, go... one... two... and rest"."""
    if step.hold:
        start, end = say(keys.EXERCISE_HOLD_START).speech, say(keys.EXERCISE_HOLD_END).speech.plain()
        if step.hold <= 10:
            # "Hold... two... three...": the word "hold" is the first second.
            return start.counted(range(2, step.hold + 1), SECOND, end)
        # Longer holds call out the seconds gone every five, so the count never crowds the breath.
        return start.counted(range(5, step.hold, 5), FIVE_SECONDS, end)
    start, end = say(keys.EXERCISE_REPS_START).speech, say(keys.EXERCISE_REPS_END).speech.plain()
    return start.counted(range(1, step.reps + 1), step.tempo * SECOND, end)


def counted(say: Speaker, step: MoveStep) -> Line:
    """The step's words, then its hold or repetitions counted aloud; a movement with sides is counted on one,
    then "switch sides", then on the other."""
    line = say.text(step.say)
    if not (step.hold or step.reps):
        return line
    count = _count(say, step)
    if step.sides:
        count = count.pause(SECOND) + say(keys.EXERCISE_SWITCH_SIDES).speech + _count(say, step)
    return line + Line(count)


class ExerciseFlow(Flow):
    """One exercise, or the routine of all of them, one step per item."""

    name = EXERCISE

    def __init__(self, content: Content) -> None:
        self._exercises = content.exercises

    def variants(self) -> tuple[str, ...]:
        return (*self._exercises, ROUTINE, UPRIGHT)

    def _items(self, variant: str) -> list[tuple[str, int]]:
        if variant in (ROUTINE, UPRIGHT):
            ids = [eid for eid, ex in self._exercises.items() if variant == ROUTINE or not ex.lying_back]
        else:
            ids = [variant] if variant in self._exercises else []
        return [(eid, i) for eid in ids for i in range(len(self._exercises[eid].steps))]

    def kept(self, cursor: Cursor) -> Cursor:
        """The upright routine is kept as the same step of the whole routine: a stored variant must not say that
        someone is pregnant (health information)."""
        if cursor.variant != UPRIGHT:
            return cursor
        items, whole = self._items(UPRIGHT), self._items(ROUTINE)
        return Cursor(self.name, ROUTINE, whole.index(items[cursor.index]) if cursor.index < len(items) else 0)

    def length(self, variant: str) -> int:
        return len(self._items(variant))

    def gentlest(self, cursor: Cursor) -> Cursor:
        """The first step of the exercise that hurt (in the routine, of that exercise, not of the routine)."""
        items = self._items(cursor.variant)
        exercise_id = items[cursor.index][0] if cursor.index < len(items) else None
        return cursor.moved(next((i for i, (eid, _) in enumerate(items) if eid == exercise_id), 0))

    def exercise_at(self, variant: str, index: int) -> str:
        """The id of the exercise an item belongs to."""
        return self._items(variant)[index][0]

    def title(self, variant: str, index: int) -> str:
        return self._exercises[self._items(variant)[index][0]].title

    def heading(self, say: Speaker, variant: str, index: int) -> Line:
        exercise_id, step = self._items(variant)[index]
        if step:
            return Line()
        exercise = self._exercises[exercise_id]
        key = keys.EXERCISE_NEXT_OPENING if index else keys.EXERCISE_OPENING
        # The opening names the exercise once; the card keeps what it is for.
        return say(key, title=exercise.title) + Line(card=(exercise.title, f"{exercise.purpose} {exercise.stop_rule}"))

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        exercise_id, step = self._items(variant)[index]
        exercise = self._exercises[exercise_id]
        words = counted(say, exercise.steps[step])
        return say.text(exercise.stop_rule) + words if step == 0 else words


class MassageFlow(Flow):
    name = MASSAGE
    # The area answers "which part?", so a kept place would hint where it hurts; five short steps are quickly
    # started again.
    resumable = False

    def __init__(self, content: Content) -> None:
        self._areas = content.massage

    def variants(self) -> tuple[str, ...]:
        return tuple(self._areas)

    def length(self, variant: str) -> int:
        return len(self._areas[variant].steps) if variant in self._areas else 0

    def title(self, variant: str, index: int) -> str:
        return self._areas[variant].title

    def heading(self, say: Speaker, variant: str, index: int) -> Line:
        return Line() if index else say(keys.MASSAGE_OPENING, title=self._areas[variant].name)

    def item(self, say: Speaker, variant: str, index: int) -> Line:
        return counted(say, self._areas[variant].steps[index])
