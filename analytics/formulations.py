"""The formulation lexicon and exact counting.

Counting rule (documented in the README): all surface forms of all entries go into one
Aho–Corasick automaton; matches are taken **leftmost-longest** and never overlap (so
``碳达峰、碳中和`` counts once, not also as ``碳达峰``); a variant counts under its canonical
form; an entry's ``exclude`` strings take part in the matching but count for nothing
(``创新发展理念`` hides ``新发展理念``); matches that touch a corrupt span are dropped.
Title and body are counted, the summary never is.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from .resources import DATA_DIR, DataFileError, load_toml

KINDS = ("slogan", "target", "campaign", "programme", "image", "work style")
SCOPES = ("national", "provincial", "city", "local")
def user_lexicon_path() -> Path:
    """Where accepted candidates go: $TIFA_USER_LEXICON, else user_lexicon.toml in data/ of a
    checkout or in the user data folder (never inside the installed package)."""
    from . import settings
    from .resources import user_files_dir

    return settings.get_path("TIFA_USER_LEXICON") or user_files_dir() / "user_lexicon.toml"


@dataclass(frozen=True)
class Formulation:
    canonical: str
    variants: tuple[str, ...] = ()
    kind: str = "slogan"
    scope: str = "local"
    place: str | None = None
    meaning: str = ""
    first_known: date | None = None
    exclude: tuple[str, ...] = ()  # longer strings inside which a match does not count
    source: str = ""  # the lexicon file it came from

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.canonical, *self.variants)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Formulation, ...]
    automaton: object = field(repr=False, compare=False)
    version: str = ""  # hash of the entries: counts are stale when it changes

    def get(self, canonical: str) -> Formulation | None:
        return next((f for f in self.entries if f.canonical == canonical), None)

    @property
    def canonicals(self) -> list[str]:
        return [f.canonical for f in self.entries]


def parse_lexicon(path: Path) -> list[Formulation]:
    raw = load_toml(path)
    out = []
    for i, item in enumerate(raw.get("formulation", []), start=1):
        if "canonical" not in item:
            raise DataFileError(f"{path}: entry {i} has no 'canonical'")
        fk = item.get("first_known")
        if isinstance(fk, str):
            fk = date.fromisoformat(fk)
        out.append(
            Formulation(
                canonical=item["canonical"],
                variants=tuple(v for v in item.get("variants", []) if v != item["canonical"]),
                kind=item.get("kind", "slogan"),
                scope=item.get("scope", "local"),
                place=item.get("place"),
                meaning=item.get("meaning", ""),
                first_known=fk,
                exclude=tuple(item.get("exclude", [])),
                source=path.name,
            )
        )
    return out


def lexicon_paths(extra: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    paths = [DATA_DIR / "formulations.toml"]
    if user_lexicon_path().exists():
        paths.append(user_lexicon_path())
    return (*paths, *extra)


@lru_cache(maxsize=8)
def load_lexicon(paths: tuple[Path, ...] | None = None) -> Lexicon:
    """Merge lexicon files in order; a later entry with the same canonical form wins."""
    import ahocorasick

    merged: dict[str, Formulation] = {}
    for path in paths or lexicon_paths():
        try:
            entries = parse_lexicon(Path(path))
        except DataFileError as exc:
            if Path(path) != user_lexicon_path():
                raise
            # The user lexicon is the file users (and `discover --accept`) write: a broken one
            # is reported and skipped, so every other command keeps working.
            logging.getLogger("tifa").warning("skipped the user lexicon: %s", exc)
            continue
        for f in entries:
            if Path(path) == user_lexicon_path():
                try:
                    validate_entry(f)
                except ValueError as exc:
                    logging.getLogger("tifa").warning("skipped an entry of the user lexicon %s: %s", path, exc)
                    continue
            merged[f.canonical] = f
    automaton = ahocorasick.Automaton()
    for f in merged.values():
        for surface in f.surfaces:
            automaton.add_word(surface, (surface, f.canonical))
        for blocker in f.exclude:  # wins leftmost-longest, counts for nothing
            automaton.add_word(blocker, (blocker, None))
    if merged:
        automaton.make_automaton()
    digest = hashlib.sha1(
        repr(sorted((f.canonical, f.variants, f.exclude) for f in merged.values())).encode()
    ).hexdigest()[:12]
    return Lexicon(tuple(merged.values()), automaton, digest)


def find_matches(
    text: str, lexicon: Lexicon, skip_spans: list[tuple[int, int]] = ()
) -> list[tuple[int, int, str]]:
    """Leftmost-longest, non-overlapping matches: (start, end, canonical)."""
    if not lexicon.entries or not text:
        return []
    found = [
        (end - len(surface) + 1, end + 1, canonical)
        for end, (surface, canonical) in lexicon.automaton.iter(text)
    ]
    found.sort(key=lambda t: (t[0], t[0] - t[1]))
    out = []
    last_end = -1
    for start, end, canonical in found:
        if start < last_end:
            continue
        if any(start < s_end and s_start < end for s_start, s_end in skip_spans):
            continue
        last_end = end
        if canonical is not None:
            out.append((start, end, canonical))
    return out


def count_formulations(
    title: str | None, body: str, lexicon: Lexicon, corrupt: list[tuple[int, int]] = ()
) -> dict[str, int]:
    """{canonical: count} over title and body (corrupt spans are offsets into ``body``)."""
    counts: Counter[str] = Counter()
    if title:
        counts.update(c for _, _, c in find_matches(title, lexicon))
    counts.update(c for _, _, c in find_matches(body, lexicon, corrupt))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


MAX_SURFACE_CHARS = 40


def validate_entry(entry: Formulation) -> None:
    """Raise ValueError unless every surface form is a sane term: 2–40 characters, no control
    characters, line breaks or tabs, no leading or trailing space."""
    import unicodedata

    if entry.kind not in KINDS or entry.scope not in SCOPES:
        raise ValueError(f"kind must be one of {KINDS} and scope one of {SCOPES}")
    for surface in entry.surfaces:
        if not 2 <= len(surface) <= MAX_SURFACE_CHARS:
            raise ValueError(f"{surface!r}: a formulation has 2 to {MAX_SURFACE_CHARS} characters")
        if surface != surface.strip() or any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in surface):
            raise ValueError(f"{surface!r}: control characters, line breaks or edge spaces are not allowed")
    for text in (entry.place or "", entry.meaning):
        if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
            raise ValueError(f"{text!r}: control characters are not allowed")


def append_user_entry(entry: Formulation, path: Path | None = None) -> Path:
    """Add a validated entry to the user lexicon file (created on first use); returns the file.

    Written with tomlkit (the user's comments and layout are kept), never by string formatting;
    a user lexicon that does not parse is left alone and reported with its line.
    """
    import tomlkit

    validate_entry(entry)
    path = path or user_lexicon_path()
    if path.exists():
        load_toml(path)  # a broken file raises DataFileError naming the path and line
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("User additions to the formulation lexicon (same format as formulations.toml)"))
    item = {"canonical": entry.canonical}
    if entry.variants:
        item["variants"] = list(entry.variants)
    item |= {"kind": entry.kind, "scope": entry.scope}
    if entry.place:
        item["place"] = entry.place
    item["meaning"] = entry.meaning
    if "formulation" not in doc:
        doc.append("formulation", tomlkit.aot())
    doc["formulation"].append(item)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tmp.replace(path)
    load_lexicon.cache_clear()
    return path
