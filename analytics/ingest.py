"""Ingest: files → records → documents → store, with every input accounted for.

``files seen = skipped + read``; every record read (and every file that yielded none) ends as
a document, a duplicate or a quarantine row: ``inputs = documents + duplicates + quarantined``.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import readers, store
from .pipeline import Settings, process_rows, warm_worker
from .resources import DATA_DIR
from .rows import Rows
from .schema import Quarantined, RawRecord
from .segment import engine_name
from .settings import default_workers, get, get_int, parse_bytes, usable_cpus

BATCH = 2048  # most records per write (one transaction); TIFA_BATCH_CHARS closes it sooner
CHUNK = 16  # most records per task handed to a worker process…
CHUNK_CHARS = 64_000  # … or fewer, as many as make this much text: a worker's memory follows its task
WRITER_RETRIES = 600  # × 0.1 s: a writer waits up to a minute for readers to let go
HOLD_SECONDS = 1.0  # the writer keeps the store open this long across batches, then lets readers in
MAX_HOLD_SECONDS = 3.0  # … or longer where closing (a checkpoint) is slow, but never this long
READER_GAP = 0.25  # after closing, the writer waits this long: readers retry every 0.1 s
CLOSE_SHARE = 0.2  # the hold grows so that closing takes at most about this share of the run
# DuckDB's memory limit of the writer while workers run: writing a batch takes little (its lines,
# read back by DuckDB's JSON reader, need more only when very long: rows.Rows.read_memory), and
# the memory goes to the workers. On the 148 MB panel of reports, 64 MB against 512 MB took the
# writer from ~450 to ~240 MB, in the same time; one DuckDB thread instead of two took ~25 MB off
# the peaks (checkpoints).
BATCH_MEMORY = 64 * 10**6
CLOSING_MEMORY_PER_THREAD = 250 * 10**6  # see closing_threads
RAW_DIR = DATA_DIR / "raw"


@dataclass
class IngestSummary:
    files: int = 0
    skipped: int = 0
    inputs: int = 0
    documents: int = 0
    new_documents: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: Counter = field(default_factory=Counter)
    skip_reasons: Counter = field(default_factory=Counter)
    records_per_file: dict[str, int] = field(default_factory=dict)  # streamed record files: records held

    def line(self) -> str:
        out = (
            f"files {self.files} · documents {self.documents} · duplicates {self.duplicates} "
            f"· quarantined {self.quarantined}"
        )
        if self.skipped:
            out += f" · skipped {self.skipped}"
        return out

    @property
    def balanced(self) -> bool:
        return self.inputs == self.documents + self.duplicates + self.quarantined


Progress = Callable[[float, str], None]  # (files done, a streamed file's share included; what is read)


def _records(
    entries: Iterable[readers.FileEntry],
    summary: IngestSummary,
    quarantined: list[Quarantined],
    manifest: dict[str, dict[str, str]],
    max_bytes: int,
    progress: Progress | None,
) -> Iterator[RawRecord]:
    for i, entry in enumerate(entries, start=1):
        if progress:
            progress(i, entry.rel)
        summary.files += 1
        if entry.skip_reason:
            summary.skipped += 1
            summary.skip_reasons[entry.skip_reason] += 1
            continue
        given = manifest.get(str(entry.path.resolve()), {})
        if readers.streams(entry):  # a big or gzipped record file: record by record
            yield from _streamed(entry, i, given, summary, quarantined, progress)
            continue
        result = readers.read_file(entry, max_bytes)
        quarantined.extend(result.quarantined)
        for raw in result.records:
            if given:
                raw.given = {**raw.given, **given}
            yield raw


def _streamed(entry, i: int, given: dict, summary: IngestSummary, quarantined: list[Quarantined],
              progress: Progress | None) -> Iterator[RawRecord]:
    """The records of a streamed file; progress moves by the bytes read (``done`` = files done
    plus the share of this one) and says how many records so far."""
    seen = 0

    def on_bytes(read: int, size: int) -> None:
        if progress:
            progress(i - 1 + min(read / max(size, 1), 1.0), f"{entry.rel} · {seen:,} records · {read / 2**20:.0f} MB")

    for part in readers.stream_file(entry, on_bytes):
        quarantined.extend(part.quarantined)
        seen += len(part.records) + len(part.quarantined)
        for raw in part.records:
            if given:
                raw.given = {**raw.given, **given}
            yield raw
    summary.records_per_file[entry.rel] = seen


def _batches(records: Iterable[RawRecord], size: int, chars: int) -> Iterator[list[RawRecord]]:
    """Write batches: a batch closes at ``size`` records or ``chars`` characters of text, so
    that a commit's fixed cost is spread over many short articles and long ones still make
    several batches for the workers to share."""
    batch: list[RawRecord] = []
    held = 0
    for raw in records:
        batch.append(raw)
        held += len(raw.text)
        if len(batch) >= size or held >= chars:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def ingest(
    paths: list[Path],
    store_path: Path = store.DEFAULT_STORE,
    manifest: Path | None = None,
    lexicon_paths: tuple[Path, ...] = (),
    max_bytes: int = readers.DEFAULT_MAX_BYTES,
    workers: int | None = None,
    progress: Progress | None = None,
    dask: str | None = None,
    segmenter: str | None = None,
) -> IngestSummary:
    """Ingest files or folders into the store; returns the accounting summary.

    The per-record work runs serially, on ``workers`` local processes, or on a Dask cluster
    (``dask`` = a scheduler address, or ``local:N`` for a LocalCluster of N workers); ``workers``
    defaults to the usable CPU count (TIFA_WORKERS), and a run that fits in one batch stays in
    this process. The segmentation engine (TIFA_SEGMENTER unless given) is chosen here, once,
    and travels to every worker in ``Settings``; this
    process stays the single writer of the store, writing batches in input order, so every
    mode produces the same store.
    """
    summary = IngestSummary()
    settings = Settings(lexicon_paths=tuple(lexicon_paths), segmenter=segmenter or engine_name())
    workers = workers or default_workers()
    quarantined: list[Quarantined] = []
    mapping: dict[str, dict[str, str]] = {}
    if manifest:
        mapping, missing = readers.read_manifest(manifest)
        for name in missing:
            quarantined.append(Quarantined(name, 0, "missing", f"named in manifest {manifest.name} but not found"))
    for p in paths:
        if not p.exists() and not p.is_symlink():
            quarantined.append(Quarantined(str(p), 0, "missing", "path does not exist"))
    entries = readers.walk([p for p in paths if p.exists() or p.is_symlink()], exclude={manifest} if manifest else None)
    # The store is held open across batches for at most HOLD_SECONDS and then closed, so the
    # dashboard and query commands (read-only connections) get in between batches instead of
    # meeting a lock. What this run has seen lives in the store (run_inputs), not in memory:
    # only the batches in flight are held here, so memory does not grow with the corpus.
    run = uuid.uuid4().hex
    writer = _Writer(store_path)
    with writer.use() as con:
        store.start_run(con)
        store.refresh_signatures(con)  # a store made before the current MinHash scheme
    inflight: set[str] = set()
    pending: deque[list[str]] = deque()  # ids of each batch handed to processing, in order

    def fresh(batch: list[RawRecord]) -> list[RawRecord]:
        ids = [raw.sha1[:16] for raw in batch]
        with writer.use() as con:
            stored, in_run = store.seen_inputs(con, run, ids)
        todo, known = [], []
        for raw, doc_id in zip(batch, ids, strict=True):
            if doc_id in inflight or doc_id in in_run:  # the very same input again (a copy or a symlink)
                summary.duplicates += 1
                summary.inputs += 1
            elif doc_id in stored:  # ingested before: counted by its status at the end
                known.append(doc_id)
                in_run.add(doc_id)
            else:
                todo.append(raw)
                inflight.add(doc_id)
        with writer.use() as con:
            store.add_run_inputs(con, run, known)
        pending.append([raw.sha1[:16] for raw in todo])
        return todo

    def write(done: Rows, ids: list[str]) -> None:
        done = Rows(done.payload, done.ids, done.quarantined + _drain(quarantined), done.longest)
        if done.payload or done.quarantined or ids:
            with writer.use(memory=done.read_memory) as con:
                store.write_batch(con, done, run_inputs=(run, ids))
        inflight.difference_update(ids)
        summary.new_documents += len(done.ids)
        summary.quarantined += len(done.quarantined)
        summary.inputs += len(done.quarantined)
        summary.reasons.update(q.reason for q in done.quarantined)

    try:
        records = _records(entries, summary, quarantined, mapping, max_bytes, progress)
        batches = (fresh(b) for b in _batches(records, BATCH, get_int("TIFA_BATCH_CHARS")))
        for processed in _process(batches, settings, workers, dask):
            write(processed, pending.popleft())
        write(Rows(), [])
        # The closing steps each take the connection anew, so that readers get in between them;
        # the workers are gone: they may take TIFA_WRITER_MEMORY and the cores it feeds.
        writer.closing(parse_bytes(get("TIFA_WRITER_MEMORY")))
        from .formulations import lexicon_paths as default_paths
        from .formulations import load_lexicon

        for step in (store.update_duplicates, store.update_corpus_places, store.update_officials_index,
                     store.update_corpus_dates, store.update_site_dates, store.compact_keyed_tables,
                     store.update_term_stats):
            with writer.use() as con:
                step(con)
        with writer.use() as con:
            store.set_meta(con, "last_ingest", datetime.now().isoformat(timespec="seconds"))
            store.set_meta(con, "lexicon_extra", json.dumps([str(Path(p).resolve()) for p in lexicon_paths]))
            store.set_meta(con, "lexicon_version", load_lexicon(default_paths(tuple(lexicon_paths))).version)
            originals, duplicates = store.close_run(con, run)
        summary.documents += originals
        summary.duplicates += duplicates
        summary.inputs += originals + duplicates
    finally:
        writer.close()
    return summary


class _Writer:
    """The run's one write connection, kept open across batches, then closed so that the
    dashboard and query commands (read-only, retrying) get in; the next use opens it again.

    A watcher thread closes the connection once it has been held for its hold time and is not in
    use, so a hold is bounded in wall time even while the run waits for its workers (a slow
    batch on a busy machine used to keep readers out for as long as it took). Closing
    checkpoints what the batches wrote (as new row groups: see ``_settings``), which can still take
    a while on a busy machine, so the hold is
    HOLD_SECONDS, or long enough that closing takes at most CLOSE_SHARE of the time, up to
    MAX_HOLD_SECONDS. After closing, it opens again no sooner than READER_GAP later, so a reader
    retrying every 0.1 s gets in rather than finding the store taken again at once."""

    def __init__(self, path: Path, hold: float = HOLD_SECONDS, every: float = 0.05) -> None:
        self.path, self.hold, self._con, self._opened, self._closing = path, hold, None, 0.0, 0.0
        self.memory = BATCH_MEMORY  # DuckDB's limit while workers run
        self.threads = 1  # DuckDB's threads while workers run: the cores are theirs
        self._limit = 0  # the limit set on the open connection
        self._closed = -READER_GAP
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._watcher.start()

    @contextmanager
    def use(self, memory: int = 0) -> Iterator:
        """The write connection, opened if needed, with DuckDB's memory limit at ``self.memory``
        or ``memory`` if higher (a batch of very long records); the watcher does not close it
        meanwhile."""
        with self._lock:
            if self._con is None:
                time.sleep(max(0.0, self._closed + READER_GAP - time.monotonic()))  # readers' turn
                self._con = store.connect(self.path, retries=WRITER_RETRIES)
                self._settings()
                self._opened, self._limit = time.monotonic(), 0
            limit = max(self.memory, memory)
            if limit != self._limit:
                self._con.execute(f"SET memory_limit = '{limit}B'")
                self._limit = limit
            yield self._con

    def closing(self, memory: int) -> None:
        """From now on (the workers are done) DuckDB may use ``memory`` and as many cores as
        that memory feeds (``closing_threads``)."""
        with self._lock:
            self.memory, self.threads = memory, closing_threads(memory, usable_cpus())
            if self._con is not None:
                self._settings()

    def _settings(self) -> None:
        # A checkpoint stores what the batches wrote since the last one as new row groups;
        # DuckDB's vacuum would merge them into the table's last row group, rewriting it whole at
        # every checkpoint: a memory spike of about 2 048 × the average text (+110 MB on the panel
        # of reports) and time that grows with the row group. The ingest does not vacuum: its
        # tables keep one row group per checkpoint (on the panel: 24 for 2 945 documents,
        # 184 MB on disk against 175 MB merged; dashboard queries on the 10k corpus unchanged).
        self._con.execute(f"SET threads = {self.threads}")
        self._con.execute("SET max_vacuum_tasks = 0")

    def _watch(self, every: float) -> None:
        while not self._done.wait(every):
            hold = max(self.hold, min(MAX_HOLD_SECONDS, self._closing * (1 - CLOSE_SHARE) / CLOSE_SHARE))
            with self._lock:
                if self._con is not None and time.monotonic() - self._opened >= hold:
                    self._close()

    def _close(self) -> None:
        if self._con is not None:
            start = time.monotonic()
            self._con.close()
            self._closed = time.monotonic()
            self._closing = self._closed - start
            self._con = None

    def close(self) -> None:
        self._done.set()
        self._watcher.join()
        with self._lock:
            self._close()


def closing_threads(memory: int, cpus: int) -> int:
    """DuckDB threads for the closing steps: one per CLOSING_MEMORY_PER_THREAD of ``memory``, at
    least one, at most ``cpus``. Each thread of a join or an aggregation takes its own share: at a
    million documents the officials' index and the term sums fail with two threads in 256 MB and
    pass with one (measured: 7 s and 201 s)."""
    return max(1, min(cpus, memory // CLOSING_MEMORY_PER_THREAD))


def _process(
    batches: Iterator[list[RawRecord]], settings: Settings, workers: int, dask: str | None = None
) -> Iterator[Rows]:
    """Process batches in order: serially, on local processes, or on Dask (bounded queue)."""
    if dask:
        yield from _process_dask(batches, settings, dask)
        return
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if workers <= 1 or second is None:  # one batch: a pool would only add its start-up
        for batch in itertools.chain([first], [] if second is None else [second], batches):
            yield process_rows(batch, settings)
        return
    # One pool per run; each worker builds its context (lexicon, regions, segmenter) once, at
    # start, while the first batches are read. Each write batch is processed in chunks spread
    # over the workers, so that a run of a few batches keeps every core busy. Workers are
    # spawned, not forked: they import only the pipeline (no pandas, DuckDB or Arrow, which this
    # process holds), so each costs what its work needs.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=warm_worker, initargs=(settings, os.getpid())) as pool:

        def submit(batch: list[RawRecord]) -> _Joined:
            return _Joined([pool.submit(process_rows, chunk, settings)
                            for chunk in _batches(batch, CHUNK, CHUNK_CHARS)])

        yield from _ordered(itertools.chain([first, second], batches), submit, 2)


class _Joined:
    """The futures of one batch's chunks, read as one result in chunk order."""

    def __init__(self, futures: list) -> None:
        self.futures = futures

    def result(self) -> Rows:
        return sum((f.result() for f in self.futures), Rows())


def _ordered(batches, submit, window: int) -> Iterator[Rows]:
    """Submit ahead at most ``window`` batches; yield results in submission order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _process_dask(batches, settings: Settings, scheduler: str) -> Iterator[Rows]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ValueError("--dask needs the dask extra: pip install -e '.[dask]'") from exc
    if scheduler.startswith("local:"):
        n = int(scheduler.split(":", 1)[1] or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler)
    try:
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        yield from _ordered(batches, lambda b: client.submit(process_rows, b, settings, pure=False), window)
    finally:
        client.close()
        if cluster:
            cluster.close()


def _drain(items: list) -> list:
    out = list(items)
    items.clear()
    return out


def ensure_store(
    store_path: Path = store.DEFAULT_STORE, raw_dir: Path = RAW_DIR, progress: Progress | None = None
) -> IngestSummary | None:
    """Build the store from ``data/raw`` when it does not exist yet (first run)."""
    if Path(store_path).exists():
        return None
    return ingest([raw_dir], store_path, progress=progress)


def count_files(paths: list[Path]) -> int:
    return sum(1 for _ in readers.walk([p for p in paths if p.exists()]))


def _lexicon_for(con):
    """The lexicon a store counts with: the default files plus the --lexicon files of its ingest."""
    from .formulations import lexicon_paths, load_lexicon

    extra = store.get_meta(con, "lexicon_extra")
    paths = tuple(Path(p) for p in json.loads(extra)) if extra else ()
    return load_lexicon(lexicon_paths(tuple(p for p in paths if p.exists())))


def refresh_counts(store_path: Path, chunk: int = 5_000) -> int:
    """Recount formulations of every document with the current lexicon (after it changed).

    Reads the documents a chunk at a time (by doc_id), so memory does not grow with the store;
    the old counts are replaced in one transaction.
    """
    import pandas as pd

    from .formulations import count_formulations, load_lexicon

    load_lexicon.cache_clear()
    con = store.connect(store_path)
    try:
        lexicon = _lexicon_for(con)
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM formulation_counts")
        done, last = 0, ""
        while rows := con.execute(
            "SELECT doc_id, title, text, corrupt_spans, doc_no FROM documents WHERE doc_id > ? ORDER BY doc_id LIMIT ?",
            [last, chunk],
        ).fetchall():
            out = []
            for doc_id, title, text, spans, doc_no in rows:
                corrupt = [(s["start"], s["end"]) for s in json.loads(spans or "[]")]
                out += [(doc_id, k, v, doc_no) for k, v in count_formulations(title, text, lexicon, corrupt).items()]
            if out:
                store.insert_frame(con, "formulation_counts",
                                   pd.DataFrame(out, columns=["doc_id", "formulation", "n", "doc_no"]))
            done, last = done + len(rows), rows[-1][0]
        store.set_meta(con, "lexicon_version", lexicon.version)
        con.execute("COMMIT")
        return done
    finally:
        con.close()


def refresh_counts_if_stale(store_path: Path) -> bool:
    """Recount when the lexicon files changed since the counts were made; True if it did."""
    from .formulations import load_lexicon

    if not Path(store_path).exists():
        return False
    load_lexicon.cache_clear()
    con = store.connect(store_path, read_only=True)
    try:
        stale = store.get_meta(con, "lexicon_version") != _lexicon_for(con).version
    finally:
        con.close()
    if stale:
        refresh_counts(store_path)
    return stale
