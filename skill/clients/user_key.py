"""The key that turns an Alexa user id into a row key: an HMAC under a per-installation secret, made once in the
data directory and written whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from skill.foundations.config import SettingsError


@lru_cache(maxsize=256)  # a turn asks twice (read, then write); OpenSSL's HMAC set-up is 4% of a turn
def user_key(secret: bytes, user_id: str) -> str:
    return hmac.digest(secret, user_id.encode("utf-8"), "sha256").hex()


KEY_HEX = 64  # a 32-byte key, as hex


def load_or_create_secret(path: Path) -> bytes:
    """A per-installation HMAC key kept beside the SQLite file, created on first use, readable by its owner only.
    It is written whole or not at all (a temporary file, synced, then linked into place), and a key file that is
    not a whole key stops the start: hashing every user with a short or empty key would lose them all, for good."""
    try:
        return _whole_key(path, path.read_text())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    spare = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(spare, path)  # fails if another worker put its key there first: then that one is the key
        except FileExistsError:
            return _whole_key(path, path.read_text())
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                raise
            os.replace(spare, path)  # a file system without hard links: a rename is still whole or nothing
    except OSError as error:
        raise SettingsError(f"could not write the user key file {path}: {error.strerror or error}; free some space"
                            " in the data directory (or point SPASM_COACH_DATA_DIR elsewhere) and start again"
                            ) from None
    finally:
        with contextlib.suppress(OSError):
            spare.unlink()
    with contextlib.suppress(OSError):  # the link is in place; syncing the folder makes it survive a power cut
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return bytes.fromhex(key)


def _whole_key(path: Path, text: str) -> bytes:
    key = text.strip()
    if len(key) != KEY_HEX or any(c not in "0123456789abcdefABCDEF" for c in key):
        raise SettingsError(f"{path} is not a whole key ({len(key)} characters, {KEY_HEX} hex digits expected):"
                            " restore it from a backup, or delete it to start afresh, which leaves every user's"
                            " stored place behind")
    return bytes.fromhex(key)
