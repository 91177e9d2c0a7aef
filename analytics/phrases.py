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

Speed: DuckDB scans the text column with ``contains`` and counts occurrences as
``(length(text) - length(replace(text, phrase, ''))) / length(phrase)`` in the same pass; only the
documents that have corrupt spans and a match are recounted in Python. Figures in
``docs/performance.md``.

``phrase_counts`` returns one row per (document, phrase) with a mention:

===========  ================================================================================
doc_id       the document
formulation  the phrase as counted (normalised), in the column name formulations use
n            occurrences in title + body
===========  ================================================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import pandas as pd

from .store import Filters

MAX_PHRASE_CHARS = 50
COLUMNS = ["doc_id", "formulation", "n"]
_RELATION = "tifa_phrase_counts"  # the name phrase counts are registered under on a connection


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
    """Non-overlapping occurrences of ``phrase`` in ``text``, leaving out those that touch a span."""
    n, pos = 0, text.find(phrase)
    while pos >= 0:
        end = pos + len(phrase)
        if not any(pos < s_end and s_start < end for s_start, s_end in skip_spans):
            n += 1
        pos = text.find(phrase, end)
    return n


def phrase_counts(con, phrases: Sequence[str], filters: Filters | None = None) -> pd.DataFrame:
    """Occurrences of each (already normalised) phrase per selected document (columns above)."""
    phrases = list(dict.fromkeys(phrases))
    if not phrases:
        return pd.DataFrame(
            {"doc_id": pd.Series(dtype=str), "formulation": pd.Series(dtype=str), "n": pd.Series(dtype="int64")}
        )
    where, params = replace(filters or Filters(), formulation=[]).where()
    occurrences = "(length({col}) - length(replace({col}, p.phrase, ''))) // length(p.phrase)"
    title, body = "coalesce(d.title, '')", "coalesce(d.text, '')"
    frame = con.execute(
        f"""
        SELECT d.doc_id, p.phrase AS formulation,
               {occurrences.format(col=title)} + {occurrences.format(col=body)} AS n,
               d.corrupt_spans <> '[]' AS corrupt
        FROM documents d, (SELECT unnest(?) AS phrase) p
        WHERE {where} AND (contains({body}, p.phrase) OR contains({title}, p.phrase))
        """,
        [phrases, *params],
    ).df()
    frame["n"] = frame["n"].astype("int64")
    suspect = frame[frame["corrupt"].fillna(False)]
    if len(suspect):  # recount where a corrupt span may hold an occurrence
        texts = dict(
            (doc_id, (title_, text, json.loads(spans or "[]")))
            for doc_id, title_, text, spans in con.execute(
                "SELECT doc_id, title, text, corrupt_spans FROM documents WHERE doc_id IN (SELECT unnest(?))",
                [suspect["doc_id"].unique().tolist()],
            ).fetchall()
        )
        for i, doc_id, phrase in zip(suspect.index, suspect["doc_id"], suspect["formulation"], strict=True):
            title_, text, spans = texts[doc_id]
            skip = [(s["start"], s["end"]) for s in spans]
            frame.at[i, "n"] = count_in(title_ or "", phrase) + count_in(text or "", phrase, skip)
    frame = frame[frame["n"] > 0]
    return frame[COLUMNS].sort_values(["doc_id", "formulation"]).reset_index(drop=True)


@contextmanager
def counts_source(con, phrases: Sequence[str] = (), filters: Filters | None = None) -> Iterator[str]:
    """SQL for the per-document counts relation (doc_id, formulation, n): ``formulation_counts``,
    plus the phrases' counts registered on ``con`` for the duration of the block."""
    if not phrases:
        yield "formulation_counts"
        return
    con.register(_RELATION, phrase_counts(con, phrases, filters))
    try:
        yield (
            "(SELECT doc_id, formulation, n FROM formulation_counts "
            f"UNION ALL SELECT doc_id, formulation, n FROM {_RELATION})"
        )
    finally:
        con.unregister(_RELATION)


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
