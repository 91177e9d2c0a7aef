"""Dates: publication time from the byline, event date from the lead, inferred years.

Pure functions over strings. The rule for the year of a lead date such as ``9月4日``:

* with a publication date, the latest such date not after publication + 7 days (an event
  in late December published in January belongs to the previous year);
* without one, the earliest date on or after every dated era marker the text names
  (``data/era_markers.toml``), marked ``inferred`` with the markers as evidence;
* with neither, no date: ``date_precision = "unknown"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .resources import EraMarker

_LEAD_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日")
_DATETIME = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})日?"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?"
)
LEAD_WINDOW = 80  # characters of the lead searched for the event date
PUBLICATION_SLACK = timedelta(days=7)


@dataclass(frozen=True)
class DateResult:
    published_at: datetime | None
    event_date: date | None
    date: date | None
    precision: str  # day | given | inferred | unknown
    evidence: str


def parse_datetime(value: str | None) -> datetime | None:
    """``2021-9-6 13:06`` / ``2021年9月6日`` / ``2024-07-05`` → datetime; None if unparsable."""
    if not value:
        return None
    m = _DATETIME.search(str(value))
    if not m:
        return None
    try:
        return datetime(
            int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0)
        )
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def lead_date(text: str) -> tuple[int | None, int, int, str] | None:
    """The first ``[YYYY年]M月D日`` in the lead: (year or None, month, day, matched text)."""
    m = _LEAD_DATE.search(text[:LEAD_WINDOW])
    if not m:
        return None
    return (int(m["y"]) if m["y"] else None, int(m["m"]), int(m["d"]), m.group())


def markers_found(text: str, markers: tuple[EraMarker, ...]) -> list[EraMarker]:
    return [mk for mk in markers if mk.pattern.search(text)]


def resolve_dates(
    body: str,
    published: str | None,
    given_date: str | None,
    markers: tuple[EraMarker, ...],
    extra_text: str = "",
) -> DateResult:
    """Work out published_at, event_date and the analysis date with its precision/evidence."""
    published_at = parse_datetime(published)
    lead = lead_date(body)
    event: date | None = None
    evidence: list[str] = []
    if lead:
        year, month, day, matched = lead
        if year:
            event = _safe_date(year, month, day)
            if event:
                evidence.append(f"event date {matched!r} in the lead")
        elif published_at:
            pub = published_at.date()
            for y in (pub.year, pub.year - 1):
                cand = _safe_date(y, month, day)
                if cand and cand <= pub + PUBLICATION_SLACK:
                    event = cand
                    evidence.append(
                        f"event {matched!r} in the lead; year from publication {pub.isoformat()}"
                    )
                    break
    given = parse_datetime(given_date)
    if given:
        return DateResult(
            published_at, event, given.date(), "given", f"given metadata {given_date!r}"
        )
    if event:
        return DateResult(published_at, event, event, "day", "; ".join(evidence))
    if published_at:
        return DateResult(
            published_at, None, published_at.date(), "day", "publication date from the byline"
        )
    found = markers_found(extra_text + "\n" + body, markers)
    if not found:
        return DateResult(None, None, None, "unknown", "no date in the text and no era marker")
    bound = max(mk.not_before for mk in found)
    named = "; ".join(f"{mk.label} ⇒ not before {mk.not_before.isoformat()}" for mk in found)
    if lead:
        _, month, day, matched = lead
        for y in range(bound.year, bound.year + 2):
            cand = _safe_date(y, month, day)
            if cand and cand >= bound:
                return DateResult(
                    None,
                    cand,
                    cand,
                    "inferred",
                    f"year inferred: earliest {matched} on or after {bound.isoformat()} "
                    f"given the markers: {named}",
                )
    return DateResult(
        None,
        None,
        bound,
        "inferred",
        f"no day in the text; earliest date consistent with the markers: {named}",
    )
