"""Modules imported on first use."""

from __future__ import annotations

import importlib
from types import ModuleType


class _Lazy:
    """Stands for a module until an attribute of it is read, then imports it. Not entered in
    ``sys.modules`` before that: libraries that test whether pandas is loaded (DuckDB does, on
    every query with parameters) must not load it by looking."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> ModuleType:
    """``name``, imported when an attribute of it is first read. The CLI and the store name
    the analysis stack this way, so that ``tifa ingest`` (whose workers need the memory) never
    loads pandas while it reads and writes."""
    return _Lazy(name)  # type: ignore[return-value]
