"""The typed model of the content: frozen dataclasses that everything else reads, never raw YAML."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from skill.content.hearing import named_signs

CYCLE = "cycle"
REST = "rest"
COLD = "ice"  # the therapy id the first days start with
EMERGENCY, URGENT, DOCTOR = "emergency", "urgent", "doctor"  # the tiers of a red flag
TIERS = (EMERGENCY, URGENT, DOCTOR)  # the most urgent first


class ContentError(ValueError):
    """The content cannot be used. ``problems`` lists each one as ``file: key: what is wrong``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("content is invalid:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SpeechItem:
    key: str
    variants: tuple[str, ...]
    reprompts: tuple[str, ...]
    card_title: str | None
    source: str

    @property
    def placeholders(self) -> frozenset[str]:
        names: set[str] = set()
        for text in self.variants + self.reprompts:
            names.update(name for _, name, _, _ in string.Formatter().parse(text) if name)
        return frozenset(names)


@dataclass(frozen=True)
class TherapySpec:
    id: str
    name: str
    default: dt.timedelta
    max: dt.timedelta
    rest: dt.timedelta
    source: str


@dataclass(frozen=True)
class TreatmentStep:
    id: str
    title: str
    say: str
    source: str
    timer: str | None = None  # a timer the skill offers to set at this step


@dataclass(frozen=True)
class TreatmentPlan:
    id: str
    name: str
    steps: tuple[TreatmentStep, ...]  # the main part for the day, then the part offered after it
    source: str
    main: int = 0  # how many of ``steps`` are the main part; the rest are read only once the user asks for more


@dataclass(frozen=True)
class Treatment:
    recent_onset: dt.timedelta  # cold first within this
    see_doctor_after: dt.timedelta  # a spasm older than this: the plan, and a doctor or physical therapist too
    onset_source: str
    plans: Mapping[str, TreatmentPlan]
    recent_plan: str
    later_plan: str


@dataclass(frozen=True)
class TimerSpec:
    """One kind of timer the user asks for by name ("start an ice timer")."""

    id: str
    slot_id: str  # the id the interaction model's Therapy slot resolves to for this kind
    therapy: TherapySpec
    label: str
    spoken: str
    announce: str
    source: str


@dataclass(frozen=True)
class CyclePhase:
    """One phase of the ice-and-heat round; its timer goes off when the phase ends."""

    therapy: str  # a therapy id, or "rest"
    length: dt.timedelta
    label: str
    spoken: str
    announce: str


@dataclass(frozen=True)
class Cycle:
    rounds: Mapping[str, tuple[CyclePhase, ...]]  # by treatment plan: cold first in the first days, warmth after
    source: str
    spoken: str = "round of ice and heat"  # the round as one thing, to pause, resume or cancel
    # How a phase is named while it runs and when it comes next, by therapy id or "rest": {"now": ..., "next": ...}
    phase_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def phases(self, plan: str) -> tuple[CyclePhase, ...]:
        return self.rounds[plan]

    def phases_left(self, labels: list[str]) -> tuple[CyclePhase, ...]:
        """The phase running and those after it, from the labels of a round's timers still set, soonest first:
        they are the last phases of one round, as each phase's timer goes off when it ends. Empty for a round
        changed by hand."""
        for phases in self.rounds.values():
            left = phases[len(phases) - len(labels):] if 0 < len(labels) <= len(phases) else ()
            if [phase.label for phase in left] == labels:
                return tuple(left)
        return ()

    def total(self, plan: str) -> dt.timedelta:
        return sum((phase.length for phase in self.rounds[plan]), dt.timedelta(0))

    def every_phase(self) -> tuple[CyclePhase, ...]:
        return tuple(phase for phases in self.rounds.values() for phase in phases)


@dataclass(frozen=True)
class SelfCheckQuestion:
    id: str
    title: str
    ask: str
    reprompt: str
    advice: str
    tip: str  # a few words said aloud in the summary: "rest days between hard sessions"
    encourage: str
    source: str


@dataclass(frozen=True)
class SelfCheck:
    questions: tuple[SelfCheckQuestion, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    tier: str
    phrases: tuple[str, ...]  # what the model must hear as this sign (its RedFlag value or synonyms)
    source: str
    hazard: str  # its entry in the hazard log, docs/clinical-safety.md
    intent: str | None  # the model's intent for a whole sentence about this sign ("I peed my pants"), if any
    heard: tuple[tuple[str, ...], ...]  # lexicon groups that, all present in captured words, name this sign
    say: str | None = None  # what to do, said instead of the tier's words where this sign needs its own
    from_age: int | None = None  # the sign holds from this age; said younger, it is the ``younger`` sign
    younger: str | None = None


@dataclass(frozen=True)
class MoveStep:
    """One action of an exercise or a massage; ``hold`` seconds or ``reps`` (every ``tempo`` s) are counted, on
    each side in turn if it has ``sides``."""

    say: str
    hold: int = 0
    reps: int = 0
    tempo: int = 0
    sides: bool = False

    @property
    def paced_seconds(self) -> int:
        one_side = self.hold + self.reps * self.tempo
        return 2 * one_side + 1 if self.sides else one_side


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str  # as shown on a card and said in a heading
    name: str  # lower case, as said inside a sentence and matched against the model
    synonyms: tuple[str, ...]
    purpose: str
    stop_rule: str
    steps: tuple[MoveStep, ...]
    source: str
    lying_back: bool = False  # done lying on the back: not in pregnancy


@dataclass(frozen=True)
class OtherMove:
    """A move people ask for that the skill does not coach ("knee hugs"), answered with the nearest it has."""

    id: str
    name: str
    nearest: str  # an exercise id
    source: str


@dataclass(frozen=True)
class MassageArea:
    id: str
    title: str
    name: str
    synonyms: tuple[str, ...]
    steps: tuple[MoveStep, ...]
    source: str
    lying_back: bool = False  # done lying on the back: not in pregnancy


@dataclass(frozen=True)
class FaqAnswer:
    """A question people ask ("how long does a spasm last?"), by the interaction model's intent for it."""

    id: str
    intent: str
    title: str
    say: str
    card: str  # ending with faq.yaml's card_source line, which names the cite
    cite: str  # where the facts come from, as the card names it
    source: str


@dataclass(frozen=True)
class Content:
    speech: Mapping[str, SpeechItem]
    therapies: Mapping[str, TherapySpec]
    treatment: Treatment
    timers: Mapping[str, TimerSpec]
    cycle: Cycle
    selfcheck: SelfCheck
    red_flags: Mapping[str, RedFlag]
    exercises: Mapping[str, Exercise]
    massage: Mapping[str, MassageArea]
    faq: Mapping[str, FaqAnswer]
    other_moves: Mapping[str, OtherMove] = field(default_factory=dict)
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # the words people use, by meaning
    locale: str = "en-US"  # the Alexa locale this content speaks to: its numbers, its words for care
    language: str = "en"  # the language of its words, and of its interaction model's grammar
    spelling: Mapping[str, str] = field(default_factory=dict)  # card words spelled the locale's way

    def flag_for_intent(self, intent: str) -> RedFlag | None:
        return next((flag for flag in self.red_flags.values() if flag.intent == intent), None)

    def served(self) -> Content:
        """This content as a worker keeps it: of the lexicon, only the groups the signs' ``heard`` rules read
        (the rest grows the interaction models, which a worker never builds)."""
        named = {group for flag in self.red_flags.values() for rule in flag.heard for group in rule}
        return replace(self, lexicon={group: words for group, words in self.lexicon.items() if group in named})

    def sign_heard(self, intent: str, flag_id: str | None = None, said: str | None = None,
                   age: str | None = None) -> RedFlag | None:
        """The warning sign words name: by the sign's own intent (and its age rule), by the RedFlag value they
        resolved to, or by reading words the model could not place with the lexicon, the most urgent first."""
        flag = self.flag_for_intent(intent)
        if flag is not None:
            if flag.from_age and flag.younger and age and age.isdigit() and int(age) < flag.from_age:
                return self.red_flags[flag.younger]
            return flag
        flag = self.red_flags.get(flag_id or "")
        if flag is None and said:
            rules = {fid: known.heard for fid, known in self.red_flags.items()}
            named = [self.red_flags[fid] for fid in named_signs(said, rules, self.lexicon)]
            flag = min(named, key=lambda sign: TIERS.index(sign.tier), default=None)
        return flag

    def faq_for_intent(self, intent: str) -> FaqAnswer | None:
        return next((answer for answer in self.faq.values() if answer.intent == intent), None)

    def timer_for_slot(self, slot_id: str | None) -> TimerSpec | None:
        """The timer kind the user named, by the id the model resolved their words to."""
        return next((spec for spec in self.timers.values() if spec.slot_id == slot_id), None)

    def timer_by_label(self, label: str) -> tuple[str, str] | None:
        """(kind, spoken name) of one of the skill's own timers, found by its label; None for anyone else's."""
        for spec in self.timers.values():
            if spec.label == label:
                return spec.id, spec.spoken
        for phase in self.cycle.every_phase():
            if phase.label == label:
                return CYCLE, phase.spoken
        return None
