"""Every ``TIFA_*`` environment variable in one table (name, default, help), as datasette keeps
its ``SETTINGS``: read here and nowhere else, documented in the README (a test checks both).

Values are read from the environment when asked for (``get``), so a test or a user can set a
variable before a command; a run captures what its workers need once, in ``pipeline.Settings``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("TIFA_DEBUG", "", "1: show the traceback of an unexpected error (like --debug)"),
    Setting(
        "TIFA_STORE",
        "",
        "DuckDB store of every command (default: data/store.duckdb in a checkout, "
        "else store.duckdb in the user data folder)",
    ),
    Setting("TIFA_DATA", "", "folder of the domain data files (default: the data/ shipped with Tifa)"),
    Setting(
        "TIFA_USER_LEXICON",
        "",
        "user lexicon that `tifa discover --accept` writes (default: user_lexicon.toml beside the default store)",
    ),
    Setting(
        "TIFA_SEGMENTER", "rjieba", "segmentation engine: rjieba (jieba-rs, fast) or jieba (the pure-Python reference)"
    ),
    Setting("TIFA_WORKERS", "", "processes of `tifa ingest` (default: the usable CPU count)"),
    Setting(
        "TIFA_CACHE_DIR", "", "folder of compiled data (character ranks, dictionaries; default: the user cache folder)"
    ),
    Setting(
        "TIFA_BATCH_CHARS", "1000000", "characters of text per write batch of `tifa ingest` (one transaction)"
    ),
    Setting("TIFA_DUCKDB_MEMORY", "512MB", "DuckDB memory limit of each connection"),
    Setting("TIFA_WRITER_MEMORY", "256MB", "DuckDB memory limit of `tifa ingest`'s closing steps (sums, "
            "duplicates), with one DuckDB thread per 250MB of it; while its workers run, the writer keeps to 64MB "
            "(more for a batch of very long records)"),
    Setting(
        "TIFA_MAX_JSON_DEPTH", "200", "deepest JSON nesting a reader accepts; deeper files or records are quarantined"
    ),
    Setting("TIFA_MAX_RECORD_CHARS", "5000000", "longest record text accepted; longer records are quarantined"),
    Setting("TIFA_SHARED", "", "tests only: the shared folder with the real corpora (default: ../shared)"),
    Setting("TIFA_REQUIRE_BROWSER", "", "tests only: fail (instead of skip) when Chromium is missing"),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The variable's value, or its default when unset or empty."""
    return os.environ.get(name) or _BY_NAME[name].default


def get_int(name: str) -> int:
    return int(get(name))


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def parse_bytes(text: str) -> int:
    """A size as DuckDB writes it ("512MB", "1.5GiB", "64 MB") in bytes: KB/MB/GB are powers
    of 1000 and KiB/MiB/GiB of 1024, as in DuckDB."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not match or match.group(2).upper() not in _UNITS:
        raise ValueError(f"not a size: {text!r} (write e.g. 512MB or 1GiB)")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def get_path(name: str) -> Path | None:
    value = get(name)
    return Path(value) if value else None


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity), not the machine's count."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_workers() -> int:
    value = get("TIFA_WORKERS")
    return max(1, int(value)) if value else usable_cpus()
