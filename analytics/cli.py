"""The ``tifa`` command line: a thin layer over the library, tested in-process via ``main``.

Conventions for every command: ``--store`` (default ``data/store.duckdb``, or ``TIFA_STORE``),
``--format table|csv|jsonl``, and the same filter flags (``--province --city --district
--since --until --site --official --formulation``), which are also the dashboard's URL query
parameters.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
import pandas as pd

from . import discover as discover_mod
from . import formulations as lex
from . import ingest as ingest_mod
from . import keywords, store, trends
from . import kwic as kwic_mod
from .filters import FILTER_KEYS, filters_from_mapping, parse_filter_spec
from .resources import DataFileError

FORMATS = ("table", "csv", "jsonl")


def _echo_frame(frame: pd.DataFrame, fmt: str, max_width: int = 40) -> None:
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "jsonl":
        for rec in frame.to_dict(orient="records"):
            click.echo(json.dumps(rec, ensure_ascii=False, default=_json_default))
    else:
        if frame.empty:
            click.echo("(no rows)")
            return
        shown = frame.copy()
        for col in shown.columns:
            if shown[col].dtype == object:
                shown[col] = shown[col].map(lambda v: _short(v, max_width))
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 250):
            click.echo(shown.to_string(index=False))


def _short(value, width: int) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=_json_default)
    else:
        text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _json_default(value):
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, float) and pd.isna(value):
        return None
    return str(value)


def common(fn):
    """--store, --format and the filter flags."""
    options = [
        click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
                     help="DuckDB store (default data/store.duckdb or $TIFA_STORE)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True),
        click.option("--province", multiple=True, help="Province full name (repeatable)."),
        click.option("--city", multiple=True, help="City full name, e.g. 萍乡市 (repeatable)."),
        click.option("--district", multiple=True, help="County-level unit (repeatable)."),
        click.option("--since", help="Earliest date, YYYY-MM-DD."),
        click.option("--until", help="Latest date, YYYY-MM-DD."),
        click.option("--site", multiple=True, help="Site name (repeatable)."),
        click.option("--official", multiple=True, help="Official's name (repeatable)."),
        click.option("--formulation", multiple=True, help="Formulation (repeatable)."),
        click.option("--include-duplicates", is_flag=True, help="Count duplicates too."),
        click.option("--exclude-inferred", is_flag=True, help="Leave out documents whose date is inferred."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filters(kw: dict):
    mapping = {k: kw.get(k) for k in FILTER_KEYS}
    mapping["include_duplicates"] = kw.get("include_duplicates", False)
    mapping["include_inferred"] = not kw.get("exclude_inferred", False)
    return filters_from_mapping(mapping)


def _open(store_path: Path | None):
    """Read-only connection; builds the default store from data/raw on first use."""
    path = store_path or store.DEFAULT_STORE
    if not path.exists() and store_path is None:
        click.echo(f"building the store {path} from {ingest_mod.RAW_DIR} (first run)…", err=True)
        summary = ingest_mod.ensure_store(path, progress=_progress_printer(ingest_mod.RAW_DIR))
        if summary:
            click.echo(summary.line(), err=True)
    ingest_mod.refresh_counts_if_stale(path)
    return store.connect(path, read_only=True)


def _progress_printer(root: Path):
    total = ingest_mod.count_files([root])
    state = {"last": -1}

    def report(done: int, current: str) -> None:
        pct = int(100 * done / max(total, 1))
        if pct != state["last"] and (pct % 5 == 0 or done == total):
            state["last"] = pct
            click.echo(f"\r[{pct:3d}%] {done}/{total} {current[-50:]:<50}", err=True, nl=done == total)

    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Tifa: track Chinese political formulations (提法) in local-government news."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None)
@click.option("--manifest", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="CSV mapping file paths to metadata (path,title,date,province,city,district,url,site).")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="Extra lexicon file (repeatable).")
@click.option("--workers", type=int, default=None,
              help="Local worker processes (default: the usable CPU count, or TIFA_WORKERS).")
@click.option("--dask", "dask_scheduler", help="Dask scheduler address (tcp://host:8786) or local:N.")
@click.option("--max-file-mb", type=float, default=ingest_mod.readers.DEFAULT_MAX_BYTES / 2**20,
              show_default=True, help="Inputs larger than this are quarantined as too_large.")
def ingest(paths, store_path, manifest, lexicons, workers, dask_scheduler, max_file_mb) -> None:
    """Ingest files or folders (txt, html, json, jsonl, csv) into the store."""
    path = store_path or store.DEFAULT_STORE
    try:
        for lexicon in lexicons:
            lex.parse_lexicon(lexicon)  # fail early, with the line, on a broken lexicon
        summary = ingest_mod.ingest(
            list(paths), path, manifest=manifest, lexicon_paths=tuple(lexicons),
            max_bytes=int(max_file_mb * 2**20), workers=workers, dask=dask_scheduler,
            progress=_progress_printer_many(list(paths)),
        )
    except (store.StoreError, DataFileError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.line())
    for reason, n in sorted(summary.reasons.items()):
        click.echo(f"  quarantined {reason}: {n}")
    for reason, n in sorted(summary.skip_reasons.items()):
        click.echo(f"  skipped {reason}: {n}")
    if summary.inputs == 0 or (summary.documents + summary.duplicates == 0 and summary.quarantined):
        raise click.ClickException("nothing could be read: see `tifa quarantine` for the reasons")


def _progress_printer_many(paths: list[Path]):
    existing = [p for p in paths if p.exists()]
    return _progress_printer(existing[0]) if len(existing) == 1 else None


@cli.command()
@common
@click.option("--columns", help="Comma-separated columns to show.")
def docs(store_path, fmt, columns, **kw) -> None:
    """One row per document (duplicates included, with duplicate_of set)."""
    flt = _filters(kw)
    flt.include_duplicates = True
    with _open(store_path) as con:
        frame = store.documents(con, flt)
    if columns:
        frame = frame[[c.strip() for c in columns.split(",")]]
    elif fmt == "table":
        frame = frame[["doc_id", "display_title", "date", "date_precision", "province", "city",
                       "district", "site", "quality", "duplicate_of", "formulations"]]
    _echo_frame(frame, fmt)


@cli.command()
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def quarantine(store_path, fmt) -> None:
    """Inputs that did not become documents, with the reason."""
    with _open(store_path) as con:
        _echo_frame(store.quarantine(con), fmt, max_width=80)


@cli.command()
@common
@click.option("--period", type=click.Choice(trends.PERIODS), default="year", show_default=True)
@click.option("--level", type=click.Choice(trends.LEVELS), default="all", show_default=True)
@click.option("--measure", type=click.Choice(trends.MEASURES), default="share", show_default=True)
def counts(store_path, fmt, period, level, measure, **kw) -> None:
    """Formulation use by period and region, with denominators and Wilson intervals."""
    flt = _filters(kw)
    with _open(store_path) as con:
        chosen = list(flt.formulation) or _top_formulations(con, flt, 10)
        frame = trends.counts(con, chosen, flt, period=period, level=level, measure=measure)
        undated = trends.undated_count(con, flt)
    _echo_frame(frame, fmt)
    if fmt == "table" and undated:
        click.echo(f"({undated} undated documents are not in any period)", err=True)


def _top_formulations(con, flt, n: int) -> list[str]:
    where, params = flt.where()
    return [r[0] for r in con.execute(
        f"""SELECT fc.formulation FROM formulation_counts fc JOIN documents d USING (doc_id)
            WHERE {where} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(n)}""", params).fetchall()]


@cli.command()
@click.argument("term")
@common
@click.option("--width", type=int, default=30, show_default=True, help="Characters each side.")
@click.option("--limit", type=int, default=1000, show_default=True)
def kwic(term, store_path, fmt, width, limit, **kw) -> None:
    """Keyword in context, sorted by date (variants of a formulation included)."""
    with _open(store_path) as con:
        frame = kwic_mod.kwic(con, term, _filters(kw), width=width, limit=limit, lexicon=lex.load_lexicon())
    _echo_frame(frame, fmt, max_width=width + 2)


@cli.command()
@common
@click.option("--min-docs", type=int, default=1, show_default=True)
@click.option("--source", "sources", multiple=True, type=click.Choice(discover_mod.SOURCES),
              help="Only candidates from this source (repeatable).")
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--accept", help="Add this candidate to the user lexicon and recount.")
@click.option("--kind", type=click.Choice(lex.KINDS), default="slogan", show_default=True)
@click.option("--scope", type=click.Choice(lex.SCOPES), default="local", show_default=True)
@click.option("--place", help="Place the formulation belongs to (for city/provincial scope).")
@click.option("--meaning", default="", help="One-line meaning.")
def discover(store_path, fmt, min_docs, sources, limit, accept, kind, scope, place, meaning, **kw) -> None:
    """Candidate formulations not yet in the lexicon (quoted, numbered, recurring)."""
    if accept:
        try:
            target = lex.append_user_entry(lex.Formulation(accept, kind=kind, scope=scope, place=place,
                                                           meaning=meaning))
        except (ValueError, DataFileError) as exc:  # an invalid term, or a user lexicon that does not parse
            raise click.ClickException(str(exc)) from exc
        n = ingest_mod.refresh_counts(store_path or store.DEFAULT_STORE)
        click.echo(f"added {accept!r} to {target}; recounted {n} documents")
        return
    with _open(store_path) as con:
        frame = discover_mod.discover(con, lex.load_lexicon(), _filters(kw), min_docs=min_docs,
                                      limit=limit, sources=sources or discover_mod.SOURCES)
    _echo_frame(frame, fmt)


@cli.command()
@click.argument("term")
@common
@click.option("--level", type=click.Choice(trends.LEVELS[:3]), default="city", show_default=True)
def diffusion(term, store_path, fmt, level, **kw) -> None:
    """First mention per region of formulation TERM, adoption curve and the leading region."""
    with _open(store_path) as con:
        result = trends.diffusion(con, term, _filters(kw), level=level)
    if fmt == "table":
        click.echo(f"{term}: used in {len(result['first'])} of {result['regions_with_docs']} "
                   f"regions with dated documents; first: {result['leader'] or '—'}")
    _echo_frame(result["first"], fmt)


@cli.command()
@common
def leaders(store_path, fmt, **kw) -> None:
    """Formulations by official (documents naming the official that use the formulation)."""
    flt = _filters(kw)
    with _open(store_path) as con:
        frame = trends.leaders(con, flt, list(flt.formulation) or None)
    _echo_frame(frame, fmt)


@cli.command()
@click.option("--a", "spec_a", help="Group A, e.g. city=萍乡市,since=2022-01-01")
@click.option("--b", "spec_b", help="Group B; omit with --rest")
@click.option("--rest", is_flag=True, help="Compare A with the rest of the corpus.")
@click.option("--group", "groups", multiple=True, help="Several groups, each against the others.")
@click.option("--method", type=click.Choice(keywords.METHODS), default="logodds", show_default=True)
@click.option("--top", type=int, default=20, show_default=True, help="Strongest N terms per side.")
@click.option("--min-count", type=int, default=3, show_default=True)
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def compare(spec_a, spec_b, rest, groups, method, top, min_count, store_path, fmt) -> None:
    """Words that set one group apart from another (log-odds with prior, or TF-IDF)."""
    try:
        with _open(store_path) as con:
            if groups:
                frame = keywords.compare_groups(
                    con, {g: parse_filter_spec(g) for g in groups}, method, top, min_count)
            elif spec_a and (spec_b or rest):
                a = parse_filter_spec(spec_a)
                if rest:
                    frame = keywords.compare_sets(con, a, None, method, top, min_count)
                else:
                    frame = keywords.compare(con, a, parse_filter_spec(spec_b), method, top, min_count)
            else:
                raise click.UsageError("give --a with --b or --rest, or two or more --group")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _echo_frame(frame, fmt)


@cli.command()
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(path_type=Path, exists=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def lexicon(lexicons, fmt) -> None:
    """List the formulation lexicon."""
    try:
        lx = lex.load_lexicon(lex.lexicon_paths(tuple(lexicons)))
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc
    frame = pd.DataFrame([{
        "canonical": f.canonical, "variants": list(f.variants), "kind": f.kind, "scope": f.scope,
        "place": f.place, "first_known": f.first_known, "meaning": f.meaning, "source": f.source,
    } for f in lx.entries])
    _echo_frame(frame, fmt)


CHART_KINDS = ("trend", "heatmap", "diffusion", "keywords", "map")


@cli.command()
@click.argument("kind", type=click.Choice(CHART_KINDS))
@common
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Output file: .png or .svg")
@click.option("--period", type=click.Choice(trends.PERIODS), default="year", show_default=True)
@click.option("--level", type=click.Choice(trends.LEVELS), default="city", show_default=True)
@click.option("--measure", type=click.Choice(trends.MEASURES), default="share", show_default=True)
@click.option("--color", type=click.Choice(["formulation", "region"]), default="formulation", show_default=True)
@click.option("--a", "spec_a", help="keywords: group A filter spec")
@click.option("--b", "spec_b", help="keywords: group B filter spec (default: the rest)")
@click.option("--method", type=click.Choice(keywords.METHODS), default="logodds", show_default=True)
@click.option("--top", type=int, default=15, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def chart(kind, store_path, fmt, out, period, level, measure, color, spec_a, spec_b, method, top, lang,
          **kw) -> None:
    """Render the dashboard's chart KIND to PNG or SVG (same chart-building functions)."""
    from datetime import date as _date

    from . import charts
    from .filters import to_query_params

    suffix = out.suffix.lower().lstrip(".")
    if suffix not in ("png", "svg"):
        raise click.UsageError("--out must end in .png or .svg")
    flt = _filters(kw)
    path = store_path or store.DEFAULT_STORE
    with _open(store_path) as con:
        chosen = list(flt.formulation) or _top_formulations(con, flt, 5)
        from dataclasses import replace as _replace

        where, params = _replace(flt, formulation=[]).where()  # the denominator: formulations are measured
        n_docs = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
        measure_key = f"measure_{measure}"
        if kind in ("trend", "heatmap"):
            data = trends.counts(con, chosen, flt, period=period, level=level if kind == "heatmap" or color == "region"
                                 else "all", measure=measure)
            if data.empty:
                raise click.ClickException("no data for these filters")
            figure = (charts.trend_chart(data, measure, color=color, lang=lang) if kind == "trend"
                      else charts.heatmap_chart(data, measure, lang))
        elif kind == "map":
            data = trends.map_data(con, chosen, flt, level=level if level != "all" else "city")
            if data.empty:
                raise click.ClickException("no located documents for these filters")
            figure = charts.map_chart(data, measure, lang)
        elif kind == "diffusion":
            result = trends.diffusion(con, chosen[0], flt, level=level if level != "all" else "city")
            if result["first"].empty:
                raise click.ClickException(f"{chosen[0]} is not used in these documents")
            figure = charts.diffusion_chart(result["first"], result["curve"], lang)
            measure_key = "first_mention"
        else:
            if not spec_a:
                raise click.UsageError("keywords needs --a (and --b, or the rest of the corpus)")
            a = parse_filter_spec(spec_a)
            frame = (keywords.compare(con, a, parse_filter_spec(spec_b), method, top) if spec_b
                     else keywords.compare_sets(con, a, None, method, top))
            if frame.empty:
                raise click.ClickException("no terms reach --min-count in these groups")
            figure = charts.keywords_chart(frame, spec_a, spec_b or "rest", lang)
            measure_key = f"method_{method}"
    params = to_query_params(flt)
    if kind != "keywords":
        params["formulation"] = chosen
    text = "; ".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items())
    from .i18n import t as _t

    stamp = _date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
    caption = charts.caption_text(text, _t(measure_key, lang), n_docs, stamp, lang)
    out.write_bytes(charts.export(figure, suffix, caption))
    click.echo(f"wrote {out} ({out.stat().st_size} bytes)")


@cli.command(name="eval")
@click.option("--corpora", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=Path("../shared/corpora"), show_default=True)
@click.option("--seeds", type=click.Path(path_type=Path), default=ingest_mod.RAW_DIR / "seeds", show_default=True)
@click.option("--work", type=click.Path(path_type=Path), default=None,
              help="Scratch folder (default: a temporary one).")
@click.option("--workers", type=int, default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def evaluate_cmd(corpora, seeds, work, workers, fmt) -> None:
    """Region accuracy on documents whose region is known (real corpora and seeds)."""
    import tempfile

    from . import evaluate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(work or tmp)
        inputs = root / "eval_inputs"
        expected = evaluate.prepare(corpora, seeds, inputs)
        db = root / "eval.duckdb"
        db.unlink(missing_ok=True)
        ingest_mod.ingest([inputs], db, workers=workers)
        with store.connect(db, read_only=True) as con:
            docs = store.documents(con, columns=["source_path", "record_no", "province", "city", "district",
                                                 "region_level", "mentioned_regions"])
        summary, confusions = evaluate.score(expected, docs)
    _echo_frame(summary, fmt)
    if fmt == "table" and len(confusions):
        click.echo(f"\nconfusions ({len(confusions)}):")
        _echo_frame(confusions, fmt, max_width=60)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI in-process; returns the exit code (used by tests and ``python -m``)."""
    try:
        cli.main(args=argv, prog_name="tifa", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
