"""Compiled data cached on disk, so a process does not rebuild it from text files.

``cached(name, build, deps)`` returns ``build()``'s value, pickled under the user cache folder
(platformdirs, or ``TIFA_CACHE_DIR``) and keyed by Tifa's version, the content hash of each
file in ``deps`` and an optional ``key`` string (for values that depend on more than files).
A changed data file, a new release or a different key builds again; an unreadable or
unwritable cache only costs the build, never an error. Values must be picklable.

Within ``loading_only()`` a value that is not on disk raises ``CacheMiss`` instead of being
built, and ``build_lock()`` lets one process build while the others wait: so a pool of workers
can have a cold cache built once, elsewhere (see ``pipeline.warm``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from . import settings

T = TypeVar("T")
_LOADING_ONLY: ContextVar[bool] = ContextVar("tifa_cache_loading_only", default=False)


class CacheMiss(LookupError):
    """A value is not in the cache, and building is off (``loading_only``)."""


@contextmanager
def loading_only() -> Iterator[None]:
    """Within: ``cached`` loads what is on disk and raises ``CacheMiss`` for what is not."""
    token = _LOADING_ONLY.set(True)
    try:
        yield
    finally:
        _LOADING_ONLY.reset(token)


@contextmanager
def build_lock() -> Iterator[None]:
    """Held by one process at a time (an advisory lock file in the cache folder), so that
    processes starting together build a cold cache once; where locks are unavailable, it
    holds nothing and each process may build."""
    try:
        import fcntl

        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / ".build.lock", "a")  # noqa: SIM115 - closed below
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield
    finally:
        fh.close()  # releases the lock


def cache_dir() -> Path:
    configured = settings.get_path("TIFA_CACHE_DIR")
    if configured:
        return configured
    import platformdirs

    return platformdirs.user_cache_path("tifa", appauthor=False)


@lru_cache(maxsize=1)
def package_version() -> str:
    try:
        return metadata.version("tifa")
    except metadata.PackageNotFoundError:
        return "0"


@lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def file_digest(path: Path | str) -> str:
    """Content hash of a file (memoised per size and modification time within a process)."""
    st = os.stat(path)
    return _file_digest(str(path), st.st_size, st.st_mtime_ns)


def cache_key(name: str, deps: Iterable[Path | str] = (), key: str = "") -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (name, package_version(), key, *(f"{p}={file_digest(p)}" for p in deps)):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def cached(name: str, build: Callable[[], T], deps: Iterable[Path | str] = (), key: str = "") -> T:
    """``build()``, or its value stored by an earlier process for the same name, version, files and key."""
    deps = list(deps)
    try:
        path = cache_dir() / f"{name}-{cache_key(name, deps, key)}.pickle"
    except OSError:  # a dependency cannot be read: build it and let the builder say why
        return build()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass
    if _LOADING_ONLY.get():
        raise CacheMiss(name)
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: parallel workers never read half a file
        for old in path.parent.glob(f"{name}-*.pickle"):  # earlier versions of the same value
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
