"""One ask-sdk persistence adapter over SQL: SQLite by default, PostgreSQL by URL, one table.

Rows are keyed by an HMAC of the Alexa user id, never the id itself, so the database alone cannot be joined
back to an Amazon account. Saving merges: the adapter remembers what it loaded for a request and writes only the
top-level attributes that request changed, in one upsert statement that merges them into whatever the row holds
by then (or creates it), so two requests of one user that change different things both land, the very first two
included. Reads take no write lock. What each database says differently is :mod:`skill.clients.sql_dialects`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.clients.sql_dialects import TABLE, DatabaseLimits, PostgresDialect, SQLiteDialect, dialect_for
from skill.clients.user_key import load_or_create_secret, user_key
from skill.foundations import metrics
from skill.foundations.config import SettingsError

SEEN = "spasm_coach_requests_seen"  # request ids answered lately, so a replayed signed request is refused
SWEEP_EVERY = 1.0  # seconds between forgetting the request ids past the replay window


class LoadedAttributes(dict):
    """Attributes as read for one request, with a copy of what was read, so saving can write only changes."""

    def __init__(self, data: dict) -> None:
        super().__init__(data)
        self.loaded = json.loads(json.dumps(data))  # a deep copy of JSON, by the C codec


class SqlPersistenceAdapter(AbstractPersistenceAdapter):
    def __init__(self, url: str, secret: bytes, limits: DatabaseLimits | None = None) -> None:
        self._limits = limits or DatabaseLimits()
        self._dialect = dialect_for(url, self._limits)
        self._secret = secret
        self._local = threading.local()
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._swept = float("-inf")  # when the request ids past the replay window were last forgotten

    # -- connections: one per thread, created on first use, replaced if it broke
    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._dialect.connect()
            self._local.connection = connection
        if not self._schema_ready:
            with self._schema_lock:
                if not self._schema_ready:
                    self._create_schema(connection)
                    self._schema_ready = True
        return connection

    def _forget_connection(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            with contextlib.suppress(Exception):  # already broken; nothing more to release
                connection.close()

    @contextmanager
    def _transaction(self, read_only: bool = False) -> Iterator[Any]:
        try:
            connection = self._connection()
            with (self._dialect.reading if read_only else self._dialect.transaction)(connection) as cursor:
                yield cursor
        except PersistenceException:
            metrics.database_error()
            raise
        except Exception as error:
            metrics.database_error()
            self._forget_connection()
            raise PersistenceException(f"database error: {type(error).__name__}: {error}") from error

    def _create_schema(self, connection: Any) -> None:
        with self._dialect.transaction(connection) as cursor:
            if self._dialect.schema_lock:
                cursor.execute(self._dialect.schema_lock)
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                " user_key TEXT PRIMARY KEY,"
                f" attributes {self._dialect.json_type} NOT NULL,"
                " updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {SEEN} (request_hash TEXT PRIMARY KEY,"
                           " seen_at DOUBLE PRECISION NOT NULL)")
            # Each signed request forgets the ids past the window: by this index, not a scan of the table.
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {SEEN}_seen_at ON {SEEN} (seen_at)")

    def _key(self, request_envelope: RequestEnvelope) -> str:
        user = None
        context = request_envelope.context
        if context is not None and context.system is not None and context.system.user is not None:
            user = context.system.user.user_id
        if not user and request_envelope.session is not None and request_envelope.session.user is not None:
            user = request_envelope.session.user.user_id
        if not user:
            raise PersistenceException("the request names no user")
        return user_key(self._secret, user)

    def _select(self, cursor: Any, key: str) -> dict | None:
        cursor.execute(f"SELECT attributes FROM {TABLE} WHERE user_key = {self._dialect.param}", (key,))
        row = cursor.fetchone()
        if row is None:
            return None
        value = row[0]
        return value if isinstance(value, dict) else json.loads(value)

    # -- AbstractPersistenceAdapter
    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        key = self._key(request_envelope)
        with self._transaction(read_only=True) as cursor:
            return LoadedAttributes(self._select(cursor, key) or {})

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key = self._key(request_envelope)
        loaded = attributes.loaded if isinstance(attributes, LoadedAttributes) else {}
        changed = {k: v for k, v in attributes.items() if k not in loaded or loaded[k] != v}
        removed = [k for k in loaded if k not in attributes]
        if not changed and not removed:
            return
        sql, args = self._dialect.merge(changed, removed)
        with self._transaction() as cursor:
            cursor.execute(sql, (key, *args))
        if isinstance(attributes, LoadedAttributes):
            attributes.loaded = json.loads(json.dumps(attributes))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = self._key(request_envelope)
        with self._transaction() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE user_key = {self._dialect.param}", (key,))

    # -- replays
    def first_answer(self, request_id: str, now: float, window: float) -> bool:
        """Whether ``request_id`` is seen for the first time within ``window`` seconds, noting it: kept in the
        database, so a replay sent to another host is caught too. Ids older than the window are forgotten."""
        digest = hashlib.sha256(request_id.encode("utf-8", "surrogatepass")).hexdigest()
        p = self._dialect.param
        with self._transaction() as cursor:
            if now - self._swept >= SWEEP_EVERY:  # the forgetting, once a second rather than on every request
                cursor.execute(f"DELETE FROM {SEEN} WHERE seen_at < {p}", (now - window,))
                self._swept = now
            cursor.execute(f"INSERT INTO {SEEN} (request_hash, seen_at) VALUES ({p}, {p})"
                           " ON CONFLICT (request_hash) DO NOTHING", (digest, now))
            return cursor.rowcount == 1

    # -- operations
    def ping(self) -> bool:
        return self.unwritable() is None

    def unwritable(self) -> str | None:
        """Why the database would not take a write now, or None: for the health check. It must answer, not be
        read-only, (SQLite) still be the file the connections opened and have room to grow."""
        try:
            with self._transaction() as cursor:
                cursor.execute(self._dialect.write_probe())
        except PersistenceException as error:
            return str(error)
        return self._dialect.short_of_space(self._limits.min_free_bytes)

    def backup(self, folder: Path) -> Path:
        """SQLite: a consistent copy of the database, taken while it serves, into ``folder`` (mode 600). PostgreSQL
        is backed up with its own tools (pg_dump), so this refuses it with :class:`ValueError`."""
        if not isinstance(self._dialect, SQLiteDialect):
            raise ValueError("a PostgreSQL database is backed up with pg_dump (deploy/README.md), not by the service")
        target = folder / f"spasm-coach-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.sqlite3"
        folder.mkdir(parents=True, exist_ok=True)
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # private before a byte is in it
        copy = sqlite3.connect(target)
        try:
            with copy:
                self._connection().backup(copy)
        finally:
            copy.close()
        return target

    def forget_idle(self, days: int) -> int:
        """Delete the rows nobody has used for more than ``days`` days (the retention the privacy policy promises);
        returns how many."""
        with self._transaction() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE {self._dialect.idle_since()}", (days,))
            return cursor.rowcount

    def close(self) -> None:
        self._forget_connection()


def uses_postgres(url: str) -> bool:
    """Whether ``url`` names PostgreSQL (else SQLite); :class:`ValueError` for anything else."""
    return isinstance(dialect_for(url), PostgresDialect)


def build_adapter(database_url: str, secret: str, data_dir: Path,
                  limits: DatabaseLimits | None = None) -> SqlPersistenceAdapter:
    """The adapter for ``database_url``. A shared database needs the one secret every host hashes user ids with:
    a key made on each host would turn one user into a row per host, so PostgreSQL refuses to start without it."""
    if not secret and uses_postgres(database_url):
        raise SettingsError("SPASM_COACH_USER_KEY_SECRET must be set with a PostgreSQL database, the same on every"
                            " host, or each host would key the same user differently")
    key = secret.encode("utf-8") if secret else load_or_create_secret(data_dir / "user-key.secret")
    return SqlPersistenceAdapter(database_url, key, limits)
