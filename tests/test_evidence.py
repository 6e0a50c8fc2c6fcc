"""What the content rests on: `spasm-coach check` refuses a source that names no entry of docs/sources.md, an entry
without its fields, and a second "not getting better" length (hazard H4)."""

from __future__ import annotations

import re
from pathlib import Path

from test_content import edit

from skill.bundled import sources_file
from skill.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_every_source_in_the_project_names_entries_of_its_own_sources_file(capsys):
    assert main(["check"]) == 0
    text = sources_file().read_text()
    sources = re.findall(r"^\s*source: (?!\*)(.*)$", ROOT.joinpath("content", "redflags.yaml").read_text(), re.M)
    assert sources and all(s == ">-" or re.search(r"\[[a-z0-9-]+\]", s) for s in sources)
    for entry in ("nhs-back-pain", "nice-cg151", "nice-ng234", "hopkins-ice-heat", "numbers-au"):
        assert f"### {entry}\n- Title: " in text
    shipped = [p for p in [*ROOT.joinpath("content").rglob("*"), *ROOT.joinpath("docs").rglob("*.md")]
               if p.is_file() and p.suffix != ".png"]  # the icons are pictures
    assert not [p for p in shipped if "../shared" in p.read_text() or "health-facts" in p.read_text()]


def test_a_source_naming_no_entry_or_an_unknown_one_is_refused(content_copy, capsys):
    def unsourced(doc):
        doc["steps"]["comforts"]["source"] = "A blog post I read once."
        doc["steps"]["heat_later"]["source"] = "Warm bath as heat [bsw-heat] [a-blog]."
    edit(content_copy, "treatment", unsourced)
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    err = capsys.readouterr().err
    assert "treatment.yaml: steps.comforts.source: names no entry of docs/sources.md" in err
    assert "steps.heat_later.source: names [a-blog], which docs/sources.md does not list" in err
    assert "[bsw-heat]" not in err


def test_a_source_pointing_outside_the_project_is_refused(content_copy, capsys):
    outside = "health-facts §1.1 [healthwise-back]"
    edit(content_copy, "therapies", lambda d: d["therapies"]["ice"].update(source=outside))
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    assert "therapies.ice.source: points outside the project" in capsys.readouterr().err


def test_an_entry_without_its_fields_is_refused(tmp_path, capsys):
    broken = tmp_path / "sources.md"
    broken.write_text(sources_file().read_text().replace("- Address: https://www.nhs.uk/conditions/sciatica/\n", ""))
    assert main(["check", "--sources", str(broken)]) == 1
    assert "sources.md: nhs-sciatica: lacks Address" in capsys.readouterr().err


def test_a_second_not_getting_better_length_is_refused(content_copy, capsys):
    def own_length(doc):
        doc["steps"]["how_long"]["say"] = "If it isn't better after a week, see {local.your_doctor}."
    edit(content_copy, "treatment", own_length)
    assert main(["check", "--content-dir", str(content_copy)]) == 1
    assert ("treatment.yaml: steps.how_long.say: states a 'not getting better' length of its own ('a week')"
            in capsys.readouterr().err)


def test_the_one_length_is_said_wherever_not_getting_better_is(alexa):
    alexa.launch()
    said = [alexa.intent("HowLongIntent").speech, alexa.intent("NotImprovingIntent").speech]
    alexa.launch()
    assert all("improve within 3 weeks" in s for s in said) and not any("after about a week" in s for s in said)
