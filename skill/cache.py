"""Work done at start-up, kept between starts the way Python keeps bytecode: under a digest of everything it
was made from.

Loading every locale's content from YAML and checking it against the code is most of a worker's start (about 60
ms of it, and the YAML library). Its result only changes when a content file or the code changes, so it is
pickled under a SHA-256 of the bytes of those files and the Python version; a start whose files hash the same
loads it in a few milliseconds. A cache that cannot be read or written is passed over, never fatal: the work
is simply done again. Files are the service user's own (0600 in a 0700 directory), like ``__pycache__``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
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
    path = directory / f"{name}-{digest(sources)[:32]}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass  # the first start after a change
    except Exception as error:  # truncated, corrupt, or made by other code: unpickling can fail many ways
        log.warning("start-up cache unreadable; rebuilding", extra={"path": str(path), "error": repr(error)})
    value = build()
    _store(path, value)
    return value


def _store(path: Path, value: Any) -> None:
    temporary = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)  # made from older files; only the latest is ever read
        # Written aside and renamed: a worker starting at the same moment reads a whole file or none.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception as error:  # a read-only disk, a full one, something that does not pickle: start anyway
        log.info("start-up cache not written", extra={"path": str(path), "error": repr(error)})
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
