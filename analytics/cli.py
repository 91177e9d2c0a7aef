"""The ``tifa`` command line: a thin layer over the library, tested in-process via ``main``.

Conventions for every command: ``--store`` (default ``data/store.duckdb``, or ``TIFA_STORE``),
``--format table|csv|jsonl``, and the same filter flags (``--province --city --district
--since --until --site --official --formulation``), which are also the dashboard's URL query
parameters.

Errors (documented in the README): a user's mistake is one line on stderr, ``Error: …``, with
exit code 2 for a wrong question (bad option, date, filter, unknown name) and 1 for a run that
failed (store missing a part, busy or from another version, nothing selected, a comparison
side too small); notes and warnings (``Note: 萍乡 read as 萍乡市.``) go to stderr too. An
unexpected error prints its traceback only with ``--debug`` or ``TIFA_DEBUG=1``.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path

import click
import duckdb

from . import choices, store, validate
from . import formulations as lex
from . import ingest as ingest_mod
from .filters import FILTER_KEYS, FilterError, filters_from_mapping, parse_filter_spec
from .lazy import lazy_module
from .resources import DataFileError

# The analyses are imported when a command first uses them: `tifa ingest` never loads pandas
# or scikit-learn while its workers run (their memory goes to the workers).
pd = lazy_module("pandas")
discover_mod = lazy_module("analytics.discover")
keywords = lazy_module("analytics.keywords")
kwic_mod = lazy_module("analytics.kwic")
phrases_mod = lazy_module("analytics.phrases")
trends = lazy_module("analytics.trends")

FORMATS = ("table", "csv", "jsonl", "json")
USAGE_ERROR, RUN_FAILED = 2, 1  # exit codes (0: answered)
_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # `tifa` alone (click >= 8.2)


class CliError(click.ClickException):
    """A one-line error for the user with its exit code (2 usage, 1 failed run)."""

    def __init__(self, message: str, exit_code: int = RUN_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _echo_frame(frame: pd.DataFrame, fmt: str, max_width: int = 40) -> None:
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":  # one JSON array of the rows
        rows = [{k: None if isinstance(v, float) and v != v else v for k, v in rec.items()}
                for rec in frame.to_dict(orient="records")]
        click.echo(json.dumps(rows, ensure_ascii=False, default=_json_default))
    elif fmt == "jsonl":
        for rec in frame.to_dict(orient="records"):
            rec = {k: None if isinstance(v, float) and v != v else v for k, v in rec.items()}  # NaN: empty
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
            click.echo(shown.to_string(index=False, na_rep=""))  # an empty share is not 0


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
        click.option("--exclude-inferred", is_flag=True,
                     help="Leave out documents whose year was inferred from era markers (kept by default only "
                          "when the markers leave one year; unsettled ranges never count)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def phrase_option(fn):
    """--phrase: any phrase, counted exactly on the stored text like a formulation (repeatable)."""
    return click.option(
        "--phrase", "phrases", multiple=True,
        help="An ad-hoc phrase, counted exactly on the stored clean text (need not be in the lexicon; repeatable).",
    )(fn)


def _measured(con, flt, typed: tuple[str, ...]):
    """The filters checked with the typed phrases split: lexicon forms join the formulations,
    the rest are ad-hoc phrases. Returns (filters, phrases); notes on stderr."""
    try:
        formulations, phrases, notes = phrases_mod.split_lexicon(typed, lex.load_lexicon())
    except phrases_mod.PhraseError as exc:
        raise CliError(f"--phrase: {exc}", USAGE_ERROR) from exc
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    if formulations:
        flt = replace(flt, formulation=list(dict.fromkeys([*flt.formulation, *formulations])))
    return _checked(con, flt, measured=True), phrases


def _warn_unused(frame: pd.DataFrame, phrases: list[str], docs: int) -> None:
    """A phrase that no selected document contains: a warning, as for a formulation."""
    used = set(frame.loc[frame["mentions"] > 0, "formulation"]) if len(frame) else set()
    for phrase in phrases:
        if phrase not in used:
            click.echo(f"Warning: {phrase}: occurs in none of the {docs} selected documents.", err=True)


def _filters(kw: dict):
    mapping = {k: kw.get(k) for k in FILTER_KEYS}
    mapping["include_duplicates"] = kw.get("include_duplicates", False)
    mapping["include_inferred"] = not kw.get("exclude_inferred", False)
    return filters_from_mapping(mapping)


def _checked(con, flt, measured: bool = False, label: str = ""):
    """The filters with their names resolved (萍乡 → 萍乡市); notes and warnings on stderr; an
    InvalidQuery for an unknown name, an impossible range or an empty selection."""
    check = validate.check_filters(con, flt, measured=measured)
    prefix = f"{label}: " if label else ""
    for problem in check.problems:
        if problem.severity != "error":
            click.echo(f"{problem.severity.capitalize()}: {prefix}{problem.text('en')}", err=True)
    if not check.ok:
        raise validate.InvalidQuery(check, label)
    return check.filters


def _spec(text: str, label: str):
    """A ``key=value,…`` group spec; a malformed one is a usage error naming the group."""
    try:
        return parse_filter_spec(text)
    except FilterError as exc:
        raise CliError(f"{label}: {validate.params_problem(exc).text('en')}", USAGE_ERROR) from exc


def _store_exists(store_path: Path | None) -> Path:
    path = store_path or store.DEFAULT_STORE
    if store_path is not None and not path.exists():
        raise CliError(f"no store at {path}: check --store, or build one with `tifa ingest FILES --store {path}`",
                       USAGE_ERROR)
    return path


def _open(store_path: Path | None):
    """Read-only connection; builds the default store from data/raw on first use."""
    path = _store_exists(store_path)
    if not path.exists() and store_path is None:
        click.echo(f"building the store {path} from {ingest_mod.RAW_DIR} (first run)…", err=True)
        summary = ingest_mod.ensure_store(path, progress=_progress_printer(ingest_mod.RAW_DIR))
        if summary:
            click.echo(summary.line(), err=True)
    with store.connect(path, read_only=True) as con:
        store.check_schema(con, path)
    ingest_mod.refresh_counts_if_stale(path)
    return store.connect(path, read_only=True)


def _progress_printer(root: Path):
    total = ingest_mod.count_files([root])
    state = {"last": -1}

    def report(done: float, current: str) -> None:
        pct = int(100 * done / max(total, 1))
        if pct != state["last"] and (pct % 5 == 0 or done == total or done != int(done)):
            state["last"] = pct
            click.echo(f"\r[{pct:3d}%] {int(done)}/{total} {current[-60:]:<60}", err=True, nl=done == total)

    return report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error (also TIFA_DEBUG=1).")
def cli(debug: bool = False) -> None:
    """Tifa: track Chinese political formulations (提法) in local-government news.

    Exit codes: 0 answered, 1 the run failed, 2 the question was wrong (see the README).
    """


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
              show_default=True, help="Single-document inputs (.txt, .md, .html) larger than this are quarantined "
                                      "as too_large; record files (.jsonl, .csv, .json, also .gz) are streamed and "
                                      "limited per record (TIFA_MAX_RECORD_CHARS).")
def ingest(paths, store_path, manifest, lexicons, workers, dask_scheduler, max_file_mb) -> None:
    """Ingest files or folders (txt, html, json, jsonl, csv) into the store."""
    path = store_path or store.DEFAULT_STORE
    if not any(p.exists() for p in paths):
        raise CliError(f"no such file or folder: {', '.join(map(str, paths))}", USAGE_ERROR)
    try:
        if store.upgradable(path):
            click.echo(f"upgrading the store {path} to schema {store.SCHEMA_VERSION} (its documents are kept)…",
                       err=True)
            store.upgrade(path)
        if path.exists():  # never write into a store another version made
            with store.connect(path, read_only=True) as con:
                store.check_schema(con, path)
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
    for name, n in summary.records_per_file.items():
        click.echo(f"  records in {name}: {n:,}")
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
    wanted = [c.strip() for c in columns.split(",") if c.strip()] if columns else []
    from .schema import DOC_COLUMNS

    for col in wanted:
        if col not in DOC_COLUMNS:
            close = difflib.get_close_matches(col, DOC_COLUMNS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise CliError(f"--columns: no column {col!r}; {hint}(columns: {', '.join(DOC_COLUMNS)})", USAGE_ERROR)
    with _open(store_path) as con:
        frame = store.documents(con, _checked(con, flt))
    if wanted:
        frame = frame[wanted]
    elif fmt == "table":
        frame = frame[["doc_id", "display_title", "date", "date_precision", "province", "city",
                       "district", "site", "quality", "duplicate_of", "formulations"]]
    _echo_frame(frame, fmt)


@cli.command()
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None)
def upgrade(store_path) -> None:
    """Bring a store made by an earlier version of Tifa up to date in place (documents kept)."""
    path = _store_exists(store_path)
    try:
        version = store.upgrade(path)
        if not version:
            with store.connect(path, read_only=True) as con:
                store.check_schema(con, path)
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"upgraded {path} from schema {version} to {store.SCHEMA_VERSION}" if version
               else f"{path} is up to date (schema {store.SCHEMA_VERSION})")


@cli.command()
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def quarantine(store_path, fmt) -> None:
    """Inputs that did not become documents, with the reason."""
    with _open(store_path) as con:
        _echo_frame(store.quarantine(con), fmt, max_width=80)


@cli.command()
@common
@click.option("--period", type=click.Choice(choices.PERIODS), default="year", show_default=True)
@click.option("--level", type=click.Choice(choices.TREND_LEVELS), default="all", show_default=True)
@click.option("--measure", type=click.Choice(choices.MEASURES), default="share", show_default=True)
@phrase_option
def counts(store_path, fmt, period, level, measure, phrases, **kw) -> None:
    """Formulation (and --phrase) use by period and region, with denominators and Wilson intervals."""
    flt = _filters(kw)
    with _open(store_path) as con:
        flt, phrases = _measured(con, flt, phrases)
        chosen = list(flt.formulation) or ([] if phrases else _top_formulations(con, flt, 10))
        frame = trends.counts(con, chosen, flt, period=period, level=level, measure=measure, phrases=phrases)
        undated = trends.undated_count(con, flt)
    _warn_unused(frame, phrases, int(frame.groupby(["period", "region"])["docs"].first().sum()) if len(frame) else 0)
    _echo_frame(frame, fmt)
    if fmt == "table" and undated:
        click.echo(f"({undated} undated documents are not in any period)", err=True)


def _top_formulations(con, flt, n: int) -> list[str]:
    where, params = flt.where()
    return [r[0] for r in con.execute(
        f"""SELECT fc.formulation FROM formulation_counts fc JOIN documents d USING (doc_id)
            WHERE {where} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(n)}""", params).fetchall()]


def _one_term(term: str | None, phrases: tuple[str, ...], command: str) -> str:
    """TERM or one --phrase (normalised as stored text is), not both."""
    if bool(term) == bool(phrases) or len(phrases) > 1:
        raise CliError(f"{command}: give one TERM or one --phrase", USAGE_ERROR)
    if term is not None and not term.strip():
        raise CliError(f"{command}: the term is empty", USAGE_ERROR)
    try:
        return term.strip() if term else phrases_mod.normalise(phrases[0])
    except phrases_mod.PhraseError as exc:
        raise CliError(f"--phrase: {exc}", USAGE_ERROR) from exc


@cli.command()
@click.argument("term", required=False)
@common
@phrase_option
@click.option("--width", type=click.IntRange(min=0), default=30, show_default=True, help="Characters each side.")
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True)
def kwic(term, store_path, fmt, width, limit, phrases, **kw) -> None:
    """Keyword in context of TERM or --phrase, sorted by date (variants of a formulation included)."""
    term = _one_term(term, phrases, "kwic")
    with _open(store_path) as con:
        flt = _checked(con, _filters(kw))
        frame = kwic_mod.kwic(con, term, flt, width=width, limit=limit, lexicon=lex.load_lexicon())
    if frame.empty:
        click.echo(f"Note: {term} does not occur in the selected documents.", err=True)
    _echo_frame(frame, fmt, max_width=width + 2)


@cli.command()
@common
@click.option("--min-docs", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--source", "sources", multiple=True, type=click.Choice(choices.DISCOVER_SOURCES),
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
        path = _store_exists(store_path)
        if not path.exists():
            raise CliError(f"no store at {path}: run `tifa ingest FILES` first", USAGE_ERROR)
        known = lex.load_lexicon().get(accept.strip())
        if known or not accept.strip():
            raise CliError(f"{accept!r} is already in the lexicon ({known.source})" if known
                           else "--accept: the formulation is empty", USAGE_ERROR)
        try:
            target = lex.append_user_entry(lex.Formulation(accept, kind=kind, scope=scope, place=place,
                                                           meaning=meaning))
        except DataFileError as exc:  # the user lexicon does not parse: never append to it
            raise CliError(str(exc), RUN_FAILED) from exc
        except ValueError as exc:  # an invalid term (control characters, length)
            raise CliError(str(exc), USAGE_ERROR) from exc
        n = ingest_mod.refresh_counts(path)
        click.echo(f"added {accept!r} to {target}; recounted {n} documents")
        return
    with _open(store_path) as con:
        frame = discover_mod.discover(con, lex.load_lexicon(), _checked(con, _filters(kw)), min_docs=min_docs,
                                      limit=limit, sources=sources or discover_mod.SOURCES)
    _echo_frame(frame, fmt)


@cli.command()
@click.argument("term", required=False)
@common
@phrase_option
@click.option("--level", type=click.Choice(choices.TREND_LEVELS[:3]), default="city", show_default=True)
@click.option("--summary", "what", flag_value="summary", help="Direction: top-down, bottom-up, mixed… with evidence.")
@click.option("--model", "what", flag_value="model", help="Discrete-time event-history logit (odds ratios, CIs).")
@click.option("--curve", "what", flag_value="curve", help="Cumulative share adopted per year, at risk, Bass fit.")
@click.option("--adoption", "what", flag_value="adoption", help="One row per unit with documents: adopted or censored.")
def diffusion(term, store_path, fmt, level, phrases, what=None, **kw) -> None:
    """First mention per region of formulation TERM (or --phrase), adoption curve and the leading region;
    --summary, --model, --curve, --adoption: how it spread (docs/diffusion.md); `--format json` prints JSON."""
    with _open(store_path) as con:
        if phrases or not term:
            _one_term(term, phrases, "diffusion")
            flt, found = _measured(con, _filters(kw), phrases)
            term, phrase = (found[0], True) if found else (flt.formulation[0], False)
        else:
            flt, phrase = _checked(con, replace(_filters(kw), formulation=[term]), measured=True), False
            term = flt.formulation[0]
        if what:
            return _spread(con, what, term, flt, level, phrase, fmt)
        result = trends.diffusion(con, term, flt, level=level, phrase=phrase)
    if fmt == "table":
        click.echo(f"{term}: used in {len(result['first'])} of {result['regions_with_docs']} "
                   f"regions with dated documents; first: {result['leader'] or '—'}")
    _echo_frame(result["first"], fmt)


def _spread(con, what: str, term: str, flt, level: str, phrase: bool, fmt: str) -> None:
    """tifa diffusion --summary / --model / --curve / --adoption (analytics.diffusion)."""
    from . import diffusion as spread

    if what == "adoption":
        frame = spread.adoption(con, term, flt, level, phrase)
        click.echo(f"Note: {frame.attrs['units_without_documents']} units of this level have no documents "
                   "(out of the risk set).", err=True)
        return _echo_frame(frame, fmt)
    if what == "curve":
        frame = spread.curve(con, term, flt, level, phrase)
        bass = frame.attrs["bass"]
        click.echo("Bass fit: " + (f"p={bass['p']} q={bass['q']} m={bass['m']}" if bass["fitted"] else bass["note"]),
                   err=True)
        return _echo_frame(frame, fmt)
    result = (spread.direction if what == "summary" else spread.model)(con, term, flt, level, phrase)
    result = {"term": term, "level": level, **result} if what == "model" else result
    if fmt in ("json", "jsonl"):
        click.echo(json.dumps(result, ensure_ascii=False, default=_json_default))
        return None
    for note in result.get("notes", []):
        click.echo(f"Note: {note}", err=True)
    if what == "model":
        return _echo_frame(pd.DataFrame(result["terms"], columns=["name", "estimate", "odds_ratio", "ci_low",
                                                                  "ci_high", "p"]), fmt)
    rows = [(k, json.dumps(v, ensure_ascii=False, default=_json_default) if isinstance(v, (dict, list)) else v)
            for k, v in result.items() if k != "notes"]
    return _echo_frame(pd.DataFrame(rows, columns=["key", "value"]), fmt, max_width=120)


@cli.command()
@common
@click.option("--top", type=click.IntRange(min=1), default=50, show_default=True,
              help="The N people named in most documents.")
def leaders(store_path, fmt, top, **kw) -> None:
    """Officials: one row per person (name, place, titles held, first and last seen, documents);
    with --formulation, the formulations by official (documents naming the official that use it)."""
    from . import officials_index

    flt = _filters(kw)
    with _open(store_path) as con:
        flt = _checked(con, flt, measured=True)
        if flt.formulation:
            frame = trends.leaders(con, flt, list(flt.formulation))
        else:
            frame = officials_index.officials(con, flt, limit=top)
    _echo_frame(frame, fmt)


def ranking_options(func):
    """--rank, --alpha, --correction, --hide-names: how keyness terms are chosen and ordered."""
    func = click.option("--hide-names", is_flag=True, help="Leave out person and place names.")(func)
    func = click.option("--correction", type=click.Choice(choices.CORRECTIONS), default="bh", show_default=True,
                        help="Multiple-comparison correction of the p-values.")(func)
    func = click.option("--alpha", type=float, default=choices.DEFAULT_ALPHA, show_default=True,
                        help="Significance level after the correction.")(func)
    return click.option("--rank", type=click.Choice(choices.RANKS), default="effect", show_default=True,
                        help="effect: Log Ratio among significant terms; z: the log-odds z.")(func)


def _ranking(rk: dict) -> keywords.Ranking:
    try:
        return keywords.Ranking(rank=rk["rank"], alpha=rk["alpha"], correction=rk["correction"],
                                hide_names=rk["hide_names"])
    except ValueError as exc:
        raise CliError(f"--alpha: {exc}", USAGE_ERROR) from exc


@cli.command()
@click.option("--a", "spec_a", help="Group A, e.g. city=萍乡市,since=2022-01-01")
@click.option("--b", "spec_b", help="Group B; omit with --rest")
@click.option("--rest", is_flag=True, help="Compare A with the rest of the corpus.")
@click.option("--group", "groups", multiple=True, help="Several groups, each against the others.")
@click.option("--method", type=click.Choice(choices.KEYNESS_METHODS), default="logodds", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Strongest N terms per side.")
@click.option("--min-count", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--min-tokens", type=click.IntRange(min=1), default=choices.MIN_TOKENS, show_default=True,
              help="A group with fewer content tokens is not compared.")
@ranking_options
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def compare(spec_a, spec_b, rest, groups, method, top, min_count, min_tokens, store_path, fmt, **rk) -> None:
    """Words that set one group apart from another: by default ranked by Log Ratio among the terms
    significant after a Benjamini–Hochberg correction (log-odds z); --rank z, or TF-IDF."""
    if groups and (len(groups) < 2 or spec_a or spec_b or rest):
        raise CliError("--group: give two or more --group, without --a, --b or --rest", USAGE_ERROR)
    if not groups and not (spec_a and (spec_b or rest)):
        raise CliError("give --a with --b or --rest, or two or more --group", USAGE_ERROR)
    if spec_b and rest:
        raise CliError("give --b or --rest, not both", USAGE_ERROR)
    ranking = _ranking(rk)
    with _open(store_path) as con:
        if groups:
            checked = {g: _checked(con, _spec(g, f"group {g}"), label=f"group {g}") for g in groups}
            frame = keywords.compare_groups(con, checked, method, top, min_count, min_tokens=min_tokens,
                                            ranking=ranking)
        else:
            a = _checked(con, _spec(spec_a, "--a"), label=f"group A ({spec_a})")
            if rest:
                frame = keywords.compare_sets(con, a, None, method, top, min_count, min_tokens=min_tokens,
                                              sides=(f"group A ({spec_a})", "the rest of the corpus"),
                                              ranking=ranking)
            else:
                b = _checked(con, _spec(spec_b, "--b"), label=f"group B ({spec_b})")
                frame = keywords.compare(con, a, b, method, top, min_count, min_tokens=min_tokens,
                                         sides=(f"group A ({spec_a})", f"group B ({spec_b})"), ranking=ranking)
    if frame.empty:  # exit 0: a valid answer, and one line on why
        from .i18n import t as _t

        note = (_t("kw_empty_groups", "en").format(n=len(groups), hint=_t("kw_empty_hint_cli", "en")) if groups
                else keywords.empty_note(frame, min_count))
        click.echo(f"Note: {note}", err=True)
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


CHART_KINDS = ("trend", "heatmap", "diffusion", "keywords", "map", "leaders")
CHART_SUFFIXES = {".png": "png", ".svg": "svg", ".json": "vl.json"}


@cli.command()
@click.argument("kind", type=click.Choice(CHART_KINDS))
@common
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Output file: .png, .svg or .vl.json (the Vega-Lite spec, for embedding)")
@click.option("--period", type=click.Choice(choices.PERIODS), default="year", show_default=True)
@click.option("--level", type=click.Choice(choices.TREND_LEVELS), default="city", show_default=True)
@click.option("--measure", type=click.Choice(choices.MEASURES), default="per10k", show_default=True)
@click.option("--color", type=click.Choice(["formulation", "region"]), default="formulation", show_default=True)
@click.option("--smooth", is_flag=True, help="trend: centred moving average over 3 periods.")
@click.option("--columns", "heat_columns", type=click.Choice(["formulation", "period"]), default="formulation",
              show_default=True, help="heatmap: formulations (periods summed) or periods (the first term).")
@click.option("--a", "spec_a", help="keywords: group A filter spec")
@click.option("--b", "spec_b", help="keywords: group B filter spec (default: the rest)")
@click.option("--method", type=click.Choice(choices.KEYNESS_METHODS), default="logodds", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True)
@click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
              help="keywords: minimum count (A + B).")
@ranking_options
@click.option("--title", default=None, help="Title inside the image (default: the chart's name).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@phrase_option
def chart(kind, store_path, fmt, out, period, level, measure, color, smooth, heat_columns, spec_a, spec_b, method,
          top, min_count, title, lang, rank, alpha, correction, hide_names, phrases, **kw) -> None:
    """Write the dashboard's chart KIND as PNG, SVG or Vega-Lite JSON (same chart-building functions)."""
    from datetime import date as _date

    from . import charts
    from .filters import to_query_params

    suffix = CHART_SUFFIXES.get(out.suffix.lower())
    if suffix is None:
        raise click.UsageError("--out must end in .png, .svg or .vl.json")
    ranking = _ranking({"rank": rank, "alpha": alpha, "correction": correction, "hide_names": hide_names})
    flt = _filters(kw)
    path = store_path or store.DEFAULT_STORE
    with _open(store_path) as con:
        flt, phrases = _measured(con, flt, phrases)
        chosen = list(flt.formulation) or ([] if phrases else _top_formulations(con, flt, 5))
        from dataclasses import replace as _replace

        where, params = _replace(flt, formulation=[]).where()  # the denominator: formulations are measured
        n_docs = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
        measure_key = f"measure_{measure}"
        if kind in ("trend", "heatmap"):
            if kind == "heatmap" and heat_columns == "period":  # one term: the first formulation, else phrase
                chosen, phrases = (chosen[:1], []) if chosen else ([], phrases[:1])
            data = trends.counts(con, chosen, flt, period=period, level=level if kind == "heatmap" or color == "region"
                                 else "all", measure=measure, phrases=phrases)
            if data.empty:
                raise click.ClickException("no data for these filters")
            if kind == "trend":
                figure = charts.trend_chart(data, measure, color=color, lang=lang, smooth=smooth, period=period)
            elif heat_columns == "period":
                figure = charts.period_heatmap_chart(data, measure, lang, period)
            else:
                figure = charts.heatmap_chart(data, measure, lang)
        elif kind == "map":
            data = trends.map_data(con, chosen, flt, level=level if level != "all" else "city", phrases=phrases)
            if data.empty:
                raise click.ClickException("no located documents for these filters")
            figure = charts.map_chart(data, measure, lang)
        elif kind == "diffusion":
            term, phrase = (chosen[0], False) if chosen else (phrases[0], True)
            result = trends.diffusion(con, term, flt, level=level if level != "all" else "city", phrase=phrase)
            if result["first"].empty:
                raise click.ClickException(f"{term} is not used in these documents")
            figure = charts.diffusion_chart(result["first"], result["curve"], lang)
            measure_key = "first_mention"
        elif kind == "leaders":
            frame = trends.leaders(con, _replace(flt, formulation=[]), chosen)
            if frame.empty:
                raise click.ClickException("no officials named in these documents")
            figure = charts.leaders_chart(frame, lang)
            measure_key = "docs_mentioning"
        else:
            if not spec_a:
                raise click.UsageError("keywords needs --a (and --b, or the rest of the corpus)")
            a = _checked(con, _spec(spec_a, "--a"), label=f"group A ({spec_a})")
            b = _checked(con, _spec(spec_b, "--b"), label=f"group B ({spec_b})") if spec_b else None
            sides = (f"group A ({spec_a})", f"group B ({spec_b})" if spec_b else "the rest of the corpus")
            frame = (keywords.compare(con, a, b, method, top, min_count, sides=sides, ranking=ranking) if spec_b
                     else keywords.compare_sets(con, a, None, method, top, min_count, sides=sides, ranking=ranking))
            if frame.empty:
                raise click.ClickException("no significant terms reach --min-count in these groups (try --rank z)")
            figure = charts.keywords_chart(frame, spec_a, spec_b or "rest", lang)
            measure_key = f"method_{method}"
            if method == "logodds":
                measure_key = f"rank_{rank}"
    params = to_query_params(flt)
    if kind != "keywords":
        params.pop("formulation", None)
        params.update({k: v for k, v in (("formulation", chosen), ("phrase", phrases)) if v})
    text = "; ".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items())
    from .i18n import t as _t

    stamp = _date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
    measure_text = _t(measure_key, lang)
    if measure_key.startswith("measure_") and kind != "leaders":
        measure_text += f"（{_t('denominator_' + measure, lang)}）"
    caption = charts.caption_text(text, measure_text, n_docs, stamp, lang)
    chart_title = title or _t({"trend": "view_trends", "map": "view_map", "keywords": "view_keywords"}.get(
        kind, f"view_{kind}"), lang)
    out.write_bytes(charts.export(figure, suffix, caption, title=chart_title))
    click.echo(f"wrote {out} ({out.stat().st_size} bytes)")


@cli.command(name="eval")
@click.option("--corpora", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=Path("../shared/corpora"), show_default=True)
@click.option("--seeds", type=click.Path(path_type=Path), default=ingest_mod.RAW_DIR / "seeds", show_default=True)
@click.option("--news", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Labelled local news (JSONL: url, title, text, province, city, district, date, "
                   "date_source, officials). Default: CORPORA/local_news_dev.jsonl.")
@click.option("--suite", type=click.Choice(["all", "news", "regions"]), default="all", show_default=True,
              help="news: the labelled local news only; regions: the region corpora and seeds only.")
@click.option("--work", type=click.Path(path_type=Path), default=None,
              help="Scratch folder (default: a temporary one).")
@click.option("--workers", type=int, default=1, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
def evaluate_cmd(corpora, seeds, news, suite, work, workers, fmt) -> None:
    """Accuracy on documents whose place, date or officials are known.

    Regions on the real corpora and seeds; on labelled local news (ingested twice, text only and
    with the URL) province / city / district / publication year as right, wrong or unanswered
    with precision, coverage and accuracy, officials' precision and recall (for officials,
    right = names found and read by hand, wrong = found only, unanswered = read only), a
    reliability table of region_confidence, and every confusion.
    """
    import tempfile

    from . import evaluate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(work or tmp)
        if suite in ("all", "regions"):
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
        news = news or corpora / "local_news_dev.jsonl"
        if suite in ("all", "news") and news.exists():
            news_inputs = root / "news_inputs"
            truths = evaluate.prepare_news(news, news_inputs)
            by_variant = {}
            for variant in (*evaluate.NEWS_VARIANTS, *evaluate.CORPUS_FOLDS):
                db = root / f"news_{variant}.duckdb"
                db.unlink(missing_ok=True)
                ingest_mod.ingest([news_inputs / f"news_{variant}.jsonl"], db, workers=workers)
                with store.connect(db, read_only=True) as con:
                    by_variant[variant] = store.documents(con, columns=evaluate.NEWS_COLUMNS)
            by_variant["corpus"] = evaluate.corpus_variant(
                truths, {f: by_variant.pop(f) for f in evaluate.CORPUS_FOLDS})
            table, reliability, news_confusions = evaluate.score_news(truths, by_variant)
            if fmt == "table":
                click.echo(f"\nlocal news: {news} ({len(truths)} articles)")
            _echo_frame(table, fmt)
            if fmt == "table":
                click.echo("\nregion_confidence against observed city precision:")
                _echo_frame(reliability, fmt)
                if len(news_confusions):
                    click.echo(f"\nlocal news confusions ({len(news_confusions)}):")
                    _echo_frame(news_confusions, fmt, max_width=60)


def _error(message: str) -> None:
    click.echo(f"Error: {' '.join(str(message).split())}", err=True)  # always one line


def _debug_requested(args: list[str]) -> bool:
    return "--debug" in args or os.environ.get("TIFA_DEBUG", "").lower() in ("1", "true", "yes", "on")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI in-process; returns the exit code (used by tests and ``python -m``).

    0 answered; 1 the run failed (store unreadable, busy or from another version, nothing
    selected, a comparison side too small, an unexpected error); 2 the question was wrong
    (option, date, filter, name). One line on stderr for each; a traceback only for an
    unexpected error with ``--debug`` or ``TIFA_DEBUG=1``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    args = [a for a in args if a != "--debug"]
    try:
        cli.main(args=args, prog_name="tifa", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except _NO_ARGS as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
        return USAGE_ERROR
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "tifa"
        _error(f"{exc.format_message()} (see `{where} --help`)")
        return USAGE_ERROR
    except click.ClickException as exc:
        _error(exc.format_message())
        return exc.exit_code
    except validate.InvalidQuery as exc:
        for line in exc.lines("en"):
            _error(line)
        return exc.exit_code
    except FilterError as exc:
        _error(validate.params_problem(exc).text("en"))
        return USAGE_ERROR
    except (store.StoreError, DataFileError, keywords.EmptyGroupError) as exc:
        _error(str(exc))
        return RUN_FAILED
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:  # `tifa docs | head`: the reader left, nothing is wrong
        _silence_stdout()
        return 141
    except OSError as exc:
        if debug:
            traceback.print_exc()
        _error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return RUN_FAILED
    except duckdb.Error as exc:
        if debug:
            traceback.print_exc()
        _error(f"the store could not answer ({str(exc).splitlines()[0]}); if it was made by another version of "
               "Tifa, rebuild it with `tifa ingest`")
        return RUN_FAILED
    except Exception as exc:  # a bug: say so in one line; --debug shows where
        if debug:
            traceback.print_exc()
        _error(f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
               "(this is a bug: run again with --debug or TIFA_DEBUG=1 for the traceback, and report it)")
        return RUN_FAILED
    return 0


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
