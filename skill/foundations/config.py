"""Settings, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from skill.bundled import content_dir

PREFIX = "SPASM_COACH_"
_FALSE = {"0", "false", "no", "off"}
_TRUE = {"1", "true", "yes", "on"}


class SettingsError(ValueError):
    """A setting has a value the service cannot run with."""


def default_data_dir(env: Mapping[str, str]) -> Path:
    """The per-user data directory (XDG on Linux, ~/Library on macOS)."""
    return _per_user_dir(env, "XDG_DATA_HOME", Path(".local", "share"), Path("Library", "Application Support"))


def _per_user_dir(env: Mapping[str, str], xdg: str, linux: Path, mac: Path) -> Path:
    base = env.get(xdg)
    if base:
        return Path(base) / "spasm-coach"
    home = Path(env.get("HOME") or Path.home())
    return home / (mac if (home / mac).is_dir() else linux) / "spasm-coach"


@dataclass(frozen=True)
class Settings:
    verify: bool = True
    skill_ids: tuple[str, ...] = ()
    database_url: str = ""
    log_level: str = "INFO"
    # Keys the HMAC that turns an Alexa user id into a row key; empty means a key file in the data directory.
    user_key_secret: str = ""
    data_dir: Path = field(default_factory=lambda: default_data_dir(os.environ))
    cert_fetch_timeout: float = 2.0
    api_timeout: float = 3.0
    # PostgreSQL: how long a turn waits for a row another transaction holds, and for any one statement.
    db_lock_timeout: float = 2.0
    db_statement_timeout: float = 3.0
    # SQLite: below this much free space on the database's file system, /healthz answers 503.
    min_free_mb: int = 16
    # The content the skill speaks: the copy shipped in the package unless SPASM_COACH_CONTENT_DIR names another.
    content_dir: Path = field(default_factory=content_dir)
    # Who runs this service and how to reach them, named by the privacy policy and terms it serves.
    contact: str = ""
    # Where the workers keep their Prometheus counts; unset, there are no metrics and no /metrics.
    metrics_dir: Path | None = None

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'spasm-coach.sqlite3'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str, default: str = "") -> str:
            return env.get(PREFIX + name, default).strip()

        def seconds(name: str, default: float) -> float:  # the default is the field's, so it is written once
            return _seconds(get(name, str(default)), PREFIX + name)

        cert_timeout = seconds("CERT_FETCH_TIMEOUT", cls.cert_fetch_timeout)
        api_timeout = seconds("API_TIMEOUT", cls.api_timeout)
        lock_timeout = seconds("DB_LOCK_TIMEOUT", cls.db_lock_timeout)
        statement_timeout = seconds("DB_STATEMENT_TIMEOUT", cls.db_statement_timeout)
        min_free = get("MIN_FREE_MB", str(cls.min_free_mb))
        if not min_free.isdigit():
            raise SettingsError(f"{PREFIX}MIN_FREE_MB must be a whole number of megabytes, not {min_free!r}")
        level = get("LOG_LEVEL", "INFO").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(f"{PREFIX}LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {level!r}")
        return cls(
            verify=_parse_bool(get("VERIFY", "1"), PREFIX + "VERIFY"),
            skill_ids=tuple(s.strip() for s in get("SKILL_ID").split(",") if s.strip()),
            database_url=get("DATABASE_URL"),
            log_level=level,
            user_key_secret=get("USER_KEY_SECRET"),
            data_dir=Path(get("DATA_DIR")) if get("DATA_DIR") else default_data_dir(env),
            cert_fetch_timeout=cert_timeout,
            api_timeout=api_timeout,
            db_lock_timeout=lock_timeout,
            db_statement_timeout=statement_timeout,
            min_free_mb=int(min_free),
            content_dir=Path(get("CONTENT_DIR")) if get("CONTENT_DIR") else content_dir(),
            contact=get("CONTACT"),
            metrics_dir=Path(get("METRICS_DIR")) if get("METRICS_DIR") else None,
        )


def _seconds(value: str, name: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {value!r}") from None
    if not 0 < seconds <= 5:
        # Alexa waits 8 seconds for the whole answer; an outbound call must leave room for the rest.
        raise SettingsError(f"{name} must be above 0 and at most 5 seconds")
    return seconds


def _parse_bool(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {value!r}")
