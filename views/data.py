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

from analytics import discover, formulations, keywords, kwic, officials_index, overview, store, trends, validate
from analytics.filters import FILTER_KEYS, filters_from_mapping, to_query_params


def store_path() -> Path:
    """The store the dashboard reads: $TIFA_STORE, else data/store.duckdb (read at every run)."""
    return Path(os.environ.get("TIFA_STORE", store.DEFAULT_STORE))


def store_version() -> str:
    """Cache key of the store: its path and modification time."""
    path = store_path()
    return f"{path}@{path.stat().st_mtime if path.exists() else 0.0}"


def store_date() -> str:
    """The store's date (ISO), written into captions as the data version."""
    from datetime import date

    path = store_path()
    return date.fromtimestamp(path.stat().st_mtime).isoformat() if path.exists() else ""


def connect():
    return store.connect(store_path(), read_only=True)


def filters(fkey: str):
    return filters_from_mapping(json.loads(fkey))


def fkey_of(mapping: dict) -> str:
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True, default=str)


@st.cache_data(show_spinner=False)
def url_check(version: str, params: str, lang: str) -> tuple[list[str], dict, dict]:
    """The filters typed in the URL checked against the store (analytics.validate.repair_params):
    the error lines to show above the view, the filters with their names resolved (萍乡 → 萍乡市),
    and the wrong values taken out of the URL (key → values), so the rest still applies."""
    with connect() as con:
        repair = validate.repair_params(con, json.loads(params))
    resolved = repair.check.filters
    kept = {k: v for k, v in to_query_params(resolved).items() if k in FILTER_KEYS} if resolved else {}
    return [p.text(lang) for p in repair.problems], kept, dict(repair.dropped)


def typed_filters() -> str:
    """The filter keys of the URL as typed, as a cache key."""
    return fkey_of({k: st.query_params.get_all(k) for k in st.query_params if k in FILTER_KEYS})


@st.cache_data(show_spinner=False)
def facets(version: str) -> dict:
    with connect() as con:
        return overview.facets(con)


@st.cache_data(show_spinner=False)
def summary(version: str, fkey: str) -> dict:
    with connect() as con:
        return overview.overview(con, filters(fkey))


@st.cache_data(show_spinner=False)
def by_year(version: str, fkey: str, by: str) -> pd.DataFrame:
    with connect() as con:
        return overview.documents_by_year(con, filters(fkey), by)


@st.cache_data(show_spinner=False)
def top_formulations(version: str, fkey: str, limit: int = 15) -> pd.DataFrame:
    with connect() as con:
        return overview.top_formulations(con, filters(fkey), limit)


@st.cache_data(show_spinner=False)
def counts(version: str, fkey: str, chosen: tuple, period: str, level: str, measure: str, phrases: tuple = ()):
    with connect() as con:
        return (
            trends.counts(con, list(chosen), filters(fkey), period, level, measure, phrases=phrases),
            trends.undated_count(con, filters(fkey), period),
        )


@st.cache_data(show_spinner=False)
def map_data(version: str, fkey: str, chosen: tuple, level: str, until: str | None, phrases: tuple = ()):
    with connect() as con:
        return trends.map_data(con, list(chosen), filters(fkey), level, until, phrases=phrases)


@st.cache_data(show_spinner=False)
def quality(version: str, fkey: str, issue: str) -> pd.DataFrame:
    with connect() as con:
        return overview.quality_documents(con, issue, filters(fkey))


@st.cache_data(show_spinner=False)
def quarantine(version: str) -> pd.DataFrame:
    with connect() as con:
        return store.quarantine(con)


@st.cache_data(show_spinner=False)
def diffusion(version: str, fkey: str, term: str, level: str, phrase: bool = False) -> dict:
    with connect() as con:
        return trends.diffusion(con, term, filters(fkey), level, phrase=phrase)


@st.cache_data(show_spinner=False)
def spread(version: str, fkey: str, term: str, level: str, phrase: bool = False) -> dict:
    """How the term spread (analytics.diffusion): the direction summary, the curve, the model."""
    from analytics import diffusion as spread_mod

    with connect() as con:
        return {
            "summary": spread_mod.direction(con, term, filters(fkey), level, phrase),
            "curve": spread_mod.curve(con, term, filters(fkey), level, phrase),
            "model": spread_mod.model(con, term, filters(fkey), level, phrase),
        }


@st.cache_data(show_spinner=False)
def compare(
    version: str,
    spec_a: str,
    spec_b: str | None,
    method: str,
    top: int,
    min_count: int,
    ranking: keywords.Ranking,
    sides: tuple[str, str] = ("A", "B"),
):
    with connect() as con:
        a = filters(spec_a)
        if spec_b is None:
            return keywords.compare_sets(con, a, None, method, top, min_count, ranking=ranking, sides=sides)
        return keywords.compare(con, a, filters(spec_b), method, top, min_count, ranking=ranking, sides=sides)


@st.cache_data(show_spinner=False)
def groups(version: str, specs: tuple, method: str, top: int, min_count: int, ranking: keywords.Ranking):
    with connect() as con:
        return keywords.compare_groups(
            con, {name: filters(s) for name, s in specs}, method, top, min_count, ranking=ranking
        )


@st.cache_data(show_spinner=False)
def contexts(version: str, fkey: str, term: str, width: int) -> pd.DataFrame:
    with connect() as con:
        return kwic.kwic(con, term, filters(fkey), width=width, lexicon=formulations.load_lexicon())


@st.cache_data(show_spinner=False)
def documents(version: str, fkey: str) -> pd.DataFrame:
    with connect() as con:
        return store.documents(con, filters(fkey))


@st.cache_data(show_spinner=False)
def candidates(version: str, fkey: str) -> pd.DataFrame:
    with connect() as con:
        return discover.discover(con, formulations.load_lexicon(), filters(fkey), limit=300)


@st.cache_data(show_spinner=False)
def leaders(version: str, fkey: str, chosen: tuple) -> pd.DataFrame:
    with connect() as con:
        return trends.leaders(con, filters(fkey), list(chosen) or None)


@st.cache_data(show_spinner=False)
def officials(version: str, fkey: str, limit: int = 200) -> pd.DataFrame:
    with connect() as con:
        return officials_index.officials(con, filters(fkey), limit=limit)


@st.cache_data(show_spinner=False)
def region_labels(version: str) -> dict[str, str]:
    """doc_id → the region shown in tables (全国 for national documents)."""
    with connect() as con:
        docs = store.documents(con, columns=["doc_id", "province", "city", "district", "region_level"])
    return dict(zip(docs["doc_id"], overview.region_labels(docs), strict=True))
