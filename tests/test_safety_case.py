"""The hazard log (docs/clinical-safety.md) holds together: every control names tests that exist, every hazard has
its severity, likelihood and residual risk, and every hazard that content points to is in the log."""

from __future__ import annotations

import json
import re
from pathlib import Path

from skill.bundled import content_dir
from skill.content import load_content

ROOT = Path(__file__).parent.parent
LOG = (ROOT / "docs" / "clinical-safety.md").read_text(encoding="utf-8")
HAZARDS, RISKS = LOG.split("## Hazard log", 1)[1].split("## Risk assessment", 1)


def rows(section: str) -> dict[str, list[str]]:
    return {cells[0]: cells for cells in ([c.strip() for c in line.strip().strip("|").split("|")]
                                          for line in section.splitlines() if re.match(r"^\| H\d+ \|", line))}


ROWS, ASSESSED = rows(HAZARDS), rows(RISKS)
MATRIX = {5: (3, 4, 4, 5, 5), 4: (2, 3, 3, 4, 5), 3: (2, 2, 3, 3, 4), 2: (1, 2, 2, 3, 4), 1: (1, 1, 2, 2, 3)}


def test_every_hazard_has_a_cause_a_control_and_tests_that_exist():
    assert ROWS, "no hazards found"
    for hazard, (_, what, cause, control, tests) in ROWS.items():
        assert what and cause and control, hazard
        named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", tests)
        assert named, f"{hazard} names no test"
        for path, name in named:
            source = (ROOT / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.M), f"{hazard}: {path}::{name} does not exist"


def test_every_hazard_content_points_to_is_in_the_log():
    pointed = {flag.hazard for flag in load_content().red_flags.values()}
    for path in Path(content_dir()).glob("*.yaml"):
        pointed |= set(re.findall(r"hazard (H\d+)", path.read_text(encoding="utf-8")))
    assert pointed and pointed <= set(ROWS), pointed - set(ROWS)


def test_every_hazard_is_assessed_before_and_after_its_controls_on_the_matrix():
    assert set(ASSESSED) == set(ROWS)
    for hazard, (_, harm, before, types, after, residual, status) in ASSESSED.items():
        assert harm and residual and status in {"open", "closed", "accepted"}, hazard
        assert set(re.findall(r"[A-Z]", types)) <= set("DCTI") and types, hazard
        for assessed in (before, after):
            severity, likelihood, risk = map(int, re.fullmatch(r"(\d)/(\d) → (\d)", assessed).groups())
            assert MATRIX[likelihood][severity - 1] == risk, f"{hazard}: {assessed} is not what the matrix says"
        assert int(after[-1]) <= int(before[-1]), f"{hazard}: controls that raise the risk"
        assert residual.startswith(after[-1]), hazard
        if int(after[-1]) >= 4:
            assert status in {"open", "accepted"}, f"{hazard}: an unacceptable risk cannot be closed"


def test_fallbacks_where_safety_depends_on_being_heard_are_counted_from_the_request_log(client, log_lines, tmp_path,
                                                                                       capsys):
    from conftest import Alexa

    from skill.cli import main

    person = Alexa(client, screened=False)
    person.intent("TreatmentIntent")  # the screen's first question
    person.intent("AMAZON.FallbackIntent")  # not understood there
    person.intent("AMAZON.NoIntent")
    person.intent("AMAZON.FallbackIntent")  # nor at the second
    requests = [line for line in log_lines() if line.get("message") == "request"]
    assert [line["place"] for line in requests] == ["home", "screen_emergency", "screen_emergency",
                                                    "screen_emergency_more"]
    log = tmp_path / "service.log"
    log.write_text("\n".join(json.dumps(line) for line in requests) + "\nnot json\n")
    assert main(["fallbacks", str(log)]) == 0
    assert capsys.readouterr().out.splitlines() == ["screen: 2 of 3 not understood (66.7%)",
                                                    "exercise: 0 of 0 not understood", "timers: 0 of 0 not understood"]
