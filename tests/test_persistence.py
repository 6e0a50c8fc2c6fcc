"""The persistence adapter, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from ask_sdk_model import RequestEnvelope
from conftest import Alexa, envelope, intent_request, slot

from skill.clients.persistence import SqlPersistenceAdapter
from skill.clients.sql_dialects import TABLE, dialect_for
from skill.clients.user_key import load_or_create_secret, user_key
from skill.content import load_content
from skill.edge.app import create_app

USER = "amzn1.ask.account.PERSISTENCE-USER"
CONTENT = load_content()


def request_for(user_id: str = USER) -> RequestEnvelope:
    from ask_sdk_core.serialize import DefaultSerializer

    return DefaultSerializer().deserialize(json.dumps(envelope({"type": "LaunchRequest"}, user_id=user_id)),
                                           RequestEnvelope)


def raw_rows(adapter: SqlPersistenceAdapter) -> list[tuple[str, str]]:
    with adapter._transaction() as cursor:
        cursor.execute(f"SELECT user_key, attributes FROM {TABLE}")
        return [(key, json.dumps(value) if isinstance(value, dict) else value) for key, value in cursor.fetchall()]


def test_round_trip_and_delete(adapter):
    request = request_for()
    assert adapter.get_attributes(request) == {}
    attributes = adapter.get_attributes(request)
    attributes["notice_heard"] = True
    adapter.save_attributes(request, attributes)
    assert adapter.get_attributes(request) == {"notice_heard": True}
    adapter.delete_attributes(request)
    assert adapter.get_attributes(request) == {}


def test_rows_are_keyed_by_a_keyed_hash_never_the_user_id(adapter):
    request = request_for()
    attributes = adapter.get_attributes(request)
    attributes["notice_heard"] = True
    adapter.save_attributes(request, attributes)
    rows = raw_rows(adapter)
    assert [key for key, _ in rows] == [user_key(b"test-secret", USER)]
    assert all(USER not in key + value and "PERSISTENCE-USER" not in key + value for key, value in rows)
    assert user_key(b"another-secret", USER) != rows[0][0]


def test_removed_attributes_are_removed(adapter):
    request = request_for()
    attributes = adapter.get_attributes(request)
    attributes.update(a=1, b=2)
    adapter.save_attributes(request, attributes)
    attributes = adapter.get_attributes(request)
    del attributes["a"]
    adapter.save_attributes(request, attributes)
    assert adapter.get_attributes(request) == {"b": 2}


def test_two_concurrent_writers_lose_no_update(adapter):
    """Both requests read before either writes, the classic lost update; both changes must survive."""
    request = request_for("amzn1.ask.account.CONCURRENT")
    rounds = 15
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for i in range(rounds):
                attributes = adapter.get_attributes(request)
                barrier.wait(timeout=10)
                attributes[name] = i
                adapter.save_attributes(request, attributes)
                barrier.wait(timeout=10)
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("bookmark", "notice_heard")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert adapter.get_attributes(request) == {"bookmark": rounds - 1, "notice_heard": rounds - 1}


def together(calls: list) -> list:
    """Each call in a thread of its own, all released at the same moment; their answers in order."""
    start, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index: int) -> None:
        start.wait(timeout=10)
        answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_first_writes_of_a_new_user_do_not_overwrite_each_other(adapter, database_url):
    """Four workers (each its own adapter and connection, as gunicorn runs them) save a new user's first
    changes at the same moment: every one lands."""
    request = request_for("amzn1.ask.account.BRAND-NEW")
    workers = [SqlPersistenceAdapter(database_url, b"test-secret") for _ in range(4)]
    loaded = [worker.get_attributes(request) for worker in workers]
    for i, attributes in enumerate(loaded):
        attributes[f"k{i}"] = i
    together([lambda w=worker, a=attributes: w.save_attributes(request, a)
              for worker, attributes in zip(workers, loaded, strict=True)])
    for worker in workers:
        worker.close()
    assert adapter.get_attributes(request) == {"k0": 0, "k1": 1, "k2": 2, "k3": 3}


def test_ping_answers(adapter):
    assert adapter.ping() is True


def test_skill_disabled_deletes_the_users_row(adapter, settings):
    app = create_app(settings, persistence=adapter)
    alexa = Alexa(app.test_client(), user_id=USER)
    alexa.launch()
    assert len(raw_rows(adapter)) == 1
    event = {"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2026-11-21T10:00:00Z",
             "body": {"userInformation": {"persistenceStatus": "NOT_PERSISTED"}}}
    response = app.test_client().post("/alexa", data=json.dumps(envelope(event, user_id=USER, session=False)))
    assert response.status_code == 200
    assert raw_rows(adapter) == []
    assert "Welcome to Spasm Coach" in alexa.launch().speech  # a stranger again


def test_only_pointers_are_stored_after_a_whole_conversation(adapter, settings):
    app = create_app(settings, persistence=adapter)
    alexa = Alexa(app.test_client(), user_id=USER)
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")
    alexa.intent("AMAZON.YesIntent")  # "yes, it started in the last two days": an answer, never stored
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.StopIntent")
    (_, stored), = raw_rows(adapter)
    # The bookmark names no plan: the cold-first plan would say the spasm began in the last two days.
    assert json.loads(stored) == {"notice_heard": True, "bookmark": {"flow": "treatment", "variant": "", "index": 1}}


def test_either_plan_leaves_only_places_the_other_could_leave(adapter, settings):
    """Wherever someone stops in either plan, the stored place could have come from the other plan too."""
    app = create_app(settings, persistence=adapter)
    kept = {}
    for plan, answer in (("cold_first", "AMAZON.YesIntent"), ("heat_first", "AMAZON.NoIntent")):
        alexa = Alexa(app.test_client(), user_id=f"{USER}-{plan}")
        alexa.intent("TreatmentIntent")
        alexa.intent(answer)
        places = set()
        while alexa.attributes["cursor"]["index"] < len(CONTENT.treatment.plans[plan].steps) - 1:
            (row,) = [row for key, row in raw_rows(adapter) if key == user_key(b"test-secret", alexa.user_id)]
            places.add(json.dumps(json.loads(row)["bookmark"], sort_keys=True))
            alexa.intent("AMAZON.NextIntent")
        kept[plan] = places
    assert kept["cold_first"] == kept["heat_first"] and len(kept["cold_first"]) > 5


def test_database_failure_is_an_apology_not_a_500(settings, tmp_path):
    broken = SqlPersistenceAdapter("postgresql://nobody@127.0.0.1:1/none", b"k")
    client = create_app(settings, persistence=broken).test_client()
    response = client.post("/alexa", data=json.dumps(envelope({"type": "LaunchRequest"}, new=True)))
    assert response.status_code == 200
    assert "something went wrong" in response.get_json()["response"]["outputSpeech"]["ssml"]
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] is False
    # A turn that needs no stored state still works while the database is down.
    navigation = client.post("/alexa", data=json.dumps(envelope(intent_request("AMAZON.HelpIntent"))))
    assert "I can talk you through easing a back spasm" in navigation.get_json()["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("url", ["mysql://x", "sqlite://relative.db", "sqlite:///"])
def test_unsupported_urls_are_refused_clearly(url):
    with pytest.raises(ValueError, match="URL"):
        dialect_for(url)


def test_sqlite_uses_wal(tmp_path):
    adapter = SqlPersistenceAdapter(f"sqlite:///{tmp_path / 'wal.sqlite3'}", b"k")
    assert adapter._connection().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (tmp_path / "wal.sqlite3").exists()


def test_the_sqlite_file_is_readable_by_its_owner_only(settings):
    app = create_app(settings)
    Alexa(app.test_client(), user_id=USER).launch()
    database = settings.data_dir / "spasm-coach.sqlite3"
    assert database.exists() and database.stat().st_mode & 0o777 == 0o600


def test_forget_me_after_a_yes_erases_the_users_row_and_no_keeps_it(adapter, settings):
    app = create_app(settings, persistence=adapter)
    alexa = Alexa(app.test_client(), user_id=USER)
    alexa.launch()
    alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT", "SpasmOnset"))
    alexa.intent("AMAZON.StopIntent")  # a bookmark is kept
    assert len(raw_rows(adapter)) == 1
    alexa.intent("ForgetMeIntent")
    kept = alexa.intent("AMAZON.NoIntent")
    assert kept.speech.startswith("Okay, I've kept it.") and len(raw_rows(adapter)) == 1
    asked = alexa.intent("ForgetMeIntent")
    assert "Shall I delete it" in asked.speech
    done = alexa.intent("AMAZON.YesIntent")
    assert done.ends and done.speech.startswith("Done. I've deleted everything")
    assert raw_rows(adapter) == []
    assert "Welcome to Spasm Coach" in alexa.launch().speech  # a stranger again


def test_the_upright_routine_of_pregnancy_is_kept_as_the_whole_routine(adapter, settings):
    """A stored variant must not say someone is pregnant: the place is kept as the same step of the routine."""
    app = create_app(settings, persistence=adapter)
    alexa = Alexa(app.test_client(), user_id=USER)
    alexa.intent("PregnancyIntent")
    alexa.intent("RoutineIntent")
    alexa.intent("AMAZON.YesIntent")  # settled
    assert alexa.attributes["cursor"]["variant"] == "routine_upright"
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.StopIntent")
    (_, stored), = raw_rows(adapter)
    kept = json.loads(stored)["bookmark"]
    assert kept["flow"] == "exercise" and kept["variant"] == "routine" and kept["index"] >= 1


def test_a_request_id_is_a_first_answer_once_within_the_window(adapter):
    assert adapter.first_answer("amzn1.echo-api.request.1", now=1000.0, window=300.0)
    assert not adapter.first_answer("amzn1.echo-api.request.1", now=1100.0, window=300.0)  # a replay
    assert adapter.first_answer("amzn1.echo-api.request.2", now=1100.0, window=300.0)
    # Past the window the id is forgotten (the request's timestamp would be refused by then anyway).
    assert adapter.first_answer("amzn1.echo-api.request.1", now=1400.5, window=300.0)


def _save(adapter: SqlPersistenceAdapter, user_id: str, **attributes) -> None:
    request = request_for(user_id)
    loaded = adapter.get_attributes(request)
    loaded.update(attributes)
    adapter.save_attributes(request, loaded)


def test_forget_idle_deletes_only_the_users_idle_past_the_retention(adapter):
    _save(adapter, "amzn1.ask.account.GONE", notice_heard=True)
    _save(adapter, "amzn1.ask.account.RECENT", notice_heard=True)
    _save(adapter, "amzn1.ask.account.TODAY", notice_heard=True)
    param = adapter._dialect.param
    sqlite = adapter._dialect.param == "?"
    with adapter._transaction() as cursor:  # as if last used 401 and 399 days ago
        for user, days in (("amzn1.ask.account.GONE", 401), ("amzn1.ask.account.RECENT", 399)):
            ago = f"datetime('now', '-{days} days')" if sqlite else f"LOCALTIMESTAMP - interval '{days} days'"
            cursor.execute(f"UPDATE {TABLE} SET updated_at = {ago} WHERE user_key = {param}",
                           (user_key(b"test-secret", user),))
    assert adapter.forget_idle(400) == 1
    assert adapter.get_attributes(request_for("amzn1.ask.account.GONE")) == {}
    assert adapter.get_attributes(request_for("amzn1.ask.account.RECENT")) == {"notice_heard": True}
    assert adapter.get_attributes(request_for("amzn1.ask.account.TODAY")) == {"notice_heard": True}


def test_backup_copies_the_live_sqlite_database_and_its_key_privately(tmp_path, monkeypatch, capsys):
    from skill.cli import main

    monkeypatch.setenv("SPASM_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SPASM_COACH_DATABASE_URL", raising=False)
    monkeypatch.delenv("SPASM_COACH_USER_KEY_SECRET", raising=False)
    from skill.foundations.config import Settings

    settings = Settings.from_env()
    from skill.clients.persistence import build_adapter

    live = build_adapter(settings.resolved_database_url, "", settings.data_dir)
    _save(live, USER, notice_heard=True)
    assert main(["backup", str(tmp_path / "backups")]) == 0
    copy, key = (Path(line) for line in capsys.readouterr().out.split())
    assert key.read_bytes() == (tmp_path / "data" / "user-key.secret").read_bytes()
    assert {oct(path.stat().st_mode & 0o777) for path in (copy, key)} == {"0o600"}
    restored = SqlPersistenceAdapter(f"sqlite:///{copy}", load_or_create_secret(key))
    assert restored.get_attributes(request_for(USER)) == {"notice_heard": True}  # the same user, keyed alike
    assert main(["forget-idle", "--days", "400"]) == 0 and "forgot 0 users" in capsys.readouterr().out
    live.close()
    restored.close()


def test_backup_leaves_postgresql_to_its_own_tools(postgres_url, monkeypatch, tmp_path, capsys):
    from skill.cli import main

    monkeypatch.setenv("SPASM_COACH_DATABASE_URL", postgres_url)
    monkeypatch.setenv("SPASM_COACH_USER_KEY_SECRET", "test-secret")
    assert main(["backup", str(tmp_path)]) == 2
    assert "pg_dump" in capsys.readouterr().err


def test_hosts_starting_together_on_a_new_postgres_database_all_start(postgres_url):
    """Three hosts of two workers each, started at once on a database that has no tables yet: every one creates
    or finds the schema, none fails on the other's half-made table."""
    import uuid

    import psycopg
    from conftest import _postgres_url

    base = _postgres_url()
    for _ in range(4):
        schema = f"spasm_start_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
        stores = [SqlPersistenceAdapter(url, b"test-secret") for _ in range(6)]
        answers = together([store.unwritable for store in stores])
        for store in stores:
            store.close()
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
        assert answers == [None] * len(stores)
