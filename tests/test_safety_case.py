"""The hazard log (docs/clinical-safety.md) holds together: every control names tests that exist, and every hazard
that content points to is in the log."""

from __future__ import annotations

import re
from pathlib import Path

from skill.bundled import content_dir
from skill.content import load_content

ROOT = Path(__file__).parent.parent
LOG = (ROOT / "docs" / "clinical-safety.md").read_text(encoding="utf-8")
ROWS = {cells[0]: cells for cells in ([c.strip() for c in line.strip().strip("|").split("|")]
                                      for line in LOG.splitlines() if re.match(r"^\| H\d+ \|", line))}


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
