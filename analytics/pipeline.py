"""One raw record → one Document: clean, date, locate, count, segment. Pure per record.

``process_record`` holds the per-record work (run serially, in local processes or on Dask
workers); ``ingest.py`` does the I/O around it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import cache, clean, dates, dedup, formulations, regions, rows, segment
from .person_names import word_freq
from .resources import char_rank, era_markers
from .schema import NATIONAL_NAMES, Document, Quarantined, RawRecord, join_tokens, term_counts

DISPLAY_TITLE_CHARS = 30


@dataclass(frozen=True)
class Settings:
    """What a worker needs to rebuild its context: plain, picklable values."""

    lexicon_paths: tuple[Path, ...] = ()
    segmenter: str = field(default_factory=segment.engine_name)  # chosen once, by the run


@lru_cache(maxsize=4)
def context(settings: Settings):
    lexicon = formulations.load_lexicon(formulations.lexicon_paths(settings.lexicon_paths))
    div = regions.divisions()
    place_names = [s for s in div.surfaces if len(s) >= 2]
    surfaces = [s for f in lexicon.entries for s in f.surfaces]
    user_words = segment.static_user_words(surfaces, place_names)
    return lexicon, div, segment.tokenizer(user_words, settings.segmenter), user_words


def warm_worker(settings: Settings, parent: int) -> None:
    """A worker process's start: load the context once, and end when the parent is gone."""
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    warm(settings)


def warm(settings: Settings) -> None:
    """Load the context and the tables the per-record work reads, from the user cache. When the
    cache is cold (a new install, a changed data file), one short-lived process builds it while
    the other workers wait, then every worker loads it: a worker that built the tables itself
    would keep the builders' imports and garbage (~110 MB more each, measured on the panel)."""
    try:
        with cache.loading_only():
            _load(settings)
        return
    except cache.CacheMiss:
        pass
    with cache.build_lock():
        try:
            with cache.loading_only():
                _load(settings)
            return
        except cache.CacheMiss:
            _build_elsewhere(settings)
    _load(settings)  # builds here what the other process could not


def _load(settings: Settings) -> None:
    context(settings)
    word_freq()
    char_rank()


def _build_elsewhere(settings: Settings) -> None:
    """Run ``_load`` in a new interpreter, which stores what it builds in the cache and exits."""
    args = json.dumps([[str(p) for p in settings.lexicon_paths], settings.segmenter])
    code = ("import json, sys; from pathlib import Path; from analytics import pipeline; "
            "paths, engine = json.loads(sys.argv[1]); "
            "pipeline._load(pipeline.Settings(tuple(map(Path, paths)), engine))")
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-c", code, args], env=env, check=False, stdout=subprocess.DEVNULL)


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """A worker outlives a killed ingest (SIGKILL: no clean-up runs) blocked on its queue for
    ever, holding its memory; it watches its parent and ends when the parent is gone."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def display_title(title: str | None, body: str) -> tuple[str, bool]:
    if title:
        return title, False
    first = body.split("\n", 1)[0]
    for stop in "。！？":
        first = first.split(stop, 1)[0]
    if len(first) > DISPLAY_TITLE_CHARS:
        first = first[:DISPLAY_TITLE_CHARS] + "…"
    return first, True


def process_record(raw: RawRecord, settings: Settings = Settings()) -> Document | Quarantined:
    """Turn one raw record into a Document, or say why it cannot be one."""
    lexicon, div, tk, user_words = context(settings)
    given = raw.given
    cleaned = clean.clean_article(raw.text, given_title=given.get("title"))
    if not cleaned.text.strip() and not cleaned.title:
        return Quarantined(
            raw.source_path, raw.record_no, "no_text_after_cleaning", "nothing left once portal chrome was removed"
        )
    meta = cleaned.meta
    when = dates.resolve_dates(
        cleaned.text,
        meta.get("published_at") or given.get("html_date"),
        given.get("date"),
        era_markers(),
        extra_text=cleaned.title or "",
        url=given.get("url") or meta.get("url"),
    )
    where = regions.resolve(cleaned.title, cleaned.text, meta, given, div)
    if given.get("province") in NATIONAL_NAMES:  # given as national: no region below the country
        where = replace(where, province=None, city=None, district=None, zone=None, adcode=None, level="national",
                        confidence=1.0, candidates=[],
                        evidence=[{"signal": "given", "mention": given["province"], "adcode": None, "weight": 100}])
    corrupt = [(s.start, s.end) for s in cleaned.corrupt_spans]
    shown, derived = display_title(cleaned.title, cleaned.text)
    names = [o["name"] for o in where.officials]
    tokens = segment.content_tokens(cleaned.title or "", tk, user_words, names) + segment.content_tokens(
        cleaned.text, tk, user_words, names, corrupt
    )
    site = given.get("site") or meta.get("site")
    terms, counts = term_counts(tokens)
    return Document(
        doc_id=raw.sha1[:16],
        source_path=raw.source_path,
        record_no=raw.record_no,
        site=site,
        channel=meta.get("channel"),
        origin=meta.get("origin"),
        url=given.get("url"),
        title=cleaned.title,
        title_derived=derived,
        display_title=shown,
        summary=cleaned.summary,
        published_at=when.published_at,
        event_date=when.event_date,
        date=when.date,
        date_precision=when.precision,
        date_evidence=when.evidence,
        date_earliest=when.earliest,
        date_latest=when.latest,
        authors=meta.get("authors", []),
        n_chars=len(cleaned.text) + len(cleaned.title or ""),
        quality=cleaned.quality,
        corrupt_spans=[{"start": s.start, "end": s.end, "text": s.text} for s in cleaned.corrupt_spans],
        text=cleaned.text,
        encoding=raw.encoding,
        province=where.province,
        city=where.city,
        district=where.district,
        zone=where.zone,
        adcode=where.adcode,
        region_level=where.level,
        region_confidence=where.confidence,
        region_evidence=where.evidence,
        region_candidates=where.candidates,
        mentioned_regions=where.mentioned,
        officials=where.officials,
        formulations=formulations.count_formulations(cleaned.title, cleaned.text, lexicon, corrupt),
        tokens=join_tokens(tokens),
        n_tokens=len(tokens),
        terms=terms,
        term_counts=counts,
        content_hash=dedup.content_hash((cleaned.title or "") + "\n" + cleaned.text),
        minhash=dedup.minhash_signature(cleaned.text),
    )


def process_rows(raws: list[RawRecord], settings: Settings = Settings()) -> rows.Rows:
    """``process_batch``, encoded as the store's rows: what a worker hands to the writer."""
    return rows.encode(process_batch(raws, settings))


def process_batch(raws: list[RawRecord], settings: Settings = Settings()) -> list[Document | Quarantined]:
    """Process records one by one; an unexpected error quarantines only that record."""
    out: list[Document | Quarantined] = []
    for raw in raws:
        try:
            out.append(process_record(raw, settings))
        except Exception as exc:  # noqa: BLE001 - one bad record must not stop the rest
            out.append(Quarantined(raw.source_path, raw.record_no, "processing_error", f"{type(exc).__name__}: {exc}"))
    return out
