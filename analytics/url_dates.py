"""Publication dates written in a page's address, and the address a saved HTML page gives itself.

Chinese CMSs put the publication date in the path in a handful of shapes; each is one row of
``URL_PATTERNS`` (most specific first). A date is read only from the path and the file name
(never the host or the query), only when it is a real calendar date between ``EARLIEST`` and
``today``, so numeric ids and placeholder epochs (``/197001/t19700121_…``) give nothing.

====================================  ===========================  =========
address                               pattern                      precision
====================================  ===========================  =========
``/202507/t20250725_1994463.html``    ``t`` + YYYYMMDD             day
``/202407/31/content_…``              YYYYMM/DD                    day
``/2024-07/31/content_…``             YYYY-MM/DD                   day
``/art/2024/7/31/art_…``              YYYY/M/D                     day
``/system/2018/07/19/0310.shtml``     YYYY/MM/DD                   day
``/2024-02-19/32580.html``            YYYY-MM-DD                   day
``/Html/2014-8-1/1085.html``          YYYY-M-D (a whole segment)   day
``/2024/12-02/3247610.html``          YYYY/MM-DD                   day
``/2022_01/21_15/content-359317``     YYYY_MM/DD                   day
``/20240731/…``, ``content_2018…``    YYYYMMDD                     day
``/2024/0731/…``, ``/2022/x_0815/``   YYYY/MMDD                    day
``/202310/5e65….shtml``               YYYYMM                       month
``/html/2023/news/8/…``               YYYY/…/M                     month
``/art/2021/art_…``                   YYYY                         year
====================================  ===========================  =========
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

EARLIEST = date(1994, 1, 1)  # Chinese government sites go online from the mid-1990s

_Y = r"(?P<y>(?:199|20[0-4])\d)"
_M = r"(?P<m>0[1-9]|1[0-2])"
_M1 = r"(?P<m>0?[1-9]|1[0-2])"
_D = r"(?P<d>0[1-9]|[12]\d|3[01])"
_D1 = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_END = r"(?=/|[._\-]|$)"  # a segment ends: a slash, a separator, the end

# (name, pattern, precision) tried in order on the path; the first that gives a real date wins.
URL_PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern), precision)
    for name, pattern, precision in (
        ("t_yyyymmdd", rf"/t{_Y}{_M}{_D}_\d+", "day"),
        ("yyyymm/dd", rf"/{_Y}{_M}/{_D}{_END}", "day"),
        ("yyyy-mm/dd", rf"/{_Y}-{_M}/{_D}{_END}", "day"),
        ("yyyy/mm/dd", rf"/{_Y}/{_M1}/{_D1}{_END}", "day"),
        ("yyyy-mm-dd", rf"(?<![\d])(?:/|_|\b){_Y}-{_M}-{_D}", "day"),
        ("yyyy-m-d", rf"/{_Y}-{_M1}-{_D1}/", "day"),  # a whole segment, unpadded: /Html/2014-8-1/
        ("yyyy/mm-dd", rf"/{_Y}/{_M}-{_D}{_END}", "day"),
        ("yyyy_mm/dd", rf"/{_Y}_{_M}/{_D}{_END}", "day"),
        ("yyyymmdd", rf"(?:/|_|/[a-z]+_?){_Y}{_M}{_D}(?:{_END}|\d{{2,}})", "day"),
        ("yyyy/mmdd", rf"/{_Y}/(?:[A-Za-z]+_)?{_M}{_D}{_END}", "day"),
        ("yyyymm", rf"/{_Y}{_M}{_END}", "month"),
        ("yyyy/../m", rf"/{_Y}/[a-z]+/{_M1}/", "month"),
        ("yyyy", rf"/{_Y}/", "year"),
    )
)


@dataclass(frozen=True)
class UrlDate:
    date: date  # the first day of the month or year when precision is coarser than a day
    precision: str  # day | month | year
    pattern: str  # the URL_PATTERNS row that matched
    matched: str  # the part of the address it read

    @property
    def evidence(self) -> str:
        return f"address {self.matched!r} ({self.pattern}) → {self.date.isoformat()[: _WIDTH[self.precision]]}"


_WIDTH = {"day": 10, "month": 7, "year": 4}


def _path(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme or parts.netloc:
        return parts.path
    # no scheme: "www.x.gov.cn/202407/…" or a bare path
    path = parts.path
    return path[path.find("/") :] if "/" in path else ""


def date_from_url(url: str | None, today: date | None = None) -> UrlDate | None:
    """The publication date a page's address carries, or None.

    >>> date_from_url("http://www.mhk.gov.cn/xqsw/201908/t20190819_8350999.html").date
    datetime.date(2019, 8, 19)
    """
    if not url:
        return None
    path = _path(url)
    if not path:
        return None
    latest = today or date.today()
    for name, pattern, precision in URL_PATTERNS:
        for m in pattern.finditer(path):
            groups = m.groupdict()
            try:
                found = date(int(groups["y"]), int(groups.get("m") or 1), int(groups.get("d") or 1))
            except ValueError:
                continue
            if EARLIEST <= found <= latest:
                return UrlDate(found, precision, name, m.group().strip("/_"))
    return None


# --- the address a saved page gives itself ---------------------------------------------------


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: str | None = None
        self.og_url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = self.canonical or a["href"].strip()
        elif tag == "meta" and a.get("property", a.get("name", "")).lower() == "og:url" and a.get("content"):
            self.og_url = self.og_url or a["content"].strip()


def page_url(html: str) -> str | None:
    """``<link rel="canonical" href>`` or ``<meta property="og:url" content>`` of a saved page."""
    parser = _LinkParser()
    try:
        parser.feed(html[:200_000])  # the head is at the start
    except Exception:  # noqa: BLE001 - a broken page simply gives no address
        return None
    found = parser.canonical or parser.og_url
    return found if found and found.lower().startswith(("http://", "https://", "//")) else None
