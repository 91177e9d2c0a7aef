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
            "AND d.province IS NOT NULL GROUP BY ALL ORDER BY docs DESC").df(),
        "sites": con.execute(
            f"SELECT d.site AS name, count(*) AS docs {base} AND d.site IS NOT NULL "
            "GROUP BY 1 ORDER BY docs DESC, 1").df(),
        "officials": con.execute(
            "SELECT o.name, count(DISTINCT o.doc_id) AS docs FROM doc_officials o "
            "JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL "
            "GROUP BY 1 ORDER BY docs DESC, 1").df(),
        "formulations": con.execute(
            "SELECT fc.formulation, count(DISTINCT fc.doc_id) AS docs FROM formulation_counts fc "
            "JOIN documents d USING (doc_id) WHERE d.duplicate_of IS NULL "
            "GROUP BY 1 ORDER BY docs DESC, 1").df(),
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
    keys = ["documents", "regions", "first", "last", "sites", "undated", "inferred", "ambiguous",
            "corrupt", "chars"]
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
