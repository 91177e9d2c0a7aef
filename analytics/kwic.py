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


def kwic(
    con,
    term: str,
    filters: Filters | None = None,
    width: int = 30,
    limit: int | None = 1000,
    lexicon: Lexicon | None = None,
) -> pd.DataFrame:
    """Every occurrence of ``term`` (or its variants) with ``width`` characters each side."""
    forms = surfaces_for(term, lexicon)
    filters = filters or Filters()
    where, params = filters.where()
    like = " OR ".join(["contains(d.text, ?) OR contains(coalesce(d.title, ''), ?)"] * len(forms))
    like_params = [f for f in forms for _ in range(2)]
    rows = con.execute(
        f"""SELECT d.doc_id, d.date, d.date_precision, d.province, d.city, d.district,
                   d.display_title, d.title, d.text, d.source_path
            FROM documents d WHERE {where} AND ({like})
            ORDER BY d.date NULLS LAST, d.doc_id {"LIMIT ?" if limit else ""}""",
        [*params, *like_params, *([limit] if limit else [])],
    ).fetchall()  # every document selected holds a match: ``limit`` documents give at least ``limit`` lines
    pattern = re.compile("|".join(map(re.escape, forms)))
    out = []
    for doc_id, dt, prec, prov, city, dist, shown, title, text, src in rows:
        for part in (title or "", text or ""):
            flat = part.replace("\n", " ")
            for m in pattern.finditer(flat):
                out.append([doc_id, dt, prec, prov, city, dist, shown,
                            flat[max(0, m.start() - width) : m.start()], m.group(),
                            flat[m.end() : m.end() + width], src])
                if limit and len(out) >= limit:
                    return pd.DataFrame(out, columns=COLUMNS)
    return pd.DataFrame(out, columns=COLUMNS)
