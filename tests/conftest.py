"""Shared fixtures: the seed store (built once per session) and the real corpora (skipped
with a reason when ../shared is absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "raw" / "seeds"
DEMO_DOCUMENTS = 674  # the first-run store: 5 seeds + 671 reports, 2 of them duplicates (stored, flagged)
SHARED = Path(os.environ.get("TIFA_SHARED", REPO.parent / "shared"))
CORPORA = SHARED / "corpora"
SEED = {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """A store built from the five seed articles with the real ingest."""
    from analytics.ingest import ingest

    path = tmp_path_factory.mktemp("store") / "seeds.duckdb"
    summary = ingest([SEEDS], path)
    assert summary.documents == 5, summary
    return path


@pytest.fixture(scope="session")
def seed_docs(seed_store):
    """The seed documents as `tifa docs` sees them, keyed by seed number (000…004)."""
    from analytics import store

    with store.connect(seed_store, read_only=True) as con:
        frame = store.documents(con)
    frame["seed"] = frame["source_path"].str.extract(r"(\d{3})_")[0]
    return {row["seed"]: row for _, row in frame.iterrows()}


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not (CORPORA / "gwr_panel.jsonl").exists():
        pytest.skip(f"real corpora not found at {CORPORA} (set TIFA_SHARED to the shared folder)")
    return CORPORA


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """The first-run store: the seeds and the demo reports (data/demo), built as on first run."""
    from analytics.demo import build_first_store

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    summary = build_first_store(path)
    assert summary.documents == DEMO_DOCUMENTS and summary.quarantined == 0, summary
    return path


def app_on(store_path: Path, monkeypatch):
    """A maker of dashboard runs (AppTest) on ``store_path`` with URL query parameters; each run
    must raise no exception."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TIFA_STORE", str(store_path))

    def make(**params) -> AppTest:
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


@pytest.fixture
def demo_app(demo_store, monkeypatch):
    """The dashboard on the first-run store."""
    return app_on(demo_store, monkeypatch)
