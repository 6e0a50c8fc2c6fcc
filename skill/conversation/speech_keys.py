"""Every speech key the code can ask for, with the values the code fills in, so content is checked against it
when the skill is built: a key the code may ask for that content lacks, a placeholder the code never fills, or
a content item no code ever asks for stops the start with the key named, instead of failing a user's turn.

Keys written literally in the code are listed in ``FIXED`` (a test reads the code and holds the two in step).
Keys built at run time come from a :class:`Family`, whose members the skill assembly lists from content and code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from skill.content import Content

POSITION = frozenset({"number", "total", "next", "title"})  # where the user is in a walk-through
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Family:
    """Keys built at run time from a prefix and a member: ``TIMER_ERROR("busy")`` is ``timer.error.busy``."""

    prefix: str
    values: frozenset[str] = NONE

    def __call__(self, member: str) -> str:
        return f"{self.prefix}.{member}"


HELP = Family("help")  # by where the user is: home, a waiting question, or a walk-through (with POSITION)
HINT = Family("hint")
SCREEN_ASK = Family("screen.ask")  # by safety-screen question
TREATMENT_INTRO = Family("treatment.intro")  # by plan
TIMER_STARTED = Family("timer.started", frozenset({"duration"}))  # by timer kind
TIMER_ERROR = Family("timer.error")  # by failure reason
NOTHING_TO = Family("timer.nothing_to")  # by change: cancel, pause, resume
ROUND_STARTED = Family("timer.cycle.started", frozenset({"total"}))  # by treatment plan
RESUME_FLOW = Family("launch.resume_flow")  # by flow, for a place kept without its variant
SAFETY_TIER = Family("safety")  # by red-flag tier
SAFETY_TITLE = Family("safety.title")  # the card's title, by red-flag tier
UNSURE = Family("unsure")  # by yes/no question: what "I don't know" gets there
FEELING = Family("feeling")  # by how the user says the back is: better, worse, same
WHERE_KEPT = Family("where.kept", frozenset({"title", "step"}))  # a kept place: "named", or by flow kept unnamed

_TIMER = frozenset({"name", "remaining"})
_OFFER = frozenset({"therapy", "duration", "limit"})
FIXED: Mapping[str, frozenset[str]] = {
    "language.unsupported": NONE, "launch.first": NONE, "launch.returning": NONE, "launch.resume_offer": POSITION,
    "notice": NONE,
    "treatment.ask_onset": NONE, "treatment.onset_unclear": NONE, "treatment.declined": NONE,
    "treatment.fresh_start": NONE, "treatment.more_offer": NONE, "treatment.more_declined": NONE,
    "forget.confirm": NONE, "forget.done": NONE, "forget.kept": NONE, "treatment.long_onset": NONE,
    "flow.next": frozenset({"title"}), "flow.continue": POSITION, "flow.last": NONE, "flow.ended": NONE,
    "flow.at_first": NONE, "flow.resumed": frozenset({"title"}), "flow.not_started": NONE,
    "flow.nothing_to_resume": NONE, "flow.from_the_start": NONE,
    "flow.paused": NONE, "treatment.ask_onset_again": NONE,
    "hint.home": NONE,
    "fallback.sorry": NONE, "fallback.plainly": NONE, "fallback.flow_choices": NONE, "fallback.home_choices": NONE,
    "unknown.intent": NONE, "unknown.answer": NONE, "unknown.okay": NONE,
    "goodbye.plain": NONE, "goodbye.kept_place": NONE, "error.apology": NONE,
    "timer.which": NONE, "timer.offer": frozenset({"therapy", "duration"}), "timer.over_limit": _OFFER,
    "timer.unclear": _OFFER, "timer.too_short": _OFFER, "timer.declined": NONE, "timer.already": _TIMER,
    "timer.status.running": _TIMER, "timer.status.paused": _TIMER, "timer.status.none": NONE,
    "timer.status.none_of_kind": frozenset({"therapy"}), "timer.cancelled": _TIMER, "timer.paused": _TIMER,
    "timer.resumed": _TIMER, "timer.cancelled_all": NONE, "timer.several": NONE,
    "timer.device_timer": frozenset({"duration"}),
    "timer.switch": frozenset({"name", "remaining", "wanted"}), "timer.kept": NONE,
    "timer.round_rest": frozenset({"now"}), "timer.round_rest_unnamed": NONE, "timer.rest_kept": NONE,
    "timer.rest_cancelled": NONE,
    "timer.busy_for": frozenset({"wait"}),
    "timer.status.round_phase": frozenset({"now", "remaining", "next", "length"}),
    "timer.status.round_phases": frozenset({"now", "remaining", "next", "length", "then"}),
    "timer.status.round_last": frozenset({"now", "remaining"}),
    "safety.weight_asked": NONE, "safety.weight_other": NONE, "timer.not_belly": NONE,
    "exercise.not_lying_back": frozenset({"title"}), "massage.not_lying_back": NONE,
    "timer.switched": frozenset({"name", "wanted"}), "timer.heat_early": NONE, "timer.cautions": NONE,
    "timer.status.round": _TIMER, "permission.denied": NONE, "permission.failed": NONE,
    "selfcheck.offer": NONE, "selfcheck.declined": NONE,
    "selfcheck.intro": NONE,
    "screen.first_clear": NONE, "screen.all_clear": NONE, "screen.urgent_yes": NONE, "screen.risk_which": NONE,
    "screen.settled": NONE, "screen.not_settled": NONE, "screen.stopped": NONE,
    "selfcheck.stopped": NONE, "selfcheck.summary_intro": NONE,
    "selfcheck.skipped_all": NONE, "selfcheck.all_good": NONE, "selfcheck.tips": NONE,
    "selfcheck.goodbye": NONE, "selfcheck.closing": NONE, "selfcheck.further_reading": NONE,
    "safety.pain": NONE, "safety.pain_general": NONE, "safety.unclear": NONE,
    "exercise.hold_start": NONE, "exercise.hold_end": NONE, "exercise.reps_start": NONE,
    "exercise.reps_end": NONE, "exercise.list": frozenset({"names"}), "exercise.which": frozenset({"names"}),
    "exercise.unknown": NONE, "exercise.switch_sides": NONE, "exercise.opening": frozenset({"title"}),
    "exercise.next_opening": frozenset({"title"}), "massage.opening": frozenset({"title"}), "massage.which": NONE,
    "wait": NONE, "fallback.reask": NONE, "fallback.default": NONE, "safety.stop_movement": NONE, "timer.adjust": NONE,
    "where.now": POSITION, "where.offer": NONE, "flow.picking_up": NONE, "exercise.skipped": NONE,
    "exercise.chosen": frozenset({"title"}), "exercise.nearest": frozenset({"move", "title"}), "exercise.floor": NONE,
    "exercise.reps": NONE,
}


def required(families: Mapping[Family, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Every key the code can ask for (``FIXED`` plus each family's members), with the values it fills in."""
    keys = dict(FIXED)
    for family, members in families.items():
        for member in members:
            keys.setdefault(family(member), family.values)
    return keys


def problems(content: Content, keys: Mapping[str, frozenset[str]]) -> list[str]:
    """What stops the start: a key the code asks for that content lacks, a placeholder the code does not fill,
    an item nothing asks for."""
    found = []
    for key, values in sorted(keys.items()):
        item = content.speech.get(key)
        if item is None:
            found.append(f"speech.yaml: {key}: missing (the code asks for it)")
        elif item.placeholders - values:
            unfilled = ", ".join(f"{{{name}}}" for name in sorted(item.placeholders - values))
            found.append(f"speech.yaml: {key}: uses {unfilled}, which the code does not fill in here")
    for key in sorted(set(content.speech) - set(keys)):
        found.append(f"speech.yaml: {key}: no code asks for it")
    return found
