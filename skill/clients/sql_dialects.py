"""How each database the service runs on says what the adapter needs: connecting, transactions, placeholders,
the merging upsert, the write probe and the free-space check (SQLite), the schema lock (PostgreSQL).
:mod:`skill.clients.persistence` is the one adapter over them."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ask_sdk_core.exceptions import PersistenceException

from skill.foundations.config import Settings

TABLE = "spasm_coach_user_state"


@dataclass(frozen=True)
class DatabaseLimits:
    """How long a turn may wait on the database, and how much free space SQLite needs to be called writable."""

    # The defaults are the settings' (skill.foundations.config), written once there.
    lock_timeout: float = Settings.db_lock_timeout  # waiting for a row another transaction holds (PostgreSQL)
    statement_timeout: float = Settings.db_statement_timeout  # any one statement (PostgreSQL); Alexa gives up at 8
    min_free_bytes: int = Settings.min_free_mb * 1024 * 1024  # below this, /healthz says 503 (SQLite)



class Dialect:
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


class SQLiteDialect(Dialect):
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


class PostgresDialect(Dialect):
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


def dialect_for(url: str, limits: DatabaseLimits | None = None) -> Dialect:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ValueError(f"an SQLite URL names a file: sqlite:///path/to/file.sqlite3, not {url!r}")
        return SQLiteDialect(Path(path))
    if scheme in {"postgresql", "postgres"}:
        return PostgresDialect(url, limits or DatabaseLimits())
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use sqlite:/// or postgresql://")
