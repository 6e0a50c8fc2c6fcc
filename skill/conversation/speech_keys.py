"""Every speech key the code can ask for, with the values the code fills in, so content is checked against it
when the skill is built: a key the code may ask for that content lacks, a placeholder the code never fills, or
a content item no code ever asks for stops the start with the key named, instead of failing a user's turn.

The code says a key by its constant here (``turn.say(keys.FLOW_NEXT)``, with ``speech_keys as keys``), never by
a literal, so declaring a key is using it. Keys built at run time come from a :class:`Family`, whose members the
start-up checks list from content and code.
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
FIXED: dict[str, frozenset[str]] = {}  # every key below, with the values the code fills in


def _key(name: str, values: frozenset[str] = NONE) -> str:
    FIXED[name] = values
    return name


ERROR_APOLOGY = _key("error.apology")

EXERCISE_NOT_LYING_BACK = _key("exercise.not_lying_back", frozenset({"title"}))
EXERCISE_HOLD_START = _key("exercise.hold_start")
EXERCISE_HOLD_END = _key("exercise.hold_end")
EXERCISE_REPS_START = _key("exercise.reps_start")
EXERCISE_REPS_END = _key("exercise.reps_end")
EXERCISE_LIST = _key("exercise.list", frozenset({"names"}))
EXERCISE_WHICH = _key("exercise.which", frozenset({"names"}))
EXERCISE_UNKNOWN = _key("exercise.unknown")
EXERCISE_SWITCH_SIDES = _key("exercise.switch_sides")
EXERCISE_OPENING = _key("exercise.opening", frozenset({"title"}))
EXERCISE_NEXT_OPENING = _key("exercise.next_opening", frozenset({"title"}))
EXERCISE_SKIPPED = _key("exercise.skipped")
EXERCISE_CHOSEN = _key("exercise.chosen", frozenset({"title"}))
EXERCISE_NEAREST = _key("exercise.nearest", frozenset({"move", "title"}))
EXERCISE_FLOOR = _key("exercise.floor")
EXERCISE_REPS = _key("exercise.reps")

FALLBACK_SORRY = _key("fallback.sorry")
FALLBACK_PLAINLY = _key("fallback.plainly")
FALLBACK_FLOW_CHOICES = _key("fallback.flow_choices")
FALLBACK_HOME_CHOICES = _key("fallback.home_choices")
FALLBACK_REASK = _key("fallback.reask")
FALLBACK_DEFAULT = _key("fallback.default")

FLOW_NEXT = _key("flow.next", frozenset({"title"}))
FLOW_CONTINUE = _key("flow.continue", POSITION)
FLOW_LAST = _key("flow.last")
FLOW_ENDED = _key("flow.ended")
FLOW_AT_FIRST = _key("flow.at_first")
FLOW_RESUMED = _key("flow.resumed", frozenset({"title"}))
FLOW_NOT_STARTED = _key("flow.not_started")
FLOW_NOTHING_TO_RESUME = _key("flow.nothing_to_resume")
FLOW_FROM_THE_START = _key("flow.from_the_start")
FLOW_PAUSED = _key("flow.paused")
FLOW_PICKING_UP = _key("flow.picking_up")

FORGET_CONFIRM = _key("forget.confirm")
FORGET_DONE = _key("forget.done")
FORGET_KEPT = _key("forget.kept")

GOODBYE_PLAIN = _key("goodbye.plain")
GOODBYE_KEPT_PLACE = _key("goodbye.kept_place")

HINT_HOME = _key("hint.home")

LANGUAGE_UNSUPPORTED = _key("language.unsupported")

LAUNCH_FIRST = _key("launch.first")
LAUNCH_RETURNING = _key("launch.returning")
LAUNCH_RESUME_OFFER = _key("launch.resume_offer", POSITION)

MASSAGE_NOT_LYING_BACK = _key("massage.not_lying_back")
MASSAGE_OPENING = _key("massage.opening", frozenset({"title"}))
MASSAGE_WHICH = _key("massage.which")

NOTICE = _key("notice")

PERMISSION_DENIED = _key("permission.denied")
PERMISSION_FAILED = _key("permission.failed")

SAFETY_WEIGHT_ASKED = _key("safety.weight_asked")
SAFETY_WEIGHT_OTHER = _key("safety.weight_other")
SAFETY_PAIN = _key("safety.pain")
SAFETY_PAIN_GENERAL = _key("safety.pain_general")
SAFETY_UNCLEAR = _key("safety.unclear")
SAFETY_STOP_MOVEMENT = _key("safety.stop_movement")

SCREEN_FIRST_CLEAR = _key("screen.first_clear")
SCREEN_ALL_CLEAR = _key("screen.all_clear")
SCREEN_URGENT_YES = _key("screen.urgent_yes")
SCREEN_RISK_WHICH = _key("screen.risk_which")
SCREEN_SETTLED = _key("screen.settled")
SCREEN_NOT_SETTLED = _key("screen.not_settled")
SCREEN_STOPPED = _key("screen.stopped")

SELFCHECK_OFFER = _key("selfcheck.offer")
SELFCHECK_DECLINED = _key("selfcheck.declined")
SELFCHECK_INTRO = _key("selfcheck.intro")
SELFCHECK_STOPPED = _key("selfcheck.stopped")
SELFCHECK_SUMMARY_INTRO = _key("selfcheck.summary_intro")
SELFCHECK_SKIPPED_ALL = _key("selfcheck.skipped_all")
SELFCHECK_ALL_GOOD = _key("selfcheck.all_good")
SELFCHECK_TIPS = _key("selfcheck.tips")
SELFCHECK_GOODBYE = _key("selfcheck.goodbye")
SELFCHECK_CLOSING = _key("selfcheck.closing")
SELFCHECK_FURTHER_READING = _key("selfcheck.further_reading")

TIMER_WHICH = _key("timer.which")
TIMER_OFFER = _key("timer.offer", frozenset({"therapy", "duration"}))
TIMER_OVER_LIMIT = _key("timer.over_limit", _OFFER)
TIMER_UNCLEAR = _key("timer.unclear", _OFFER)
TIMER_TOO_SHORT = _key("timer.too_short", _OFFER)
TIMER_DECLINED = _key("timer.declined")
TIMER_ALREADY = _key("timer.already", _TIMER)
TIMER_STATUS_RUNNING = _key("timer.status.running", _TIMER)
TIMER_STATUS_PAUSED = _key("timer.status.paused", _TIMER)
TIMER_STATUS_NONE = _key("timer.status.none")
TIMER_STATUS_NONE_OF_KIND = _key("timer.status.none_of_kind", frozenset({"therapy"}))
TIMER_CANCELLED = _key("timer.cancelled", _TIMER)
TIMER_PAUSED = _key("timer.paused", _TIMER)
TIMER_RESUMED = _key("timer.resumed", _TIMER)
TIMER_CANCELLED_ALL = _key("timer.cancelled_all")
TIMER_SEVERAL = _key("timer.several")
TIMER_DEVICE_TIMER = _key("timer.device_timer", frozenset({"duration"}))
TIMER_SWITCH = _key("timer.switch", frozenset({"name", "remaining", "wanted"}))
TIMER_KEPT = _key("timer.kept")
TIMER_ROUND_REST = _key("timer.round_rest", frozenset({"now"}))
TIMER_ROUND_REST_UNNAMED = _key("timer.round_rest_unnamed")
TIMER_REST_KEPT = _key("timer.rest_kept")
TIMER_REST_CANCELLED = _key("timer.rest_cancelled")
TIMER_BUSY_FOR = _key("timer.busy_for", frozenset({"wait"}))
TIMER_STATUS_ROUND_PHASE = _key("timer.status.round_phase", frozenset({"now", "remaining", "next", "length"}))
TIMER_STATUS_ROUND_PHASES = _key("timer.status.round_phases", frozenset({"now", "remaining", "next", "length", "then"}))
TIMER_STATUS_ROUND_LAST = _key("timer.status.round_last", frozenset({"now", "remaining"}))
TIMER_NOT_BELLY = _key("timer.not_belly")
TIMER_SWITCHED = _key("timer.switched", frozenset({"name", "wanted"}))
TIMER_HEAT_EARLY = _key("timer.heat_early")
TIMER_CAUTIONS = _key("timer.cautions")
TIMER_STATUS_ROUND = _key("timer.status.round", _TIMER)
TIMER_ADJUST = _key("timer.adjust")

TREATMENT_ASK_ONSET = _key("treatment.ask_onset")
TREATMENT_ONSET_UNCLEAR = _key("treatment.onset_unclear")
TREATMENT_DECLINED = _key("treatment.declined")
TREATMENT_FRESH_START = _key("treatment.fresh_start")
TREATMENT_MORE_OFFER = _key("treatment.more_offer")
TREATMENT_MORE_DECLINED = _key("treatment.more_declined")
TREATMENT_LONG_ONSET = _key("treatment.long_onset")
TREATMENT_ASK_ONSET_AGAIN = _key("treatment.ask_onset_again")

UNKNOWN_INTENT = _key("unknown.intent")
UNKNOWN_ANSWER = _key("unknown.answer")
UNKNOWN_OKAY = _key("unknown.okay")

WAIT = _key("wait")

WHERE_NOW = _key("where.now", POSITION)
WHERE_OFFER = _key("where.offer")


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
