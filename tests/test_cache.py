"""The start-up cache (skill.cache): an unchanged start skips loading and checking the content, and a changed
file, code or content, is always loaded and checked again (hazard H13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit_speech

from skill import cache
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
    """The digest covers the package's code: a copy of it, one file edited, is loaded and checked again."""
    import shutil

    import skill

    code = tmp_path / "code" / "skill"
    shutil.copytree(Path(skill.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(skill, "__file__", str(code / "__init__.py"))
    settings = Settings(verify=False, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    create_app(settings)
    create_app(settings)
    assert len(loads) == 1  # the same code: kept
    handler = code / "handlers" / "treatment.py"
    handler.write_text(handler.read_text() + "\n# a change\n")
    create_app(settings)
    assert len(loads) == 2  # the code changed: loaded and checked again


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


class Planted:
    """What an attacker would pickle: unpickling it runs code (here, it only leaves a mark)."""

    def __init__(self, mark) -> None:
        self.mark = mark

    def __reduce__(self):
        return (open, (str(self.mark), "w"))


def plant(directory, tmp_path) -> tuple:
    import pickle

    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    sources = [tmp_path / "source.txt"]
    sources[0].write_text("content")
    target = directory / f"planted-{cache.digest(sources)[:32]}.pickle"
    target.write_bytes(pickle.dumps(Planted(tmp_path / "code-ran")))
    return sources, target


@pytest.mark.parametrize("how", ["unsigned", "others may write the folder", "owned by another user"])
def test_a_planted_pickle_is_never_unpickled(tmp_path, how, log_lines):
    """The cache file name is predictable: a pickle planted there would run code in the server."""
    import os

    directory = tmp_path / "cache"
    sources, target = plant(directory, tmp_path)
    if how == "others may write the folder":
        directory.chmod(0o777)
    if how == "owned by another user":
        os.chown(target, 65534, 65534)
    value = cache.cached(directory, "planted", sources, lambda: "built afresh")
    assert value == "built afresh" and not (tmp_path / "code-ran").exists()
    assert [line for line in log_lines() if line["logger"] == "skill.cache"]  # and said why
    if how == "unsigned":  # rebuilt, signed: the next start uses it
        assert cache.cached(directory, "planted", sources, lambda: "built again") == "built afresh"
