"""Cached loaders: each opens the store read-only and calls one library function.

Keys are hashable values: the store's version (modification time), the frozen filter key
(JSON of the filter mapping, decoded once by ``filters``) and the view's own options.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import discover, formulations, keywords, kwic, overview, store, trends
from analytics.filters import filters_from_mapping

STORE = Path(os.environ.get("TIFA_STORE", store.DEFAULT_STORE))


def store_version() -> float:
    return STORE.stat().st_mtime if STORE.exists() else 0.0


def connect():
    return store.connect(STORE, read_only=True)


def filters(fkey: str):
    return filters_from_mapping(json.loads(fkey))


def fkey_of(mapping: dict) -> str:
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True, default=str)


@st.cache_data(show_spinner=False)
def facets(version: float) -> dict:
    with connect() as con:
        return overview.facets(con)


@st.cache_data(show_spinner=False)
def summary(version: float, fkey: str) -> dict:
    with connect() as con:
        return overview.overview(con, filters(fkey))


@st.cache_data(show_spinner=False)
def by_year(version: float, fkey: str, by: str) -> pd.DataFrame:
    with connect() as con:
        return overview.documents_by_year(con, filters(fkey), by)


@st.cache_data(show_spinner=False)
def top_formulations(version: float, fkey: str, limit: int = 15) -> pd.DataFrame:
    with connect() as con:
        return overview.top_formulations(con, filters(fkey), limit)


@st.cache_data(show_spinner=False)
def counts(version: float, fkey: str, chosen: tuple, period: str, level: str, measure: str):
    with connect() as con:
        return (
            trends.counts(con, list(chosen), filters(fkey), period, level, measure),
            trends.undated_count(con, filters(fkey)),
        )


@st.cache_data(show_spinner=False)
def map_data(version: float, fkey: str, chosen: tuple, level: str, until: str | None):
    with connect() as con:
        return trends.map_data(con, list(chosen), filters(fkey), level, until)


@st.cache_data(show_spinner=False)
def quality(version: float, fkey: str, issue: str) -> pd.DataFrame:
    with connect() as con:
        return overview.quality_documents(con, issue, filters(fkey))


@st.cache_data(show_spinner=False)
def quarantine(version: float) -> pd.DataFrame:
    with connect() as con:
        return store.quarantine(con)


@st.cache_data(show_spinner=False)
def diffusion(version: float, fkey: str, term: str, level: str) -> dict:
    with connect() as con:
        return trends.diffusion(con, term, filters(fkey), level)


@st.cache_data(show_spinner=False)
def compare(
    version: float, spec_a: str, spec_b: str | None, method: str, top: int, min_count: int, ranking: keywords.Ranking
):
    with connect() as con:
        a = filters(spec_a)
        if spec_b is None:
            return keywords.compare_sets(con, a, None, method, top, min_count, ranking=ranking)
        return keywords.compare(con, a, filters(spec_b), method, top, min_count, ranking=ranking)


@st.cache_data(show_spinner=False)
def groups(version: float, specs: tuple, method: str, top: int, min_count: int, ranking: keywords.Ranking):
    with connect() as con:
        return keywords.compare_groups(
            con, {name: filters(s) for name, s in specs}, method, top, min_count, ranking=ranking
        )


@st.cache_data(show_spinner=False)
def contexts(version: float, fkey: str, term: str, width: int) -> pd.DataFrame:
    with connect() as con:
        return kwic.kwic(con, term, filters(fkey), width=width, lexicon=formulations.load_lexicon())


@st.cache_data(show_spinner=False)
def documents(version: float, fkey: str) -> pd.DataFrame:
    with connect() as con:
        return store.documents(con, filters(fkey))


@st.cache_data(show_spinner=False)
def candidates(version: float, fkey: str) -> pd.DataFrame:
    with connect() as con:
        return discover.discover(con, formulations.load_lexicon(), filters(fkey), limit=300)


@st.cache_data(show_spinner=False)
def leaders(version: float, fkey: str, chosen: tuple) -> pd.DataFrame:
    with connect() as con:
        return trends.leaders(con, filters(fkey), list(chosen) or None)
