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

from .choices import DISCOVER_SOURCES
from .formulations import Lexicon
from .schema import NATIONAL_LABEL, token_list
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
SOURCES = DISCOVER_SOURCES
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
    # one row per (candidate, source, document) use: tallied by pandas, not per use in Python
    cands, kinds, doc_no = [], [], []
    for i, (_, text, _, _, tokens) in enumerate(docs):
        found = [(c, "quoted") for c in quoted(text)] + [(c, "numbered") for c in numbered(text)]
        found += [(p, "recurring") for p in _adjacent_pairs(_sequence(tokens), text)]
        for cand, kind in found:
            if kind in sources and len(cand) >= 2 and cand not in known:
                cands.append(cand)
                kinds.append(kind)
                doc_no.append(i)
    if not cands:
        return pd.DataFrame(columns=COLUMNS)
    uses = pd.DataFrame({"candidate": cands, "source": kinds, "doc": doc_no})
    uses["region"] = [docs[i][3] for i in doc_no]
    grouped = uses.groupby(["candidate", "source"], sort=False)
    frame = grouped.agg(
        docs=("doc", "nunique"), regions=("region", "nunique"), mentions=("doc", "size"), first=("doc", "min")
    ).reset_index()
    frame = frame[(frame["docs"] >= min_docs) & ((frame["source"] != "recurring") | (frame["docs"] >= 2))]
    frame["_o"] = frame["source"].map({s: i for i, s in enumerate(SOURCES)})
    frame = frame.sort_values(["_o", "regions", "docs", "mentions", "candidate"],
                              ascending=[True, False, False, False, True]).head(limit).reset_index(drop=True)
    # documents are in date order: the first use gives the first date, its region and the example
    frame["first_date"] = [docs[i][2] for i in frame["first"]]
    frame["first_region"] = [docs[i][3] for i in frame["first"]]
    frame["example"] = [_example(docs[i][1], c) for i, c in zip(frame["first"], frame["candidate"], strict=True)]
    return frame[COLUMNS]


def _sequence(tokens: str | list[str] | None) -> list[str]:
    """A document's content tokens as stored: one joined string (a list in stores made before
    the tokens column was migrated by a write), or none."""
    if isinstance(tokens, str):
        return token_list(tokens)
    return list(tokens or [])


def _adjacent_pairs(tokens: list[str], text: str) -> list[str]:
    """Neighbouring content tokens that stand next to each other in the text (no stopword,
    number or punctuation dropped between them), joined, in first-seen order. The tokens are
    located in order, one forward search each (they were cut from this text, in this order)."""
    pairs: dict[str, None] = {}
    pos, prev, prev_end = 0, "", -1
    for token in tokens:
        at = text.find(token, pos)
        if at < 0:  # not in order (a token the text does not hold): start a new chain here
            prev = ""
            continue
        if prev and at == prev_end:
            pairs[prev + token] = None
        prev, prev_end = token, at + len(token)
        pos = prev_end
    return list(pairs)


def _example(text: str, cand: str, width: int = 25) -> str:
    i = text.find(cand)
    if i < 0:
        return ""
    return text[max(0, i - width) : i + len(cand) + width].replace("\n", " ")
