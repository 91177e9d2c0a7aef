"""What the corpus itself knows about places: documents left without a place (or only with a
coarse one) borrow it from the store's other documents.

An article of a county site often never names its county ("县委书记X", "全县", a township).
Other documents of the store do: pages of the same site located by their address or their
text, the same official seen with a local title in located documents, the same township named
in located documents. After an ingest (``store.update_corpus_places``) every document whose
region is unknown, ambiguous, a province or a city is revisited with three kinds of evidence:

* ``corpus_site``: other documents of the same host (www./m. dropped) lie, ``SITE_SHARE`` of
  the host's located documents and at least ``SITE_MIN`` of them (or one located with the
  address's help), in or below one unit — the deepest such unit;
* ``corpus_official``: an official named with a county (or city) title and no place (县长王某)
  is seen, in located documents, with that level of title in exactly one unit (a
  two-character name, which other counties' officials share too often, only with other
  agreeing evidence);
* ``corpus_town``: a township name shared by several counties of the country is named, in
  located documents, only in one of them.

Precision first: lenders are documents located by their own evidence with ``region_confidence``
≥ ``LEND_CONFIDENCE`` (never by the corpus), every piece of evidence must lie on one line of
units (else nothing is said), the answer must lie below what the document already says (the
province or city it names, one of its ambiguous candidates), and it must be deeper than that.
The evidence names the documents that lent it. Documents settled so by an earlier ingest keep
what they were before (``corpus_before``) and are revisited each time, so a second ingest of
more files can settle, or unsettle, earlier documents.

Inputs are small aggregates read by SQL (counts per host and unit, per official and unit, per
township and county) and the borrowers' few fields; the functions here are pure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .divisions import Divisions
from .region_signals import LEVEL_RANK

LEND_CONFIDENCE = 0.9  # a document lends its place when located at least this surely
SITE_MIN = 2  # documents of a host that must agree on a unit
SITE_SHARE = 0.75  # … and their share of the host's located documents
SHORT_NAME = 2  # an official's name this short settles a place only with other agreeing evidence
OFFICIAL_LEVELS = {"county": "district", "city": "city"}  # an official's title level → unit level
MAX_LENDERS_LISTED = 5
CORPUS_SIGNALS = ("corpus_site", "corpus_official", "corpus_town")
BEFORE = "corpus_before"


@dataclass(frozen=True)
class Vote:
    """One piece of corpus evidence: ``kind`` says ``key`` lies in ``code``, lent by ``lenders``."""

    kind: str
    key: str
    code: str
    lenders: tuple[str, ...]
    n: int


@dataclass
class Borrower:
    """A document the corpus may place: its current answer and what it can be linked by."""

    doc_id: str
    host: str | None
    adcode: str | None
    level: str
    candidates: list[str] = field(default_factory=list)  # adcodes of an ambiguous answer
    officials: list[tuple[str, str, str]] = field(default_factory=list)  # (name, level, role) with no place
    towns: list[str] = field(default_factory=list)


def normal_host(host: str | None) -> str | None:
    """The host a site's pages share: lower case, without www./m./wap. and a port."""
    if not host:
        return None
    host = host.lower().split(":")[0].strip(".")
    for prefix in ("www.", "m.", "wap."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    return host or None


def site_units(counts: list[tuple[str, str, int, int, list[str]]], div: Divisions) -> dict[str, Vote]:
    """``counts``: (host, adcode, documents, of which located with the address's help, some
    doc_ids) over the lenders. Per host, the deepest unit holding ``SITE_SHARE`` of the host's
    lenders and at least ``SITE_MIN`` of them — or one, located with the address's help (an
    address several units share, settled by that page's text)."""
    by_host: dict[str, list[tuple[str, int, int, list[str]]]] = defaultdict(list)
    for host, code, n, n_url, ids in counts:
        if host and code in div.units:
            by_host[host].append((code, n, n_url, list(ids)))
    out: dict[str, Vote] = {}
    for host, rows in by_host.items():
        total = sum(n for _, n, _, _ in rows)
        held: Counter = Counter()
        by_url: Counter = Counter()
        lent: dict[str, list[str]] = defaultdict(list)
        for code, n, n_url, ids in rows:
            for unit in (code, *div.ancestors(code)):
                held[unit] += n
                by_url[unit] += n_url
                lent[unit] += ids
        fit = [u for u, n in held.items() if n >= SITE_SHARE * total and (n >= SITE_MIN or by_url[u] >= 1)]
        if fit:
            best = max(fit, key=lambda u: (LEVEL_RANK.get(div.units[u].level, -1), held[u]))
            out[host] = Vote("corpus_site", host, best, tuple(lent[best][:MAX_LENDERS_LISTED]), held[best])
    return out


def role(title: str | None, div: Divisions | None = None) -> str:
    """An official's present role: the last of the titles held (市政协副主席、县委书记 → 县委书记),
    without the place written before it (肥西县委书记 → 县委书记), an acting one as the role
    itself (代县长 → 县长)."""
    last = (title or "").split("、")[-1].strip()
    if div is not None:
        cut = next((k for k in range(1, len(last) - 1) if last[:k] in div.surfaces and last[k] in "省市县区州旗盟"), 0)
        last = last[cut:]
    return last[1:] if last.startswith("代") and len(last) > 2 else last


def official_units(rows: list[tuple[str, str, str, str, int, list[str]]], div: Divisions
                   ) -> dict[tuple[str, str, str], Vote]:
    """``rows``: (name, title level, role, unit adcode, documents, some doc_ids) — officials seen
    with a county or city title in located documents. Keyed (name, level, role): a name seen at
    that level in exactly one unit, with that role (曹拥军, 县长 of one county and later 县委书记
    of its neighbour: the role tells the two apart, or nothing is said)."""
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen: dict[tuple[str, str, str], list[tuple[str, int, list[str]]]] = defaultdict(list)
    for name, level, held, code, n, ids in rows:
        if code in div.units:
            units[(name, level)].add(code)
            seen[(name, level, held)].append((code, n, list(ids)))
    out: dict[tuple[str, str, str], Vote] = {}
    for key, found in seen.items():
        if len(units[key[:2]]) == 1:
            ids = [i for _, _, some in found for i in some]
            n = sum(n for _, n, _ in found)
            out[key] = Vote("corpus_official", key[0], found[0][0], tuple(ids[:MAX_LENDERS_LISTED]), n)
    return out


def town_units(rows: list[tuple[str, str, int, list[str]]], div: Divisions) -> dict[str, Vote]:
    """``rows``: (township name, lender's county adcode, documents, some doc_ids). A township
    name that the country shares among several counties, named in located documents of only
    one of them (and that one among its candidates)."""
    seen: dict[str, dict[str, tuple[int, list[str]]]] = defaultdict(dict)
    for town, code, n, ids in rows:
        options = {c for c, _ in div.surfaces.get(town, ())}
        if len(options) > 1 and code in options:
            seen[town][code] = (n, list(ids))
    return {
        town: Vote("corpus_town", town, code, tuple(ids[:MAX_LENDERS_LISTED]), n)
        for town, places in seen.items() if len(places) == 1
        for code, (n, ids) in places.items()
    }


def _on_one_line(codes: list[str], div: Divisions) -> str | None:
    """The deepest code when every code is the others' ancestor or descendant, else None."""
    deepest = max(codes, key=lambda c: len(div.ancestors(c)))
    line = {deepest, *div.ancestors(deepest)}
    return deepest if all(c in line for c in codes) else None


def settle(
    b: Borrower,
    sites: dict[str, Vote],
    officials: dict[tuple[str, str, str], Vote],
    towns: dict[str, Vote],
    div: Divisions,
) -> tuple[str, list[Vote]] | None:
    """The unit the corpus places ``b`` in and the votes that agree, or None."""
    votes: list[Vote] = []
    if b.host and b.host in sites:
        votes.append(sites[b.host])
    votes += [officials[k] for k in dict.fromkeys(b.officials) if k in officials]
    votes += [towns[t] for t in dict.fromkeys(b.towns) if t in towns]
    if not votes:
        return None
    if all(v.kind == "corpus_official" and len(v.key) <= SHORT_NAME for v in votes) and len(votes) < 2:
        return None  # 王波: two-character names recur in other counties with the same title
    code = _on_one_line([v.code for v in votes], div)
    if code is None:
        return None  # the corpus contradicts itself: say nothing
    if b.level in ("province", "city") and b.adcode in div.units:
        if b.adcode not in div.ancestors(code):
            return None  # not below what the document says, or not deeper
    elif b.level == "ambiguous" and b.candidates:
        if not any(c == code or c in div.ancestors(code) or code in div.ancestors(c) for c in b.candidates):
            return None
    return code, votes


def evidence(votes: list[Vote], before: dict) -> list[dict]:
    """The evidence entries of a corpus answer (first), and what the document said before."""
    out = [{"signal": v.kind, "mention": v.key, "adcode": v.code, "weight": v.n, "lenders": list(v.lenders)}
           for v in votes]
    return [*out, {"signal": BEFORE, "mention": before.get("level"), "adcode": before.get("adcode"),
                   "weight": before.get("confidence"), "before": before}]


def restore(region_evidence: list[dict]) -> tuple[dict, list[dict]] | None:
    """A document settled by the corpus: what it said before, and its own evidence then."""
    for i, entry in enumerate(region_evidence or []):
        if entry.get("signal") == BEFORE:
            return entry.get("before") or {}, list(region_evidence[i + 1:])
    return None


def explain(region_evidence: list[dict], lang: str = "zh") -> str | None:
    """One sentence for a reader saying that, and how, the corpus placed a document; None when
    the document's own evidence placed it."""
    from .i18n import t

    lent = [e for e in region_evidence or [] if e.get("signal") in CORPUS_SIGNALS]
    if not lent:
        return None
    sep = "；" if lang == "zh" else "; "
    how = sep.join(t(e["signal"], lang).format(key=e.get("mention"), n=e.get("weight")) for e in lent)
    lenders = ", ".join(dict.fromkeys(i for e in lent for i in e.get("lenders") or []))
    return t("corpus_place", lang).format(how=how, lenders=lenders)
