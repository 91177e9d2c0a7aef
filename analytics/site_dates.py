"""A site's dated pages as evidence for its undated ones.

Content systems number their articles in the order they are published: ``info/1003/1203.htm``,
``content_10110538.htm``, ``?article_id=88``. An undated page of a site lies, in time, between
the dated pages of the same site and the same address pattern numbered just below and just
above it. ``store.update_site_dates`` uses that as range evidence after an ingest: the range
[date of the page below, date of the page above] narrows what the document knew, and settles
its year (``inferred``) when the range lies within one year (or, with the lead's month and day,
leaves one year).

Precision first: the pattern's dated pages must be numbered in date order (at least
``MIN_DATED`` of them, ``MIN_ORDERED`` of their neighbouring pairs in order) and the two
neighbours in order themselves.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from .corpus_places import normal_host

MIN_DATED = 3  # dated pages of one address pattern before its numbering is trusted
MIN_ORDERED = 0.9  # share of neighbouring dated pages whose dates follow their numbers
_NUMBER = re.compile(r"\d{2,}")


@dataclass(frozen=True)
class Numbered:
    """A page's address read as a pattern (digits replaced) and its article number."""

    pattern: str
    number: int


def numbered(url: str | None) -> Numbered | None:
    """``http://x.gov.cn/info/1003/1203.htm`` → (``x.gov.cn/info/#/#.htm``, 1203): the last run of
    digits in the path or query is the article's number."""
    if not url:
        return None
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
    except ValueError:
        return None
    host = normal_host(parts.hostname)
    tail = parts.path + ("?" + parts.query if parts.query else "")
    runs = list(_NUMBER.finditer(tail))
    if not host or not runs:
        return None
    return Numbered(host + re.sub(r"\d+", "#", tail), int(runs[-1].group()))


@dataclass(frozen=True)
class Bracket:
    """The dated pages numbered just below and just above an undated one."""

    below: tuple[int, date] | None
    above: tuple[int, date] | None

    def range(self) -> tuple[date | None, date | None]:
        return (self.below[1] if self.below else None, self.above[1] if self.above else None)

    def evidence(self, pattern: str, number: int) -> str:
        parts = [f"#{n} dated {d.isoformat()}" for n, d in (self.below, self.above) if n is not None]
        return f"site neighbours: {pattern} #{number} lies between " + " and ".join(parts)


def ordered(dated: list[tuple[int, date]]) -> bool:
    """Whether a pattern's dated pages are numbered in date order (enough of them, mostly)."""
    if len(dated) < MIN_DATED:
        return False
    dates = [d for _, d in sorted(dated)]
    pairs = list(zip(dates, dates[1:], strict=False))
    return sum(a <= b for a, b in pairs) >= MIN_ORDERED * len(pairs)


def bracket(dated: list[tuple[int, date]], number: int) -> Bracket | None:
    """The neighbours of ``number`` among a pattern's dated pages (sorted by number), or None when
    they are out of order or there are none."""
    numbers = [n for n, _ in dated]
    lo, hi = bisect_left(numbers, number), bisect_right(numbers, number)
    below = dated[lo - 1] if lo > 0 else None
    above = dated[hi] if hi < len(dated) else None
    if below is None and above is None:
        return None
    if below and above and below[1] > above[1]:
        return None  # the neighbours disagree with their own numbering
    return Bracket(below, above)
