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

``score`` is delta (positive favours A), ``z`` its z-score.

**Ranking** (``rank``). By default (``effect``) terms are ranked by an effect size, Hardie's
**Log Ratio** (binary log of the ratio of relative frequencies, 0.5 added to zero counts)::

    log_ratio_w = log2(((y_a + 0.5) / n_a) / ((y_b + 0.5) / n_b))

among the terms *significant* at ``alpha`` (default 0.01): the two-sided p-value of the
log-odds z, corrected for the number of terms compared — Benjamini–Hochberg (``correction=
"bh"``, the default: false discovery rate) or Bonferroni (family-wise error). Only terms with
at least ``min_count`` occurrences in A and B together are compared. A frequent generic word
with a small ratio (提升, 实施) is significant but not distinctive; a term used only in A
(高质量发展 after 2017) has a large ratio. ``rank="z"`` keeps the former z ranking (which
favours frequent words). Both columns (``log_ratio`` and ``z``) are always returned, with the
corrected ``q``.

**Terms compared**: single characters, numbers and fragments (two-character tokens that
jieba found with its HMM only — in neither its dictionary nor the user words: 上作, 巴特) are
left out before correcting; ``hide_names=True`` also leaves out person names (jieba's ``nr``
words and the officials of the store) and place names (the division table and jieba's ``ns``).

**TF-IDF** the standard scikit-learn way: IDF fitted on the documents of the corpus
(``idf = ln((1 + N) / (1 + df)) + 1``, smooth_idf=True), applied to each group's summed term
counts, rows L2-normalised; ``score`` = tfidf(A) − tfidf(B).

Every result row carries ``count_a, count_b`` and ``per10k_a, per10k_b`` (per 10 000 tokens).

No statistics on nothing: a side with no documents, or fewer than ``min_tokens`` tokens
(default :data:`MIN_TOKENS`), raises :class:`EmptyGroupError` naming the side and its size.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from .choices import CORRECTIONS, DEFAULT_ALPHA, KEYNESS_METHODS, MIN_TOKENS, RANKS
from .store import Filters

METHODS = KEYNESS_METHODS
DEFAULT_ALPHA0 = None  # None: the background's own size, i.e. a_w = corpus count of w
COLUMNS = ["term", "score", "log_ratio", "z", "q", "count_a", "count_b", "per10k_a", "per10k_b"]


class EmptyGroupError(ValueError):
    """One side of a comparison has no documents or too few tokens to compare."""

    def __init__(self, side: str, docs: int, tokens: int, min_tokens: int) -> None:
        self.side, self.docs, self.tokens, self.min_tokens = side, docs, tokens, min_tokens
        size = (f"{docs} documents" if not docs else
                f"{docs} document{'s' if docs != 1 else ''} with {tokens} tokens, fewer than the minimum {min_tokens}")
        super().__init__(f"{side}: {size}; nothing to compare (widen the group)")

    def text(self, lang: str = "zh") -> str:
        """The message in Chinese or English (the side is shown as the caller named it)."""
        if lang != "zh":
            return str(self)
        size = (f"{self.docs} 篇文档" if not self.docs else
                f"{self.docs} 篇文档共 {self.tokens} 词，少于最低 {self.min_tokens} 词")
        return f"{self.side}：{size}，无法比较（请放宽该组）。"


@dataclass(frozen=True)
class Ranking:
    """How terms are chosen and ordered (see the module docstring)."""

    rank: str = "effect"
    alpha: float = DEFAULT_ALPHA
    correction: str = "bh"
    hide_names: bool = False

    def __post_init__(self):
        if self.rank not in RANKS:
            raise ValueError(f"rank must be one of {', '.join(RANKS)}")
        if self.correction not in CORRECTIONS:
            raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}")
        if not 0 < self.alpha < 1:
            raise ValueError("alpha must be between 0 and 1")


DEFAULT_RANKING = Ranking()


@dataclass
class GroupCounts:
    counts: pd.Series  # term_id -> count
    docs: int
    tokens: int


def group_counts(con, filters: Filters) -> GroupCounts:
    """Summed term counts of the documents ``filters`` selects, from the parts ``sum_sources``
    names: summed tables where the filters cover their cells whole, the matrix rows of the
    documents at the edges (part of a month or a year) or of any finer selection."""
    parts = sum_sources(con, filters)
    where, where_params = filters.where()
    if [table for table, _, _ in parts] == [MATRIX.format(where=where)]:
        # the matrix alone: the documents' numbers once, for their count and their rows
        numbers = con.execute(f"SELECT d.doc_no FROM documents d WHERE {where}", where_params).fetchnumpy()["doc_no"]
        frame = con.execute("SELECT term_id, sum(n) AS n FROM dtm WHERE doc_no IN (SELECT unnest(?::INTEGER[])) "
                            "GROUP BY term_id", [numbers]).df()
        docs = len(numbers)
    else:
        union = " UNION ALL ".join(f"SELECT term_id, n FROM {table} g WHERE {clause}" for table, clause, _ in parts)
        params = [p for _, _, args in parts for p in args]
        frame = con.execute(f"SELECT term_id, sum(n) AS n FROM ({union}) GROUP BY term_id", params).df()
        docs = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", where_params).fetchone()[0]
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
    frame = (
        con.execute(
            f"""SELECT m.term_id, sum(m.n) AS n, count(*) AS df FROM dtm m
            WHERE m.doc_no IN (SELECT d.doc_no FROM documents d WHERE {where}) GROUP BY m.term_id""",
            params,
        )
        .df()
        .set_index("term_id")
    )
    n_docs = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0]
    return frame["n"].astype("int64"), frame["df"].astype("int64"), n_docs


MATRIX = "(SELECT m.term_id, m.n FROM dtm m WHERE m.doc_no IN (SELECT d.doc_no FROM documents d WHERE {where}))"


def sum_sources(con, filters: Filters) -> list[tuple[str, str, list]]:
    """Where a group's term sums come from: (table, WHERE clause on alias ``g``, parameters)
    parts whose rows, summed, give the sums of the documents ``filters`` selects.

    Places and whole years come from ``term_groups`` (city × year), ``term_districts`` or, with
    no place, ``term_months`` (month); one official's documents from ``term_officials`` when it
    has its sums stored; the documents of a period's partial edges (2023-01-15 to the end of
    January) and every finer selection (sites, formulations, several officials, duplicates
    included) from the matrix, keyed by ``doc_no`` so only their blocks are read."""
    def matrix(f: Filters) -> tuple[str, str, list]:
        where, params = f.where()
        return MATRIX.format(where=where), "true", params

    if (filters.site or filters.formulation or filters.include_duplicates or type(filters) is not Filters
            or len(filters.official) > 1):
        return [matrix(filters)]
    place = filters.province or filters.city or filters.district
    if filters.official:
        if place or not _official_summed(con, filters.official[0]):
            return [matrix(filters)]
        table, unit, clauses, params = "term_officials", "year", ["g.name = ?"], [filters.official[0]]
    else:
        table = ("term_districts" if filters.district else "term_groups" if place
                 else "term_months" if _has_table(con, "term_months") else "term_years")
        unit, clauses, params = ("month" if table == "term_months" else "year"), [], []
        if not _has_table(con, table):
            return [matrix(filters)]
        for col in ("province", "city", "district"):
            if getattr(filters, col):
                clauses.append(f"g.{col} IN (SELECT unnest(?))")
                params.append(list(getattr(filters, col)))
    inner, edges = split_period(filters.since, filters.until, unit)
    if inner is None:
        return [matrix(filters)]
    lo, hi = inner
    key = "g.year * 12 + g.month - 1" if unit == "month" else "g.year"
    for bound, op in ((lo, ">="), (hi, "<=")):
        if bound:
            clauses.append(f"{key} {op} ?")
            params.append(bound.year * 12 + bound.month - 1 if unit == "month" else bound.year)
    if not filters.include_inferred:
        clauses.append("NOT g.inferred")
    return [(table, " AND ".join(clauses) or "true", params),
            *(matrix(replace(filters, since=a, until=b)) for a, b in edges)]


def split_period(since, until, unit: str):
    """([first, last] of the whole months or years within since..until, the partial edges as
    (since, until) pairs); ``(None, edges)`` when no whole unit lies within. An open end stays
    open (None)."""
    from datetime import timedelta

    def start_of(day):
        return day.replace(day=1) if unit == "month" else day.replace(month=1, day=1)

    def next_start(day):
        if unit == "year":
            return day.replace(year=day.year + 1, month=1, day=1)
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)

    day = timedelta(days=1)
    lo = since if since is None or start_of(since) == since else next_start(since)
    hi = until if until is None or next_start(until) - day == until else start_of(until) - day
    if lo and hi and lo > hi:
        return None, [(since, until)]
    edges = []
    if since and lo != since:
        edges.append((since, lo - day))
    if until and hi != until:
        edges.append((hi + day, until))
    return (lo, hi), edges


def _official_summed(con, name: str) -> bool:
    return _has_table(con, "term_officials") and bool(
        con.execute("SELECT count(*) FROM officials_summed WHERE name = ?", [name]).fetchone()[0])


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


def log_ratio(y_a: np.ndarray, y_b: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """Hardie's Log Ratio: log2 of the ratio of relative frequencies (0.5 added to zero counts)."""
    y_a = np.asarray(y_a, dtype=float)
    y_b = np.asarray(y_b, dtype=float)
    y_a = np.where(y_a == 0, 0.5, y_a)
    y_b = np.where(y_b == 0, 0.5, y_b)
    return np.log2((y_a / max(n_a, 1)) / (y_b / max(n_b, 1)))


def adjusted_p(z: np.ndarray, correction: str = "bh") -> np.ndarray:
    """Two-sided p-values of ``z`` corrected for their number: Benjamini–Hochberg or Bonferroni."""
    from scipy.stats import false_discovery_control, norm

    p = 2 * norm.sf(np.abs(np.asarray(z, dtype=float)))
    if len(p) == 0:
        return p
    if correction == "bonferroni":
        return np.minimum(1.0, p * len(p))
    return false_discovery_control(p, method="bh")


def is_fragment(term: str, dictionary: frozenset[str], user_words: frozenset[str]) -> bool:
    """Single characters, numbers, and two-character tokens in neither jieba's dictionary nor
    the user words (found by jieba's HMM only: mostly pieces of words cut wrong)."""
    if len(term) < 2 or any(ch.isdigit() for ch in term):
        return True
    return len(term) == 2 and term not in dictionary and term not in user_words


@lru_cache(maxsize=1)
def jieba_dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(every word of jieba's dictionary, its person and place names: tags nr*, ns*)."""
    import jieba

    words, names = set(), set()
    with jieba.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if not parts:
                continue
            words.add(parts[0])
            if len(parts) > 2 and parts[2][:2] in ("nr", "ns"):
                names.add(parts[0])
    return frozenset(words), frozenset(names)


@lru_cache(maxsize=1)
def _known_words() -> tuple[frozenset[str], frozenset[str]]:
    """(user words: lexicon forms and place names; place names alone)."""
    from .formulations import load_lexicon
    from .regions import divisions

    places = frozenset(name for name in divisions().surfaces if len(name) >= 2)
    forms = frozenset(form for entry in load_lexicon().entries for form in (entry.canonical, *entry.variants))
    return forms | places, places


@lru_cache(maxsize=1)
def _digit_search():
    """A search for any character ``str.isdigit`` accepts (is_fragment's rule, run in C)."""
    import re
    import sys

    digits = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdigit())
    return re.compile(f"[{re.escape(digits)}]").search


def term_mask(con, terms: list[str], hide_names: bool = False) -> np.ndarray:
    """True for the terms to compare (fragments out; names out too when ``hide_names``): the
    rule of ``is_fragment``, with the store's officials as known words, over arrays."""
    dictionary, dict_names = jieba_dictionary()
    user_words, places = _known_words()
    search = _digit_search()
    lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    keep = (lengths >= 2) & ~np.fromiter((search(t) is not None for t in terms), dtype=bool, count=len(terms))
    unknown = [i for i in np.flatnonzero(keep & (lengths == 2)) if terms[i] not in dictionary
               and terms[i] not in user_words]
    asked = [terms[i] for i in unknown] if not hide_names else list(terms)
    officials = frozenset(r[0] for r in con.execute(
        "SELECT DISTINCT name FROM doc_officials WHERE name IN (SELECT unnest(?))", [asked]).fetchall()) if asked \
        else frozenset()
    for i in unknown:
        keep[i] = terms[i] in officials
    if hide_names:
        keep &= np.fromiter((t not in dict_names and t not in places and t not in officials for t in terms),
                            dtype=bool, count=len(terms))
    return keep


def compare(
    con,
    a: Filters,
    b: Filters,
    method: str = "logodds",
    top: int | None = 20,
    min_count: int = 3,
    alpha0: float | None = DEFAULT_ALPHA0,
    min_tokens: int = MIN_TOKENS,
    sides: tuple[str, str] = ("group A", "group B"),
    ranking: Ranking = DEFAULT_RANKING,
) -> pd.DataFrame:
    """Terms setting group A apart from group B (positive score favours A).

    ``top`` keeps the N strongest terms of each side; None keeps all. A side with no documents
    or fewer than ``min_tokens`` tokens raises EmptyGroupError.
    """
    _check_method(method)
    ga, gb = group_counts(con, a), group_counts(con, b)
    require_sizes(ga, gb, min_tokens, sides)
    return _compare_counts(con, ga, gb, background(con, Filters(include_duplicates=a.include_duplicates)),
                           method, top, min_count, alpha0, ranking)


def empty_note(frame: pd.DataFrame, min_count: int, lang: str = "en", hint_key: str = "kw_empty_hint_cli") -> str:
    """Why a comparison lists no term, in one line: how many terms were compared and passed the
    correction, the two groups' sizes, and what to try (``hint_key``: the CLI's or the view's)."""
    from .i18n import t

    a = frame.attrs
    correction = {"bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni"}.get(a.get("correction"), a.get("correction"))
    fields = {k: a.get(k, 0) for k in ("compared", "significant", "docs_a", "docs_b", "tokens_a", "tokens_b")}
    return t("kw_empty", lang).format(
        min_count=min_count, correction=correction, alpha=a.get("alpha", DEFAULT_ALPHA), hint=t(hint_key, lang),
        **fields,
    )


def require_sizes(ga: GroupCounts, gb: GroupCounts, min_tokens: int = MIN_TOKENS,
                  sides: tuple[str, str] = ("group A", "group B")) -> None:
    """Raise EmptyGroupError for the first side with no documents or fewer than ``min_tokens`` tokens."""
    for side, group in zip(sides, (ga, gb), strict=True):
        if group.docs == 0 or group.tokens < max(min_tokens, 1):
            raise EmptyGroupError(side, group.docs, group.tokens, min_tokens)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")


def _compare_counts(
    con,
    ga: GroupCounts,
    gb: GroupCounts,
    bg,
    method: str,
    top: int | None,
    min_count: int,
    alpha0: float | None = DEFAULT_ALPHA0,
    ranking: Ranking = DEFAULT_RANKING,
) -> pd.DataFrame:
    bg_counts, bg_df, n_docs = bg
    terms = ga.counts.index.union(gb.counts.index)
    y_a = ga.counts.reindex(terms, fill_value=0).to_numpy()
    y_b = gb.counts.reindex(terms, fill_value=0).to_numpy()
    keep = (y_a + y_b) >= min_count
    terms, y_a, y_b = terms[keep], y_a[keep], y_b[keep]
    vocab = dict(
        con.execute("SELECT term_id, term FROM vocab WHERE term_id IN (SELECT unnest(?))", [terms.tolist()]).fetchall()
    )
    words = [vocab[t] for t in terms]
    keep = term_mask(con, words, ranking.hide_names) if len(words) else np.zeros(0, dtype=bool)
    terms, y_a, y_b = terms[keep], y_a[keep], y_b[keep]
    words = [w for w, k in zip(words, keep, strict=True) if k]
    attrs = {
        "docs_a": ga.docs,
        "docs_b": gb.docs,
        "tokens_a": ga.tokens,
        "tokens_b": gb.tokens,
        "method": method,
        "rank": ranking.rank,
        "alpha": ranking.alpha,
        "correction": ranking.correction,
        "compared": len(terms),
        "significant": 0,
    }
    if len(terms) == 0:
        empty = pd.DataFrame(columns=COLUMNS)
        empty.attrs.update(attrs)
        return empty
    prior = bg_counts.reindex(terms, fill_value=0).to_numpy() + 0.01
    delta, z = logodds(y_a, y_b, prior, alpha0)
    q = adjusted_p(z, ranking.correction)
    ratio = log_ratio(y_a, y_b, ga.tokens, gb.tokens)
    if method == "logodds":
        score = delta
        if ranking.rank == "effect":
            significant = q < ranking.alpha
            rank = np.where(significant & (np.sign(ratio) == np.sign(z)), ratio, 0.0)
        else:
            rank = z
    else:
        idf_values = idf(bg_df.reindex(terms, fill_value=0).to_numpy(), n_docs)
        rows = tfidf_rows(np.vstack([y_a, y_b]), idf_values)
        score = rows[0] - rows[1]
        rank = score
    frame = pd.DataFrame(
        {
            "term": words,
            "score": score,
            "log_ratio": ratio,
            "z": z,
            "q": q,
            "count_a": y_a,
            "count_b": y_b,
            "per10k_a": y_a * 10_000 / max(ga.tokens, 1),
            "per10k_b": y_b * 10_000 / max(gb.tokens, 1),
            "_rank": rank,
            "_tie": z,
        }
    )
    attrs["significant"] = int((q < ranking.alpha).sum())
    if top:
        pos = frame[frame["_rank"] > 0].sort_values(["_rank", "_tie"], ascending=False).head(top)
        neg = frame[frame["_rank"] < 0].sort_values(["_rank", "_tie"], ascending=True).head(top)
        frame = pd.concat([pos, neg])
    else:
        frame = frame.sort_values(["_rank", "_tie"], ascending=False)
    frame = frame.drop(columns=["_rank", "_tie"]).reset_index(drop=True)
    frame.attrs.update(attrs)
    return frame


def compare_groups(
    con,
    groups: dict[str, Filters],
    method: str = "logodds",
    top: int = 20,
    min_count: int = 3,
    min_tokens: int = MIN_TOKENS,
    ranking: Ranking = DEFAULT_RANKING,
) -> pd.DataFrame:
    """Each group against all the others together; a ``group`` column names the group."""
    for name, filt in groups.items():  # name the group that is too small, not "the others"
        where, params = filt.where()
        docs, tokens = con.execute(f"SELECT count(*), coalesce(sum(d.n_tokens), 0) FROM documents d WHERE {where}",
                                   params).fetchone()
        if docs == 0 or tokens < max(min_tokens, 1):
            raise EmptyGroupError(f"group {name}", int(docs), int(tokens), min_tokens)
    frames = []
    for name, filt in groups.items():
        others = [g for n, g in groups.items() if n != name]
        frame = compare_sets(con, filt, others, method=method, top=top, min_count=min_count,
                             min_tokens=min_tokens, sides=(f"group {name}", f"the groups other than {name}"),
                             ranking=ranking)
        frame = frame[frame["score"] > 0]
        frame.insert(0, "group", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["group", *COLUMNS])


def compare_sets(
    con,
    a: Filters,
    others: list[Filters] | None,
    method: str = "logodds",
    top: int | None = 20,
    min_count: int = 3,
    min_tokens: int = MIN_TOKENS,
    sides: tuple[str, str] = ("group A", "the rest of the corpus"),
    ranking: Ranking = DEFAULT_RANKING,
) -> pd.DataFrame:
    """A against the union of ``others``; ``others=None`` means the rest of the corpus."""
    sizes = {"min_tokens": min_tokens, "sides": sides}
    if others is None and not a.include_duplicates:
        # the rest of the corpus = the corpus minus A, both summed already
        _check_method(method)
        bg = background(con)
        ga = group_counts(con, a)
        rest = bg[0].sub(ga.counts, fill_value=0)
        rest = rest[rest > 0].astype("int64")
        gb = GroupCounts(rest, bg[2] - ga.docs, int(rest.sum()))
        require_sizes(ga, gb, **sizes)
        return _compare_counts(con, ga, gb, bg, method, top, min_count, ranking=ranking)
    if others is None:
        where_all, params_all = Filters(include_duplicates=a.include_duplicates).where()
        where_a, params_a = a.where()
        rest_doc_ids = con.execute(
            f"SELECT doc_id FROM documents d WHERE {where_all} "
            f"AND d.doc_id NOT IN (SELECT d.doc_id FROM documents d WHERE {where_a})",
            [*params_all, *params_a],
        ).fetchall()
        return _compare_ids(con, a, [r[0] for r in rest_doc_ids], method, top, min_count, ranking, **sizes)
    ids: set[str] = set()
    for f in others:
        where, params = f.where()
        ids.update(r[0] for r in con.execute(f"SELECT doc_id FROM documents d WHERE {where}", params).fetchall())
    return _compare_ids(con, a, sorted(ids), method, top, min_count, ranking, **sizes)


def _compare_ids(con, a: Filters, b_ids: list[str], method, top, min_count, ranking: Ranking = DEFAULT_RANKING,
                 **sizes):
    con.execute("CREATE OR REPLACE TEMP TABLE _group_b AS SELECT unnest(?) AS doc_id", [b_ids])
    b = _IdFilters(include_duplicates=True)
    return compare(con, a, b, method=method, top=top, min_count=min_count, ranking=ranking, **sizes)


class _IdFilters(Filters):
    """Documents listed in the temporary table ``_group_b``."""

    def where(self, alias: str = "d") -> tuple[str, list]:
        return f"{alias}.doc_id IN (SELECT doc_id FROM _group_b)", []
