"""Benchmarks: ingest throughput (end to end and per stage), peak memory, query latency, and a
naive baseline on the same input, reported as ratios measured in the same run (medians).

    python bench/run.py --sizes 10000 --workers 2 --repeat 7

Writes bench/out/results-<size>.json and prints a Markdown table (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))


def corpus(size: int, seed: int) -> Path:
    folder = OUT / f"corpus-{size}"
    if not (OUT / f"corpus-{size}-truth.jsonl").exists():
        subprocess.run(
            [
                sys.executable,
                str(REPO / "bench" / "make_corpus.py"),
                "--docs",
                str(size),
                "--seed",
                str(seed),
                "--out",
                str(folder),
            ],
            check=True,
        )
    return folder


def duplicate_quality(store: Path, folder: Path) -> dict:
    """Precision and recall of duplicate detection against the generator's reposts."""
    import duckdb

    truth = {json.loads(line)["i"] + 1: json.loads(line) for line in open(OUT / f"{folder.name}-truth.jsonl")}
    con = duckdb.connect(str(store), read_only=True)
    flagged = [
        r[0]
        for r in con.execute(
            "SELECT record_no FROM documents WHERE duplicate_of IS NOT NULL AND source_path LIKE '%docs-0000.jsonl'"
        ).fetchall()
    ]
    rows = con.execute("SELECT count(*) FROM documents WHERE source_path LIKE '%docs-0000.jsonl'").fetchone()[0]
    con.close()
    reposts = {i for i, t in truth.items() if "repost_of" in t and i <= rows}
    hits = sum(1 for r in flagged if r in reposts)
    return {
        "flagged": len(flagged),
        "reposts": len(reposts),
        "precision": round(hits / max(len(flagged), 1), 4),
        "recall": round(hits / max(len(reposts), 1), 4),
    }


def input_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.suffix in (".jsonl", ".txt"))


REAL_CORPORA = ("hebei_policy.jsonl", "gwr_panel.jsonl")


def real_corpus(shared: Path) -> Path:
    """The 904 real documents (Hebei policy + government reports), one .txt file each."""
    folder = OUT / "real-904"
    if folder.exists() and any(folder.iterdir()):
        return folder
    folder.mkdir(parents=True)
    n = 0
    for name in REAL_CORPORA:
        with open(shared / "corpora" / name, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    (folder / f"{n:04d}.txt").write_text(json.loads(line)["text"], encoding="utf-8")
                    n += 1
    return folder


def bench_naive_script(folder: Path) -> dict:
    """bench/naive.py in a fresh process (its start-up included, as a user runs it)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "naive.py"), str(folder)], capture_output=True, text=True, cwd=REPO
    )
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(proc.stderr)
    mb = input_bytes(folder) / 1e6
    return {"seconds": round(wall, 2), "mb_per_s": round(mb / wall, 2), "summary": proc.stdout.strip()}


def side_by_side(folder: Path, repeat: int) -> dict:
    """Default `tifa ingest` against the naive script on the same folder, runs interleaved
    (the machine is shared: each pair meets the same load), medians and the ratio."""
    tifa, naive = [], []
    for _ in range(repeat):
        tifa.append(bench_ingest(folder))
        naive.append(bench_naive_script(folder))
    t = statistics.median(r["seconds"] for r in tifa)
    n = statistics.median(r["seconds"] for r in naive)
    ratios = sorted(b["seconds"] / a["seconds"] for a, b in zip(tifa, naive, strict=True))
    return {
        "folder": folder.name,
        "input_mb": tifa[0]["input_mb"],
        "runs": repeat,
        "tifa_seconds": [r["seconds"] for r in tifa],
        "naive_seconds": [r["seconds"] for r in naive],
        "tifa_median_s": t,
        "naive_median_s": n,
        "speedup_median_of_pairs": round(statistics.median(ratios), 2),
        "tifa_mb_per_s_per_core": statistics.median(r["mb_per_s_per_core"] for r in tifa),
        "tifa_peak_rss_all_processes_mb": max(r["peak_rss_all_processes_mb"] for r in tifa),
        "tifa_summary": tifa[0]["summary"],
        "naive_summary": naive[0]["summary"],
    }


STARTUP = """
import json, time
t0 = time.perf_counter()
from analytics import regions
from analytics.pipeline import Settings, context
t1 = time.perf_counter()
regions.divisions()
t2 = time.perf_counter()
context(Settings())
t3 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "division_table": t2 - t1, "rest_of_context": t3 - t2, "total": t3 - t0}))
"""


def bench_startup(repeat: int) -> dict:
    """A worker's start-up in a fresh process: imports, the division table, the rest of its
    context (lexicon, segmenter, user words); cold (empty cache folder) and warm (medians)."""
    import tempfile

    def once(cache: str) -> dict:
        env = {**os.environ, "TIFA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", STARTUP], capture_output=True, text=True, cwd=REPO, env=env, check=True
        )
        return json.loads(out.stdout)

    with tempfile.TemporaryDirectory() as cache:
        cold = once(cache)
        warm = [once(cache) for _ in range(repeat)]
    return {
        "cold": {k: round(v, 3) for k, v in cold.items()},
        "warm_median": {k: round(statistics.median(w[k] for w in warm), 3) for k in warm[0]},
    }


def emit(result, out: Path | None) -> None:
    """Print a benchmark's result as JSON, and write it to ``out`` (the raw output the docs link)."""
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


def _watch(proc: subprocess.Popen, every: float = 0.2) -> tuple[int, list[tuple[float, int]]]:
    """Wait for ``proc``; the peak of the summed RSS of it and its children (bytes), sampled,
    and the peak per tenth of the run [(seconds, MB)] to show whether memory grows."""
    import psutil

    root, peak, start, samples = psutil.Process(proc.pid), 0, time.perf_counter(), []
    while proc.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                total += p.memory_info().rss
        except psutil.Error:  # a worker ended between listing and reading
            pass
        peak = max(peak, total)
        samples.append((time.perf_counter() - start, total))
        time.sleep(every)
    end = samples[-1][0] if samples else 0
    tenths = [max((m for t, m in samples if k * end / 10 <= t <= (k + 1) * end / 10), default=0) for k in range(10)]
    return peak, [(round((k + 1) * end / 10), round(m / 2**20)) for k, m in enumerate(tenths)]


def bench_ingest(folder: Path, workers: int | None = None, segmenter: str | None = None) -> dict:
    """End-to-end `tifa ingest` in a fresh process: wall time and peak RSS (largest process,
    and the sum over the ingest process and its workers). ``None`` = Tifa's default."""
    from analytics.settings import usable_cpus

    store = OUT / f"{folder.name}-w{workers or 'default'}-{segmenter or 'default'}.duckdb"
    for p in OUT.glob(f"{store.name}*"):
        p.unlink()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    env = {**os.environ, **({"TIFA_SEGMENTER": segmenter} if segmenter else {})}
    flags = ["--workers", str(workers)] if workers else []
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "analytics", "ingest", str(folder), "--store", str(store), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    peak_total, timeline = _watch(proc)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(stderr)
    peak_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    mb = input_bytes(folder) / 1e6
    cores = workers or usable_cpus()
    return {
        "workers": workers or f"default ({cores})",
        "segmenter": segmenter or "default",
        "seconds": round(wall, 2),
        "input_mb": round(mb, 1),
        "mb_per_s": round(mb / wall, 2),
        "mb_per_s_per_core": round(mb / wall / cores, 2),
        "docs_per_s": round(int(stdout.split("documents ")[1].split()[0]) / wall, 1),
        "peak_rss_mb": round(peak_kb / 1024),
        "peak_rss_all_processes_mb": round(peak_total / 2**20),
        "rss_timeline_mb": timeline,
        "summary": stdout.splitlines()[0],
        "store": str(store),
    }


def sample_records(folder: Path, n: int) -> list:
    from analytics.readers import FileEntry, read_file

    path = sorted(folder.glob("docs-*.jsonl"))[0]
    return read_file(FileEntry(path, path.name), max_bytes=10**10).records[:n]


def bench_stages(records: list, repeat: int) -> dict:
    """Per-stage time on the same records (ms per document, median of `repeat` runs)."""
    from analytics import clean, dates, dedup, formulations, regions, segment
    from analytics.pipeline import Settings, context
    from analytics.readers import decode_bytes
    from analytics.resources import era_markers

    lexicon, div, tk, user_words = context(Settings())
    raws = [r.text.encode("utf-8") for r in records]
    cleaned = [clean.clean_article(r.text) for r in records]
    located = [regions.resolve(c.title, c.text, c.meta, {}, div) for c in cleaned]
    stages = {
        "read+decode": lambda: [decode_bytes(b) for b in raws],
        "clean": lambda: [clean.clean_article(r.text) for r in records],
        "metadata (dates)": lambda: [
            dates.resolve_dates(c.text, c.meta.get("published_at"), None, era_markers()) for c in cleaned
        ],
        "regions+officials": lambda: [regions.resolve(c.title, c.text, c.meta, {}, div) for c in cleaned],
        "counting": lambda: [formulations.count_formulations(c.title, c.text, lexicon) for c in cleaned],
        "segmentation": lambda: [
            segment.content_tokens(c.text, tk, user_words, [o["name"] for o in g.officials])
            for c, g in zip(cleaned, located, strict=True)
        ],
        "dedup signature": lambda: [dedup.minhash_signature(c.text) for c in cleaned],
    }
    mb = sum(len(b) for b in raws) / 1e6
    out = {}
    for name, fn in stages.items():
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        out[name] = {"ms_per_doc": round(1000 * med / len(records), 3), "mb_per_s": round(mb / med, 2)}
    return out


def bench_naive(records: list, repeat: int) -> dict:
    """The naive way on the same records: str.count per formulation, jieba.lcut, per-query TF-IDF."""
    import jieba
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer

    from analytics import formulations, segment
    from analytics.pipeline import Settings, context

    lexicon, _, tk, user_words = context(Settings())
    texts = pd.Series([r.text for r in records])
    surfaces = [s for f in lexicon.entries for s in f.surfaces]
    jieba.setLogLevel(60)
    jieba.initialize()

    def timed(fn):
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    naive_count = timed(lambda: [texts.str.count(s).sum() for s in surfaces])
    ours_count = timed(lambda: [formulations.count_formulations(None, t, lexicon) for t in texts])
    naive_seg = timed(lambda: [jieba.lcut(t) for t in texts])
    ours_seg = timed(lambda: [segment.content_tokens(t, tk, user_words) for t in texts])
    fast = segment.tokenizer(user_words, "rjieba")
    rust_seg = timed(lambda: [segment.content_tokens(t, fast, user_words) for t in texts])
    half = len(texts) // 2
    naive_tfidf = timed(
        lambda: TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None).fit_transform(
            [" ".join(texts[:half]), " ".join(texts[half:])]
        )
    )
    return {
        "count: pandas str.count per formulation / Aho–Corasick": round(naive_count / ours_count, 2),
        "segment: jieba.lcut / our segmentation (jieba + user words + filters)": round(naive_seg / ours_seg, 2),
        "segment: jieba.lcut / our segmentation with rjieba": round(naive_seg / rust_seg, 2),
        "naive_tfidf_refit_seconds": round(naive_tfidf, 3),
    }


def _matrix_filters():
    from analytics.store import Filters

    class MatrixFilters(Filters):
        """The same filters, but never answered from the summed tables (keywords._group_where)."""

    return MatrixFilters


def _two_most_common(con, column: str, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"SELECT {column}, count(*) n FROM {table} WHERE {column} IS NOT NULL "
                                      f"GROUP BY 1 ORDER BY n DESC, 1 LIMIT 2").fetchall()]


def bench_queries(store: Path, repeat: int) -> dict:
    """Latency of the dashboard's data calls on the store (p50/p95 in ms)."""
    from datetime import date

    from analytics import keywords, kwic, phrases, trends
    from analytics import store as store_mod
    from analytics.formulations import load_lexicon
    from analytics.store import Filters

    _MatrixFilters = _matrix_filters()  # noqa: N806 - a class
    con = store_mod.connect(store, read_only=True)
    cities = _two_most_common(con, "city", "documents")
    districts = _two_most_common(con, "district", "documents")
    officials = _two_most_common(con, "name", "doc_officials")
    latest = con.execute("SELECT max(year(date)) FROM documents").fetchone()[0]
    a, b = Filters(city=[cities[0]]), Filters(city=[cities[1]])
    calls = {
        "filter → trend": lambda: trends.counts(con, ["高质量发展", "项目为王"], a, "quarter", "all", "share"),
        "heatmap (city level)": lambda: trends.counts(
            con, ["高质量发展", "乡村振兴", "新发展理念"], Filters(), "year", "city"
        ),
        "diffusion": lambda: trends.diffusion(con, "高质量发展", Filters(), "city"),
        "compare log-odds": lambda: keywords.compare(con, a, b, "logodds", 20, 3),
        "compare TF-IDF": lambda: keywords.compare(con, a, b, "tfidf", 20, 3),
        "compare years (2022– vs –2018)": lambda: keywords.compare(
            con, Filters(since=date(2022, 1, 1)), Filters(until=date(2018, 12, 31)), "logodds", 20, 3
        ),
        "compare city vs rest": lambda: keywords.compare_sets(con, a, None, "logodds", 20, 3),
        "compare district vs district": lambda: keywords.compare(
            con, Filters(district=districts[:1]), Filters(district=districts[1:2]), "logodds", 20, 3
        ),
        "compare district vs district (summing the matrix)": lambda: keywords.compare(
            con, _MatrixFilters(district=districts[:1]), _MatrixFilters(district=districts[1:2]), "logodds", 20, 3
        ),
        "compare official vs official (summing the matrix)": lambda: keywords.compare(
            con, Filters(official=officials[:1]), Filters(official=officials[1:2]), "logodds", 20, 3
        ),
        "compare half-years (summing the matrix)": lambda: keywords.compare(
            con,
            Filters(since=date(latest, 1, 1), until=date(latest, 6, 30)),
            Filters(since=date(latest, 7, 1), until=date(latest, 12, 31)),
            "logodds",
            20,
            3,
        ),
        "kwic (200 lines)": lambda: kwic.kwic(con, "高质量发展", a, limit=200, lexicon=load_lexicon()),
        "kwic (the view's 1 000 lines)": lambda: kwic.kwic(con, "高质量发展", a, lexicon=load_lexicon()),
        "map (city)": lambda: trends.map_data(con, ["高质量发展"], Filters(), "city", None),
        # the demo issue's phrase query: ?tab=trends&phrase=一网通办&phrase=五个新城
        "phrase trend (一网通办, 五个新城)": lambda: trends.counts(con, [], Filters(), "year", "all",
                                                             phrases=["一网通办", "五个新城"]),
        "phrase heatmap, a city (一网通办)": lambda: trends.counts(con, [], a, "year", "district",
                                                               phrases=["一网通办"]),
        "phrase trend, first question (the text scanned)": lambda: (phrases._cache.clear(), trends.counts(
            con, [], Filters(), "year", "all", phrases=["一网通办", "五个新城"])),
    }
    out = {}
    for name, fn in calls.items():
        fn()  # warm
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(1000 * (time.perf_counter() - t))
        times.sort()
        out[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        }
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--segmenters", nargs="+", default=["rjieba"], choices=["jieba", "rjieba"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sample", type=int, default=300, help="documents for per-stage and baseline timings")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--queries-only", type=Path, metavar="STORE", help="only time the dashboard's data calls on an existing store"
    )
    parser.add_argument(
        "--against-naive",
        action="store_true",
        help="default `tifa ingest` vs bench/naive.py, interleaved, on the 904 real documents "
        "and the synthetic corpora of --sizes; start-up; then stop",
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    if args.against_naive:
        result = {
            "cores": os.cpu_count(),
            "startup": bench_startup(args.repeat),
            "real": side_by_side(real_corpus(args.shared), args.repeat),
        }
        for size in args.sizes:
            result[f"synthetic-{size}"] = side_by_side(corpus(size, args.seed), max(1, args.repeat // 2))
        (OUT / "against-naive.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if args.queries_only:
        result = {
            "store": str(args.queries_only),
            "cores": os.cpu_count(),
            "queries": bench_queries(args.queries_only, max(args.repeat, 20)),
        }
        (OUT / f"queries-{args.queries_only.stem}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for size in args.sizes:
        folder = corpus(size, args.seed)
        runs = [bench_ingest(folder, w, seg) for seg in args.segmenters for w in args.workers]
        result = {
            "size": size,
            "cores": os.cpu_count(),
            "ingest": runs,
            "duplicates": duplicate_quality(Path(runs[0]["store"]), folder),
        }
        records = sample_records(folder, args.sample)
        result["stages"] = bench_stages(records, args.repeat)
        result["naive_ratio"] = bench_naive(records, args.repeat)
        result["queries"] = bench_queries(Path(result["ingest"][-1]["store"]), max(args.repeat, 20))
        (OUT / f"results-{size}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
