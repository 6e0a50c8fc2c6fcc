"""Reading ``exercises.yaml``: the exercises and self-massage areas, each step with its hold or repetitions
counted aloud, held to what one response can count."""

from __future__ import annotations

from typing import Any

from skill.content.model import Exercise, MassageArea, MoveStep, OtherMove
from skill.content.reader import Reader, phrases
from skill.foundations.alexa_platform import MAX_PACED_SECONDS

MAX_TEMPO = 10  # seconds between counted repetitions: one <break> may last at most ten seconds


def _load_steps(node: Any, r: Reader, key: str) -> tuple[MoveStep, ...]:
    if not isinstance(node, list) or not node:
        r.problem(key, "must be a non-empty list of steps")
        return ()
    steps = []
    for i, raw in enumerate(node):
        skey = f"{key}[{i}]"
        step = r.mapping(raw, skey, {"say"}, {"hold", "reps", "tempo", "sides"})
        if step is None:
            continue
        numbers = {}
        for field, low, high in (("hold", 1, MAX_PACED_SECONDS), ("reps", 1, 20), ("tempo", 1, MAX_TEMPO)):
            value = step.get(field, 0)
            if field in step and (not isinstance(value, int) or not low <= value <= high):
                r.problem(f"{skey}.{field}", f"must be a whole number from {low} to {high}")
                value = 0
            numbers[field] = value
        if bool(numbers["reps"]) != bool(numbers["tempo"]):
            r.problem(skey, "reps and tempo go together")
        if numbers["hold"] and numbers["reps"]:
            r.problem(skey, "a step counts either a hold or reps, not both")
        sides = step.get("sides", False)
        if not isinstance(sides, bool) or (sides and not (numbers["hold"] or numbers["reps"])):
            r.problem(f"{skey}.sides", "must be true or false, and only on a counted step")
            sides = False
        move = MoveStep(r.text(step.get("say"), f"{skey}.say"), **numbers, sides=sides)
        if move.paced_seconds > MAX_PACED_SECONDS:
            r.problem(skey, f"counts for {move.paced_seconds} seconds; one response may count {MAX_PACED_SECONDS}")
        steps.append(move)
    return tuple(steps)


def load_moves(doc: Any, r: Reader) -> tuple[dict[str, Exercise], dict[str, MassageArea], dict[str, OtherMove]]:
    root = r.mapping(doc, "", {"exercises", "massage"}, {"others"}) or {}
    names: dict[str, str] = {}

    def naming(node: dict, key: str) -> tuple[str, str, tuple[str, ...]]:
        title = r.text(node.get("title"), f"{key}.title")
        name = r.text(node.get("name"), f"{key}.name").lower()
        synonyms = phrases(node.get("synonyms"), r, f"{key}.synonyms")
        for phrase in (name, *synonyms):
            if phrase in names and names[phrase] != key:
                r.problem(key, f"{phrase!r} also names {names[phrase]}")
            names[phrase] = key
        return title, name, synonyms

    exercises = {}
    for eid, node in r.entries(root.get("exercises"), "exercises").items():
        key = f"exercises.{eid}"
        ex = r.mapping(node, key, {"title", "name", "synonyms", "purpose", "stop_rule", "steps", "source"},
                       {"lying_back"})
        if ex is not None:
            title, name, synonyms = naming(ex, key)
            exercises[eid] = Exercise(eid, title, name, synonyms, r.text(ex.get("purpose"), f"{key}.purpose"),
                                      r.text(ex.get("stop_rule"), f"{key}.stop_rule"),
                                      _load_steps(ex.get("steps"), r, f"{key}.steps"),
                                      r.text(ex.get("source"), f"{key}.source"), ex.get("lying_back") is True)
    areas = {}
    for aid, node in r.entries(root.get("massage"), "massage").items():
        key = f"massage.{aid}"
        area = r.mapping(node, key, {"title", "name", "synonyms", "steps", "source"}, {"lying_back"})
        if area is not None:
            title, name, synonyms = naming(area, key)
            areas[aid] = MassageArea(aid, title, name, synonyms, _load_steps(area.get("steps"), r, f"{key}.steps"),
                                     r.text(area.get("source"), f"{key}.source"), area.get("lying_back") is True)
    others = {}
    for oid, node in (root.get("others") or {}).items():
        key = f"others.{oid}"
        other = r.mapping(node, key, {"name", "nearest", "source"})
        if other is None:
            continue
        if other.get("nearest") not in exercises:
            r.problem(f"{key}.nearest", f"refers to {other.get('nearest')!r}, which exercises does not define")
        if oid in exercises:
            r.problem(key, "has the id of an exercise the skill coaches")
        others[oid] = OtherMove(oid, r.text(other.get("name"), f"{key}.name"), str(other.get("nearest")),
                                r.text(other.get("source"), f"{key}.source"))
    return exercises, areas, others
