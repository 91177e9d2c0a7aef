"""Keyword comparisons between groups of documents: sums of stored matrix rows, no re-counting.

Two statistics:

**Log-odds ratio with an informative Dirichlet prior** (Monroe, Colaresi & Quinn 2008,
*Political Analysis* 16(4), eq. 16–22). With counts :math:`y_{w}^{a}`, totals :math:`n^a`,
prior :math:`\\alpha_w = \\alpha_0 \\pi_w` where :math:`\\pi_w` is the word's share of the whole
corpus (the background) and, by default, :math:`\\alpha_0` the background's size (so the prior
is the corpus counts themselves)::

    delta_w = log((y_a + a_w) / (n_a + a0 - y_a - a_w)) - log((y_b + a_w) / (n_b + a0 - y_b - a_w))
    var_w   ≈ 1 / (y_a + a_w) + 1 / (y_b + a_w)
    z_w     = delta_w / sqrt(var_w)

``score`` is delta (positive favours A), ``z`` its z-score; terms are ranked by z.

**TF-IDF** the standard scikit-learn way: IDF fitted on the documents of the corpus
(``idf = ln((1 + N) / (1 + df)) + 1``, smooth_idf=True), applied to each group's summed term
counts, rows L2-normalised; ``score`` = tfidf(A) − tfidf(B).

Every result row carries ``count_a, count_b`` and ``per10k_a, per10k_b`` (per 10 000 tokens).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .store import Filters

METHODS = ("logodds", "tfidf")
DEFAULT_ALPHA0 = None  # None: the background's own size, i.e. a_w = corpus count of w
COLUMNS = ["term", "score", "z", "count_a", "count_b", "per10k_a", "per10k_b"]


@dataclass
class GroupCounts:
    counts: pd.Series  # term_id -> count
    docs: int
    tokens: int


def group_counts(con, filters: Filters) -> GroupCounts:
    """Summed term counts of the documents ``filters`` selects: from ``term_groups`` when the
    filters are whole years, provinces and cities (the common comparisons), else from the matrix."""
    where, params = filters.where()
    by_group = _group_where(con, filters)
    if by_group:
        table, clause, args = by_group
        frame = con.execute(f"SELECT term_id, sum(n) AS n FROM {table} g WHERE {clause} GROUP BY term_id", args).df()
    else:
        frame = con.execute(
            f"""SELECT m.term_id, sum(m.n) AS n FROM dtm m JOIN documents d ON d.doc_id = m.doc_id
                WHERE {where} GROUP BY m.term_id""",
            params,
        ).df()
    docs = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
    series = frame.set_index("term_id")["n"].astype("int64") if len(frame) else pd.Series(dtype="int64")
    return GroupCounts(series, docs, int(series.sum()))


def background(con, filters: Filters | None = None) -> tuple[pd.Series, pd.Series, int]:
    """Corpus term counts, document frequencies and number of documents (duplicates excluded).

    The whole-corpus background is read from ``term_stats``, summed once at the end of each
    ingest; other filters sum the matrix.
    """
    filters = filters or Filters()
    if filters == Filters() and _has_table(con, "term_stats"):
        frame = con.execute("SELECT term_id, n, df FROM term_stats").df().set_index("term_id")
        n_docs = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchall()[0][0]
        return frame["n"].astype("int64"), frame["df"].astype("int64"), n_docs
    where, params = filters.where()
    frame = con.execute(
        f"""SELECT m.term_id, sum(m.n) AS n, count(*) AS df FROM dtm m
            JOIN documents d ON d.doc_id = m.doc_id WHERE {where} GROUP BY m.term_id""",
        params,
    ).df().set_index("term_id")
    n_docs = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
    return frame["n"].astype("int64"), frame["df"].astype("int64"), n_docs


def _group_where(con, filters: Filters) -> tuple[str, str, list] | None:
    """(table, WHERE clause, parameters) on ``term_groups`` — or ``term_years`` when no place is
    filtered, or ``term_districts`` when districts are — equivalent to ``filters``; None when the
    filters cut finer than those groups (sites, officials, formulations, part of a year,
    duplicates included) or the
    store has no such table."""
    if (filters.site or filters.official or filters.formulation or filters.include_duplicates
            or (filters.since and (filters.since.month, filters.since.day) != (1, 1))
            or (filters.until and (filters.until.month, filters.until.day) != (12, 31))
            or type(filters) is not Filters):
        return None
    table = ("term_districts" if filters.district
             else "term_groups" if filters.province or filters.city else "term_years")
    if not _has_table(con, table):
        return None
    clauses, params = ["true"], []
    for col in ("province", "city", "district"):
        if getattr(filters, col):
            clauses.append(f"g.{col} IN (SELECT unnest(?))")
            params.append(list(getattr(filters, col)))
    if filters.since:
        clauses.append("g.year >= ?")
        params.append(filters.since.year)
    if filters.until:
        clauses.append("g.year <= ?")
        params.append(filters.until.year)
    if not filters.include_inferred:
        clauses.append("NOT g.inferred")
    return table, " AND ".join(clauses), params


def _has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchall()[0][0])


def logodds(y_a: np.ndarray, y_b: np.ndarray, prior: np.ndarray, alpha0: float | None = DEFAULT_ALPHA0):
    """Monroe et al. (2008) log-odds with informative Dirichlet prior: (delta, z).

    ``prior`` holds background counts; ``alpha0`` scales them to a total prior mass
    (None keeps the counts themselves: a_w = background count of w).
    """
    y_a = np.asarray(y_a, dtype=float)
    y_b = np.asarray(y_b, dtype=float)
    pi = np.asarray(prior, dtype=float)
    if alpha0 is None:
        alpha0 = float(pi.sum())
    pi = pi / pi.sum()
    a_w = alpha0 * pi
    n_a, n_b = y_a.sum(), y_b.sum()
    delta = np.log((y_a + a_w) / (n_a + alpha0 - y_a - a_w)) - np.log((y_b + a_w) / (n_b + alpha0 - y_b - a_w))
    var = 1.0 / (y_a + a_w) + 1.0 / (y_b + a_w)
    return delta, delta / np.sqrt(var)


def idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """scikit-learn's smooth IDF."""
    return np.log((1.0 + n_docs) / (1.0 + np.asarray(df, dtype=float))) + 1.0


def tfidf_rows(rows: np.ndarray, idf_values: np.ndarray) -> np.ndarray:
    """TfidfTransformer.transform on dense rows: tf × idf, each row L2-normalised."""
    weighted = np.asarray(rows, dtype=float) * idf_values
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return weighted / norms


def compare(
    con,
    a: Filters,
    b: Filters,
    method: str = "logodds",
    top: int | None = 20,
    min_count: int = 3,
    alpha0: float | None = DEFAULT_ALPHA0,
) -> pd.DataFrame:
    """Terms setting group A apart from group B (positive score favours A).

    ``top`` keeps the N strongest terms of each side; None keeps all.
    """
    _check_method(method)
    return _compare_counts(con, group_counts(con, a), group_counts(con, b),
                           background(con, Filters(include_duplicates=a.include_duplicates)),
                           method, top, min_count, alpha0)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")


def _compare_counts(con, ga: GroupCounts, gb: GroupCounts, bg, method: str, top: int | None, min_count: int,
                    alpha0: float | None = DEFAULT_ALPHA0) -> pd.DataFrame:
    bg_counts, bg_df, n_docs = bg
    terms = ga.counts.index.union(gb.counts.index)
    y_a = ga.counts.reindex(terms, fill_value=0).to_numpy()
    y_b = gb.counts.reindex(terms, fill_value=0).to_numpy()
    keep = (y_a + y_b) >= min_count
    terms, y_a, y_b = terms[keep], y_a[keep], y_b[keep]
    if len(terms) == 0:
        return pd.DataFrame(columns=COLUMNS)
    if method == "logodds":
        prior = bg_counts.reindex(terms, fill_value=0).to_numpy() + 0.01
        score, z = logodds(y_a, y_b, prior, alpha0)
        rank = z
    else:
        idf_values = idf(bg_df.reindex(terms, fill_value=0).to_numpy(), n_docs)
        rows = tfidf_rows(np.vstack([y_a, y_b]), idf_values)
        score = rows[0] - rows[1]
        z = np.full(len(terms), np.nan)
        rank = score
    frame = pd.DataFrame({
        "term_id": terms,
        "score": score,
        "z": z,
        "count_a": y_a,
        "count_b": y_b,
        "per10k_a": y_a * 10_000 / max(ga.tokens, 1),
        "per10k_b": y_b * 10_000 / max(gb.tokens, 1),
        "_rank": rank,
    })
    if top:
        pos = frame[frame["_rank"] > 0].nlargest(top, "_rank")
        neg = frame[frame["_rank"] < 0].nsmallest(top, "_rank")
        frame = pd.concat([pos, neg])
    else:
        frame = frame.sort_values("_rank", ascending=False)
    # only the terms shown are looked up
    vocab = dict(con.execute("SELECT term_id, term FROM vocab WHERE term_id IN (SELECT unnest(?))",
                             [frame["term_id"].tolist()]).fetchall())
    frame.insert(0, "term", [vocab[t] for t in frame.pop("term_id")])
    frame = frame.drop(columns="_rank").reset_index(drop=True)
    frame.attrs.update({"docs_a": ga.docs, "docs_b": gb.docs, "tokens_a": ga.tokens, "tokens_b": gb.tokens,
                        "method": method})
    return frame


def compare_groups(con, groups: dict[str, Filters], method: str = "logodds", top: int = 20,
                   min_count: int = 3) -> pd.DataFrame:
    """Each group against all the others together; a ``group`` column names the group."""
    frames = []
    for name, filt in groups.items():
        others = [g for n, g in groups.items() if n != name]
        frame = compare_sets(con, filt, others, method=method, top=top, min_count=min_count)
        frame = frame[frame["score"] > 0]
        frame.insert(0, "group", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["group", *COLUMNS])


def compare_sets(con, a: Filters, others: list[Filters] | None, method: str = "logodds",
                 top: int | None = 20, min_count: int = 3) -> pd.DataFrame:
    """A against the union of ``others``; ``others=None`` means the rest of the corpus."""
    if others is None and not a.include_duplicates and _group_where(con, a):
        # the rest of the corpus = the corpus minus A, both summed already
        _check_method(method)
        bg = background(con)
        ga = group_counts(con, a)
        rest = bg[0].sub(ga.counts, fill_value=0)
        rest = rest[rest > 0].astype("int64")
        gb = GroupCounts(rest, bg[2] - ga.docs, int(rest.sum()))
        return _compare_counts(con, ga, gb, bg, method, top, min_count)
    if others is None:
        where_all, params_all = Filters(include_duplicates=a.include_duplicates).where()
        where_a, params_a = a.where()
        rest_doc_ids = con.execute(
            f"SELECT doc_id FROM documents d WHERE {where_all} "
            f"AND d.doc_id NOT IN (SELECT d.doc_id FROM documents d WHERE {where_a})",
            [*params_all, *params_a],
        ).fetchall()
        return _compare_ids(con, a, [r[0] for r in rest_doc_ids], method, top, min_count)
    ids: set[str] = set()
    for f in others:
        where, params = f.where()
        ids.update(r[0] for r in con.execute(f"SELECT doc_id FROM documents d WHERE {where}", params).fetchall())
    return _compare_ids(con, a, sorted(ids), method, top, min_count)


def _compare_ids(con, a: Filters, b_ids: list[str], method, top, min_count):
    con.execute("CREATE OR REPLACE TEMP TABLE _group_b AS SELECT unnest(?) AS doc_id", [b_ids])
    b = _IdFilters(include_duplicates=True)
    return compare(con, a, b, method=method, top=top, min_count=min_count)


class _IdFilters(Filters):
    """Documents listed in the temporary table ``_group_b``."""

    def where(self, alias: str = "d") -> tuple[str, list]:
        return f"{alias}.doc_id IN (SELECT doc_id FROM _group_b)", []
