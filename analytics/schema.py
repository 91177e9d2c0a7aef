"""Shared types: the records that flow between stages, and the documented table columns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Metadata fields a reader or a manifest may give; given values win over inferred ones.
GIVEN_FIELDS = ("title", "date", "province", "city", "district", "url", "site")
# The label of national documents (region_level "national") in every table and chart, and the
# given province values that mark a document national (``province=全国`` in a CSV or JSON input).
NATIONAL_LABEL = "全国"
NATIONAL_NAMES = ("全国", "中国", "中华人民共和国")
# Content tokens travel from the workers to the writer as one string, joined by this character
# (a control character cleaning removes, so no token holds it): one object per document
# instead of tens of thousands, so handing a batch over and holding it costs little.
TOKEN_SEP = "\x1f"


@dataclass
class RawRecord:
    """One article as read from disk, before cleaning."""

    source_path: str
    record_no: int  # 0 for single-document files; line/row number (1-based) otherwise
    text: str
    given: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    sha1: str = ""  # of the raw record (bytes for files, the JSON line for records)


@dataclass
class Quarantined:
    """An input that could not become a document, with a one-line reason."""

    source_path: str
    record_no: int
    reason: str  # empty | binary | undecodable | too_large | no_text_after_cleaning | ...
    detail: str = ""


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class Cleaned:
    """Output of ``clean.clean_article``: body text plus metadata lifted from the chrome."""

    text: str  # clean body: Simplified, no chrome, no title, no summary; "\n" between paragraphs
    title: str | None
    summary: str | None
    meta: dict[str, Any]  # site, channel, origin, published_at (str), authors (list)
    rules_fired: list[str]
    corrupt_spans: list[Span]
    quality: float


@dataclass
class Official:
    name: str
    title: str
    level: str  # province | city | county | zone | unknown
    region: str | None  # full name of the region the title belongs to, where known


@dataclass
class Document:
    """One clean article: what the store's ``documents`` table holds (see DOC_COLUMNS)."""

    doc_id: str
    source_path: str
    record_no: int
    site: str | None = None
    channel: str | None = None
    origin: str | None = None
    url: str | None = None
    title: str | None = None
    title_derived: bool = False
    display_title: str = ""
    summary: str | None = None
    published_at: datetime | None = None
    event_date: date | None = None
    date: date | None = None
    date_precision: str = "unknown"  # day | month | year | given | inferred | range | unknown
    date_evidence: str = ""
    date_earliest: date | None = None
    date_latest: date | None = None
    authors: list[str] = field(default_factory=list)
    n_chars: int = 0
    quality: float = 1.0
    corrupt_spans: list[dict] = field(default_factory=list)
    duplicate_of: str | None = None
    text: str = ""
    encoding: str = "utf-8"
    province: str | None = None
    city: str | None = None
    district: str | None = None
    zone: str | None = None
    adcode: str | None = None
    region_level: str = "unknown"  # province | city | district | national | unknown
    region_confidence: float = 0.0
    region_evidence: list[dict] = field(default_factory=list)
    region_candidates: list[dict] = field(default_factory=list)
    mentioned_regions: dict[str, int] = field(default_factory=dict)
    officials: list[dict] = field(default_factory=list)
    formulations: dict[str, int] = field(default_factory=dict)
    tokens: str = ""  # content tokens joined by TOKEN_SEP (see ``token_list``)
    n_tokens: int = 0
    terms: str = ""  # the distinct content tokens, joined by TOKEN_SEP, in first-seen order …
    term_counts: list[int] = field(default_factory=list)  # … and how often each occurs
    content_hash: str = ""
    minhash: bytes = b""


def token_list(tokens: str) -> list[str]:
    """The content tokens of ``Document.tokens``."""
    return tokens.split(TOKEN_SEP) if tokens else []


def join_tokens(tokens: list[str]) -> str:
    """``Document.tokens`` from a token list."""
    return TOKEN_SEP.join(tokens)


def term_counts(tokens: list[str]) -> tuple[str, list[int]]:
    """``Document.terms`` and ``Document.term_counts``: the document's row of the term matrix,
    counted where the tokens are made, so the writer never handles single tokens."""
    counted = Counter(tokens)
    return TOKEN_SEP.join(counted), list(counted.values())


# Documented columns of `tifa docs` (and of the store's documents table, in this order).
DOC_COLUMNS: dict[str, str] = {
    "doc_id": "stable id: sha1 of the raw record (first 16 hex digits)",
    "source_path": "the input file, relative to the ingest root where possible",
    "record_no": "line (JSONL) or row (CSV) number, 1-based; 0 for one-document files",
    "site": "publishing site (from the portal header, the footer, or given metadata)",
    "channel": "the portal's channel or breadcrumb",
    "origin": "the body the portal credits (来自/来源)",
    "url": "given URL",
    "title": "headline as printed; null when the article has none",
    "title_derived": "true when display_title was derived from the first sentence",
    "display_title": "title, or a derived one for display",
    "summary": "the portal's 摘要, kept apart and never counted",
    "published_at": "publication time from the byline (ISO, minutes)",
    "event_date": "date of the event from the lead (ISO)",
    "date": "the date analyses use: event date, else published, else inferred when the year is settled (ISO)",
    "date_precision": "day | month | year (read from the page or its address) | given | inferred (year "
                      "settled by era markers) | range (not settled: date empty, range kept) | unknown",
    "date_evidence": "how the date was obtained, with the text that supports it",
    "date_earliest": "earliest date consistent with the evidence (ISO)",
    "date_latest": "latest date consistent with the evidence (ISO)",
    "authors": "credited authors",
    "n_chars": "characters of clean text (title + body)",
    "quality": "1 minus a penalty for corrupt text, in [0, 1]",
    "corrupt_spans": "mojibake spans [{start, end, text}] as offsets into `text`",
    "duplicate_of": "doc_id of the earliest copy when this is a (near) duplicate",
    "province": "resolved province (full official name)",
    "city": "resolved prefecture-level city",
    "district": "resolved county-level unit",
    "zone": "functional zone named as the article's place (经开区…)",
    "adcode": "GB/T 2260 code of the most specific resolved unit",
    "region_level": "province | city | district | national | unknown | ambiguous",
    "region_confidence": "share of region evidence weight that agrees with the result",
    "region_evidence": "signals that decided the region [{signal, mention, adcode, weight}]",
    "region_candidates": "when ambiguous: candidate units with their weight",
    "mentioned_regions": "every place named {full name: count}",
    "officials": "officials named with titles [{name, title, level, region}]",
    "formulations": "formulation counts {canonical: count} in title + body",
    "encoding": "detected encoding of the input (utf-8, utf-8-sig, gb18030, big5, utf-16)",
    "text": "clean body text",
}
