"""Test harness: Alexa request envelopes, a conversation driver, and both databases."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from equivalence import install

import skill.edge.app
from coach_tools.envelopes import API_ENDPOINT, SKILL_ID, envelope, intent_request, iso_now, slot
from coach_tools.local_timers import LocalTimersApi
from skill.bundled import content_dir
from skill.clients.persistence import SEEN, SqlPersistenceAdapter
from skill.clients.sql_dialects import TABLE
from skill.content import budget
from skill.content.loader import load_locales
from skill.content.locales import served
from skill.content.phrasing import heard
from skill.conversation.handlers import screen
from skill.conversation.state import SESSION_VERSION
from skill.edge.app import create_app
from skill.foundations.config import Settings
from skill.foundations.logs import JsonFormatter

__all__ = ["SKILL_ID", "envelope", "heading", "intent_request", "iso_now", "slot"]  # the tests import these from here

def heading(title: str = "") -> tuple[str, ...]:
    """How a walk-through may announce an item (content rotates the words), any item when no title is given:
    for ``str.startswith``."""
    return tuple(f"{lead} {title}." if title else f"{lead} " for lead in ("Next,", "Now,", "On to"))


def strip_ssml(ssml: str) -> str:
    """What a listener hears: a number said one way and shown another (<sub>) by its spoken words."""
    return heard(ssml)


@dataclass
class Reply:
    status: int
    body: dict

    @property
    def response(self) -> dict:
        return self.body.get("response", {})

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        return strip_ssml(self.ssml)

    @property
    def reprompt(self) -> str:
        return strip_ssml(((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", ""))

    @property
    def ends(self) -> bool:
        return self.response.get("shouldEndSession") is True

    @property
    def attributes(self) -> dict:
        return self.body.get("sessionAttributes") or {}


APOLOGY = "Sorry, something went wrong on my side."


def check_reply(reply: Reply, launch: bool = False, apology_expected: bool = False) -> None:
    """What must hold for every spoken answer, whatever the test is about: well-formed, within Alexa's limits and
    the word budget, an open turn has a reprompt that helps, and no apology unless the test injected a fault (a
    crash must never pass as a polite reply)."""
    assert reply.status == 200, reply.body
    assert apology_expected or APOLOGY not in reply.speech, "the skill apologised: a handler failed"
    for speech in (reply.response.get("outputSpeech"), (reply.response.get("reprompt") or {}).get("outputSpeech")):
        if speech:
            assert speech["type"] == "SSML"
            root = ET.fromstring(speech["ssml"])  # well-formed SSML
            assert root.tag == "speak" and "".join(root.itertext()).strip(), speech
            assert len(speech["ssml"]) < 8000
            assert not budget.turn_problem(speech["ssml"], launch=launch), budget.turn_problem(speech["ssml"])
    if reply.ssml and not reply.ends and reply.response.get("shouldEndSession") is False:
        assert reply.reprompt, f"open turn without a reprompt: {reply.speech}"
        assert reply.reprompt != reply.speech, "the reprompt only repeats the prompt"


class Alexa:
    """Plays Alexa's part: sends envelopes for one user and carries the session between turns."""

    # A session in which the user has already answered the safety screen (and said the sharpest pain has settled),
    # for the tests of everything after it; tests/test_safety.py drives the screen itself with ``screened=False``.
    SCREENED = {"v": SESSION_VERSION, "checks": [screen.SCREENED, screen.MOVING_OK]}

    def __init__(self, client, user_id: str = "amzn1.ask.account.TESTUSER", api_endpoint: str = API_ENDPOINT,
                 screened: bool = True) -> None:
        self.client = client
        self.screened = screened
        self.user_id = user_id
        self.api_endpoint = api_endpoint
        self.api_token = "secret-api-access-token"
        self.consent = False  # whether the user has granted the timers permission
        self.apology_expected = False  # a test that injects a fault says so; otherwise an apology fails the test
        self.attributes: dict = {}
        self.new = True

    def send(self, request: dict, **overrides) -> Reply:
        overrides = {"api_endpoint": self.api_endpoint, "api_token": self.api_token, "consent": self.consent,
                     **overrides}
        attributes = self.attributes or (dict(self.SCREENED) if self.screened else {})
        body = envelope(request, user_id=self.user_id, attributes=attributes, new=self.new, **overrides)
        response = self.client.post("/alexa", data=json.dumps(body), content_type="application/json")
        reply = Reply(response.status_code, response.get_json())
        check_reply(reply, launch=request.get("type") == "LaunchRequest", apology_expected=self.apology_expected)
        self.new = False
        if reply.ends:
            self.end_session()
        else:
            self.attributes = reply.attributes
        return reply

    def launch(self) -> Reply:
        self.end_session()
        return self.send({"type": "LaunchRequest"})

    def intent(self, name: str, *slots: dict) -> Reply:
        return self.send(intent_request(name, *slots))

    def permission_answer(self, status: str, token: str, code: str = "200") -> Reply:
        """What Alexa sends after asking the user for a permission (Connections.Response to AskFor)."""
        return self.send({"type": "Connections.Response", "name": "AskFor", "status": {"code": code, "message": "OK"},
                          "payload": {"status": status, "permissionScope": "alexa::alerts:timers:skill:readwrite",
                                      "isCardThrown": False}, "token": token})

    def end_session(self) -> None:
        self.attributes = {}
        self.new = True


# ---------------------------------------------------------------------------------------------- databases


def _postgres_url() -> str:
    return os.environ.get("SPASM_COACH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A private schema on the test server; missing server skips locally and fails under CI."""
    try:
        import psycopg

        base = _postgres_url()
        schema = f"spasm_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
    except Exception as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is required under CI=true and did not answer: {error}")
        pytest.skip(f"PostgreSQL not available: {error}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def adapter(database_url) -> SqlPersistenceAdapter:
    store = SqlPersistenceAdapter(database_url, b"test-secret")
    with store._transaction() as cursor:  # the PostgreSQL schema lives for the session: start each test empty
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"DELETE FROM {SEEN}")
    yield store
    store.close()


# ---------------------------------------------------------------------------------------------- the app


@pytest.fixture(autouse=True, scope="session")
def _own_data_dir(tmp_path_factory):
    """What a command run with the default settings writes (the SQLite file, the user key) goes to a directory
    of the suite's own, never the user's ~/.local/share."""
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))


@pytest.fixture(autouse=True, scope="session")
def _shipped_content_checked_once():
    """The suite builds some forty apps; the shipped content is loaded and checked once for all of them (a fifth
    of a second each). Content from any other directory is loaded and checked every time, as a server does."""
    real = skill.edge.app.checked_locales
    shipped: dict = {}

    def checked_locales(directory):
        if directory != content_dir():
            return real(directory)
        if not shipped:
            shipped.update(real(directory))
        return dict(shipped)

    patch = pytest.MonkeyPatch()
    patch.setattr(skill.edge.app, "checked_locales", checked_locales)
    yield
    patch.undo()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(verify=False, skill_ids=(SKILL_ID,), data_dir=tmp_path / "data")


@pytest.fixture
def app(settings, contents):
    """The app, reading every request and writing every response with ask-sdk's serializer too (equivalence)."""
    app = create_app(settings, contents=contents)
    install(app)
    return app


@pytest.fixture(scope="session")
def contents():
    """Every content the skill answers in (each locale and each language's fallback), loaded once: the start's own
    checks are tested in test_house."""
    return load_locales(None, served())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def alexa(client) -> Alexa:
    return Alexa(client)


@pytest.fixture
def timers_api():
    """A local Timers API on 127.0.0.1 that the skill really calls over HTTP."""
    with LocalTimersApi() as api:
        yield api


@pytest.fixture
def timed_alexa(client, timers_api) -> Alexa:
    """A user whose requests point at the local Timers API and who has granted the timers permission."""
    alexa = Alexa(client, api_endpoint=timers_api.url)
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    return alexa


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the content, for tests that break or change it."""
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


def edit_speech(directory: Path, change) -> None:
    """Change a content copy's speech.yaml with ``change`` (a function of the parsed document)."""
    path = directory / "speech.yaml"
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


@pytest.fixture
def log_lines():
    """The JSON lines the service logs during the test, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("skill")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
