"""Faults injected for real (a real database refusing writes, a database file deleted or replaced, a database
that is read-only): no fault loses a step, and health tells a load balancer the truth."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from conftest import Alexa, heading, slot

from coach_tools.local_timers import Fault
from skill.clients.persistence import SqlPersistenceAdapter
from skill.clients.sql_dialects import TABLE, DatabaseLimits
from skill.clients.user_key import user_key
from skill.edge.app import create_app
from skill.foundations.config import SettingsError

USER = "amzn1.ask.account.FAULTS"
ICE = slot("therapy", "ice", "ICE", "TherapyType")
AT_STEP_THREE = {"v": 1, "cursor": {"flow": "treatment", "variant": "cold_first", "index": 2}, "checks": []}


def refuse_writes(adapter: SqlPersistenceAdapter, database_url: str, on: bool) -> None:
    """Make the database itself refuse every write to the table (as a full disk or a failing volume would), or
    take that away again: a trigger, so reads still work."""
    with adapter._transaction() as cursor:
        if database_url.startswith("sqlite"):
            if on:
                for event in ("INSERT", "UPDATE"):
                    cursor.execute(f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON {TABLE}"
                                   " BEGIN SELECT RAISE(ABORT, 'no space left on device'); END")
            else:
                cursor.execute("DROP TRIGGER refuse_insert")
                cursor.execute("DROP TRIGGER refuse_update")
        elif on:
            cursor.execute("CREATE OR REPLACE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                           " $$ BEGIN RAISE EXCEPTION 'no space left on device'; END $$")
            cursor.execute(f"CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON {TABLE}"
                           " FOR EACH ROW EXECUTE FUNCTION refuse()")
        else:
            cursor.execute(f"DROP TRIGGER refuse ON {TABLE}")


def test_a_failed_save_does_not_move_the_user_on(adapter, database_url, settings, log_lines):
    app = create_app(settings, persistence=adapter)
    alexa = Alexa(app.test_client(), user_id=USER)
    alexa.attributes, alexa.new = dict(AT_STEP_THREE), False
    refuse_writes(adapter, database_url, on=True)
    alexa.apology_expected = True
    sorry = alexa.intent("AMAZON.NextIntent")
    assert "something went wrong" in sorry.speech and not sorry.ends
    assert sorry.attributes["cursor"] == AT_STEP_THREE["cursor"]  # the turn did not land, so neither did the move
    logged = [line for line in log_lines() if line["logger"] == "skill.requests"]
    assert logged[-1]["outcome"] == "apologized" and logged[-1]["error"].startswith("PersistenceException")
    assert logged[-1]["request_id"]  # which turn it was, to find its traceback
    refuse_writes(adapter, database_url, on=False)
    alexa.apology_expected = False
    # The step that could not be saved is the one heard next: nothing skipped.
    assert alexa.intent("AMAZON.NextIntent").speech.startswith(heading("signs that need help now"))


def test_the_sqlite_file_deleted_or_replaced_is_noticed(settings, contents):
    app = create_app(settings, contents=contents)
    client = app.test_client()
    alexa = Alexa(client, user_id=USER)
    alexa.launch()
    assert client.get("/healthz").status_code == 200
    database = settings.data_dir / "spasm-coach.sqlite3"
    alexa.apology_expected = True
    database.unlink()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["reason"].endswith("is gone")
    assert "something went wrong" in alexa.launch().speech  # loudly, never into a deleted file
    assert not database.exists()  # nor a fresh empty database that would forget everyone
    database.write_bytes(b"")  # replaced by another file at the same path
    assert client.get("/healthz").status_code == 503
    assert "something went wrong" in alexa.launch().speech


def test_a_read_only_postgres_is_unhealthy(postgres_url, contents, settings):
    writable = SqlPersistenceAdapter(postgres_url, b"test-secret")
    assert writable.ping()
    read_only = SqlPersistenceAdapter(postgres_url + "%20-cdefault_transaction_read_only%3Don", b"test-secret")
    client = create_app(settings, persistence=read_only, contents=contents).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json() == {**health.get_json(), "database": False}
    writable.close()
    read_only.close()


def test_postgres_without_an_explicit_secret_refuses_to_start(settings):
    shared = replace(settings, database_url="postgresql://postgres@127.0.0.1:5432/test", user_key_secret="")
    with pytest.raises(SettingsError, match="SPASM_COACH_USER_KEY_SECRET must be set with a PostgreSQL database"):
        create_app(shared)


# ---------------------------------------------------------------------------------------------- the Timers API


def timed(settings, timers_api, budget: float) -> Alexa:
    """A user with the timers permission, on a skill whose turn may spend ``budget`` seconds on API calls."""
    app = create_app(replace(settings, api_timeout=budget))
    alexa = Alexa(app.test_client(), api_endpoint=timers_api.url)
    timers_api.grant(alexa.api_token)
    alexa.consent = True
    return alexa


@pytest.mark.parametrize("fault", [Fault(method="POST", body={"status": "ON"}), Fault(method="POST", trickle=True),
                                   Fault(method="POST", reset=True), Fault(method="GET", trickle=True)],
                         ids=["created without an id", "create trickles", "create reset", "listing trickles"])
def test_a_timers_api_that_misbehaves_gets_an_honest_answer(settings, timers_api, fault):
    alexa = timed(settings, timers_api, budget=0.5)
    timers_api.faults.append(fault)
    reply = alexa.intent("StartTimerIntent", ICE)
    if fault.trickle and fault.method == "POST":  # sent, answer never whole: it may be set, so no second timer
        assert reply.speech.startswith("The timer service was too slow to answer, so I can't tell")
        assert "set a timer for" not in reply.speech
        return
    assert reply.speech.startswith(("The timer service had a problem just now.",
                                    "I couldn't reach the timer service just now."))
    assert "Or say: Alexa, set a timer for 15 minutes." in reply.speech


def test_a_turns_api_calls_share_one_deadline(settings, timers_api):
    """Each call is quick enough on its own; together they would outrun the turn, so the turn stops calling."""
    alexa = timed(settings, timers_api, budget=0.5)
    timers_api.faults.extend([Fault(method="GET", delay=0.2), Fault(method="POST", delay=0.2),
                              Fault(method="POST", delay=0.2), Fault(method="POST", delay=0.2)])
    reply = alexa.intent("AlternateIntent")
    creates = [r for r in timers_api.requests if r[0] == "POST"]
    assert len(creates) == 2  # the listing and two creates filled the budget; the third was never sent
    # What was set could not be taken back in the time left: the user hears so, and how to clear it.
    # The second create's answer was lost, and it may yet be set: the user hears so, and how to clear it.
    assert reply.speech.startswith("I couldn't set the whole round, and part of it may still be running.")
    for _ in range(50):  # until the slow create lands on the service (bounded; not a measure of time)
        if timers_api.timers:
            break
        time.sleep(0.05)
    assert "cancelled" in alexa.intent("CancelAllTimersIntent").speech and not timers_api.timers


def test_a_round_that_cannot_be_taken_back_says_what_is_left(timed_alexa, timers_api):
    timers_api.faults.extend([Fault(status=None, method="POST"), Fault(status=500, method="POST"),
                              Fault(status=500, method="DELETE")])
    reply = timed_alexa.intent("AlternateIntent")
    assert reply.speech.startswith("I couldn't set the whole round, and part of it may still be running.")
    assert len(timers_api.timers) == 1


# ---------------------------------------------------------------------------------------------- a row held


def test_a_row_held_by_another_transaction_is_an_apology_with_the_place_kept(postgres_url, settings, contents):
    """A second, real PostgreSQL session holds the user's row; the turn gives up at the lock timeout and says so,
    instead of waiting past the moment Alexa stops listening."""
    import threading

    import psycopg

    secret = "held-row-secret"
    store = SqlPersistenceAdapter(postgres_url, secret.encode(), DatabaseLimits(lock_timeout=0.5))
    app = create_app(replace(settings, user_key_secret=secret), persistence=store, contents=contents)
    alexa = Alexa(app.test_client(), user_id=USER)
    alexa.intent("TreatmentIntent", slot("onset", "yesterday", "RECENT", "SpasmOnset"))  # the row, a place kept
    holder = psycopg.connect(postgres_url, autocommit=False)
    holder.execute(f"SELECT 1 FROM {TABLE} WHERE user_key = %s FOR UPDATE", (user_key(secret.encode(), USER),))
    alexa.apology_expected = True
    answered: list = []
    turn = threading.Thread(target=lambda: answered.append(alexa.intent("AMAZON.NextIntent")), daemon=True)
    turn.start()
    turn.join(timeout=20)  # a guard, not a measure: without a lock timeout the turn waits until the holder ends
    holder.rollback()
    holder.close()
    turn.join()
    alexa.apology_expected = False
    assert answered and answered[0].status == 200, "the turn waited for the row"
    assert "something went wrong" in answered[0].speech and not answered[0].ends
    # The move did not land, so the step it would have left is the one heard next: nothing skipped.
    assert "a cold pack." in alexa.intent("AMAZON.NextIntent").speech
    store.close()


def test_a_timer_set_whose_answer_was_lost_is_said_to_be_set(settings, timers_api):
    """Each call slow: the create is done but its answer comes after the turn's budget. Before saying anything,
    the skill looks: the timer is there, so the user hears it is set, never "I couldn't reach"."""
    alexa = timed(settings, timers_api, budget=0.6)
    timers_api.faults.extend([Fault(method="GET", delay=0.3), Fault(method="POST", after=0.6)])
    reply = alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("Your ice timer is set for 15 minutes.")
    assert [t.label for t in timers_api.timers.values()] == ["Spasm Coach: ice"]


def test_a_lost_answer_that_cannot_be_checked_says_so_honestly(settings, timers_api):
    alexa = timed(settings, timers_api, budget=0.6)
    timers_api.faults.extend([Fault(method="GET", delay=0.3), Fault(method="POST", after=0.6),
                              Fault(method="GET", delay=2.0)])
    reply = alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith("The timer service was too slow to answer, so I can't tell whether your timer")
    assert "couldn't reach" not in reply.speech


def test_a_round_whose_answer_was_lost_is_taken_back_whole(settings, timers_api):
    alexa = timed(settings, timers_api, budget=0.6)
    timers_api.faults.extend([Fault(method="POST", after=0.8)])  # the first phase set, its answer lost
    reply = alexa.intent("AlternateIntent")
    assert reply.speech.startswith("I couldn't reach the timer service just now.")
    assert not timers_api.timers  # the phase that was set after all is found and taken back too


@pytest.mark.parametrize(("retry_after", "said"), [("30", "about 30 seconds"), ("95", "about 2 minutes")])
def test_busy_with_retry_after_says_roughly_when_to_try_again(settings, timers_api, retry_after, said):
    alexa = timed(settings, timers_api, budget=2.0)
    timers_api.faults.append(Fault(method="POST", status=429, headers={"Retry-After": retry_after}))
    reply = alexa.intent("StartTimerIntent", ICE)
    assert reply.speech.startswith(f"The timer service is busy right now. Please try again in {said}.")
