"""What people said, where they said it: each case of the development set (tests/corpus/people-words-dev.yaml) is
replayed at its point of a conversation, heard as a device would hear it, and its answer judged: the words a good
answer has, an emergency that ends coaching, the locale's own number and words for care."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach_tools.people import Replay, care_words
from coach_tools.simulator import in_process_sender
from skill.bundled import content_dir
from skill.edge.app import create_app

CASES = yaml.safe_load((Path(__file__).parent / "corpus" / "people-words-dev.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    from dataclasses import replace

    from skill.foundations.config import Settings

    settings = replace(Settings.from_env(), verify=False, skill_ids=(), data_dir=tmp_path_factory.mktemp("people"))
    return Replay(in_process_sender(create_app(settings)), care_words(content_dir()))


@pytest.mark.parametrize("group", sorted({case["group"] for case in CASES}))
def test_what_people_said_is_understood_and_answered_where_they_said_it(replay, group):
    verdicts = [replay.run(case) for case in CASES if case["group"] == group]
    failed = [f"[{v.case['locale']}] {v.case['say']!r} -> {v.heard}: {'; '.join(v.problems)} | {v.answer[:160]}"
              for v in verdicts if not v.passed]
    assert not failed, "\n".join(failed)
