"""Loading ``content/*.yaml`` into the typed model, with every check that spans a file or two.

Loading validates as it goes and collects every problem, each naming its file and key, so a bad edit stops the
server at start-up with a message a content reviewer can act on, instead of failing on a user's request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from skill.bundled import content_dir
from skill.content import budget
from skill.content.lexicon import read_lexicon, with_additions
from skill.content.locales import BASE_LANGUAGE, DEFAULT_LOCALE, locale_names, localised, read_locale
from skill.content.model import (
    TIERS,
    Content,
    ContentError,
    FaqAnswer,
    RedFlag,
    SelfCheck,
    SelfCheckQuestion,
    SpeechItem,
    TherapySpec,
    Treatment,
    TreatmentPlan,
    TreatmentStep,
)
from skill.content.moves import load_moves
from skill.content.phrasing import spoken_duration
from skill.content.reader import Reader, hazard, phrases, read_yaml, resolve_refs
from skill.content.rounds import check_rounds, load_timers
from skill.foundations.times import parse_duration


def _load_therapies(doc: Any, r: Reader) -> dict[str, TherapySpec]:
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


def _content_values(therapies: Mapping[str, TherapySpec], treatment_doc: Any) -> dict[str, dict[str, str]]:
    values = {
        tid: {"default": spoken_duration(t.default), "max": spoken_duration(t.max), "rest": spoken_duration(t.rest)}
        for tid, t in therapies.items()
    }
    # "{onset.see_doctor_after}": the one "not getting better" length, said everywhere it is said (hazard H4).
    onset = treatment_doc.get("onset") if isinstance(treatment_doc, dict) else None
    after = parse_duration(onset.get("see_doctor_after")) if isinstance(onset, dict) else None
    if after is not None and after > dt.timedelta(0):
        values["onset"] = {"see_doctor_after": spoken_duration(after)}
    return values


def _load_speech(doc: Any, r: Reader, values: Mapping) -> dict[str, SpeechItem]:
    items: dict[str, SpeechItem] = {}

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict) and "say" in node:
            item = r.mapping(node, key, {"say", "source"}, {"reprompt", "card_title"})
            if item is None:
                return
            say = tuple(resolve_refs(t, values, r, f"{key}.say") for t in r.texts(item["say"], f"{key}.say"))
            reprompts = ()
            if "reprompt" in item:
                reprompts = tuple(resolve_refs(t, values, r, f"{key}.reprompt")
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


def _load_treatment(doc: Any, r: Reader, values: Mapping) -> Treatment | None:
    root = r.mapping(doc, "", {"onset", "steps", "plans"})
    if root is None:
        return None
    onset = r.mapping(root.get("onset"), "onset", {"recent_within", "see_doctor_after", "recent_plan", "later_plan",
                                                     "source"}) or {}
    steps: dict[str, TreatmentStep] = {}
    for sid, node in r.entries(root.get("steps"), "steps").items():
        key = f"steps.{sid}"
        step = r.mapping(node, key, {"title", "say", "source"}, {"timer"})
        if step is not None:
            steps[sid] = TreatmentStep(
                id=sid,
                title=r.text(step.get("title"), f"{key}.title"),
                say=resolve_refs(r.text(step.get("say"), f"{key}.say"), values, r, f"{key}.say"),
                source=r.text(step.get("source"), f"{key}.source"),
                timer=step.get("timer"),
            )
    plans: dict[str, TreatmentPlan] = {}
    for pid, node in r.entries(root.get("plans"), "plans").items():
        key = f"plans.{pid}"
        plan = r.mapping(node, key, {"name", "steps", "source"}, {"more"})
        if plan is None:
            continue
        ids = plan.get("steps")
        if not isinstance(ids, list) or not ids:
            r.problem(f"{key}.steps", "must be a non-empty list of step ids")
            ids = []
        more = plan.get("more", [])
        if not isinstance(more, list):
            r.problem(f"{key}.more", "must be a list of step ids")
            more = []
        for field, listed in (("steps", ids), ("more", more)):
            for i, sid in enumerate(listed):
                if sid not in steps:
                    r.problem(f"{key}.{field}[{i}]", f"refers to step {sid!r}, which steps does not define")
        plans[pid] = TreatmentPlan(
            id=pid,
            name=r.text(plan.get("name"), f"{key}.name"),
            steps=tuple(steps[s] for s in [*ids, *more] if s in steps),
            source=r.text(plan.get("source"), f"{key}.source"),
            main=sum(s in steps for s in ids),
        )
    for field in ("recent_plan", "later_plan"):
        if field in onset and onset[field] not in plans:
            r.problem(f"onset.{field}", f"refers to plan {onset[field]!r}, which plans does not define")
    return Treatment(
        recent_onset=r.duration(onset.get("recent_within"), "onset.recent_within"),
        see_doctor_after=r.duration(onset.get("see_doctor_after"), "onset.see_doctor_after"),
        onset_source=r.text(onset.get("source"), "onset.source"),
        plans=plans,
        recent_plan=str(onset.get("recent_plan", "")),
        later_plan=str(onset.get("later_plan", "")),
    )


def _load_selfcheck(doc: Any, r: Reader) -> SelfCheck:
    root = r.mapping(doc, "", {"questions"}) or {}
    questions: list[SelfCheckQuestion] = []
    raw = root.get("questions")
    if not isinstance(raw, list) or not raw:
        r.problem("questions", "must be a non-empty list")
        raw = []
    fields = ("id", "title", "ask", "reprompt", "advice", "tip", "encourage", "source")
    for i, node in enumerate(raw):
        key = f"questions[{i}]"
        q = r.mapping(node, key, set(fields))
        if q is not None:
            questions.append(SelfCheckQuestion(*(r.text(q.get(f), f"{key}.{f}") for f in fields)))
    ids = [q.id for q in questions]
    for dup in {i for i in ids if ids.count(i) > 1}:
        r.problem("questions", f"id {dup!r} is used twice")
    return SelfCheck(tuple(questions))


def _load_red_flags(doc: Any, r: Reader, lexicon: Mapping[str, tuple[str, ...]],
                    values: Mapping) -> dict[str, RedFlag]:
    root = r.mapping(doc, "", {"flags"}) or {}
    flags: dict[str, RedFlag] = {}
    for fid, node in r.entries(root.get("flags"), "flags").items():
        key = f"flags.{fid}"
        flag = r.mapping(node, key, {"tier", "hazard", "phrases", "heard", "source"},
                         {"intent", "say", "from_age", "younger"})
        if flag is None:
            continue
        if flag.get("tier") not in TIERS:
            r.problem(f"{key}.tier", f"must be one of {', '.join(TIERS)}")
        from_age = flag.get("from_age")
        if ("from_age" in flag) != ("younger" in flag) or (from_age is not None and not isinstance(from_age, int)):
            r.problem(key, "from_age (a whole number) and younger (a sign) go together")
        flags[fid] = RedFlag(fid, str(flag.get("tier")), phrases(flag.get("phrases"), r, f"{key}.phrases"),
                             r.text(flag.get("source"), f"{key}.source"), hazard(flag.get("hazard"), r, key),
                             r.text(flag["intent"], f"{key}.intent") if "intent" in flag else None,
                             _rules(flag.get("heard"), r, f"{key}.heard", lexicon),
                             resolve_refs(r.text(flag["say"], f"{key}.say"), values, r, f"{key}.say")
                             if "say" in flag else None,
                             from_age if isinstance(from_age, int) else None, flag.get("younger"))
    for fid, flag in flags.items():
        if flag.younger is not None and flag.younger not in flags:
            r.problem(f"flags.{fid}.younger", f"refers to {flag.younger!r}, which flags does not define")
    intents = [flag.intent for flag in flags.values() if flag.intent]
    if len(set(intents)) < len(intents):
        r.problem("flags", "two signs share an intent")
    return flags


def _rules(node: Any, r: Reader, key: str, lexicon: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Rules for reading captured words: each a list of lexicon groups that must all be present."""
    if not isinstance(node, list) or not node or not all(isinstance(rule, list) and rule for rule in node):
        r.problem(key, "must be a non-empty list of rules, each a list of lexicon groups")
        return ()
    for i, rule in enumerate(node):
        for group in rule:
            if group not in lexicon:
                r.problem(f"{key}[{i}]", f"names {group!r}, which the lexicon does not have")
    return tuple(tuple(str(group) for group in rule) for rule in node)


def _load_faq(doc: Any, r: Reader, values: Mapping) -> dict[str, FaqAnswer]:
    root = r.mapping(doc, "", {"answers", "card_source"}) or {}
    card_source = r.text(root.get("card_source"), "card_source")
    if "{cite}" not in card_source:
        r.problem("card_source", "must name where the facts come from with {cite}")
    answers: dict[str, FaqAnswer] = {}
    fields = ("intent", "title", "say", "card", "cite", "source")
    for aid, node in r.entries(root.get("answers"), "answers").items():
        key = f"answers.{aid}"
        answer = r.mapping(node, key, set(fields))
        if answer is not None:
            texts = {name: r.text(answer.get(name), f"{key}.{name}") for name in fields}
            for name in ("say", "card"):  # "about {ice.default}": the one dose, from therapies.yaml
                texts[name] = resolve_refs(texts[name], values, r, f"{key}.{name}")
            texts["card"] += "\n\n" + card_source.replace("{cite}", texts["cite"])
            answers[aid] = FaqAnswer(aid, *texts.values())
    if len({a.intent for a in answers.values()}) < len(answers):
        r.problem("answers", "two answers share an intent")
    return answers


FILES = ("therapies", "speech", "treatment", "timers", "selfcheck", "redflags", "exercises", "faq", "lexicon")


def load_content(directory: Path | None = None, locale: str = DEFAULT_LOCALE) -> Content:
    """Load and validate the content for one locale (the shipped content unless a directory is given); raise
    :class:`ContentError` listing all problems."""
    return load_locales(directory, (locale,))[locale]


def load_locales(directory: Path | None = None, only: tuple[str, ...] | None = None) -> dict[str, Content]:
    """The content of every locale (or of ``only`` those): each language's files read once, then each locale's
    file applied (its words for care and its emergency number, speech it says differently, card spelling)."""
    directory = directory or content_dir()
    problems: list[str] = []
    languages: dict[str, dict[str, Any]] = {}
    lexicons: dict[str, dict[str, tuple[str, ...]]] = {}  # a language's word groups, read once for its locales
    loaded: dict[str, Content] = {}
    for locale in only or locale_names(directory):
        local = read_locale(directory, locale, problems)
        if local is None:
            continue
        language = local["language"]
        if language not in languages:
            base = directory if language == BASE_LANGUAGE else directory / language
            languages[language] = {name: read_yaml(base / f"{name}.yaml", problems) for name in FILES}
            lexicons[language] = read_lexicon(languages[language]["lexicon"], Reader("lexicon.yaml", problems))
        docs = localised(languages[language], local, Reader(f"locales/{locale}.yaml", problems))
        lexicon = with_additions(lexicons[language], local["lexicon"], Reader(f"locales/{locale}.yaml", problems))
        content = _build(docs, problems, locale, lexicon)
        if content is not None:
            loaded[locale] = replace(content, spelling=local["spelling"], language=language)
    if problems:
        raise ContentError(list(dict.fromkeys(problems)))
    return loaded


def _build(docs: Mapping[str, Any], problems: list[str], locale: str,
           lexicon: dict[str, tuple[str, ...]]) -> Content | None:
    """One locale's content from its documents, every check run; None (with problems recorded) if unusable."""
    count = len(problems)
    therapies = _load_therapies(docs["therapies"], Reader("therapies.yaml", problems))
    values = _content_values(therapies, docs["treatment"])
    speech = _load_speech(docs["speech"], Reader("speech.yaml", problems), values)
    treatment = _load_treatment(docs["treatment"], Reader("treatment.yaml", problems), values)
    timers, cycle = load_timers(docs["timers"], Reader("timers.yaml", problems), values, therapies)
    selfcheck = _load_selfcheck(docs["selfcheck"], Reader("selfcheck.yaml", problems))
    red_flags = _load_red_flags(docs["redflags"], Reader("redflags.yaml", problems), lexicon, values)
    exercises, massage, other_moves = load_moves(docs["exercises"], Reader("exercises.yaml", problems))
    faq = _load_faq(docs["faq"], Reader("faq.yaml", problems), values)
    for step in {s for plan in (treatment.plans.values() if treatment else ()) for s in plan.steps}:
        if step.timer is not None and step.timer not in timers:
            problems.append(f"treatment.yaml: steps.{step.id}.timer: refers to timer {step.timer!r}, "
                            "which timers.yaml does not define")
    if treatment is not None:
        check_rounds(cycle, treatment, Reader("timers.yaml", problems))
    if len(problems) > count or treatment is None:
        if treatment is None and len(problems) == count:
            problems.append("treatment.yaml: could not be read")
        return None
    content = Content(speech=speech, therapies=therapies, treatment=treatment, timers=timers, cycle=cycle,
                      selfcheck=selfcheck, red_flags=red_flags, exercises=exercises, massage=massage, faq=faq,
                      lexicon=lexicon, other_moves=other_moves, locale=locale)
    found = budget.content_problems(content)
    if found:
        problems.extend(f"{locale}: {problem}" for problem in found)  # a locale's words can break the budget
        return None
    return content
