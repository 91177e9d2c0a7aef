"""Segmentation, done once at ingest: jieba-rs (default) or jieba on jieba's dictionary, with user
words that must never be split.

User words: every lexicon surface form, every place name of the division table and aliases
(added to jieba's dictionary), and each document's officials (merged after cutting, so one
document's names never change another's segmentation). Corrupt spans are skipped. Tokens kept
for keyword statistics drop stopwords (stopwordsiso + ``data/stopwords_extra.txt``), numbers,
dates, units, punctuation and single characters (except user words).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

from .resources import DATA_DIR, jieba_frequencies, read_word_list

_KEEP = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff0-9A-Za-z+＋]*$")
_NUMERIC = re.compile(r"^[0-9０-９一二三四五六七八九十百千万亿两零〇几第]+[年月日号个项条次万亿元%％]?$")
_SPACE = re.compile(r"\s")
USER_WORD_FREQ = 2000


@lru_cache(maxsize=1)
def stopwords(extra: Path = DATA_DIR / "stopwords_extra.txt") -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh")) | read_word_list(extra)


ENGINES = ("rjieba", "jieba")


class RustJieba:
    """jieba-rs (rjieba) behind jieba's ``lcut``: the same dictionary and HMM, ~13× faster.

    The default. Its output is not identical to jieba's: raw tokens differ on digit–hyphen runs
    (``2019-2020`` is one token, not three), which never reach the stored tokens, and its HMM
    joins a few unknown words differently (1 stored token in 367 140 on 300 Hebei documents:
    ``中高致`` for ``中`` + ``高致``); tests/test_corpora.py keeps the difference below 1e-4.
    """

    def __init__(self, engine):
        self.engine = engine

    def lcut(self, text: str, HMM: bool = True) -> list[str]:  # noqa: N803 - jieba's spelling
        return self.engine.cut(text, HMM)


def engine_name() -> str:
    """The engine TIFA_SEGMENTER asks for (``rjieba`` by default, or ``jieba``)."""
    from .settings import get

    wanted = get("TIFA_SEGMENTER")
    if wanted not in ENGINES:
        raise ValueError(f"TIFA_SEGMENTER={wanted!r}: choose one of {', '.join(ENGINES)}")
    return wanted


@lru_cache(maxsize=4)
def tokenizer(user_words: frozenset[str], engine: str | None = None):
    """A segmenter (``lcut``) with ``user_words`` added, never split (cached per word set).

    ``engine`` is ``rjieba`` or ``jieba`` (default: TIFA_SEGMENTER); a run passes the engine
    it chose through ``pipeline.Settings`` so every worker segments alike.
    """
    engine = engine or engine_name()
    words = sorted(w for w in user_words if len(w) >= 2 and not _SPACE.search(w))
    known = jieba_frequencies(tuple(words))
    freqs = {w: max(USER_WORD_FREQ, known.get(w, 0)) for w in words}
    if engine == "rjieba":
        try:
            import rjieba
        except ImportError as exc:
            raise RuntimeError(
                "TIFA_SEGMENTER=rjieba needs jieba-rs: pip install rjieba (or set TIFA_SEGMENTER=jieba)"
            ) from exc
        rust = _rust_engine(rjieba)
        for word in words:
            rust.add_word(word, freqs[word], None)
        return RustJieba(rust)
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in words:
        tk.add_word(word, freq=freqs[word])
    return tk


_DEFAULT_TAKEN: list[bool] = [False]


def _rust_engine(rjieba):
    """A jieba-rs instance to add user words to. Importing rjieba builds a default instance
    (its dictionary: ~25 MB in every worker); the first word set of a process takes that one
    (its bound ``add_word``'s owner) instead of building a second, later ones get their own."""
    if not _DEFAULT_TAKEN[0]:
        _DEFAULT_TAKEN[0] = True
        return rjieba.add_word.__self__
    return rjieba.Jieba()


def static_user_words(lexicon_surfaces: list[str], place_names: list[str]) -> frozenset[str]:
    # Long expansions joined by 、 are counted by the matcher, not kept as tokens.
    return frozenset(w for w in [*lexicon_surfaces, *place_names] if "、" not in w and len(w) <= 12)


def _merge_names(tokens: list[str], names: list[str]) -> list[str]:
    """Join consecutive tokens that spell one of ``names`` (刘 + 烁 → 刘烁)."""
    if not names:
        return tokens
    wanted = set(names)
    starts = {name[:k] for name in names for k in range(1, len(name))}
    if starts.isdisjoint(tokens):  # the usual case: no name was cut apart
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in starts:
            out.append(tokens[i])
            i += 1
            continue
        for width in (3, 2):
            joined = "".join(tokens[i : i + width])
            if width <= len(tokens) - i and joined in wanted:
                out.append(joined)
                i += width
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def segment(
    text: str,
    tk,
    names: list[str] = (),
    skip_spans: list[tuple[int, int]] = (),
) -> list[str]:
    """All tokens of ``text`` outside ``skip_spans`` (whitespace dropped), names merged.

    Each piece between skipped spans is cut in one call: both engines split at every non-word
    character first, so a token never spans a line break and cutting line by line would only
    add calls.
    """
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(skip_spans):
        pieces.append(text[pos:start])
        pos = max(pos, end)
    pieces.append(text[pos:])
    tokens: list[str] = []
    for piece in pieces:
        if piece:
            tokens.extend(tk.lcut(piece, HMM=True))
    blank = {t for t in set(tokens) if not t.strip()}  # a few distinct whitespace runs
    if blank:  # filtered by C-level calls: tokens run to millions per batch
        tokens = list(filterfalse(blank.__contains__, tokens))
    return _merge_names(tokens, list(names))


def keep_token(token: str, user_words: frozenset[str], stop: frozenset[str]) -> bool:
    """True for tokens that count in keyword statistics."""
    if token in user_words:
        return True
    if len(token) < 2 or token in stop or _NUMERIC.match(token):
        return False
    return bool(_KEEP.match(token))


_KEPT: dict[int, tuple[frozenset[str], dict[str, bool]]] = {}  # id(user words) → (them, token → kept)


def _kept_table(user_words: frozenset[str]) -> dict[str, bool]:
    entry = _KEPT.get(id(user_words))
    if entry is None or entry[0] is not user_words:
        if len(_KEPT) > 8:
            _KEPT.clear()
        entry = _KEPT[id(user_words)] = (user_words, {})
    table = entry[1]
    if len(table) > 50_000:  # bounded (~5 MB per worker): a long run with a huge vocabulary starts afresh
        table.clear()
    return table


def content_tokens(text: str, tk, user_words: frozenset[str], names: list[str] = (), skip_spans=()) -> list[str]:
    tokens = segment(text, tk, names, skip_spans)
    table = _kept_table(user_words)
    stop = stopwords()
    distinct = set(tokens)
    for t in distinct.difference(table):  # each new distinct token is judged once
        table[t] = keep_token(t, user_words, stop)
    if names:
        named = set(names)
        kept = {t for t in distinct if table[t] or t in named}
        return list(filter(kept.__contains__, tokens))
    return list(filter(table.__getitem__, tokens))
