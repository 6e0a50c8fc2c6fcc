"""The start-up cache (skill.cache): an unchanged start skips loading and checking the content, and a changed
file, code or content, is always loaded and checked again (hazard H13)."""

from __future__ import annotations

import pytest
from conftest import edit_speech

from skill import assembly
from skill.app import create_app
from skill.config import Settings
from skill.content import ContentError, loader
from skill.content.loader import load_locales


@pytest.fixture
def loads(monkeypatch):
    """How many times the content was loaded from YAML."""
    count = []
    real = loader.load_locales
    monkeypatch.setattr(loader, "load_locales", lambda directory: count.append(directory) or real(directory))
    return count


def test_an_unchanged_start_uses_the_checked_content_it_kept(tmp_path, loads, log_lines):
    settings = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    create_app(settings)
    assert len(loads) == 1 and len(list((tmp_path / "cache").glob("content-*.pickle"))) == 1
    second = create_app(settings)
    assert len(loads) == 1  # not loaded again
    assert second.extensions["spasm_coach"].skill.deps.voices["en-GB"].content == load_locales()["en-GB"].served()
    reply = second.test_client().get("/healthz")
    assert reply.status_code == 200
    assert not [line for line in log_lines() if line["logger"] == "skill.cache"]  # a first start is no fault


def test_a_changed_content_file_is_loaded_and_checked_again(tmp_path, content_copy, loads):
    settings = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache",
                        content_dir=content_copy)
    create_app(settings)
    edit_speech(content_copy, lambda d: d["safety"].pop("urgent"))
    with pytest.raises(ContentError, match=r"safety\.urgent: missing"):
        create_app(settings)  # the good content kept from before is not used
    assert len(loads) == 2


def test_a_changed_emergency_number_is_heard_at_once(tmp_path, content_copy):
    settings = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache",
                        content_dir=content_copy)
    create_app(settings)
    locale_file = content_copy / "locales" / "en-GB.yaml"
    locale_file.write_text(locale_file.read_text().replace("nine nine nine", "one one two"))
    voices = create_app(settings).extensions["spasm_coach"].skill.deps.voices
    spoken = repr(voices["en-GB"].content.speech)  # the lexicon hears every number people might say; speech says one
    assert "one one two" in spoken and "nine nine nine" not in spoken


def test_changed_code_is_checked_again(tmp_path, loads, monkeypatch):
    settings = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    create_app(settings)
    monkeypatch.setattr(assembly.cache, "digest", lambda files: "another version of the code")
    create_app(settings)
    assert len(loads) == 2


def test_a_broken_or_unwritable_cache_never_stops_the_start(tmp_path, loads, log_lines):
    cache_dir = tmp_path / "cache"
    settings = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=cache_dir)
    create_app(settings)
    kept = next(cache_dir.glob("content-*.pickle"))
    kept.write_bytes(b"not a pickle")
    assert create_app(settings).test_client().get("/healthz").status_code == 200
    assert len(loads) == 2
    assert "start-up cache unreadable; rebuilding" in [line["message"] for line in log_lines()]
    blocked = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=tmp_path / "a-file")
    (tmp_path / "a-file").write_text("a file where the directory should be")
    assert create_app(blocked).test_client().get("/healthz").status_code == 200
