"""The demo corpus and the first-run store: the seeds plus the government work reports.

``data/demo/gov_reports.jsonl.gz`` (the city × year panel, built by ``scripts/build_demo.py``,
provenance in ``data/demo/README.md``) is expanded into one JSONL file per report in a
temporary folder, so the ingest's per-file progress moves once per report, then ingested with
``data/raw``. Reports the source dates by year only carry ``date: YYYY``: the ingest stores
them as 1 January with ``date_precision = year`` (shown as the year; left out of monthly and
quarterly trends).
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import ingest
from .resources import DATA_DIR

DEMO_FILE = DATA_DIR / "demo" / "gov_reports.jsonl.gz"
Progress = Callable[[int, str], None]


def demo_lines(path: Path = DEMO_FILE) -> list[str]:
    """The demo's JSON lines (empty when the file is absent)."""
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line for line in fh if line.strip()]


def expand(lines: list[str], out: Path) -> list[Path]:
    """Write each line to ``out/gov-NNN-YEAR-REGION.jsonl``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, line in enumerate(lines, start=1):
        row = json.loads(line)
        path = out / f"gov-{i:03d}-{row.get('year', '')}-{row.get('region', '')}.jsonl"
        path.write_text(line if line.endswith("\n") else line + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def first_run_inputs() -> int:
    """How many files the first run reads (for a progress bar)."""
    return ingest.count_files([ingest.RAW_DIR]) + len(demo_lines())


def build_first_store(
    store_path: Path, progress: Progress | None = None, workers: int | None = None
) -> ingest.IngestSummary | None:
    """Build the store from the seeds and the demo when it does not exist yet."""
    if Path(store_path).exists():
        return None
    if workers is None:
        workers = min(4, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="tifa-demo-") as tmp:
        folder = Path(tmp) / "demo"  # stored source paths read demo/gov-001-1954-全国.jsonl
        expand(demo_lines(), folder)
        return ingest.ingest([ingest.RAW_DIR, folder], Path(store_path), progress=progress, workers=workers)
