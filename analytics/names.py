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
from functools import lru_cache
from pathlib import Path

from .resources import DATA_DIR, load_toml, read_word_list

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


@lru_cache(maxsize=4)
def name_rules(path: Path = DATA_DIR / "official_titles.toml",
               extra: Path = DATA_DIR / "surnames_extra.txt") -> NameRules:
    single, double = _jionlp_surnames()
    for word in read_word_list(extra):
        (double if len(word) == 2 else single).add(word)
    raw = load_toml(path)
    followers = tuple(sorted(set(raw.get("name_followers", [])) | set(raw.get("name_breakers", "")),
                             key=len, reverse=True))
    return NameRules(frozenset(single), frozenset(double), followers, tuple(raw.get("name_never_starts", [])))


def starts_follower(text: str, pos: int, rules: NameRules) -> bool:
    """True when ``text[pos:]`` begins the next phrase (a verb, a conjunction) or is no name."""
    if pos >= len(text) or not _is_cjk(text[pos]):
        return True
    return any(text.startswith(f, pos) for f in rules.followers)


def surname_length(text: str, pos: int, rules: NameRules) -> int:
    """1 or 2 when a surname starts at ``pos``, else 0."""
    if text[pos : pos + 2] in rules.double:
        return 2
    return 1 if pos < len(text) and text[pos] in rules.single else 0


def read_name(text: str, pos: int, rules: NameRules, need_surname: bool = True) -> str | None:
    """The person's name starting at ``pos``, or None.

    Two or three characters (three or four with a compound surname): the short form when what
    follows it begins the next phrase; the long form when what follows *it* does; otherwise the
    form the document itself uses elsewhere.
    """
    if pos >= len(text) or not _is_cjk(text[pos]):
        return None
    if any(text.startswith(w, pos) for w in rules.never) or starts_follower(text, pos, rules):
        return None
    sur = surname_length(text, pos, rules)
    if not sur:
        if need_surname:
            return None
        sur = 1
    short, long_ = text[pos : pos + sur + 1], text[pos : pos + sur + 2]
    if len(short) < sur + 1 or not all(_is_cjk(c) for c in short):
        return None
    if starts_follower(text, pos + sur + 1, rules):
        return short
    if len(long_) == sur + 2 and starts_follower(text, pos + sur + 2, rules):
        return long_
    # neither end is marked: the form the document repeats
    if text.count(long_) >= 2 and text.count(long_) == text.count(short):
        return long_
    if text.count(short) > text.count(long_):
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
        return cand
    return None
