"""Domain data loaded once from ``data/`` files: rules, markers, aliases, lexicon, stopwords.

Every loader is cached and takes an explicit path so tests and users can point at their own
files. Regexes are compiled here, once (the textacy ``resources`` pattern).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import settings


def _shipped_data_dir() -> Path:
    """The data files shipped with Tifa: package ``analytics.data`` (the repository's top-level
    ``data/``, mapped by pyproject.toml), read through importlib.resources; a plain checkout
    that was never installed falls back to ``../data``."""
    from importlib.resources import files

    shipped = files("analytics") / "data"  # where the wheel puts it (a real folder: zip imports unsupported)
    if shipped.joinpath("formulations.toml").is_file():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "data"


DATA_DIR = settings.get_path("TIFA_DATA") or _shipped_data_dir()


def user_files_dir() -> Path:
    """Where Tifa writes (default store, user lexicon): ``data/`` of a source checkout, else the
    user data folder (platformdirs) — never inside the installed package."""
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").is_file() and (repo / "data" / "formulations.toml").is_file():
        return repo / "data"
    import platformdirs

    return platformdirs.user_data_path("tifa", appauthor=False)


class DataFileError(ValueError):
    """A data file (lexicon, rules) that cannot be parsed; the message names file and line."""


def load_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:  # message carries "(at line N, column M)"
        raise DataFileError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise DataFileError(f"{path}: {exc.strerror or exc}") from exc


# --- boilerplate rules -------------------------------------------------------------------


@dataclass(frozen=True)
class LineRule:
    name: str
    pattern: re.Pattern[str]
    sets: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BoilerplateRules:
    lines: tuple[LineRule, ...]
    tails: tuple[LineRule, ...]
    heads: tuple[LineRule, ...] = ()  # a chrome prefix glued to a paragraph: split off, then read as a line


@lru_cache(maxsize=8)
def boilerplate_rules(path: Path = DATA_DIR / "boilerplate.toml") -> BoilerplateRules:
    raw = load_toml(path)

    def build(items: list[dict]) -> tuple[LineRule, ...]:
        rules = []
        for item in items:
            try:
                pattern = re.compile(item["pattern"])
            except re.error as exc:
                raise DataFileError(f"{path}: rule {item.get('name')!r}: {exc}") from exc
            rules.append(LineRule(item["name"], pattern, tuple((item.get("sets") or {}).items())))
        return tuple(rules)

    return BoilerplateRules(build(raw.get("line", [])), build(raw.get("tail", [])), build(raw.get("head", [])))


# --- era markers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EraMarker:
    pattern: re.Pattern[str]
    not_before: date | None
    label: str
    not_after: date | None = None  # hard closer
    usually_until: date | None = None  # end of the window in which the marker is typically current


@lru_cache(maxsize=8)
def era_markers(path: Path = DATA_DIR / "era_markers.toml") -> tuple[EraMarker, ...]:
    raw = load_toml(path)
    return tuple(
        EraMarker(re.compile(m["pattern"]), m.get("not_before"), m.get("label", m["pattern"]),
                  m.get("not_after"), m.get("usually_until"))
        for m in raw.get("marker", [])
    )


# --- word lists -----------------------------------------------------------------------------


def read_word_list(path: Path) -> frozenset[str]:
    """One entry per line; blank lines and lines starting with '#' are ignored."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=4)
def not_places(path: Path = DATA_DIR / "not_places.txt") -> frozenset[str]:
    return read_word_list(path)


def jieba_dictionary() -> Path:
    """jieba's own dictionary file (also the one rjieba embeds)."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    return Path(spec.origin).parent / "dict.txt"


@lru_cache(maxsize=1)
def char_rank() -> dict[str, int]:
    """Rank of each character by its weight in jieba's dictionary (0 = most frequent).

    Used to tell rare characters (typical of mojibake) from ordinary text. Compiled once into
    the cache (analytics/cache.py), keyed by the dictionary's hash.
    """
    from .cache import cached

    path = jieba_dictionary()
    return cached("char_rank", lambda: _build_char_rank(path), deps=[path])


def _build_char_rank(dict_path: Path) -> dict[str, int]:
    weights: dict[str, int] = {}
    with open(dict_path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                weights[ch] = weights.get(ch, 0) + freq
    ordered = sorted(weights, key=weights.__getitem__, reverse=True)
    return {ch: i for i, ch in enumerate(ordered)}


def jieba_frequencies(words: tuple[str, ...]) -> dict[str, int]:
    """Each word's frequency in jieba's dictionary (0 when absent), cached per word set, so the
    fast engine never loads jieba's 350 000-entry table to add user words."""
    from .cache import cached

    path = jieba_dictionary()
    digest = hashlib.blake2b("\n".join(words).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def build() -> dict[str, int]:
        out = dict.fromkeys(words, 0)
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                word, _, rest = line.partition(" ")
                if word in out:
                    out[word] = int(rest.split(" ", 1)[0])
        return out

    return cached("jieba_freq", build, deps=[path], key=digest)
