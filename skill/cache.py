"""Work done at start-up, kept between starts the way Python keeps bytecode: under a digest of everything it
was made from.

Loading every locale's content from YAML and checking it against the code is most of a worker's start (about 60
ms of it, and the YAML library). Its result only changes when a content file or the code changes, so it is
pickled under a SHA-256 of the bytes of those files and the Python version; a start whose files hash the same
loads it in a few milliseconds. A cache that cannot be read or written is passed over, never fatal: the work
is simply done again. Files are the service user's own (0600 in a 0700 directory), like ``__pycache__``.

Unpickling runs code, and the file name is predictable, so nothing is unpickled that this code did not write: a
directory or file not owned by the service user, or writable by anyone else, is passed over, and every file
carries an HMAC under a key kept in the directory (0600), checked before a byte is unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("skill.cache")


def digest(files: Iterable[Path]) -> str:
    """A SHA-256 of each file's path and bytes (in path order) and of the Python that will unpickle them."""
    found = hashlib.sha256(f"{sys.version} {pickle.HIGHEST_PROTOCOL}".encode())
    for path in sorted(files):
        found.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return found.hexdigest()


def cached(directory: Path | None, name: str, sources: Iterable[Path], build: Callable[[], T]) -> T:
    """``build()``, or what it returned before from the same ``sources``; ``directory`` None caches nothing.
    What ``build`` raises is raised, and nothing is cached."""
    if directory is None:
        return build()
    refused = _not_ours(directory)
    if refused:
        log.warning("start-up cache not used", extra={"path": str(directory), "error": refused})
        return build()
    path = directory / f"{name}-{digest(sources)[:32]}.pickle"
    key = _key(directory)
    try:
        refused = _not_ours(path)
        if refused:
            raise ValueError(refused)
        signed = path.read_bytes()
        mac, payload = signed[:_MAC], signed[_MAC:]
        if key is None or not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
            raise ValueError("not written by this code (its signature does not match)")
        return pickle.loads(payload)
    except FileNotFoundError:
        pass  # the first start after a change
    except Exception as error:  # truncated, corrupt, planted: never unpickled, and rebuilt
        log.warning("start-up cache unreadable; rebuilding", extra={"path": str(path), "error": repr(error)})
    value = build()
    if key is not None:
        _store(path, value, key)
    return value


_MAC = hashlib.sha256().digest_size


def _not_ours(path: Path) -> str | None:
    """Why ``path`` (when it exists) cannot be trusted: another owner, or writable by others."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link"
    if info.st_uid != os.geteuid():
        return f"owned by uid {info.st_uid}, not the service user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"writable by others (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def _key(directory: Path) -> bytes | None:
    """The cache's own signing key, made on first use; None if it cannot be kept safely."""
    path = directory / "cache.key"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _not_ours(directory) or _not_ours(path):
            return None
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except OSError:
        return None


def _store(path: Path, value: Any, key: bytes) -> None:
    temporary = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # made from older files; only the latest is ever read
        # Written aside and renamed: a worker starting at the same moment reads a whole file or none.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as handle:
            handle.write(hmac.new(key, payload, hashlib.sha256).digest() + payload)
        os.replace(temporary, path)
    except Exception as error:  # a read-only disk, a full one, something that does not pickle: start anyway
        log.info("start-up cache not written", extra={"path": str(path), "error": repr(error)})
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
