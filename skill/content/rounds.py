"""Reading ``timers.yaml``: the timer kinds and the ice-and-heat rounds, each phase the one dose or rest of
``therapies.yaml``, labels the Timers API accepts, and no heat in the round of the first days (hazards H6, H7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from skill.content.model import COLD, REST, Cycle, CyclePhase, TherapySpec, TimerSpec, Treatment
from skill.content.reader import Reader, resolve_refs
from skill.foundations.alexa_platform import MAX_LABEL, MAX_TIMER, MAX_TIMERS


def load_timers(doc: Any, r: Reader, values: Mapping, therapies: Mapping[str, TherapySpec]
                 ) -> tuple[dict[str, TimerSpec], Cycle]:
    root = r.mapping(doc, "", {"timers", "cycle"}) or {}
    labels: dict[str, str] = {}

    label = _labeller(r, labels)
    timers: dict[str, TimerSpec] = {}
    for tid, node in r.entries(root.get("timers"), "timers").items():
        key = f"timers.{tid}"
        spec = r.mapping(node, key, {"therapy", "slot_id", "label", "spoken", "announce", "source"})
        if spec is None:
            continue
        therapy = therapies.get(spec.get("therapy"))
        if therapy is None:
            r.problem(f"{key}.therapy", f"refers to therapy {spec.get('therapy')!r}, which therapies.yaml lacks")
            continue
        if therapy.max > MAX_TIMER:
            r.problem(f"{key}.therapy", "its max is longer than the two hours a timer may run")
        timers[tid] = TimerSpec(tid, r.text(spec.get("slot_id"), f"{key}.slot_id"), therapy,
                                label(spec.get("label"), f"{key}.label"),
                                r.text(spec.get("spoken"), f"{key}.spoken"),
                                resolve_refs(r.text(spec.get("announce"), f"{key}.announce"), values, r,
                                              f"{key}.announce"),
                                r.text(spec.get("source"), f"{key}.source"))
    cycle_node = r.mapping(root.get("cycle"), "cycle", {"rounds", "source", "spoken", "phase_names"}) or {}
    # Only one round runs at a time, so the rounds may share labels; within one, and against the timers, never.
    rounds = {plan: _load_round(node, r, f"cycle.rounds.{plan}", values, therapies, dict(labels))
              for plan, node in r.entries(cycle_node.get("rounds"), "cycle.rounds").items()}
    names: dict[str, dict[str, str]] = {}
    for name_id, node in r.entries(cycle_node.get("phase_names"), "cycle.phase_names").items():
        key = f"cycle.phase_names.{name_id}"
        pair = r.mapping(node, key, {"now", "next"}) or {}
        names[name_id] = {when: r.text(pair.get(when), f"{key}.{when}") for when in ("now", "next")}
    for name_id in {phase.therapy for phases in rounds.values() for phase in phases} - set(names):
        r.problem("cycle.phase_names", f"must name {name_id!r}, a phase of a round")
    cycle = Cycle(rounds, r.text(cycle_node.get("source"), "cycle.source"),
                  r.text(cycle_node.get("spoken"), "cycle.spoken"), names)
    return timers, cycle


def _labeller(r: Reader, labels: dict[str, str]) -> Callable[[Any, str], str]:
    """Reads a timer label: short enough for the Timers API and not already in ``labels`` (label -> its key)."""
    def label(node: Any, key: str) -> str:
        text = r.text(node, key)
        if len(text) > MAX_LABEL:
            r.problem(key, f"is longer than the {MAX_LABEL} characters the Timers API accepts")
        if text in labels:
            r.problem(key, f"repeats the label of {labels[text]}; the Timers API needs unique labels")
        labels[text] = key
        return text
    return label


def _load_round(raw_phases: Any, r: Reader, where: str, values: Mapping, therapies: Mapping[str, TherapySpec],
                labels: dict[str, str]) -> tuple[CyclePhase, ...]:
    label = _labeller(r, labels)
    phases: list[CyclePhase] = []
    if not isinstance(raw_phases, list) or not raw_phases:
        r.problem(where, "must be a non-empty list of phases")
        raw_phases = []
    for i, node in enumerate(raw_phases):
        key = f"{where}[{i}]"
        phase = r.mapping(node, key, {"therapy", "label", "spoken", "announce"})
        if phase is None:
            continue
        # One dose everywhere: a phase lasts its therapy's dose, and a rest the rest after the therapy before it,
        # both from therapies.yaml, so the plan, the timers and the round cannot disagree (hazard H6).
        therapy = phase.get("therapy")
        length = dt.timedelta(0)
        if therapy != REST and therapy not in therapies:
            r.problem(f"{key}.therapy", f"must be rest or a therapy of therapies.yaml, not {therapy!r}")
        elif therapy != REST:
            length = therapies[therapy].default
        elif not phases or phases[-1].therapy not in therapies:
            r.problem(f"{key}.therapy", "a rest must follow ice or heat")
        else:
            length = therapies[phases[-1].therapy].rest
        if phases and therapy != REST and phases[-1].therapy not in (REST, therapy):
            r.problem(f"{key}.therapy", "ice and heat must be separated by a rest")
        phases.append(CyclePhase(str(therapy), length, label(phase.get("label"), f"{key}.label"),
                                 r.text(phase.get("spoken"), f"{key}.spoken"),
                                 resolve_refs(r.text(phase.get("announce"), f"{key}.announce"), values, r,
                                               f"{key}.announce")))
    if sum((phase.length for phase in phases), dt.timedelta(0)) > MAX_TIMER:
        r.problem(where, "the round lasts longer than the two hours a timer may run")
    if len(phases) > MAX_TIMERS:
        r.problem(where, f"needs more than the {MAX_TIMERS} timers a user may have")
    return tuple(phases)


def check_rounds(cycle: Cycle, treatment: Treatment, r: Reader) -> None:
    """A round for each plan; within the first days (the recent plan) cold and rests only, no heat (hazard H7)."""
    if set(cycle.rounds) != set(treatment.plans):
        r.problem("cycle.rounds", f"must have one round for each plan of treatment.yaml: {', '.join(treatment.plans)}")
    early = cycle.rounds.get(treatment.recent_plan, ())
    if early and not (early[0].therapy == early[-1].therapy == COLD and {p.therapy for p in early} <= {COLD, REST}):
        r.problem(f"cycle.rounds.{treatment.recent_plan}", f"must be {COLD} and rests only: no heat early on")
