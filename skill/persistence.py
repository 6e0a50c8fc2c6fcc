"""One ask-sdk persistence adapter over SQL: SQLite by default, PostgreSQL by URL, one table.

Rows are keyed by an HMAC of the Alexa user id, never the id itself, so the database alone cannot be joined
back to an Amazon account. Saving merges: the adapter remembers what it loaded for a request and writes only the
top-level attributes that request changed, inside a transaction that holds the row, so two requests of one user
that change different things both land.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

TABLE = "spasm_coach_user_state"


class LoadedAttributes(dict):
    """Attributes as read for one request, with a copy of what was read, so saving can write only changes."""

    def __init__(self, data: dict) -> None:
        super().__init__(data)
        self.loaded = copy.deepcopy(data)


def user_key(secret: bytes, user_id: str) -> str:
    return hmac.new(secret, user_id.encode("utf-8"), hashlib.sha256).hexdigest()


def load_or_create_secret(path: Path) -> bytes:
    """A per-installation HMAC key kept beside the SQLite file, created on first use, readable by its owner only."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first
            return bytes.fromhex(path.read_text().strip())
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return bytes.fromhex(key)


class _Dialect:
    """What differs between the two databases: connecting, placeholders, row locking."""

    param = "?"
    lock_clause = ""
    json_type = "TEXT"

    def connect(self) -> Any:
        raise NotImplementedError

    @contextmanager
    def transaction(self, connection: Any) -> Iterator[Any]:
        raise NotImplementedError


class _SQLite(_Dialect):
    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only, like the key file: SQLite gives its WAL and shared-memory files the same
        # mode as the database file.
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        if self.path.stat().st_mode & 0o077:
            self.path.chmod(0o600)
        connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA busy_timeout=5000")
        return connection

    @contextmanager
    def transaction(self, connection: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        cursor = connection.cursor()
        # IMMEDIATE takes the write lock before reading, so a read-merge-write cannot interleave with another.
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


class _Postgres(_Dialect):
    param = "%s"
    lock_clause = " FOR UPDATE"
    json_type = "JSONB"

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> Any:
        try:
            import psycopg
        except ImportError as error:  # pragma: no cover - depends on the install
            raise PersistenceException(
                "PostgreSQL needs the postgres extra: pip install 'spasm-coach[postgres]'") from error
        return psycopg.connect(self.url, connect_timeout=5, autocommit=False)

    @contextmanager
    def transaction(self, connection: Any) -> Iterator[Any]:
        with connection.transaction(), connection.cursor() as cursor:
            yield cursor


def dialect_for(url: str) -> _Dialect:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ValueError(f"an SQLite URL names a file: sqlite:///path/to/file.sqlite3, not {url!r}")
        return _SQLite(Path(path))
    if scheme in {"postgresql", "postgres"}:
        return _Postgres(url)
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use sqlite:/// or postgresql://")


class SqlPersistenceAdapter(AbstractPersistenceAdapter):
    def __init__(self, url: str, secret: bytes) -> None:
        self._dialect = dialect_for(url)
        self._secret = secret
        self._local = threading.local()
        self._schema_ready = False
        self._schema_lock = threading.Lock()

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
    def _transaction(self) -> Iterator[Any]:
        try:
            connection = self._connection()
            with self._dialect.transaction(connection) as cursor:
                yield cursor
        except PersistenceException:
            raise
        except Exception as error:
            self._forget_connection()
            raise PersistenceException(f"database error: {type(error).__name__}: {error}") from error

    def _create_schema(self, connection: Any) -> None:
        with self._dialect.transaction(connection) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                " user_key TEXT PRIMARY KEY,"
                f" attributes {self._dialect.json_type} NOT NULL,"
                " updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )

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

    def _select(self, cursor: Any, key: str, lock: bool = False) -> dict | None:
        p = self._dialect.param
        cursor.execute(
            f"SELECT attributes FROM {TABLE} WHERE user_key = {p}" + (self._dialect.lock_clause if lock else ""),
            (key,),
        )
        row = cursor.fetchone()
        if row is None:
            return None
        value = row[0]
        return value if isinstance(value, dict) else json.loads(value)

    # -- AbstractPersistenceAdapter
    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        key = self._key(request_envelope)
        with self._transaction() as cursor:
            return LoadedAttributes(self._select(cursor, key) or {})

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key = self._key(request_envelope)
        loaded = attributes.loaded if isinstance(attributes, LoadedAttributes) else {}
        changed = {k: v for k, v in attributes.items() if k not in loaded or loaded[k] != v}
        removed = [k for k in loaded if k not in attributes]
        if not changed and not removed:
            return
        p = self._dialect.param
        with self._transaction() as cursor:
            # Make sure a row exists, then lock it: a new user's first two writes must also serialise.
            cursor.execute(
                f"INSERT INTO {TABLE} (user_key, attributes) VALUES ({p}, {p}) ON CONFLICT (user_key) DO NOTHING",
                (key, "{}"),
            )
            current = self._select(cursor, key, lock=True) or {}
            current.update(changed)
            for name in removed:
                current.pop(name, None)
            cursor.execute(
                f"UPDATE {TABLE} SET attributes = {p}, updated_at = CURRENT_TIMESTAMP WHERE user_key = {p}",
                (json.dumps(current, sort_keys=True), key),
            )
        if isinstance(attributes, LoadedAttributes):
            attributes.loaded = copy.deepcopy(dict(attributes))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = self._key(request_envelope)
        with self._transaction() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE user_key = {self._dialect.param}", (key,))

    # -- operations
    def ping(self) -> bool:
        """Whether the database answers, for the health check."""
        try:
            with self._transaction() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchone() is not None
        except PersistenceException:
            return False

    def close(self) -> None:
        self._forget_connection()


def build_adapter(database_url: str, secret: str, data_dir: Path) -> SqlPersistenceAdapter:
    key = secret.encode("utf-8") if secret else load_or_create_secret(data_dir / "user-key.secret")
    return SqlPersistenceAdapter(database_url, key)
