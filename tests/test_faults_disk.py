"""A full disk, for real: a small tmpfs holds the data directory and is filled until writes fail. Health says so
(and why) and recovers by itself, a turn apologises without losing the step, and the user key is written whole
or not at all. Mounting needs root: without it these are skipped locally and fail under CI=true."""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import Alexa

from skill.clients.user_key import load_or_create_secret
from skill.edge.app import create_app
from skill.foundations.config import SettingsError


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs of its own, so filling it fills nothing else."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(disk)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"a tmpfs is needed under CI=true: {mounted.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Write until the file system refuses: the disk is then full."""
    filler = disk / "filler"
    with filler.open("wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    with contextlib.suppress(OSError):  # and the last few blocks a buffered write left over
        fd = os.open(disk / "crumbs", os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):
            while os.write(fd, b"\0" * 512):
                pass
        os.close(fd)
    return filler


def test_a_full_disk_is_unhealthy_says_why_and_recovers_by_itself(small_disk, settings, contents, log_lines):
    app = create_app(replace(settings, data_dir=small_disk, min_free_mb=1), contents=contents)
    client = app.test_client()
    alexa = Alexa(client)
    alexa.intent("TreatmentIntent")
    assert client.get("/healthz").status_code == 200
    filler = fill(small_disk)
    alexa.apology_expected = True
    full = client.get("/healthz")
    assert full.status_code == 503 and full.get_json()["database"] is False
    client.get("/healthz")
    why = [line["message"] for line in log_lines() if line["message"].startswith("health: 503")]
    assert len(why) == 1 and "free on the database's file system" in why[0]  # said once, with the reason
    # A turn on the full disk: an apology that keeps the place, never a 500.
    sorry = alexa.intent("AMAZON.YesIntent")
    assert sorry.status == 200 and "something went wrong" in sorry.speech and not sorry.ends
    filler.unlink()
    (small_disk / "crumbs").unlink(missing_ok=True)
    alexa.apology_expected = False
    assert client.get("/healthz").status_code == 200
    assert "Find the position that hurts least" in alexa.intent("AMAZON.YesIntent").speech  # nothing skipped


def test_a_key_that_cannot_be_written_whole_stops_the_start_and_leaves_no_empty_key(small_disk, settings):
    fill(small_disk)
    with pytest.raises(SettingsError, match=r"could not write the user key file .*free some space"):
        create_app(replace(settings, data_dir=small_disk / "data"))
    assert not (small_disk / "data" / "user-key.secret").exists()
    assert not [p for p in (small_disk / "data").iterdir() if p.name.startswith(".user-key")]
    (small_disk / "filler").unlink()
    (small_disk / "crumbs").unlink(missing_ok=True)
    create_app(replace(settings, data_dir=small_disk / "data"))
    assert len((small_disk / "data" / "user-key.secret").read_text()) == 64


@pytest.mark.parametrize("kept", ["", "abc123", "z" * 64, "ab" * 20])
def test_a_key_file_that_is_not_a_whole_key_refuses_to_start(tmp_path, kept):
    path = tmp_path / "user-key.secret"
    path.write_text(kept)
    with pytest.raises(SettingsError, match=r"is not a whole key .* restore it from a backup, or delete it"):
        load_or_create_secret(path)


def test_two_workers_creating_the_key_at_once_agree(tmp_path):
    path = tmp_path / "user-key.secret"
    assert load_or_create_secret(path) == load_or_create_secret(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the second read the first one's key
