"""One ask-sdk persistence adapter over SQL: SQLite by default, PostgreSQL by URL, one table.

Rows are keyed by an HMAC of the Alexa user id, never the id itself, so the database alone cannot be joined
back to an Amazon account. Saving merges: the adapter remembers what it loaded for a request and writes only the
top-level attributes that request changed, in one upsert statement that merges them into whatever the row holds
by then (or creates it), so two requests of one user that change different things both land, the very first two
included. Reads take no write lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.clients.user_key import load_or_create_secret, user_key
from skill.foundations import metrics
from skill.foundations.config import Settings, SettingsError

TABLE = "spasm_coach_user_state"
SEEN = "spasm_coach_requests_seen"  # request ids answered lately, so a replayed signed request is refused
SWEEP_EVERY = 1.0  # seconds between forgetting the request ids past the replay window


@dataclass(frozen=True)
class DatabaseLimits:
    """How long a turn may wait on the database, and how much free space SQLite needs to be called writable."""

    # The defaults are the settings' (skill.foundations.config), written once there.
    lock_timeout: float = Settings.db_lock_timeout  # waiting for a row another transaction holds (PostgreSQL)
    statement_timeout: float = Settings.db_statement_timeout  # any one statement (PostgreSQL); Alexa gives up at 8
    min_free_bytes: int = Settings.min_free_mb * 1024 * 1024  # below this, /healthz says 503 (SQLite)


class LoadedAttributes(dict):
    """Attributes as read for one request, with a copy of what was read, so saving can write only changes."""

    def __init__(self, data: dict) -> None:
        super().__init__(data)
        self.loaded = json.loads(json.dumps(data))  # a deep copy of JSON, by the C codec


class _Dialect:
    """What differs between the two databases: connecting, placeholders, the merging upsert."""

    param = "?"
    json_type = "TEXT"

    def connect(self) -> Any:
        raise NotImplementedError

    def check(self) -> None:
        """Raise if the database can no longer be trusted with a write (its file gone or replaced)."""

    def short_of_space(self, margin: int) -> str | None:
        """Why a write would fail for want of space, if the database's disk is ours to see; None otherwise."""
        return None

    def merge(self, changed: dict, removed: list[str]) -> tuple[str, tuple]:
        """One statement that sets ``changed`` and drops ``removed`` in a row's attributes, creating the row."""
        raise NotImplementedError

    def idle_since(self) -> str:
        """A condition on ``updated_at``: untouched for more than the parameter's number of days."""
        raise NotImplementedError

    # A statement that makes hosts starting together create the schema one at a time, or None if the database
    # already does.
    schema_lock: str | None = None

    def write_probe(self) -> str:
        """A statement that fails where a write would, and changes nothing."""
        return f"UPDATE {TABLE} SET user_key = user_key WHERE 1 = 0"

    @contextmanager
    def transaction(self, connection: Any) -> Iterator[Any]:
        raise NotImplementedError

    @contextmanager
    def reading(self, connection: Any) -> Iterator[Any]:
        """A cursor for one read; a transaction unless the database gives a statement its own."""
        with self.transaction(connection) as cursor:
            yield cursor


class _SQLite(_Dialect):
    def idle_since(self) -> str:
        return "updated_at < datetime('now', '-' || ? || ' days')"  # CURRENT_TIMESTAMP is UTC text here

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: tuple[int, int] | None = None  # (device, inode) of the file the connections opened

    def short_of_space(self, margin: int) -> str | None:
        # A probe that writes nothing passes on a full disk, and even a real commit may land in WAL pages already
        # there: the free space itself is the honest answer.
        try:
            stats = os.statvfs(self.path.parent)
        except OSError as error:
            return f"cannot see the database's file system: {error.strerror or error}"
        free = stats.f_bavail * stats.f_frsize
        if free < margin:
            return (f"{free // 1024} KiB free on the database's file system ({self.path.parent}),"
                    f" below the {margin // 1024} KiB margin")
        return None

    def connect(self) -> sqlite3.Connection:
        if self._file is not None:
            self.check()  # a new connection must not quietly create a new, empty database
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only, like the key file: SQLite gives its WAL and shared-memory files the same
        # mode as the database file.
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        if self.path.stat().st_mode & 0o077:
            self.path.chmod(0o600)
        connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA busy_timeout=5000")
        # A commit in WAL mode is durable against a crash of the process at NORMAL; only a power cut may lose the
        # last few, which are places in a walk-through.
        connection.execute("PRAGMA synchronous=NORMAL")
        info = os.stat(self.path)
        self._file = self._file or (info.st_dev, info.st_ino)
        return connection

    def check(self) -> None:
        # An open connection keeps writing into a file that was deleted or replaced, and the next one would
        # start an empty database: either splits users' state, so both are refused, loudly.
        try:
            info = os.stat(self.path)
        except OSError:
            raise PersistenceException(f"the database file {self.path} is gone") from None
        if self._file is not None and (info.st_dev, info.st_ino) != self._file:
            raise PersistenceException(f"the database file {self.path} was replaced")

    @contextmanager
    def transaction(self, connection: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        self.check()
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        try:
            yield cursor
        except BaseException:
            connection.rollback()
            raise
        connection.commit()

    @contextmanager
    def reading(self, connection: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        # Outside BEGIN, SQLite reads one statement in its own snapshot: the same answer, two statements fewer.
        self.check()
        yield connection.cursor()

    def merge(self, changed: dict, removed: list[str]) -> tuple[str, tuple]:
        sets = ", ".join(["?, json(?)"] * len(changed))
        merged = f"json_set(attributes, {sets})" if changed else "attributes"
        if removed:
            merged = f"json_remove({merged}, {', '.join(['?'] * len(removed))})"
        set_args = tuple(arg for name, value in changed.items() for arg in (_path(name), json.dumps(value)))
        sql = (f"INSERT INTO {TABLE} (user_key, attributes) VALUES (?, ?) ON CONFLICT (user_key) DO UPDATE SET"
               f" attributes = {merged}, updated_at = CURRENT_TIMESTAMP")
        return sql, (json.dumps(changed, sort_keys=True), *set_args, *(_path(name) for name in removed))


def _path(name: str) -> str:
    """A JSON path to one top-level attribute, quoted so any name is taken literally."""
    return '$."' + name.replace('"', '\\"') + '"'


class _Postgres(_Dialect):
    param = "%s"
    json_type = "JSONB"
    # CREATE TABLE IF NOT EXISTS is not safe against itself: two hosts starting on a new database would both
    # create, and one fail on a duplicate type. A lock held to the end of the transaction orders them.
    schema_lock = f"SELECT pg_advisory_xact_lock({zlib.crc32(TABLE.encode())})"

    def idle_since(self) -> str:
        return "updated_at < LOCALTIMESTAMP - make_interval(days => %s)"  # a TIMESTAMP is the session's local time

    def __init__(self, url: str, limits: DatabaseLimits) -> None:
        self.url = url
        self.limits = limits

    def connect(self) -> Any:
        try:
            import psycopg
            from psycopg.conninfo import conninfo_to_dict
        except ImportError as error:  # pragma: no cover - depends on the install
            raise PersistenceException(
                "PostgreSQL needs the postgres extra: pip install 'spasm-coach[postgres]'") from error
        # A row held by another transaction, or a statement stuck, becomes an error (and a spoken apology with the
        # place kept) well inside Alexa's 8 seconds, instead of a turn nobody hears.
        ours = (f"-c lock_timeout={round(self.limits.lock_timeout * 1000)}"
                f" -c statement_timeout={round(self.limits.statement_timeout * 1000)}")
        given = conninfo_to_dict(self.url).get("options", "")  # the URL's own options (a search_path) are kept
        return psycopg.connect(self.url, connect_timeout=5, autocommit=False, options=f"{ours} {given}".strip())

    @contextmanager
    def transaction(self, connection: Any) -> Iterator[Any]:
        with connection.transaction(), connection.cursor() as cursor:
            yield cursor

    def merge(self, changed: dict, removed: list[str]) -> tuple[str, tuple]:
        # || replaces top-level keys and - drops them: the row as it is when the statement runs, merged.
        sql = (f"INSERT INTO {TABLE} AS t (user_key, attributes) VALUES (%s, %s::jsonb) ON CONFLICT (user_key)"
               " DO UPDATE SET attributes = (t.attributes || EXCLUDED.attributes) - %s::text[],"
               " updated_at = CURRENT_TIMESTAMP")
        return sql, (json.dumps(changed, sort_keys=True), list(removed))


def dialect_for(url: str, limits: DatabaseLimits | None = None) -> _Dialect:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ValueError(f"an SQLite URL names a file: sqlite:///path/to/file.sqlite3, not {url!r}")
        return _SQLite(Path(path))
    if scheme in {"postgresql", "postgres"}:
        return _Postgres(url, limits or DatabaseLimits())
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use sqlite:/// or postgresql://")


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
        if not isinstance(self._dialect, _SQLite):
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
    return isinstance(dialect_for(url), _Postgres)


def build_adapter(database_url: str, secret: str, data_dir: Path,
                  limits: DatabaseLimits | None = None) -> SqlPersistenceAdapter:
    """The adapter for ``database_url``. A shared database needs the one secret every host hashes user ids with:
    a key made on each host would turn one user into a row per host, so PostgreSQL refuses to start without it."""
    if not secret and uses_postgres(database_url):
        raise SettingsError("SPASM_COACH_USER_KEY_SECRET must be set with a PostgreSQL database, the same on every"
                            " host, or each host would key the same user differently")
    key = secret.encode("utf-8") if secret else load_or_create_secret(data_dir / "user-key.secret")
    return SqlPersistenceAdapter(database_url, key, limits)
