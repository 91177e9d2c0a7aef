"""Segmentation, done once at ingest: jieba with user words that must never be split.

User words: every lexicon surface form, every place name of the division table and aliases
(added to jieba's dictionary), and each document's officials (merged after cutting, so one
document's names never change another's segmentation). Corrupt spans are skipped. Tokens kept
for keyword statistics drop stopwords (stopwordsiso + ``data/stopwords_extra.txt``), numbers,
dates, units, punctuation and single characters (except user words).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .resources import DATA_DIR, read_word_list

_KEEP = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff0-9A-Za-z+＋]*$")
_NUMERIC = re.compile(r"^[0-9０-９一二三四五六七八九十百千万亿两零〇几第]+[年月日号个项条次万亿元%％]?$")
USER_WORD_FREQ = 2000


@lru_cache(maxsize=1)
def stopwords(extra: Path = DATA_DIR / "stopwords_extra.txt") -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh")) | read_word_list(extra)


class RustJieba:
    """jieba-rs (rjieba) behind jieba's ``lcut``: the same dictionary and HMM, ~15× faster.

    Not the default: its output is not identical to jieba's. Raw tokens differ on digit–hyphen
    runs (``2019-2020`` is one token, not three), which never reach the stored tokens, and its
    HMM joins a few unknown words differently (1 stored token in 367 140 on 300 Hebei documents:
    ``中高致`` for ``中`` + ``高致``). Opt in with TIFA_SEGMENTER=rjieba.
    """

    def __init__(self, engine):
        self.engine = engine

    def lcut(self, text: str, HMM: bool = True) -> list[str]:  # noqa: N803 - jieba's spelling
        return self.engine.cut(text, HMM)


def engine_name() -> str:
    """``jieba`` (the reference), or ``rjieba`` when TIFA_SEGMENTER=rjieba and it is installed."""
    wanted = os.environ.get("TIFA_SEGMENTER", "jieba")
    if wanted == "rjieba":
        try:
            import rjieba  # noqa: F401
        except ImportError:
            return "jieba"
    return wanted


@lru_cache(maxsize=4)
def tokenizer(user_words: frozenset[str], engine: str | None = None):
    """A segmenter (``lcut``) with ``user_words`` added, never split (cached per word set)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    words = [w for w in sorted(user_words) if len(w) >= 2 and not re.search(r"\s", w)]
    freqs = {w: max(USER_WORD_FREQ, tk.FREQ.get(w, 0) or 0) for w in words}
    if (engine or engine_name()) == "rjieba":
        import rjieba

        rust = rjieba.Jieba()
        for word in words:
            rust.add_word(word, freqs[word], None)
        return RustJieba(rust)
    for word in words:
        tk.add_word(word, freq=freqs[word])
    return tk


def static_user_words(lexicon_surfaces: list[str], place_names: list[str]) -> frozenset[str]:
    # Long expansions joined by 、 are counted by the matcher, not kept as tokens.
    return frozenset(w for w in [*lexicon_surfaces, *place_names] if "、" not in w and len(w) <= 12)


def _merge_names(tokens: list[str], names: list[str]) -> list[str]:
    """Join consecutive tokens that spell one of ``names`` (刘 + 烁 → 刘烁)."""
    if not names:
        return tokens
    wanted = set(names)
    starts = {name[:k] for name in names for k in range(1, len(name))}
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
    """All tokens of ``text`` outside ``skip_spans`` (whitespace dropped), names merged."""
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(skip_spans):
        pieces.append(text[pos:start])
        pos = max(pos, end)
    pieces.append(text[pos:])
    tokens: list[str] = []
    for piece in pieces:
        for line in piece.split("\n"):
            if line:
                tokens.extend(t for t in tk.lcut(line, HMM=True) if t.strip())
    return _merge_names(tokens, list(names))


def keep_token(token: str, user_words: frozenset[str], stop: frozenset[str]) -> bool:
    """True for tokens that count in keyword statistics."""
    if token in user_words:
        return True
    if len(token) < 2 or token in stop or _NUMERIC.match(token):
        return False
    return bool(_KEEP.match(token))


@lru_cache(maxsize=500_000)
def _keep_cached(token: str, user_words: frozenset[str]) -> bool:
    return keep_token(token, user_words, stopwords())


def content_tokens(
    text: str, tk, user_words: frozenset[str], names: list[str] = (), skip_spans=()
) -> list[str]:
    named = set(names)
    return [t for t in segment(text, tk, names, skip_spans) if t in named or _keep_cached(t, user_words)]
