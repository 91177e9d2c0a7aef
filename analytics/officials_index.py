"""The officials index: one row per person across the store (``tifa leaders``, the Leaders view).

A person is a name with a place: the region the title names (扬州市委书记 → 扬州市), else the
article's city, else its province — so two 王勇 of two cities stay two people. Built once at the
end of ingest (``store.update_officials_index``) like ``term_stats``; a filtered query computes
the same rows over the matching documents only.

Columns: name, place (全国 for national offices), titles (every title held, most used first,
joined by ；), level (the most used; a tie goes to a known level, then the first in
alphabetical order, so the index is the same whatever order the documents were written in),
first_seen and last_seen (over documents with a date read from the page, its address or the text — inferred
years are left out), documents.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .store import Filters

INDEX_COLUMNS = ["name", "place", "titles", "level", "first_seen", "last_seen", "documents"]

_SETTLED = "('day', 'month', 'year', 'given')"
NATIONAL = "全国"
# the person's place: national offices are nobody's city; else the title's region, the article's
PLACE = f"CASE WHEN o.level = 'national' THEN '{NATIONAL}' ELSE coalesce(o.region, d.city, d.province) END"


def index_sql(where: str = "d.duplicate_of IS NULL") -> str:
    """The aggregation behind the index, over the documents matching ``where`` (alias ``d``)."""
    return f"""
        WITH m AS (
            SELECT o.doc_id, o.name, o.title, o.level, {PLACE} AS place,
                   CASE WHEN d.date_precision IN {_SETTLED} THEN d.date END AS seen
            FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id
            WHERE {where}
        ),
        t AS (SELECT name, place, title, count(DISTINCT doc_id) AS n FROM m GROUP BY ALL),
        lv AS (SELECT name, place, level, count(*) AS n FROM m GROUP BY ALL)
        SELECT m.name, m.place,
               (SELECT list(t.title ORDER BY t.n DESC, t.title) FROM t
                WHERE t.name = m.name AND t.place IS NOT DISTINCT FROM m.place) AS titles,
               (SELECT first(lv.level ORDER BY lv.n DESC, lv.level = 'unknown', lv.level) FROM lv
                WHERE lv.name = m.name AND lv.place IS NOT DISTINCT FROM m.place) AS level,
               min(m.seen) AS first_seen, max(m.seen) AS last_seen,
               count(DISTINCT m.doc_id) AS documents
        FROM m GROUP BY m.name, m.place
        ORDER BY documents DESC, m.name, m.place"""


def officials(con, filters: Filters | None = None, limit: int | None = None) -> pd.DataFrame:
    """One row per person (see the module docstring), over the documents ``filters`` select."""
    # every document names its officials, whatever its date: the inferred-date switch is for trends
    filters = replace(filters or Filters(), include_inferred=True)
    where, params = filters.where()
    sql = index_sql(where)
    if limit:
        sql += f" LIMIT {int(limit)}"
    frame = con.execute(sql, params).df()
    for col in ("first_seen", "last_seen"):
        frame[col] = [v.date() if isinstance(v, pd.Timestamp) else None for v in frame[col]]
    frame["titles"] = frame["titles"].map(lambda v: "；".join(v) if v is not None else "")
    return frame[INDEX_COLUMNS]


def tenures(con) -> pd.DataFrame:
    """(name, title, place, first_seen, last_seen, documents) over settled dates: how long the
    store has seen a person hold a title — date evidence for undated documents naming them."""
    return con.execute(f"""
        SELECT o.name, o.title, {PLACE} AS place,
               min(d.date) AS first_seen, max(d.date) AS last_seen, count(DISTINCT o.doc_id) AS documents
        FROM doc_officials o JOIN documents d ON d.doc_id = o.doc_id
        WHERE d.duplicate_of IS NULL AND d.date_precision IN {_SETTLED} AND d.date IS NOT NULL
          AND o.level <> 'national'  -- a national leader's decade in office dates nothing
        GROUP BY ALL""").df()
