"""Processed documents as the store's rows, encoded where they are made.

A worker turns its documents into newline-delimited JSON, one line per document: the columns
of the ``documents`` table plus the document's formulation counts, officials, token sequence
and term counts. The writer hands the text to DuckDB's JSON reader and inserts every table
with SQL (``store.write_batch``), so it never rebuilds documents as Python objects: handing a
batch over costs one string, and the writer's time and memory do not grow with what a
document holds. This module imports nothing heavy: it runs in every worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from .schema import Document, Quarantined

# The documents table's columns that a Document carries, in table order (n_tokens and
# ingested_at follow, then the date range).
DOC_FIELDS = [
    "doc_id", "source_path", "record_no", "site", "channel", "origin", "url", "title",
    "title_derived", "display_title", "summary", "published_at", "event_date", "date",
    "date_precision", "date_evidence", "authors", "n_chars", "quality", "corrupt_spans",
    "duplicate_of", "text", "encoding", "province", "city", "district", "zone", "adcode",
    "region_level", "region_confidence", "region_evidence", "region_candidates",
    "mentioned_regions", "officials", "content_hash", "minhash",
]
DATE_RANGE_FIELDS = ["date_earliest", "date_latest"]
READ_MEMORY_BASE = 64 * 2**20
READ_MEMORY_PER_BYTE = 8
JSON_COLUMNS = ("corrupt_spans", "region_evidence", "region_candidates", "mentioned_regions", "officials")

# DuckDB types of a line's fields (read_json's ``columns``): what the writer reads back.
LINE_TYPES: dict[str, str] = {
    **dict.fromkeys(DOC_FIELDS, "VARCHAR"),
    "record_no": "INTEGER", "title_derived": "BOOLEAN", "published_at": "TIMESTAMP", "event_date": "DATE",
    "date": "DATE", "authors": "VARCHAR[]", "n_chars": "INTEGER", "quality": "DOUBLE",
    "region_confidence": "DOUBLE", "n_tokens": "INTEGER", "date_earliest": "DATE", "date_latest": "DATE",
    # minhash travels as hex (unhex() in SQL); the rest fill the other tables
    "formulation": "VARCHAR[]", "formulation_n": "INTEGER[]",
    "official_rows": "STRUCT(name VARCHAR, title VARCHAR, level VARCHAR, region VARCHAR)[]",
    "tokens": "VARCHAR", "terms": "VARCHAR", "term_counts": "INTEGER[]",
}


@dataclass
class Rows:
    """One processed chunk: its documents as JSON lines, their ids, and what was quarantined."""

    payload: bytes = b""  # UTF-8 JSON lines, one per document
    ids: list[str] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    longest: int = 0  # bytes of the longest line

    def __add__(self, other: Rows) -> Rows:
        return Rows(self.payload + other.payload, self.ids + other.ids, self.quarantined + other.quarantined,
                    max(self.longest, other.longest))

    @property
    def read_memory(self) -> int:
        """Bytes of DuckDB memory that reading these lines may take: its JSON reader holds
        several copies of a line (measured: 6× fails on no size up to 40 MB, 4× does)."""
        return READ_MEMORY_BASE + READ_MEMORY_PER_BYTE * self.longest


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def line(doc: Document) -> dict:
    """The JSON object of one document (see LINE_TYPES)."""
    out = {}
    for name in DOC_FIELDS:
        value = getattr(doc, name)
        if name in JSON_COLUMNS:
            value = json.dumps(value, ensure_ascii=False)
        elif name == "minhash":
            value = value.hex()
        out[name] = _value(value)
    for name in DATE_RANGE_FIELDS:
        out[name] = _value(getattr(doc, name))
    out["n_tokens"] = doc.n_tokens
    out["formulation"] = list(doc.formulations)
    out["formulation_n"] = list(doc.formulations.values())
    out["official_rows"] = [{k: o.get(k) for k in ("name", "title", "level", "region")} for o in doc.officials]
    out["tokens"], out["terms"], out["term_counts"] = doc.tokens, doc.terms, doc.term_counts
    return out


def encode(results: list[Document | Quarantined]) -> Rows:
    """A worker's results as Rows. A text field holding a lone surrogate (a file name that is
    not UTF-8, a badly escaped JSON value) is written with it replaced, never dropped."""
    lines, ids, bad = [], [], []
    for r in results:
        if isinstance(r, Quarantined):
            bad.append(r)
            continue
        text = json.dumps(line(r), ensure_ascii=False)
        try:
            lines.append(text.encode("utf-8"))
        except UnicodeEncodeError:
            lines.append(text.encode("utf-8", "replace"))
        ids.append(r.doc_id)
    return Rows(b"\n".join(lines) + b"\n" if lines else b"", ids, bad, max(map(len, lines), default=0))
