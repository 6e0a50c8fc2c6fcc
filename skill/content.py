"""Content: everything the skill says, loaded once from ``content/*.yaml`` into frozen dataclasses.

Loading validates as it goes and collects every problem, each naming its file and key, so a bad edit stops the
server at start-up with a message a content reviewer can act on, instead of failing on a user's request.

Two kinds of placeholder appear in spoken text:
- ``{ice.max}`` names a content value (here a therapy duration) and is filled in at load; an unknown one is a
  dangling reference and fails the load.
- ``{number}`` is filled in by the code at render time.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import isodate
import yaml

from skill import CONTENT_DIR

CYCLE = "cycle"
REST = "rest"
# The Alexa Timers API's limits: a timer may not end more than two hours ahead, nor may a user have more than ten.
MAX_TIMER = dt.timedelta(hours=2)
MAX_TIMERS = 10
MAX_LABEL = 256
_CONTENT_REF = re.compile(r"\{([a-z_]+)\.([a-z_]+)\}")


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
    steps: tuple[TreatmentStep, ...]
    source: str


@dataclass(frozen=True)
class Treatment:
    recent_onset: dt.timedelta
    onset_source: str
    plans: Mapping[str, TreatmentPlan]
    recent_plan: str
    later_plan: str


@dataclass(frozen=True)
class TimerSpec:
    """One kind of timer the user asks for by name ("start an ice timer")."""

    id: str
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
    phases: tuple[CyclePhase, ...]
    source: str

    @property
    def total(self) -> dt.timedelta:
        return sum((phase.length for phase in self.phases), dt.timedelta(0))


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    ask: str
    reprompt: str
    advice: str
    encourage: str
    source: str


@dataclass(frozen=True)
class SelfCheck:
    safety_ask: str
    safety_reprompt: str
    safety_source: str
    questions: tuple[Question, ...]
    answers: Mapping[str, tuple[str, ...]]  # answer id -> phrasings the model must know


@dataclass(frozen=True)
class RedFlag:
    id: str
    tier: str
    phrases: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class MoveStep:
    """One action of an exercise or a massage; ``hold`` seconds or ``reps`` (every ``tempo`` s) are counted."""

    say: str
    hold: int = 0
    reps: int = 0
    tempo: int = 0

    @property
    def paced_seconds(self) -> int:
        return self.hold + self.reps * self.tempo


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    synonyms: tuple[str, ...]
    purpose: str
    stop_rule: str
    steps: tuple[MoveStep, ...]
    source: str


@dataclass(frozen=True)
class MassageArea:
    id: str
    name: str
    synonyms: tuple[str, ...]
    steps: tuple[MoveStep, ...]
    source: str


# Counting in one response stays well inside what Alexa will speak in a turn (alexa-platform §4).
MAX_PACED_SECONDS = 90
MAX_TEMPO = 10  # one <break> may last at most ten seconds
ANSWER_IDS = ("YES", "NO", "SOMETIMES", "UNSURE")
TIERS = ("emergency", "urgent", "doctor")


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

    def timer_by_label(self, label: str) -> tuple[str, str] | None:
        """(kind, spoken name) of one of the skill's own timers, found by its label; None for anyone else's."""
        for spec in self.timers.values():
            if spec.label == label:
                return spec.id, spec.spoken
        for phase in self.cycle.phases:
            if phase.label == label:
                return CYCLE, phase.spoken
        return None


def spoken_duration(value: dt.timedelta) -> str:
    """A duration the way people say it: "20 minutes", "an hour", "90 seconds" becomes "a minute and a half"."""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} second" + ("" if seconds == 1 else "s")
    minutes, rest = divmod(seconds, 60)
    if minutes == 1 and rest >= 30:
        return "a minute and a half"
    if minutes < 60:
        return "a minute" if minutes == 1 else f"{minutes} minutes"
    hours, minutes = divmod(minutes, 60)
    hour_text = "an hour" if hours == 1 else f"{hours} hours"
    if minutes == 30:
        return f"{hour_text} and a half"
    return hour_text if minutes == 0 else f"{hour_text} and {minutes} minutes"


class _Reader:
    """Walks one YAML document and records problems against its file and key path."""

    def __init__(self, file: str, problems: list[str]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.file}: {key}: {message}")

    def mapping(self, node: Any, key: str, required: set[str], optional: set[str] = frozenset()) -> dict | None:
        if not isinstance(node, dict):
            self.problem(key, "must be a mapping")
            return None
        for unknown in sorted(set(node) - required - optional, key=str):
            self.problem(f"{key}.{unknown}" if key else str(unknown), "unknown key")
        for missing in sorted(required - set(node)):
            self.problem(f"{key}.{missing}" if key else missing, "missing")
        return node

    def entries(self, node: Any, key: str) -> dict:
        """A mapping whose keys are ids chosen by the content author."""
        if not isinstance(node, dict) or not node:
            self.problem(key, "must be a non-empty mapping of ids")
            return {}
        return node

    def text(self, node: Any, key: str) -> str:
        if not isinstance(node, str) or not node.strip():
            self.problem(key, "must be non-empty text")
            return ""
        return " ".join(node.split())

    def texts(self, node: Any, key: str) -> tuple[str, ...]:
        items = node if isinstance(node, list) else [node]
        if not items:
            self.problem(key, "must have at least one variant")
        return tuple(self.text(item, f"{key}[{i}]" if isinstance(node, list) else key) for i, item in
                     enumerate(items))

    def duration(self, node: Any, key: str) -> dt.timedelta:
        try:
            value = isodate.parse_duration(node) if isinstance(node, str) else None
        except (isodate.ISO8601Error, ValueError):
            value = None
        if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
            self.problem(key, f"must be a positive ISO 8601 duration such as PT15M, not {node!r}")
            return dt.timedelta(0)
        return value


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing")
    except yaml.YAMLError as error:
        problems.append(f"{path.name}: not valid YAML: {error}")
    return None


def _load_therapies(doc: Any, r: _Reader) -> dict[str, TherapySpec]:
    therapies: dict[str, TherapySpec] = {}
    root = r.mapping(doc, "", {"therapies"})
    for tid, node in r.entries((root or {}).get("therapies"), "therapies").items():
        key = f"therapies.{tid}"
        spec = r.mapping(node, key, {"name", "default", "max", "rest", "source"})
        if spec is None:
            continue
        therapy = TherapySpec(
            id=tid,
            name=r.text(spec.get("name"), f"{key}.name"),
            default=r.duration(spec.get("default"), f"{key}.default"),
            max=r.duration(spec.get("max"), f"{key}.max"),
            rest=r.duration(spec.get("rest"), f"{key}.rest"),
            source=r.text(spec.get("source"), f"{key}.source"),
        )
        if therapy.default > therapy.max:
            r.problem(f"{key}.default", "is longer than max")
        therapies[tid] = therapy
    return therapies


def _content_values(therapies: Mapping[str, TherapySpec]) -> dict[str, dict[str, str]]:
    return {
        tid: {"default": spoken_duration(t.default), "max": spoken_duration(t.max), "rest": spoken_duration(t.rest)}
        for tid, t in therapies.items()
    }


def _resolve_refs(text: str, values: Mapping[str, Mapping[str, str]], r: _Reader, key: str) -> str:
    def replace(match: re.Match) -> str:
        group, name = match.groups()
        if name not in values.get(group, {}):
            r.problem(key, f"refers to {{{group}.{name}}}, which no content defines")
            return match.group(0)
        return values[group][name]

    resolved = _CONTENT_REF.sub(replace, text)
    try:
        list(string.Formatter().parse(resolved))
    except ValueError as error:
        r.problem(key, f"has a broken placeholder: {error}")
    return resolved


def _load_speech(doc: Any, r: _Reader, values: Mapping) -> dict[str, SpeechItem]:
    items: dict[str, SpeechItem] = {}

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict) and "say" in node:
            item = r.mapping(node, key, {"say", "source"}, {"reprompt", "card_title"})
            if item is None:
                return
            say = tuple(_resolve_refs(t, values, r, f"{key}.say") for t in r.texts(item["say"], f"{key}.say"))
            reprompts = ()
            if "reprompt" in item:
                reprompts = tuple(_resolve_refs(t, values, r, f"{key}.reprompt")
                                  for t in r.texts(item["reprompt"], f"{key}.reprompt"))
                if set(reprompts) & set(say):
                    r.problem(f"{key}.reprompt", "must help more than repeating the prompt word for word")
            items[key] = SpeechItem(
                key=key,
                variants=say,
                reprompts=reprompts,
                card_title=r.text(item["card_title"], f"{key}.card_title") if "card_title" in item else None,
                source=r.text(item.get("source"), f"{key}.source"),
            )
        elif isinstance(node, dict) and node:
            for child, value in node.items():
                if not key and str(child).startswith("_"):
                    continue  # top-level "_name" keys only hold YAML anchors shared by items

                walk(value, f"{key}.{child}" if key else str(child))
        else:
            r.problem(key or "(top)", "must be a mapping of keys, or an item with say and source")

    walk(doc, "")
    return items


def _load_treatment(doc: Any, r: _Reader, values: Mapping) -> Treatment | None:
    root = r.mapping(doc, "", {"onset", "steps", "plans"})
    if root is None:
        return None
    onset = r.mapping(root.get("onset"), "onset", {"recent_within", "recent_plan", "later_plan", "source"}) or {}
    steps: dict[str, TreatmentStep] = {}
    for sid, node in r.entries(root.get("steps"), "steps").items():
        key = f"steps.{sid}"
        step = r.mapping(node, key, {"title", "say", "source"}, {"timer"})
        if step is not None:
            steps[sid] = TreatmentStep(
                id=sid,
                title=r.text(step.get("title"), f"{key}.title"),
                say=_resolve_refs(r.text(step.get("say"), f"{key}.say"), values, r, f"{key}.say"),
                source=r.text(step.get("source"), f"{key}.source"),
                timer=step.get("timer"),
            )
    plans: dict[str, TreatmentPlan] = {}
    for pid, node in r.entries(root.get("plans"), "plans").items():
        key = f"plans.{pid}"
        plan = r.mapping(node, key, {"name", "steps", "source"})
        if plan is None:
            continue
        ids = plan.get("steps")
        if not isinstance(ids, list) or not ids:
            r.problem(f"{key}.steps", "must be a non-empty list of step ids")
            ids = []
        for i, sid in enumerate(ids):
            if sid not in steps:
                r.problem(f"{key}.steps[{i}]", f"refers to step {sid!r}, which steps does not define")
        plans[pid] = TreatmentPlan(
            id=pid,
            name=r.text(plan.get("name"), f"{key}.name"),
            steps=tuple(steps[s] for s in ids if s in steps),
            source=r.text(plan.get("source"), f"{key}.source"),
        )
    for field in ("recent_plan", "later_plan"):
        if field in onset and onset[field] not in plans:
            r.problem(f"onset.{field}", f"refers to plan {onset[field]!r}, which plans does not define")
    return Treatment(
        recent_onset=r.duration(onset.get("recent_within"), "onset.recent_within"),
        onset_source=r.text(onset.get("source"), "onset.source"),
        plans=plans,
        recent_plan=str(onset.get("recent_plan", "")),
        later_plan=str(onset.get("later_plan", "")),
    )


def _load_timers(doc: Any, r: _Reader, values: Mapping, therapies: Mapping[str, TherapySpec]
                 ) -> tuple[dict[str, TimerSpec], Cycle]:
    root = r.mapping(doc, "", {"timers", "cycle"}) or {}
    labels: dict[str, str] = {}

    def label(node: Any, key: str) -> str:
        text = r.text(node, key)
        if len(text) > MAX_LABEL:
            r.problem(key, f"is longer than the {MAX_LABEL} characters the Timers API accepts")
        if text in labels:
            r.problem(key, f"repeats the label of {labels[text]}; the Timers API needs unique labels")
        labels[text] = key
        return text

    timers: dict[str, TimerSpec] = {}
    for tid, node in r.entries(root.get("timers"), "timers").items():
        key = f"timers.{tid}"
        spec = r.mapping(node, key, {"therapy", "label", "spoken", "announce", "source"})
        if spec is None:
            continue
        therapy = therapies.get(spec.get("therapy"))
        if therapy is None:
            r.problem(f"{key}.therapy", f"refers to therapy {spec.get('therapy')!r}, which therapies.yaml lacks")
            continue
        if therapy.max > MAX_TIMER:
            r.problem(f"{key}.therapy", "its max is longer than the two hours a timer may run")
        timers[tid] = TimerSpec(tid, therapy, label(spec.get("label"), f"{key}.label"),
                                r.text(spec.get("spoken"), f"{key}.spoken"),
                                _resolve_refs(r.text(spec.get("announce"), f"{key}.announce"), values, r,
                                              f"{key}.announce"),
                                r.text(spec.get("source"), f"{key}.source"))
    cycle_node = r.mapping(root.get("cycle"), "cycle", {"phases", "source"}) or {}
    phases: list[CyclePhase] = []
    raw_phases = cycle_node.get("phases")
    if not isinstance(raw_phases, list) or not raw_phases:
        r.problem("cycle.phases", "must be a non-empty list")
        raw_phases = []
    for i, node in enumerate(raw_phases):
        key = f"cycle.phases[{i}]"
        phase = r.mapping(node, key, {"therapy", "length", "label", "spoken", "announce"})
        if phase is None:
            continue
        therapy = phase.get("therapy")
        length = r.duration(phase.get("length"), f"{key}.length")
        if therapy != REST and therapy not in therapies:
            r.problem(f"{key}.therapy", f"must be rest or a therapy of therapies.yaml, not {therapy!r}")
        elif therapy != REST and length > therapies[therapy].max:
            r.problem(f"{key}.length", f"is longer than the {therapy} maximum in therapies.yaml")
        if phases and therapy != REST and phases[-1].therapy not in (REST, therapy):
            r.problem(f"{key}.therapy", "ice and heat must be separated by a rest")
        phases.append(CyclePhase(str(therapy), length, label(phase.get("label"), f"{key}.label"),
                                 r.text(phase.get("spoken"), f"{key}.spoken"),
                                 _resolve_refs(r.text(phase.get("announce"), f"{key}.announce"), values, r,
                                               f"{key}.announce")))
    cycle = Cycle(tuple(phases), r.text(cycle_node.get("source"), "cycle.source"))
    if cycle.total > MAX_TIMER:
        r.problem("cycle.phases", "the round lasts longer than the two hours a timer may run")
    if len(phases) > MAX_TIMERS:
        r.problem("cycle.phases", f"needs more than the {MAX_TIMERS} timers a user may have")
    return timers, cycle


def _phrases(node: Any, r: _Reader, key: str) -> tuple[str, ...]:
    if not isinstance(node, list) or not node:
        r.problem(key, "must be a non-empty list of phrases")
        return ()
    return tuple(r.text(p, f"{key}[{i}]").lower() for i, p in enumerate(node))


def _load_selfcheck(doc: Any, r: _Reader) -> SelfCheck:
    root = r.mapping(doc, "", {"safety", "questions", "answers"}) or {}
    safety = r.mapping(root.get("safety"), "safety", {"ask", "reprompt", "source"}) or {}
    questions: list[Question] = []
    raw = root.get("questions")
    if not isinstance(raw, list) or not raw:
        r.problem("questions", "must be a non-empty list")
        raw = []
    fields = ("id", "title", "ask", "reprompt", "advice", "encourage", "source")
    for i, node in enumerate(raw):
        key = f"questions[{i}]"
        q = r.mapping(node, key, set(fields))
        if q is not None:
            questions.append(Question(*(r.text(q.get(f), f"{key}.{f}") for f in fields)))
    ids = [q.id for q in questions]
    for dup in {i for i in ids if ids.count(i) > 1}:
        r.problem("questions", f"id {dup!r} is used twice")
    answers_node = r.mapping(root.get("answers"), "answers", set(ANSWER_IDS)) or {}
    answers = {aid: _phrases(answers_node.get(aid), r, f"answers.{aid}") for aid in ANSWER_IDS}
    return SelfCheck(r.text(safety.get("ask"), "safety.ask"), r.text(safety.get("reprompt"), "safety.reprompt"),
                     r.text(safety.get("source"), "safety.source"), tuple(questions), answers)


def _load_red_flags(doc: Any, r: _Reader) -> dict[str, RedFlag]:
    root = r.mapping(doc, "", {"flags"}) or {}
    flags: dict[str, RedFlag] = {}
    for fid, node in r.entries(root.get("flags"), "flags").items():
        key = f"flags.{fid}"
        flag = r.mapping(node, key, {"tier", "phrases", "source"})
        if flag is None:
            continue
        if flag.get("tier") not in TIERS:
            r.problem(f"{key}.tier", f"must be one of {', '.join(TIERS)}")
        flags[fid] = RedFlag(fid, str(flag.get("tier")), _phrases(flag.get("phrases"), r, f"{key}.phrases"),
                             r.text(flag.get("source"), f"{key}.source"))
    return flags


def _load_steps(node: Any, r: _Reader, key: str) -> tuple[MoveStep, ...]:
    if not isinstance(node, list) or not node:
        r.problem(key, "must be a non-empty list of steps")
        return ()
    steps = []
    for i, raw in enumerate(node):
        skey = f"{key}[{i}]"
        step = r.mapping(raw, skey, {"say"}, {"hold", "reps", "tempo"})
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
        move = MoveStep(r.text(step.get("say"), f"{skey}.say"), **numbers)
        if move.paced_seconds > MAX_PACED_SECONDS:
            r.problem(skey, f"counts for {move.paced_seconds} seconds; one response may count {MAX_PACED_SECONDS}")
        steps.append(move)
    return tuple(steps)


def _load_moves(doc: Any, r: _Reader) -> tuple[dict[str, Exercise], dict[str, MassageArea]]:
    root = r.mapping(doc, "", {"exercises", "massage"}) or {}
    names: dict[str, str] = {}

    def naming(node: dict, key: str) -> tuple[str, tuple[str, ...]]:
        name = r.text(node.get("name"), f"{key}.name").lower()
        synonyms = _phrases(node.get("synonyms"), r, f"{key}.synonyms")
        for phrase in (name, *synonyms):
            if phrase in names and names[phrase] != key:
                r.problem(key, f"{phrase!r} also names {names[phrase]}")
            names[phrase] = key
        return name, synonyms

    exercises = {}
    for eid, node in r.entries(root.get("exercises"), "exercises").items():
        key = f"exercises.{eid}"
        ex = r.mapping(node, key, {"name", "synonyms", "purpose", "stop_rule", "steps", "source"})
        if ex is not None:
            name, synonyms = naming(ex, key)
            exercises[eid] = Exercise(eid, name, synonyms, r.text(ex.get("purpose"), f"{key}.purpose"),
                                      r.text(ex.get("stop_rule"), f"{key}.stop_rule"),
                                      _load_steps(ex.get("steps"), r, f"{key}.steps"),
                                      r.text(ex.get("source"), f"{key}.source"))
    areas = {}
    for aid, node in r.entries(root.get("massage"), "massage").items():
        key = f"massage.{aid}"
        area = r.mapping(node, key, {"name", "synonyms", "steps", "source"})
        if area is not None:
            name, synonyms = naming(area, key)
            areas[aid] = MassageArea(aid, name, synonyms, _load_steps(area.get("steps"), r, f"{key}.steps"),
                                     r.text(area.get("source"), f"{key}.source"))
    return exercises, areas


def spoken_list(items: list[str]) -> str:
    """"a, b, and c" for reading choices aloud."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def load_content(directory: Path = CONTENT_DIR) -> Content:
    """Load and validate every content file; raise :class:`ContentError` listing all problems."""
    problems: list[str] = []
    names = ("therapies", "speech", "treatment", "timers", "selfcheck", "redflags", "exercises")
    docs = {name: _read_yaml(directory / f"{name}.yaml", problems) for name in names}
    therapies = _load_therapies(docs["therapies"], _Reader("therapies.yaml", problems))
    values = _content_values(therapies)
    speech = _load_speech(docs["speech"], _Reader("speech.yaml", problems), values)
    treatment = _load_treatment(docs["treatment"], _Reader("treatment.yaml", problems), values)
    timers, cycle = _load_timers(docs["timers"], _Reader("timers.yaml", problems), values, therapies)
    selfcheck = _load_selfcheck(docs["selfcheck"], _Reader("selfcheck.yaml", problems))
    red_flags = _load_red_flags(docs["redflags"], _Reader("redflags.yaml", problems))
    exercises, massage = _load_moves(docs["exercises"], _Reader("exercises.yaml", problems))
    for tier in TIERS:
        if f"safety.{tier}" not in speech:
            problems.append(f"speech.yaml: safety.{tier}: missing (red flags of tier {tier!r} need it)")
    for step in {s for plan in (treatment.plans.values() if treatment else ()) for s in plan.steps}:
        if step.timer is not None and step.timer not in timers:
            problems.append(f"treatment.yaml: steps.{step.id}.timer: refers to timer {step.timer!r}, "
                            "which timers.yaml does not define")
    for pid in treatment.plans if treatment else ():
        if f"treatment.intro.{pid}" not in speech:
            problems.append(f"speech.yaml: treatment.intro.{pid}: missing (plan {pid!r} needs an introduction)")
    if problems or treatment is None:
        raise ContentError(problems or ["treatment.yaml: could not be read"])
    return Content(speech=speech, therapies=therapies, treatment=treatment, timers=timers, cycle=cycle,
                   selfcheck=selfcheck, red_flags=red_flags, exercises=exercises, massage=massage)
