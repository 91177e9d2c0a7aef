"""Dates: publication time from the page or its address, event date from the lead, honest ranges.

Pure functions over strings. The decision reads top to bottom in ``resolve_dates``:

1. **given** metadata wins (``date_precision = "given"``);
2. **publication**: the page's own 发布时间 line (lifted by ``clean.py``'s chrome rules), else
   the date in the address (``url_dates``); when both exist and disagree, the page's line wins
   (an address date can be a re-publication or a site migration) and the evidence says so;
3. **event** date from the lead: ``[YYYY年]M月D日``; without a year, the latest such date not
   after publication + 7 days (an event of late December published in January belongs to the
   previous year);
4. with neither, an **inferred range** ``[earliest, latest]`` from every era marker the text
   names (``data/era_markers.toml``): openers bound it from below, closers from above, and a
   marker's usual window (学习贯彻二十大精神 within about a year) narrows it where it agrees with
   the hard bounds. A point ``date`` is given only when the range (with the lead's month and day)
   leaves one year — ``date_precision = "inferred"``; otherwise ``date`` stays empty and the
   range is kept — ``date_precision = "range"``;
5. with no evidence at all, ``unknown``.

Every result carries ``earliest`` / ``latest`` (the store's ``date_earliest`` / ``date_latest``):
the day itself for a day, the month or year for a coarser address, the inferred range otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from .prefilter import PatternSet
from .resources import EraMarker
from .url_dates import EARLIEST, UrlDate, date_from_url

_LEAD_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日")
_DATETIME = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?"
    r"(?:\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?"
)
LEAD_WINDOW = 80  # characters of the lead searched for the event date
PUBLICATION_SLACK = timedelta(days=7)
EVENT_BEFORE_MONTH = timedelta(days=62)  # how long before a month-dated page its lead's event may lie

PRECISIONS = ("day", "month", "year", "given", "inferred", "range", "unknown")
SETTLED = ("day", "month", "year", "given")  # read, not inferred


@dataclass(frozen=True)
class DateResult:
    published_at: datetime | None
    event_date: date | None
    date: date | None
    precision: str  # one of PRECISIONS
    evidence: str
    earliest: date | None = None
    latest: date | None = None


_GIVEN_PARTIAL = re.compile(r"\s*(?P<y>(?:19|20)\d{2})\s*(?:[-/.年]\s*(?P<m>\d{1,2})\s*月?)?\s*年?\s*")


def given_partial(value: str | None) -> tuple[date, date, str] | None:
    """A given date of a year or a month only (``2024``, ``2024年``, ``2024-03``, ``2024年3月``):
    (1st day, last day, ``year`` | ``month``); None for anything else, full dates included."""
    m = _GIVEN_PARTIAL.fullmatch(str(value or ""))
    if not m:
        return None
    y = int(m["y"])
    if m["m"] is None:
        return date(y, 1, 1), date(y, 12, 31), "year"
    month = int(m["m"])
    if not 1 <= month <= 12:
        return None
    first = date(y, month, 1)
    return first, _end_of(UrlDate(first, "month", "given", str(value))), "month"


def parse_datetime(value: str | None) -> datetime | None:
    """``2021-9-6 13:06`` / ``2021年9月6日`` / ``2024-07-05`` → datetime; None if unparsable."""
    if not value:
        return None
    m = _DATETIME.search(str(value))
    if not m:
        return None
    try:
        return datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0))
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _end_of(found: UrlDate) -> date:
    if found.precision == "day":
        return found.date
    if found.precision == "month":
        nxt = date(found.date.year + (found.date.month == 12), found.date.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return date(found.date.year, 12, 31)


def lead_date(text: str) -> tuple[int | None, int, int, str] | None:
    """The first ``[YYYY年]M月D日`` in the lead: (year or None, month, day, matched text)."""
    m = _LEAD_DATE.search(text[:LEAD_WINDOW])
    if not m:
        return None
    return (int(m["y"]) if m["y"] else None, int(m["m"]), int(m["d"]), m.group())


def markers_found(text: str, markers: tuple[EraMarker, ...]) -> list[EraMarker]:
    """The markers named in ``text``, in their order (one literal pass, then their patterns)."""
    return [markers[i] for i in _pattern_set(markers).matching(text)]


@lru_cache(maxsize=8)
def _pattern_set(markers: tuple[EraMarker, ...]) -> PatternSet:
    return PatternSet([mk.pattern for mk in markers])


# --- signals --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    at: datetime | None  # a day (with the time when the page gives it)
    earliest: date | None
    latest: date | None
    precision: str  # day | month | year | unknown
    evidence: str


def publication(published: str | None, url: str | None, today: date) -> Publication:
    """The publication date: the page's own line, else the address; the conflict noted."""
    page = parse_datetime(published)
    if page and not (EARLIEST <= page.date() <= today + timedelta(days=1)):
        page = None
    from_url = date_from_url(url, today)
    if page:
        note = f"publication {published!r} from the page"
        if from_url and not (from_url.date <= page.date() <= _end_of(from_url)):
            note += f"; the {from_url.evidence} disagrees and is not used"
        return Publication(page, page.date(), page.date(), "day", note)
    if from_url:
        at = datetime.combine(from_url.date, datetime.min.time()) if from_url.precision == "day" else None
        return Publication(
            at, from_url.date, _end_of(from_url), from_url.precision, f"publication from the {from_url.evidence}"
        )
    return Publication(None, None, None, "unknown", "")


def event_from_lead(lead: tuple[int | None, int, int, str] | None, pub: Publication) -> tuple[date | None, str]:
    """The lead's event date, with its year from the lead or from the publication."""
    if not lead:
        return None, ""
    year, month, day, matched = lead
    if year:
        event = _safe_date(year, month, day)
        return (event, f"event date {matched!r} in the lead") if event else (None, "")
    if pub.latest is None or pub.earliest is None:
        return None, ""
    lo = pub.earliest - (EVENT_BEFORE_MONTH if pub.precision != "day" else timedelta(days=366))
    for y in (pub.latest.year, pub.latest.year - 1):
        cand = _safe_date(y, month, day)
        if cand and lo <= cand <= pub.latest + PUBLICATION_SLACK:
            return cand, f"event {matched!r} in the lead; year from the publication"
    return None, ""


@dataclass(frozen=True)
class EraRange:
    earliest: date | None
    latest: date | None
    evidence: str


def era_range(text: str, markers: tuple[EraMarker, ...], today: date) -> EraRange | None:
    """[earliest, latest] from every marker named: openers, closers and usual windows."""
    found = markers_found(text, markers)
    if not found:
        return None
    openers = [mk for mk in found if mk.not_before]
    earliest = max((mk.not_before for mk in openers), default=None)
    closers = [mk for mk in found if mk.not_after]
    latest = min([today, *(mk.not_after for mk in closers)])
    notes = [f"{mk.label} ⇒ not before {mk.not_before.isoformat()}" for mk in openers]
    notes += [f"{mk.label} ⇒ not after {mk.not_after.isoformat()}" for mk in closers]
    for mk in sorted((mk for mk in found if mk.usually_until), key=lambda mk: mk.usually_until):
        if earliest and mk.usually_until < earliest:
            notes.append(
                f"{mk.label}: usually until {mk.usually_until.isoformat()}, "
                "but a later opener rules that out (window not used)"
            )
        elif mk.usually_until < latest:
            latest = mk.usually_until
            notes.append(f"{mk.label} ⇒ usually until {mk.usually_until.isoformat()}")
    return EraRange(earliest, latest, "; ".join(notes))


def settle_year(rng: EraRange, lead: tuple[int | None, int, int, str] | None) -> tuple[date | None, str]:
    """A point date when the range, with the lead's month and day, leaves a single year."""
    if rng.earliest is None or rng.latest is None or rng.earliest > rng.latest:
        return None, ""
    if lead:
        _, month, day, matched = lead
        fits = [
            c
            for y in range(rng.earliest.year, rng.latest.year + 1)
            if (c := _safe_date(y, month, day)) and rng.earliest <= c <= rng.latest
        ]
        if len(fits) == 1:
            return fits[0], f"year inferred: only {fits[0].year} puts {matched} within the range"
        return None, ""
    if rng.earliest.year == rng.latest.year:
        return rng.earliest, f"year inferred: the whole range lies in {rng.earliest.year}"
    return None, ""


TENURE_SLACK = timedelta(days=365)  # a title is held beyond the dates the store has seen it


def narrow_by_tenures(
    earliest: date | None,
    latest: date | None,
    tenures: list[tuple[str, date, date]],
    lead: tuple[int | None, int, int, str] | None,
    today: date,
) -> DateResult | None:
    """Corpus evidence for an undated document: the same official with the same title seen in
    dated documents between two dates (``tenures``: (who, first, last)). Each bounds the range to
    [first − a year, last + a year]; a point date only when, with the lead's day, one year is left
    *and* that day lies where every official was actually seen with the title (a tenure outlasts
    what a store has seen, so the slack narrows ranges but never settles a year). None when the
    evidence adds nothing or conflicts."""
    lo, hi = earliest or EARLIEST, latest or today
    seen_lo = max((first for _, first, _ in tenures), default=lo)
    seen_hi = min((last for _, _, last in tenures), default=hi)
    used = []
    for who, first, last in tenures:
        a, b = max(lo, first - TENURE_SLACK), min(hi, last + TENURE_SLACK)
        if a > b:
            return None  # conflicting evidence: keep what the document had
        if (a, b) != (lo, hi):
            used.append(f"{who} seen with this title {first.isoformat()} – {last.isoformat()}")
            lo, hi = a, b
    if not used:
        return None
    rng = EraRange(lo, hi, "; ".join(used))
    point, how = settle_year(rng, lead)
    span = f"[{lo.isoformat()}, {hi.isoformat()}]"
    if point and seen_lo <= point <= seen_hi:
        return DateResult(
            None, point if lead else None, point, "inferred", f"{how} {span}; corpus: {rng.evidence}", lo, hi
        )
    return DateResult(None, None, None, "range", f"date not settled: range {span}; corpus: {rng.evidence}", lo, hi)


def narrow_by_neighbours(
    earliest: date | None,
    latest: date | None,
    below: date | None,
    above: date | None,
    evidence: str,
    lead: tuple[int | None, int, int, str] | None,
    today: date,
) -> DateResult | None:
    """Corpus evidence for an undated page: its site's dated pages numbered just below and just
    above it (``site_dates``) bound its range; a point date when one year is left. None when the
    evidence adds nothing or conflicts with what the document knew."""
    lo, hi = max(earliest or EARLIEST, below or EARLIEST), min(latest or today, above or today)
    if lo > hi:
        return None
    if (lo, hi) == (earliest or EARLIEST, latest or today):
        return None
    rng = EraRange(lo, hi, evidence)
    point, how = settle_year(rng, lead)
    span = f"[{lo.isoformat()}, {hi.isoformat()}]"
    if point:
        return DateResult(None, point if lead else None, point, "inferred", f"{how} {span}; {evidence}", lo, hi)
    return DateResult(None, None, None, "range", f"date not settled: range {span}; {evidence}", lo, hi)


# --- the decision ---------------------------------------------------------------------------------


def resolve_dates(
    body: str,
    published: str | None,
    given_date: str | None,
    markers: tuple[EraMarker, ...],
    extra_text: str = "",
    url: str | None = None,
    today: date | None = None,
) -> DateResult:
    """Work out published_at, event_date and the analysis date with its precision, range, evidence."""
    today = today or date.today()
    pub = publication(published, url, today)
    lead = lead_date(body)
    event, event_note = event_from_lead(lead, pub)
    given = parse_datetime(given_date)
    partial = None if given else given_partial(given_date)
    if partial:  # the source knows the year (or month) only: 1 January (the 1st), dated to that precision
        first, last, precision = partial
        return DateResult(pub.at, event, first, precision, f"given metadata {given_date!r}", first, last)
    if given:
        return DateResult(
            pub.at, event, given.date(), "given", f"given metadata {given_date!r}", given.date(), given.date()
        )
    if event:
        note = "; ".join(n for n in (event_note, pub.evidence) if n)
        return DateResult(pub.at, event, event, "day", note, event, event)
    if pub.precision != "unknown":
        return DateResult(pub.at, None, pub.earliest, pub.precision, pub.evidence, pub.earliest, pub.latest)
    rng = era_range(extra_text + "\n" + body, markers, today)
    if rng is None:
        return DateResult(None, None, None, "unknown", "no date in the text or address and no era marker")
    point, how = settle_year(rng, lead)
    span = f"[{rng.earliest.isoformat() if rng.earliest else '…'}, {rng.latest.isoformat()}]"
    if point:
        return DateResult(
            None,
            point if lead else None,
            point,
            "inferred",
            f"{how} {span}; markers: {rng.evidence}",
            rng.earliest,
            rng.latest,
        )
    why = "the markers conflict" if rng.earliest and rng.earliest > rng.latest else "more than one year fits"
    return DateResult(
        None,
        None,
        None,
        "range",
        f"date not settled ({why}): range {span}; markers: {rng.evidence}",
        rng.earliest,
        rng.latest,
    )
