"""Person names: the packaged surname list and the 2-vs-3-character boundary.

Surnames come from JioNLP's full Baijiaxing list with its compound surnames (read from the
installed package's ``rule/rule_pattern.py`` as data, never imported; Apache-2.0) plus
``data/surnames_extra.txt``. A name after a title is a surname and one or two characters; where
it ends is decided by what follows (``data/official_titles.toml``: ``name_followers``, the words
that begin the next phrase — 致辞, 发表, 传达, 主持, 强调, 为, 及 …) and, where that leaves it
open, by the same person elsewhere in the document.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .resources import DATA_DIR, jieba_dictionary, load_toml, read_word_list

CJK = "\u4e00-\u9fff"


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _jionlp_surnames() -> tuple[set[str], set[str]]:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the surname list needs JioNLP: pip install jionlp")
    path = Path(next(iter(spec.submodule_search_locations))) / "rule" / "rule_pattern.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    single: set[str] = set()
    double: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Name):
            continue
        name = node.targets[0].id
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            continue
        if name == "SINGLE_CHINESE_FAMILY_NAME" and not single:  # the first, full list
            single = set(value)
        elif name == "TWO_CHAR_CHINESE_FAMILY_NAME":
            double = set(value.split("|"))
    return single, double


@dataclass(frozen=True)
class NameRules:
    single: frozenset[str]
    double: frozenset[str]
    followers: tuple[str, ...]  # longest first
    never: tuple[str, ...]  # a name never starts with these (关于, 的 …)
    never_ends: frozenset[str] = frozenset()  # a name seldom ends with these (等, 率 …)
    never_before: tuple[str, ...] = ()  # never directly after a name (委员会 …)

    @cached_property
    def follower_set(self) -> frozenset[str]:
        return frozenset(self.followers)

    @cached_property
    def follower_lengths(self) -> tuple[int, ...]:
        """The followers' lengths, longest first."""
        return tuple(sorted({len(f) for f in self.followers}, reverse=True))


@lru_cache(maxsize=4)
def name_rules(
    path: Path = DATA_DIR / "official_titles.toml", extra: Path = DATA_DIR / "surnames_extra.txt"
) -> NameRules:
    single, double = _jionlp_surnames()
    for word in read_word_list(extra):
        (double if len(word) == 2 else single).add(word)
    raw = load_toml(path)
    followers = tuple(
        sorted(set(raw.get("name_followers", [])) | set(raw.get("name_breakers", "")), key=len, reverse=True)
    )
    return NameRules(
        frozenset(single),
        frozenset(double),
        followers,
        tuple(raw.get("name_never_starts", [])),
        frozenset(raw.get("name_never_ends", "")),
        tuple(raw.get("name_never_before", [])),
    )


def follower_strength(text: str, pos: int, rules: NameRules) -> int:
    """How clearly ``text[pos:]`` begins the next phrase: 3 for punctuation or the end, the
    length of the follower word found there (强调 2, 及 1), 0 for none."""
    if pos >= len(text) or not _is_cjk(text[pos]):
        return 3
    for n in rules.follower_lengths:  # the longest follower there
        word = text[pos : pos + n]
        if len(word) == n and word in rules.follower_set:
            return n
    return 0


def clear_end(text: str, pos: int, rules: NameRules) -> bool:
    """A name clearly ends before ``pos``: punctuation, a follower word of two or more characters
    (参加, 陪同), a conjunction or a character that never ends a name (和, 等, 率, 及)."""
    return follower_strength(text, pos, rules) >= 2 or text[pos : pos + 1] in rules.never_ends | {"和", "与"}


def starts_follower(text: str, pos: int, rules: NameRules) -> bool:
    """True when ``text[pos:]`` begins the next phrase (a verb, a conjunction) or is no name."""
    return follower_strength(text, pos, rules) > 0


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], frozenset[str]]:
    """(two- and three-character words of jieba's dictionary with their frequency, the frequent
    function words among them), kept compiled in the user cache (analytics.cache: reading the
    dictionary costs about a second). Both come from the cache together, so a process that
    loads it reads names exactly as the process that built it."""
    from .cache import cached

    return cached("word_freq", _read_dictionary, deps=[jieba_dictionary(), Path(__file__)])


def word_freq() -> dict[str, int]:
    return _dictionary()[0]


def function_words() -> frozenset[str]:
    """Verbs, adverbs, conjunctions… (FUNCTION_TAGS) at least FUNCTION_WORD_FREQ frequent: never names."""
    return _dictionary()[1]


def _read_dictionary() -> tuple[dict[str, int], frozenset[str]]:
    """Only words at least RARE_WORD_FREQ frequent are kept (9 k of 245 k): every reading
    compares a frequency with a threshold at least that high, so a rarer word reads as absent
    (0) alike, and each worker holds a few hundred kilobytes instead of 40 MB."""
    out: dict[str, int] = {}
    function: set[str] = set()
    with open(jieba_dictionary(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and len(parts[0]) in (2, 3):
                freq = int(parts[1])
                if freq >= RARE_WORD_FREQ:
                    out[parts[0]] = freq
                if len(parts) >= 3 and parts[2] in FUNCTION_TAGS and freq >= FUNCTION_WORD_FREQ:
                    function.add(parts[0])
    return out, frozenset(function)


# jieba's part-of-speech tags of words that are never names: verbs, adverbs, conjunctions,
# prepositions, particles, pronouns (谈到, 常常, 而且 …)
FUNCTION_TAGS = frozenset({"v", "vd", "vi", "d", "c", "p", "u", "r", "ul", "uj", "uz", "ud", "ug", "uv"})
FUNCTION_WORD_FREQ = 300


COMMON_WORD_FREQ = 2000  # jieba frequency above which a word begins a phrase rather than being a name
VERY_COMMON_WORD_FREQ = 10_000
PHRASE_WORD_FREQ = 1000  # a word this frequent after a name's last character begins the next phrase
RARE_WORD_FREQ = 500  # the lowest frequency any reading compares with (word_freq keeps no rarer word)


def common_words() -> frozenset[str]:
    return _common(COMMON_WORD_FREQ)


@lru_cache(maxsize=4)
def _common(threshold: int) -> frozenset[str]:
    return frozenset(w for w, f in word_freq().items() if f >= threshold and len(w) == 2)


def looks_like_word(name: str, strict: bool = False) -> bool:
    """True when ``name`` reads as an ordinary word rather than a name (宣布, 国务院, 乐国际).

    A two-character name that is a frequent word, a three-character one that is a word or ends
    in a very frequent one; ``strict`` (a name read before its title) also rejects any frequent
    word inside it (解放周总理).
    """
    freq = word_freq()
    if freq.get(name, 0) >= COMMON_WORD_FREQ or name in function_words():
        return True
    if len(name) == 3 and (freq.get(name[1:], 0) >= VERY_COMMON_WORD_FREQ or freq.get(name[:2], 0) >= COMMON_WORD_FREQ):
        return True
    if strict:
        return any(freq.get(name[i : i + 2], 0) >= RARE_WORD_FREQ for i in range(len(name) - 1))
    return False


def surname_length(text: str, pos: int, rules: NameRules) -> int:
    """1 or 2 when a surname starts at ``pos``, else 0."""
    if text[pos : pos + 2] in rules.double:
        return 2
    return 1 if pos < len(text) and text[pos] in rules.single else 0


def read_name(text: str, pos: int, rules: NameRules, need_surname: bool = True) -> str | None:
    """The person's name starting at ``pos``, or None.

    Two or three characters (three or four with a compound surname). The end is where the next
    phrase most clearly begins (punctuation, then the longer follower word: 董秋实陪同 → 董秋实,
    蒋巍会见 → 蒋巍); on a tie the form the document repeats, else the short one; with no marked
    end, the side where a common word begins (彭映梅委托 → 彭映梅); otherwise no answer.
    """
    if pos >= len(text) or not _is_cjk(text[pos]):
        return None
    if text.startswith(rules.never, pos):
        return None
    sur = surname_length(text, pos, rules)
    first = follower_strength(text, pos, rules)
    if first > 1 or (first and not sur):  # a verb, not a name (强调…); a surname may be a follower (于, 向, 时)
        return None
    name = _read_name_end(text, pos, sur, need_surname, rules)
    if name and first and not clear_end(text, pos + len(name), rules):
        return None  # 于海南分别参加 is a name, 应由… is not: a surname that is also a follower needs a clear end
    return name


def _read_name_end(text: str, pos: int, sur: int, need_surname: bool, rules: NameRules) -> str | None:
    if not sur:
        if need_surname:
            return None
        sur = 1
    short, long_ = text[pos : pos + sur + 1], text[pos : pos + sur + 2]
    if len(short) < sur + 1 or not all(_is_cjk(c) for c in short):
        return None
    if text.startswith(rules.never_before, pos + len(short)):
        return None
    if long_[-1:] in rules.never_ends:
        return short
    if text.startswith(rules.never_before, pos + len(long_)):
        return None
    after_short = follower_strength(text, pos + sur + 1, rules)
    after_long = follower_strength(text, pos + sur + 2, rules) if len(long_) == sur + 2 and _is_cjk(long_[-1]) else 0
    if after_short or after_long:
        if after_short > after_long:
            return short
        if after_long > after_short:
            return long_
        repeated = text.count(long_) >= 2 and text.count(long_) == text.count(short)
        return long_ if repeated else short
    words = _common(PHRASE_WORD_FREQ)
    short_then_word = text[pos + sur + 1 : pos + sur + 3] in words
    long_then_word = text[pos + sur + 2 : pos + sur + 4] in words
    if long_then_word and not short_then_word:
        return long_
    if short_then_word and not long_then_word:
        return short
    return None  # cannot tell where the name ends: no answer rather than a wrong one


def read_name_before(text: str, end: int, rules: NameRules) -> str | None:
    """A name written just before a title (习近平总书记, 李强总理), ending at ``end``."""
    for length in (3, 2):
        start = end - length
        if start < 0:
            continue
        cand = text[start:end]
        if not all(_is_cjk(c) for c in cand) or not surname_length(text, start, rules):
            continue
        if length == 3 and start > 0 and _is_cjk(text[start - 1]) and text[start - 1] in rules.single:
            continue  # the character before could also start the name: let the 2-char form decide
        if starts_follower(text, start, rules) or cand.startswith(rules.never):
            continue
        if looks_like_word(cand, strict=True):
            continue
        return cand
    return None
