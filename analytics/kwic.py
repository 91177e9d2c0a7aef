"""Keyword in context over the stored clean text (title and body), sorted by date.

Columns: doc_id, date, date_precision, province, city, district, title, left, match, right,
source_path. A lexicon canonical form also finds its variants.
"""

from __future__ import annotations

import re

import pandas as pd

from .formulations import Lexicon
from .store import Filters

COLUMNS = ["doc_id", "date", "date_precision", "province", "city", "district", "title",
           "left", "match", "right", "source_path"]


def surfaces_for(term: str, lexicon: Lexicon | None) -> list[str]:
    entry = lexicon.get(term) if lexicon else None
    forms = list(entry.surfaces) if entry else [term]
    return sorted(set(forms), key=len, reverse=True)


# Reading texts in date order, a chunk at a time, pays off while few documents are needed:
# DuckDB decompresses a whole vector of texts to read one, so reading a document on its own costs
# about SCAN_ADVANTAGE times what it costs inside a scan with ``contains`` (which reads every text
# the filters select; measured at a million documents). The first chunk tells how many
# documents the limit needs; the reading goes on by chunks while that is cheaper than the scan.
FIRST_CHUNK = 64
SCAN_ADVANTAGE = 10
_COLUMNS_SQL = """d.doc_id, d.date, d.date_precision, d.province, d.city, d.district, d.display_title, d.title,
                  d.text, d.source_path"""


def kwic(
    con,
    term: str,
    filters: Filters | None = None,
    width: int = 30,
    limit: int | None = 1000,
    lexicon: Lexicon | None = None,
) -> pd.DataFrame:
    """Every occurrence of ``term`` (or its variants) with ``width`` characters each side, in
    document order (date, then doc_id), the first ``limit`` lines.

    With a limit, the documents' texts are read in that order a chunk at a time until the limit
    is reached, while the documents still needed are few enough (``SCAN_ADVANTAGE``); else the
    rest is found by one scan with ``contains``. Both give the same lines."""
    forms = surfaces_for(term, lexicon)
    pattern = re.compile("|".join(map(re.escape, forms)))
    filters = filters or Filters()
    where, params = filters.where()
    out: list[list] = []
    done: list[int] = []
    if limit:
        order = con.execute(f"SELECT d.doc_no FROM documents d WHERE {where} ORDER BY d.date NULLS LAST, d.doc_id",
                            params).fetchnumpy()["doc_no"].tolist()
        size, start, seen, holding = FIRST_CHUNK, 0, 0, 0
        while start < len(order):
            chunk = order[start:start + size]
            rows = con.execute(f"SELECT d.doc_no, {_COLUMNS_SQL} FROM (SELECT unnest(?::INTEGER[]) AS doc_no) x "
                               "JOIN documents d USING (doc_no)", [chunk]).fetchall()
            by_no = {r[0]: r[1:] for r in rows}
            hits = 0
            for no in chunk:
                row = by_no[no]
                if not any(form in (part or "") for part in (row[7], row[8]) for form in forms):
                    continue  # what the scan's ``contains`` selects, no more
                found = _lines(row, pattern, width)
                hits += bool(found)
                out += found
                if len(out) >= limit:
                    return pd.DataFrame(out[:limit], columns=COLUMNS)
            done += chunk
            start += size
            seen, holding = seen + len(chunk), holding + hits
            # documents still needed at the lines per document seen so far
            needed = (limit - len(out)) * seen / max(len(out), 1) if holding else len(order)
            if needed * SCAN_ADVANTAGE >= len(order) - start:
                break
            size = max(FIRST_CHUNK, int(needed * 1.25) + 1)
        if start >= len(order):
            return pd.DataFrame(out, columns=COLUMNS)
    like = " OR ".join(["contains(d.text, ?) OR contains(coalesce(d.title, ''), ?)"] * len(forms))
    like_params = [f for f in forms for _ in range(2)]
    skip = "AND d.doc_no NOT IN (SELECT unnest(?::INTEGER[]))" if done else ""
    rest = limit - len(out) if limit else None
    rows = con.execute(
        f"""SELECT {_COLUMNS_SQL} FROM documents d WHERE {where} AND ({like}) {skip}
            ORDER BY d.date NULLS LAST, d.doc_id {"LIMIT ?" if rest else ""}""",
        [*params, *like_params, *([done] if done else []), *([rest] if rest else [])],
    ).fetchall()  # every document selected holds a match: ``rest`` documents give at least ``rest`` lines
    for row in rows:
        out += _lines(row, pattern, width)
        if limit and len(out) >= limit:
            return pd.DataFrame(out[:limit], columns=COLUMNS)
    return pd.DataFrame(out, columns=COLUMNS)


def _lines(row: tuple, pattern: re.Pattern, width: int) -> list[list]:
    """The lines of one document (title first, then body), newlines read as spaces."""
    doc_id, dt, prec, prov, city, dist, shown, title, text, src = row
    out = []
    for part in (title or "", text or ""):
        flat = part.replace("\n", " ")
        for m in pattern.finditer(flat):
            out.append([doc_id, dt, prec, prov, city, dist, shown, flat[max(0, m.start() - width): m.start()],
                        m.group(), flat[m.end(): m.end() + width], src])
    return out
