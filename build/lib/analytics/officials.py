"""Officials named with their titles: ``市委副书记、代市长刘烁`` → 刘烁, 市委副书记、代市长.

Titles come from ``data/official_titles.toml``. A title chain (titles joined by 、) precedes a
two- or three-character name. The office's level comes from its organ or role; its region is
the place written before the organ (``扬州市委书记`` → 扬州市) or, for a bare 市委/区委, the
article's own city or district once regions are resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import DATA_DIR, load_toml
from .schema import Official

CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class TitleRules:
    pattern: re.Pattern[str]
    office: re.Pattern[str]  # the first organ or role inside a title
    breakers: frozenset[str]
    level: tuple[tuple[str, str], ...]


@lru_cache(maxsize=4)
def title_rules(path: Path = DATA_DIR / "official_titles.toml") -> TitleRules:
    raw = load_toml(path)
    organs = "|".join(sorted(map(re.escape, raw["organs"]), key=len, reverse=True))
    roles = "|".join(sorted(map(re.escape, raw["roles"]), key=len, reverse=True))
    one = rf"(?:[{CJK}]{{2,7}}?(?:省|市|区|县|州|旗|盟)?)?(?:{organs})?(?:{roles})"
    pattern = re.compile(rf"(?P<title>(?:{one}[、]?)*?{one})(?P<name>[{CJK}]{{2,3}})")
    office = re.compile(rf"(?:{organs})|(?:{roles})")
    return TitleRules(pattern, office, frozenset(raw.get("name_breakers", "")), tuple(raw["level"].items()))


@dataclass(frozen=True)
class OfficialMention:
    official: Official
    start: int  # offsets of the name
    end: int
    title_start: int
    place: str | None  # place written in the title, as written (扬州市, 高邮)


_NOT_NAME_END = set("区县市省镇乡委局厅办")


def _crosses_place(text: str, name_start: int, is_place) -> bool:
    """True when a place name straddles the title/name boundary."""
    for back in (1, 2):
        for length in (2, 3, 4):
            start = name_start - back
            if start >= 0 and start + length > name_start and is_place(text[start : start + length]):
                return True
    return False


def _level(title: str, rules: TitleRules) -> str:
    last = re.split(r"[、]", title)[-1]
    for key, level in rules.level:
        if key in last[:4]:
            return level
    return "unknown"


def extract_officials(text: str, is_place, rules: TitleRules | None = None) -> list[OfficialMention]:
    """Find officials in ``text``; ``is_place(str) -> bool`` tells place names apart.

    A leading place in a title is kept only when ``is_place`` accepts it; otherwise the title
    starts at the organ or role (so ``调研区委书记`` does not become a place).
    """
    rules = rules or title_rules()
    out: list[OfficialMention] = []
    for m in _candidates(text, rules):
        title, name = m.group("title"), m.group("name")
        name_start = m.start("name")
        if len(name) == 3 and name[2] in rules.breakers:
            name = name[:2]
        if name[0] in rules.breakers or name in ("同志", "一行", "等人") or name[-1] in _NOT_NAME_END:
            continue
        if _crosses_place(text, name_start, is_place):  # 上海市长宁区: 长宁区 is a place, not 市长 + name
            continue
        title, place, title_start = _trim_title(title, m.start("title"), is_place, rules)
        if not title:
            continue
        out.append(
            OfficialMention(
                Official(name=name, title=title, level=_level(title, rules), region=place),
                name_start,
                name_start + len(name),
                title_start,
                place,
            )
        )
    return out


WINDOW_BEFORE = 12  # a place and organ before the first office word (扬州市委…)
WINDOW_AFTER = 40  # a chain of titles and the name after it


def _candidates(text: str, rules: TitleRules):
    """Matches of the title pattern, searched only near office words (fast on long texts)."""
    windows: list[list[int]] = []
    for hit in rules.office.finditer(text):
        lo, hi = max(0, hit.start() - WINDOW_BEFORE), min(len(text), hit.end() + WINDOW_AFTER)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        yield from rules.pattern.finditer(text, lo, hi)


def _trim_title(title: str, start: int, is_place, rules: TitleRules) -> tuple[str, str | None, int]:
    """Drop text before the first title that is not a place; return (title, place, start)."""
    first = re.split("、", title)[0]
    role_at = _first_office_index(first, rules)
    prefix = first[:role_at]
    place = None
    if prefix:
        # longest suffix of the prefix that is a place name
        for i in range(len(prefix) - 1):
            cand = prefix[i:]
            if is_place(cand):
                place = cand
                break
        cut = len(prefix) - (len(place) if place else 0)
        title, start = title[cut:], start + cut
    return title, place, start


def _first_office_index(title: str, rules: TitleRules) -> int:
    # place prefixes end with 省/市/区/县…: the office begins at the first organ or role
    # that leaves a place-like prefix, e.g. 扬州市委书记 → 扬州 | 市委书记.
    m = rules.office.search(title)
    return m.start() if m else 0
