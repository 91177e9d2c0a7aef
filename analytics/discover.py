"""Discovery of formulations the lexicon does not have yet.

Three sources, each a pure function over (doc_id, text) pairs:

* ``quoted``    phrases in Chinese quotation marks “…” (2–12 characters);
* ``numbered``  a numeral + 个/大/项/… + a short phrase (四个一批, 三大高地, 五大战略), numeral
                pairs (四八目标, 四图五清单) and digit bundles (4+2);
* ``recurring`` token bigrams from the stored token streams that recur across documents.

Candidates are ranked by regions, then documents using them; each carries its first
appearance and an example context.
"""

from __future__ import annotations

import re

import pandas as pd

from .formulations import Lexicon
from .schema import NATIONAL_LABEL
from .store import Filters
from .trends import UNKNOWN_REGION

NUM = "一二两三四五六七八九十百"
QUOTED = re.compile(r"[“\"「]([\u4e00-\u9fff0-9A-Za-z+＋、·]{2,12})[”\"」]")
NUMBERED = re.compile(
    rf"(?:[{NUM}]+(?:个|大|项|张|条|种|型|化|支|批|区|城|心|高地)[\u4e00-\u9fff]{{1,4}}?"
    rf"(?=[”\"」，。、；：\s]|$)"
    rf"|[{NUM}][\u4e00-\u9fff]{{1,2}}[{NUM}][\u4e00-\u9fff]{{1,3}}?(?=[”\"」，。、；\s]|$)"
    rf"|[{NUM}]{{2}}目标"
    rf"|\d\s*[+＋]\s*\d)"
)
SOURCES = ("quoted", "numbered", "recurring")  # also the ranking order of sources
COLUMNS = ["candidate", "source", "docs", "regions", "mentions", "first_date", "first_region",
           "example"]


def quoted(text: str) -> list[str]:
    return [m.group(1) for m in QUOTED.finditer(text) if not m.group(1).isdigit()]


def numbered(text: str) -> list[str]:
    return [m.group().replace(" ", "") for m in NUMBERED.finditer(text)]


def _known(lexicon: Lexicon) -> set[str]:
    return {s for f in lexicon.entries for s in f.surfaces}


def discover(con, lexicon: Lexicon, filters: Filters | None = None, min_docs: int = 1,
             limit: int = 200, sources: tuple[str, ...] = SOURCES) -> pd.DataFrame:
    """Candidates with docs, regions, mentions, first appearance and an example.

    Quoted and numbered candidates rank before recurring bigrams (which are mostly ordinary
    collocations); within a source, by regions, then documents, then mentions.
    """
    where, params = (filters or Filters()).where()
    docs = con.execute(
        f"""SELECT d.doc_id, coalesce(d.title, '') || '\n' || d.text, d.date,
                   CASE WHEN d.region_level = 'national' THEN '{NATIONAL_LABEL}'
                        ELSE coalesce(d.district, d.city, d.province, '{UNKNOWN_REGION}') END, t.tokens
            FROM documents d LEFT JOIN tokens t USING (doc_id)
            WHERE {where} ORDER BY d.date NULLS LAST, d.doc_id""",
        params,
    ).fetchall()
    known = _known(lexicon)
    stats: dict[tuple[str, str], dict] = {}

    def add(cand: str, source: str, doc_id, text, dt, region):
        if cand in known or len(cand) < 2:
            return
        s = stats.setdefault((cand, source), {"docs": set(), "regions": set(), "mentions": 0,
                                              "first_date": dt, "first_region": region,
                                              "example": _example(text, cand)})
        s["docs"].add(doc_id)
        s["regions"].add(region)
        s["mentions"] += 1

    for doc_id, text, dt, region, tokens in docs:
        for cand in quoted(text):
            add(cand, "quoted", doc_id, text, dt, region)
        for cand in numbered(text):
            add(cand, "numbered", doc_id, text, dt, region)
        seen_pairs = set()
        for a, b in zip(tokens or [], (tokens or [])[1:], strict=False):
            pair = a + b
            if pair in seen_pairs or pair not in text:
                continue
            seen_pairs.add(pair)
            add(pair, "recurring", doc_id, text, dt, region)
    rows = []
    for (cand, source), s in stats.items():
        n_docs = len(s["docs"])
        if source == "recurring" and n_docs < max(2, min_docs):
            continue
        if n_docs < min_docs or source not in sources:
            continue
        rows.append([cand, source, n_docs, len(s["regions"]), s["mentions"], s["first_date"],
                     s["first_region"], s["example"]])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["_o"] = frame["source"].map({s: i for i, s in enumerate(SOURCES)})
    frame = frame.sort_values(["_o", "regions", "docs", "mentions", "candidate"],
                              ascending=[True, False, False, False, True])
    return frame.drop(columns="_o").head(limit).reset_index(drop=True)


def _example(text: str, cand: str, width: int = 25) -> str:
    i = text.find(cand)
    if i < 0:
        return ""
    return text[max(0, i - width) : i + len(cand) + width].replace("\n", " ")
