"""Ad-hoc phrases: any string a user types, counted exactly on the stored clean text.

A phrase that is not in the lexicon gets the same trend, map, heatmap and diffusion as a
formulation. Counting rule (the lexicon's rule for one phrase at a time):

* the phrase is normalised as article text is (``clean.clean_text``: whitespace, pinyin
  annotations, OpenCC ``tw2s``, punctuation), so 五個新城 counts 五个新城;
* occurrences are counted in the title and the body, non-overlapping from the left, never in
  the summary, and an occurrence that touches a corrupt (mojibake) span does not count;
* each phrase is counted on its own: two phrases may overlap each other (新城 inside 五个新城
  counts for both), unlike lexicon entries, which share one leftmost-longest pass;
* duplicates and every other filter apply as everywhere (``Filters.where``).

Speed: one SQL pass, no Python per document. DuckDB scans the text column with ``contains``
and counts the non-overlapping occurrences as RE2's matches of the escaped phrase. A phrase is
counted over the whole store once per store state and kept (``store_counts``, the last
``CACHE_PHRASES`` phrases): a user who types a phrase waits for one scan, and every later
question about it (a filter, a period, a level, another view) joins its counts; in
the few documents with corrupt spans, ``t`` is the body with each span replaced by U+0000 (built
from the stored offsets), so an occurrence touching a span is not counted — the same answer as
``count_in``, the reference implementation. Figures in ``docs/performance.md``.

``phrase_counts`` returns one row per (document, phrase) with a mention (``phrase_sql`` also
gives the document's ``doc_no``):

===========  ================================================================================
doc_id       the document
formulation  the phrase as counted (normalised), in the column name formulations use
n            occurrences in title + body
===========  ================================================================================
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd

from .store import Filters

MAX_PHRASE_CHARS = 50
COLUMNS = ["doc_id", "formulation", "n"]


class PhraseError(ValueError):
    """A phrase that cannot be counted (empty, too long, or control characters); one line."""


def normalise(phrase: str) -> str:
    """The phrase as stored text reads it (see the module docstring); raises PhraseError."""
    from .clean import clean_text

    raw = str(phrase)
    if any(ord(c) < 32 for c in raw):
        raise PhraseError(f"{raw!r}: a phrase may not hold line breaks or control characters.")
    text = clean_text(raw).strip()
    if not text:
        raise PhraseError(f"{raw!r}: an empty phrase counts nothing.")
    if len(text) > MAX_PHRASE_CHARS:
        raise PhraseError(f"{raw[:20]}…: a phrase is at most {MAX_PHRASE_CHARS} characters.")
    return text


def count_in(text: str, phrase: str, skip_spans: Sequence[tuple[int, int]] = ()) -> int:
    """Non-overlapping occurrences of ``phrase`` in ``text``, from the left, leaving out those
    that touch a span (a left-out occurrence takes no text from the next, as in
    ``formulations.find_matches``)."""
    n, pos = 0, text.find(phrase)
    while pos >= 0:
        end = pos + len(phrase)
        if any(pos < s_end and s_start < end for s_start, s_end in skip_spans):
            pos = text.find(phrase, pos + 1)
            continue
        n += 1
        pos = text.find(phrase, end)
    return n


# The body with its corrupt spans replaced by U+0000 (spans are sorted, disjoint character
# offsets into the body, stored as JSON [{start, end, text}]).
_BLANKED = """CASE WHEN d.corrupt_spans IS NULL OR d.corrupt_spans = '[]' THEN coalesce(d.text, '') ELSE
    array_to_string(list_transform(
        range(CAST(json_array_length(d.corrupt_spans) AS BIGINT) + 1),
        lambda i: substring(d.text,
            1 + CASE WHEN i = 0 THEN 0 ELSE CAST(d.corrupt_spans -> (i - 1) ->> 'end' AS INTEGER) END,
            CASE WHEN i = json_array_length(d.corrupt_spans) THEN length(d.text)
                 ELSE CAST(d.corrupt_spans -> i ->> 'start' AS INTEGER) END
            - CASE WHEN i = 0 THEN 0 ELSE CAST(d.corrupt_spans -> (i - 1) ->> 'end' AS INTEGER) END)),
    chr(0)) END"""


def phrase_sql(phrases: Sequence[str], filters: Filters | None = None) -> tuple[str, list]:
    """SQL (and its parameters) for the phrases' counts per selected document: the columns of
    the module docstring, rows with ``n > 0`` only. One scan per phrase, each with its pattern
    as a constant (compiled once, not per row)."""
    where, params = replace(filters or Filters(), formulation=[]).where()
    # non-overlapping occurrences from the left: RE2's matches of the escaped phrase
    one = f"""
        SELECT doc_id, doc_no, formulation, n FROM (
            SELECT d.doc_id, d.doc_no, ?::VARCHAR AS formulation,
                   len(regexp_extract_all(coalesce(d.title, ''), ?)) + len(regexp_extract_all({_BLANKED}, ?)) AS n
            FROM documents d
            WHERE {where} AND (contains(coalesce(d.text, ''), ?) OR contains(coalesce(d.title, ''), ?))
        ) WHERE n > 0"""
    sqls, values = [], []
    for phrase in dict.fromkeys(phrases):
        pattern = re.escape(phrase)
        sqls.append(one)
        values += [phrase, pattern, pattern, *params, phrase, phrase]
    return " UNION ALL ".join(sqls), values


def phrase_counts(con, phrases: Sequence[str], filters: Filters | None = None) -> pd.DataFrame:
    """Occurrences of each (already normalised) phrase per selected document (columns above)."""
    if not phrases:
        return pd.DataFrame(
            {"doc_id": pd.Series(dtype=str), "formulation": pd.Series(dtype=str), "n": pd.Series(dtype="int64")}
        )
    sql, params = phrase_sql(phrases, filters)
    frame = con.execute(f"{sql} ORDER BY doc_id, formulation", params).df()
    frame["n"] = frame["n"].astype("int64")
    return frame[COLUMNS]


# Per-document counts of recent phrases over the whole store, per store state: a phrase's first
# query scans the text; every later one (another filter, period, level or view) reads these.
CACHE_PHRASES = 32
_cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_cache_lock = threading.Lock()  # the dashboard answers sessions on threads


def _store_state(con) -> tuple | None:
    """The store file and the sizes and times of it and its write-ahead log: any write changes
    it. None for an in-memory database (nothing is cached)."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()[0][0]
    if not path:
        return None
    state = [path]
    for file in (Path(path), Path(f"{path}.wal")):
        info = file.stat() if file.exists() else None
        state += [info.st_mtime_ns, info.st_size] if info else [None, None]
    return tuple(state)


def store_counts(con, phrase: str) -> pd.DataFrame:
    """(doc_no, formulation, n) for every document, duplicates included, that holds ``phrase``:
    counted once per store state (one scan of the text), then read from the cache."""
    state = _store_state(con)
    key = (state, phrase)
    with _cache_lock:
        if state is not None and key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    sql, params = phrase_sql([phrase], Filters(include_duplicates=True))
    frame = con.execute(f"SELECT doc_no, formulation, n FROM ({sql})", params).df()
    frame = frame.astype({"doc_no": "int32", "n": "int32"})
    if state is not None:
        with _cache_lock:
            _cache[key] = frame
            while len(_cache) > CACHE_PHRASES:
                _cache.popitem(last=False)
    return frame


@contextmanager
def counts_source(
    con, phrases: Sequence[str] = (), filters: Filters | None = None, formulations: bool = True
) -> Iterator[tuple[str, list]]:
    """SQL for the per-document counts relation (doc_no, formulation, n) and its parameters:
    ``formulation_counts`` (unless ``formulations`` is False), plus the phrases' counts
    (``store_counts``). The relation is not filtered: the caller joins it to the documents it
    selects. A document has at most one row per formulation or phrase (a phrase named like a
    formulation is counted as the phrase), so counting rows counts documents."""
    if not phrases:
        yield "formulation_counts", []
        return
    unique = list(dict.fromkeys(phrases))
    frame = pd.concat([store_counts(con, p) for p in unique], ignore_index=True)
    name = f"_phrase_counts_{id(frame)}"
    con.register(name, frame)
    try:
        if formulations:
            yield (f"(SELECT doc_no, formulation, n FROM formulation_counts WHERE formulation NOT IN "
                   f"(SELECT unnest(?::VARCHAR[])) UNION ALL SELECT doc_no, formulation, n FROM {name})", [unique])
        else:
            yield f"(SELECT doc_no, formulation, n FROM {name})", []
    finally:
        con.unregister(name)


def split_lexicon(typed: Sequence[str], lexicon) -> tuple[list[str], list[str], list[str]]:
    """Typed phrases → (formulations, phrases, notes): each is normalised (PhraseError when it
    cannot be counted); one that is a lexicon form is measured as its formulation, with a note."""
    surfaces = {form: f.canonical for f in lexicon.entries for form in f.surfaces}
    formulations, phrases, notes = [], [], []
    for raw in typed:
        phrase = normalise(raw)
        if phrase in surfaces:
            formulations.append(surfaces[phrase])
            notes.append(f"{raw} is in the lexicon: counted as the formulation {surfaces[phrase]}.")
        else:
            phrases.append(phrase)
            if phrase != raw.strip():
                notes.append(f"{raw} read as {phrase} (the stored text's normalisation).")
    return list(dict.fromkeys(formulations)), list(dict.fromkeys(phrases)), notes
