"""Corpus overview, data-quality lists and filter facets (counts beside names)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .store import Filters


def facets(con) -> dict[str, pd.DataFrame]:
    """Options for the filter widgets with document counts (duplicates excluded).

    Keys: regions (province, city, district, docs), sites, officials, formulations
    (formulation, docs) — every frame sorted by docs descending.
    """
    base = "FROM documents d WHERE d.duplicate_of IS NULL"
    return {
        "regions": con.execute(
            f"SELECT d.province, d.city, d.district, count(*) AS docs {base} "
            "AND d.province IS NOT NULL GROUP BY ALL ORDER BY docs DESC"
        ).df(),
        "sites": con.execute(
            f"SELECT d.site AS name, count(*) AS docs {base} AND d.site IS NOT NULL GROUP BY 1 ORDER BY docs DESC, 1"
        ).df(),
        "officials": con.execute(
            "SELECT o.name, count(DISTINCT o.doc_id) AS docs FROM doc_officials o "
            "JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL "
            "GROUP BY 1 ORDER BY docs DESC, 1"
        ).df(),
        "formulations": con.execute(
            "SELECT fc.formulation, count(DISTINCT fc.doc_id) AS docs FROM formulation_counts fc "
            "JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL "
            "GROUP BY 1 ORDER BY docs DESC, 1"
        ).df(),
    }


def overview(con, filters: Filters | None = None) -> dict:
    """Headline numbers for the filtered corpus, each with what it counts."""
    flt = replace(filters or Filters(), formulation=list((filters or Filters()).formulation))
    where, params = flt.where()
    row = con.execute(
        f"""SELECT count(*) AS documents,
                   count(DISTINCT coalesce(d.district, d.city, d.province)) AS regions,
                   min(d.date) AS first, max(d.date) AS last,
                   count(DISTINCT d.site) AS sites,
                   count(*) FILTER (WHERE d.date IS NULL) AS undated,
                   count(*) FILTER (WHERE d.date_precision = 'inferred') AS inferred,
                   count(*) FILTER (WHERE d.region_level IN ('unknown', 'ambiguous')) AS ambiguous,
                   count(*) FILTER (WHERE d.corrupt_spans <> '[]') AS corrupt,
                   sum(d.n_chars) AS chars
            FROM documents d WHERE {where}""",
        params,
    ).fetchone()
    keys = ["documents", "regions", "first", "last", "sites", "undated", "inferred", "ambiguous", "corrupt", "chars"]
    out = dict(zip(keys, row, strict=True))
    out["duplicates"] = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    out["quarantined"] = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    return out


QUALITY_WHERE = {
    "undated": "d.date IS NULL",
    "inferred": "d.date_precision = 'inferred'",
    "ambiguous": "d.region_level IN ('unknown', 'ambiguous')",
    "corrupt": "d.corrupt_spans <> '[]'",
}


def quality_documents(con, issue: str, filters: Filters | None = None) -> pd.DataFrame:
    """Documents affected by a data-quality issue, with the evidence that explains it."""
    where, params = (filters or Filters()).where()
    return con.execute(
        f"""SELECT d.doc_id, d.display_title, d.date, d.date_precision, d.date_evidence,
                   d.region_level, d.region_candidates, d.corrupt_spans, d.source_path
            FROM documents d WHERE {where} AND {QUALITY_WHERE[issue]}
            ORDER BY d.date NULLS LAST, d.doc_id""",
        params,
    ).df()


LEVEL_LABELS = {"national": "全国", "province": "省级", "city": "市级", "district": "区县级"}
UNKNOWN_LEVEL = "地区未定"


def documents_by_year(con, filters: Filters | None = None, by: str = "level") -> pd.DataFrame:
    """Dated documents per year, split by region level (全国, 省级…) or by date precision.

    Columns: year (int), key, docs. Undated documents are not here (see ``overview``)."""
    where, params = (filters or Filters()).where()
    if by == "level":
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in LEVEL_LABELS.items())
        key = f"CASE d.region_level {cases} ELSE '{UNKNOWN_LEVEL}' END"
    elif by == "precision":
        key = "d.date_precision"
    else:
        raise ValueError("by must be level or precision")
    return con.execute(
        f"""SELECT year(d.date) AS year, {key} AS key, count(*) AS docs FROM documents d
            WHERE {where} AND d.date IS NOT NULL GROUP BY ALL ORDER BY year, key""",
        params,
    ).df()


def top_formulations(con, filters: Filters | None = None, limit: int = 15) -> pd.DataFrame:
    """The formulations used in most of the filtered documents (formulation, docs, mentions)."""
    where, params = (filters or Filters()).where()
    return con.execute(
        f"""SELECT fc.formulation, count(DISTINCT fc.doc_id) AS docs, sum(fc.n) AS mentions
            FROM formulation_counts fc JOIN documents d USING (doc_id) WHERE {where}
            GROUP BY 1 ORDER BY docs DESC, mentions DESC, 1 LIMIT ?""",
        [*params, limit],
    ).df()


def region_labels(frame: pd.DataFrame) -> pd.Series:
    """The region a document is about, as shown in tables: 全国 for national documents, else
    ``province / city / district`` as far as known, (未定) when unknown; ``≈`` before a place the
    corpus inferred (``corpus_places``: the document view says how)."""
    from .corpus_places import CORPUS_SIGNALS
    from .schema import NATIONAL_LABEL
    from .trends import UNKNOWN_REGION

    def one(row) -> str:
        if row.get("region_level") == "national":
            return NATIONAL_LABEL
        parts = [row.get(k) for k in ("province", "city", "district")]
        parts = [p for i, p in enumerate(parts) if isinstance(p, str) and p and p not in parts[:i]]
        evidence = row.get("region_evidence")
        inferred = isinstance(evidence, list) and any(e.get("signal") in CORPUS_SIGNALS for e in evidence[:3])
        return ("≈ " if inferred and parts else "") + (" / ".join(parts) or UNKNOWN_REGION)

    return frame.apply(one, axis=1) if len(frame) else pd.Series(dtype=str)
