"""Trends, diffusion and leaders: selections and sums over stored counts (no re-counting).

``counts`` returns one row per (period, region, formulation) with these columns:

=================  ==========================================================================
period             month ``YYYY-MM``, quarter ``YYYY-Qn`` or year ``YYYY`` (the label)
period_start       the period's first day (ISO date): the chart's temporal x
region             the region at the chosen level: ``全部`` for level=all, ``全国`` for national
                   documents, ``江西省·省级`` for a province's own documents at city level
                   (``萍乡市·市级`` at district level), ``(未定)`` when the region is unknown
formulation        canonical form
docs               denominator: documents in the period and region (dated, filters applied)
chars              denominator: characters of those documents
docs_mentioning    documents mentioning the formulation at least once
mentions           total mentions
share              docs_mentioning / docs
share_lo/share_hi  Wilson 95 % interval of the share
per10k             mentions per 10 000 characters
small_sample       True when docs < MIN_DOCS: too few to read a rate
value              the chosen measure (share, per10k or count)
=================  ==========================================================================

A rate over a zero denominator (no documents, no characters) is empty (NaN), never 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from .choices import MEASURES, PERIODS, TREND_LEVELS
from .phrases import counts_source
from .schema import NATIONAL_LABEL
from .store import Filters

MIN_DOCS = 10
LEVELS = TREND_LEVELS
UNKNOWN_REGION = "(未定)"
ALL_REGIONS = "全部"

# documents of a coarser level than the one shown, labelled by their own region
LEVEL_SUFFIX = {"province": "·省级", "city": "·市级"}
_PERIOD_START_SQL = {
    "month": "strftime(d.date, '%Y-%m-01')",
    "quarter": "strftime(date_trunc('quarter', d.date), '%Y-%m-%d')",
    "year": "strftime(d.date, '%Y-01-01')",
}
_PERIOD_SQL = {
    "month": "strftime(d.date, '%Y-%m')",
    "quarter": "strftime(d.date, '%Y') || '-Q' || CAST(quarter(d.date) AS VARCHAR)",
    "year": "strftime(d.date, '%Y')",
}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials (95 % by default)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def region_sql(level: str, alias: str = "d") -> str:
    """SQL for the region label at ``level``: 全国 for national documents, coarser documents by
    their own region with a level suffix, (未定) when unknown."""
    if level == "all":
        return f"'{ALL_REGIONS}'"
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    coarser = {"province": [], "city": ["province"], "district": ["city", "province"]}[level]
    parts = [f"{alias}.{level}"] + [f"{alias}.{c} || '{LEVEL_SUFFIX[c]}'" for c in coarser]
    return (
        f"CASE WHEN {alias}.region_level = 'national' THEN '{NATIONAL_LABEL}' "
        f"ELSE coalesce({', '.join(parts)}, '{UNKNOWN_REGION}') END"
    )


_region_sql = region_sql


def counts(
    con,
    formulations: list[str],
    filters: Filters | None = None,
    period: str = "year",
    level: str = "all",
    measure: str = "share",
    phrases: Sequence[str] = (),
) -> pd.DataFrame:
    """Trend table for ``formulations`` and ad-hoc ``phrases`` (normalised, not in the lexicon;
    counted by ``analytics.phrases``), documented in the module docstring."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    # the formulation filter selects what is measured, never the denominator
    base = replace(filters or Filters(), formulation=[])
    with counts_source(con, phrases, base, formulations=bool(formulations)) as (source, source_params):
        frame = _counts(con, [*formulations, *phrases], base, period, level, source, source_params)
    frame["kind"] = frame["formulation"].map(lambda f: "phrase" if f in set(phrases) else "formulation")
    return add_measures(frame, measure)


def _counts(
    con, terms: list[str], base: Filters, period: str, level: str, source: str, source_params: list
) -> pd.DataFrame:
    where, params = base.where()
    sql = f"""
    WITH docs AS (
        SELECT d.doc_no, d.n_chars, {_region_sql(level)} AS region, {_PERIOD_SQL[period]} AS period,
               {_PERIOD_START_SQL[period]} AS period_start
        FROM documents d WHERE {where} AND d.date IS NOT NULL {_finer_than_year(period)}
    ),
    den AS (SELECT period, any_value(period_start) AS period_start, region, count(*) AS docs,
                   sum(n_chars) AS chars FROM docs GROUP BY period, region),
    num AS (  -- one row per document and formulation (counts_source): rows are documents
        SELECT docs.period, docs.region, fc.formulation, count(*) AS docs_mentioning, sum(fc.n) AS mentions
        FROM docs JOIN {source} fc USING (doc_no)
        WHERE fc.formulation IN (SELECT unnest(?))
        GROUP BY ALL
    ),
    sel AS (SELECT unnest(?) AS formulation)
    SELECT den.period, den.period_start, den.region, sel.formulation, den.docs, den.chars,
           coalesce(num.docs_mentioning, 0) AS docs_mentioning, coalesce(num.mentions, 0) AS mentions
    FROM den CROSS JOIN sel
    LEFT JOIN num ON num.period = den.period AND num.region = den.region
                 AND num.formulation = sel.formulation
    ORDER BY den.period, den.region, sel.formulation
    """
    return con.execute(sql, [*params, *source_params, terms, terms]).df()


def add_measures(frame: pd.DataFrame, measure: str = "share") -> pd.DataFrame:
    """Add share with its Wilson interval, per10k, the small-sample flag and ``value``."""
    frame = frame.copy()
    for col in ("docs", "chars", "docs_mentioning", "mentions"):
        frame[col] = frame[col].astype("int64")
    frame["share"] = frame["docs_mentioning"] / frame["docs"].where(frame["docs"] > 0)
    bounds = [wilson(k, n) for k, n in zip(frame["docs_mentioning"], frame["docs"], strict=True)]
    frame["share_lo"] = [b[0] for b in bounds]
    frame["share_hi"] = [b[1] for b in bounds]
    frame["per10k"] = frame["mentions"] * 10_000 / frame["chars"].where(frame["chars"] > 0)
    frame["small_sample"] = frame["docs"] < MIN_DOCS
    frame["value"] = frame[{"share": "share", "per10k": "per10k", "count": "mentions"}[measure]]
    return frame


def _finer_than_year(period: str) -> str:
    """Documents dated to a year only have no month or quarter: left out of those periods."""
    return "" if period == "year" else "AND d.date_precision <> 'year'"


def undated_count(con, filters: Filters | None = None, period: str = "year") -> int:
    """Documents in no period: undated, or dated to a year only when periods are finer."""
    where, params = replace(filters or Filters(), formulation=[]).where()
    year_only = "" if period == "year" else "OR d.date_precision = 'year'"
    return con.execute(
        f"SELECT count(*) FROM documents d WHERE {where} AND (d.date IS NULL {year_only})", params
    ).fetchone()[0]


def diffusion(
    con, formulation: str, filters: Filters | None = None, level: str = "city", phrase: bool = False
) -> dict:
    """First mention per region, the adoption curve, and the leading region; ``phrase=True``
    counts ``formulation`` as an ad-hoc phrase on the stored text (``analytics.phrases``).

    Returns {"first": DataFrame(region, first_date, doc_id, title, date_precision, docs),
             "curve": DataFrame(date, regions), "leader": region or None,
             "regions_with_docs": int}.
    """
    base = replace(filters or Filters(), formulation=[])
    where, params = base.where()
    region = _region_sql(level)
    with counts_source(con, [formulation] if phrase else [], base, formulations=not phrase) as (source, extra):
        first = con.execute(
            f"""
            WITH firsts AS (  -- the earliest document of each region, by (date, doc_id)
                SELECT {region} AS region, min({{'date': d.date, 'doc_id': d.doc_id, 'doc_no': d.doc_no}}) AS f,
                       count(*) AS docs
                FROM documents d JOIN {source} fc ON fc.doc_no = d.doc_no
                WHERE {where} AND fc.formulation = ? AND d.date IS NOT NULL
                GROUP BY 1
            )
            SELECT firsts.region, firsts.f.date AS first_date, firsts.f.doc_id AS doc_id, d.display_title AS title,
                   d.date_precision, firsts.docs
            FROM firsts JOIN documents d ON d.doc_no = firsts.f.doc_no
            ORDER BY first_date, firsts.region
            """,
            [*extra, *params, formulation],
        ).df()
    regions_with_docs = con.execute(
        f"SELECT count(DISTINCT {region}) FROM documents d WHERE {where} AND d.date IS NOT NULL", params
    ).fetchone()[0]
    curve = (
        first.groupby("first_date")
        .size()
        .cumsum()
        .rename("regions")
        .reset_index()
        .rename(columns={"first_date": "date"})
    )
    leader = first["region"].iloc[0] if len(first) else None
    return {"first": first, "curve": curve, "leader": leader, "regions_with_docs": regions_with_docs}


def leaders(con, filters: Filters | None = None, formulations: list[str] | None = None) -> pd.DataFrame:
    """Counts by official: documents naming the official that use each formulation.

    Columns: name, title, region, formulation, docs (documents naming the official and
    using the formulation), mentions, official_docs (all documents naming the official).
    """
    base = replace(filters or Filters(), formulation=[])
    where, params = base.where()
    sel = ""
    extra: list = []
    if formulations:
        sel = "AND fc.formulation IN (SELECT unnest(?))"
        extra = [list(formulations)]
    return con.execute(
        f"""
        WITH offs AS (
            SELECT o.doc_id, o.name, any_value(o.title) AS title, any_value(o.region) AS region
            FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id
            WHERE {where} GROUP BY o.doc_id, o.name
        ),
        tot AS (SELECT name, count(*) AS official_docs FROM offs GROUP BY name)
        SELECT offs.name, any_value(offs.title) AS title, any_value(offs.region) AS region,
               fc.formulation, count(DISTINCT offs.doc_id) AS docs, sum(fc.n) AS mentions,
               any_value(tot.official_docs) AS official_docs
        FROM offs JOIN formulation_counts fc ON fc.doc_id = offs.doc_id
        JOIN tot ON tot.name = offs.name
        WHERE TRUE {sel}
        GROUP BY offs.name, fc.formulation
        ORDER BY docs DESC, mentions DESC, offs.name, fc.formulation
        """,
        [*params, *extra],
    ).df()


def map_data(
    con,
    formulations: list[str],
    filters: Filters | None = None,
    level: str = "city",
    until: str | None = None,
    phrases: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per region at ``level`` with documents, for a map.

    Columns: region, adcode, lon, lat, coords (``table`` or ``parent``: a county without its own
    point in the division table is drawn at its city's), docs, chars, docs_mentioning,
    mentions, share, share_lo, share_hi, per10k, small_sample, first_date (of a mention).
    ``until`` (ISO date) keeps documents up to that date, to replay adoption over time.
    """
    from .regions import divisions

    if level not in ("province", "city", "district"):
        raise ValueError("a map needs level province, city or district")
    base = replace(filters or Filters(), formulation=[])
    if until:
        from datetime import date as _date

        base = replace(base, until=min(filter(None, [base.until, _date.fromisoformat(until)])))
    where, params = base.where()
    div = divisions()
    munis = ", ".join(f"'{m}'" for m in sorted(div.municipalities))
    code = {
        "province": "substr(d.adcode, 1, 2) || '0000'",
        "city": f"CASE WHEN substr(d.adcode, 1, 2) || '0000' IN ({munis}) THEN substr(d.adcode, 1, 2) || '0000' "
        "ELSE substr(d.adcode, 1, 4) || '00' END",
        "district": "d.adcode",
    }[level]
    with counts_source(con, phrases, base, formulations=bool(formulations)) as (source, source_params):
        frame = con.execute(
            _MAP_SQL.format(level=level, code=code, where=where, source=source),
            [*params, *source_params, [*formulations, *phrases]],
        ).df()
    frame = add_measures(frame)
    lon, lat, how = [], [], []
    for adcode in frame["adcode"]:
        unit = div.units.get(adcode)
        source = "table"
        while unit is not None and unit.lon is None and unit.parent:
            unit, source = div.units[unit.parent], "parent"
        lon.append(unit.lon if unit else None)
        lat.append(unit.lat if unit else None)
        how.append(source if unit and unit.lon is not None else "none")
    frame["lon"], frame["lat"], frame["coords"] = lon, lat, how
    return frame


_MAP_SQL = """
        WITH docs AS (
            SELECT d.doc_no, d.n_chars, d.date, d.{level} AS region, {code} AS adcode
            FROM documents d WHERE {where} AND d.{level} IS NOT NULL AND d.adcode IS NOT NULL
        ),
        hits AS (
            SELECT fc.doc_no, sum(fc.n) AS n FROM {source} fc
            WHERE fc.formulation IN (SELECT unnest(?)) GROUP BY fc.doc_no
        )
        SELECT region, any_value(adcode) AS adcode, count(*) AS docs, sum(n_chars) AS chars,
               count(hits.doc_no) AS docs_mentioning, coalesce(sum(hits.n), 0) AS mentions,
               min(CASE WHEN hits.doc_no IS NOT NULL THEN docs.date END) AS first_date
        FROM docs LEFT JOIN hits USING (doc_no)
        GROUP BY region ORDER BY region
"""
