"""Officials named with their titles: ``市委副书记、代市长刘烁`` → 刘烁, 市委副书记、代市长.

Three signals, each a small function returning mentions; ``extract_officials`` merges them:

* ``title_first``: a title chain (titles joined by 、; ``data/official_titles.toml``) followed by a
  person's name (``person_names.read_name``: a surname from the packaged list, its end checked against
  what follows and against the document's other uses). A role word inside a longer organ
  (常委会, 书记处) or a 总书记 (whose holder is written before it) never ends a title;
* ``name_first``: national leaders written before their title (习近平总书记, 李强总理);
* ``leader_list``: ``市领导A、B、C参加`` — names listed after a place's 领导.

The office's level comes from its organ or role; its region is the place written before the
organ (``扬州市委书记`` → 扬州市) or, for a bare 市委/区委, the article's own city or district once
regions are resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .person_names import (
    RARE_WORD_FREQ,
    NameRules,
    clear_end,
    looks_like_word,
    name_rules,
    read_name,
    read_name_before,
    word_freq,
)
from .resources import DATA_DIR, load_toml
from .schema import Official

CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class TitleRules:
    pattern: re.Pattern[str]
    office: re.Pattern[str]  # the first organ or role inside a title
    role: re.Pattern[str]  # a role alone: every title holds one
    breakers: frozenset[str]
    level: tuple[tuple[str, str], ...]
    name_first: re.Pattern[str]  # titles written after the name (总书记, 总理)
    leader_list: re.Pattern[str]  # 市领导 / 县领导 … before a list of names
    chain_only: tuple[str, ...] = ()  # roles that need a public role in the same chain


def _role_alternation(roles: list[str]) -> str:
    out = []
    for role in sorted(roles, key=len, reverse=True):
        esc = re.escape(role)
        out.append(f"(?<!总){esc}" if role == "书记" else esc)  # 总书记: the name comes first
    return "|".join(out)


def _starts(words: list[str]) -> str:
    """A lookahead for the first characters of ``words``."""
    return f"(?=[{re.escape(''.join(sorted({w[0] for w in words})))}])"


@lru_cache(maxsize=4)
def title_rules(path: Path = DATA_DIR / "official_titles.toml") -> TitleRules:
    raw = load_toml(path)
    organs = "|".join(sorted(map(re.escape, raw["organs"]), key=len, reverse=True))
    roles = _role_alternation(raw["roles"])
    inside = "".join(raw.get("role_continues", "会处团"))
    one = rf"(?:[{CJK}]{{2,7}}?(?:省|市|区|县|州|旗|盟)?)?(?:{organs})?(?:{roles})(?![{inside}])"
    pattern = re.compile(rf"(?P<title>(?:{one}[、]?)*?{one})(?=[{CJK}]|[ \u3000]{{1,4}}[{CJK}]{{2,4}}(?:\n|$))")
    # a class of first characters ahead of each alternation lets the engine skip to where one
    # can start (5× faster on long texts; same matches)
    office = re.compile(rf"{_starts(raw['organs'] + raw['roles'])}(?:(?:{organs})|(?:{roles}))")
    role = re.compile(rf"{_starts(raw['roles'])}(?:{roles})")
    after = "|".join(sorted(map(re.escape, raw.get("titles_after_name", [])), key=len, reverse=True))
    name_first = re.compile(rf"(?:{after})") if after else re.compile(r"(?!)")
    places = "".join(raw.get("leader_list_places", "省市区县州旗盟镇乡"))
    leader_list = re.compile(
        rf"(?P<title>(?:[{places}]|我[{places}])(?:及[{CJK}]{{1,5}}?)?领导(?:同志)?)"
        rf"(?!人|小组|班子|干部|同志们|机构|职务|岗位|体制|责任)(?=[{CJK}])"
    )
    return TitleRules(
        pattern,
        office,
        role,
        frozenset(raw.get("name_breakers", "")),
        tuple(raw["level"].items()),
        name_first,
        leader_list,
        tuple(raw.get("chain_only_roles", [])),
    )


@dataclass(frozen=True)
class OfficialMention:
    official: Official
    start: int  # offsets of the name
    end: int
    title_start: int
    place: str | None  # place written in the title, as written (扬州市, 高邮)


_NOT_NAME_END = set("区县市省镇乡委局厅办")
_NOT_IN_NAME = set("室办部处局组委厅所站队的了两〇二三四五六七八九")
_NOT_NAMES = {"同志", "一行", "等人", "领导", "书记", "主任", "干部"}
_PLACE_SUFFIX = set("省市区县州旗盟镇乡")


def _crosses_place(text: str, name_start: int, is_place) -> bool:
    """True when a place name with its suffix straddles the title/name boundary (上海市长宁区:
    长宁区 is a place, not 市长 + name; 市长葛军 is not 长葛 + 军)."""
    for back in (1, 2):
        for length in (2, 3, 4):
            start = name_start - back
            if start < 0 or start + length <= name_start:
                continue
            cand = text[start : start + length]
            suffix = cand[-1] in _PLACE_SUFFIX or text[start + length : start + length + 1] in _PLACE_SUFFIX
            if suffix and is_place(cand):
                return True
    return False


def _level(title: str, rules: TitleRules) -> str:
    last = title.split("、")[-1]
    for key, level in rules.level:
        if key in last[:4]:
            return level
    return "unknown"


def _plausible(name: str, is_place) -> bool:
    return (
        name not in _NOT_NAMES
        and name[-1] not in _NOT_NAME_END
        and not is_place(name)
        and not any(c in _NOT_IN_NAME for c in name)
        and not looks_like_word(name)
    )


def _public(title: str, rules: TitleRules) -> bool:
    """False when every title in the chain is a company role (董事长 alone)."""
    return not rules.chain_only or any(not part.endswith(rules.chain_only) for part in title.split("、"))


_LIST_END = re.compile(r"[、，,。；;]|等|参加|出席|陪同|分别|一行")


# --- signals ----------------------------------------------------------------------------------


def title_first(text: str, is_place, rules: TitleRules, names: NameRules) -> list[OfficialMention]:
    """Title chain, then the name: 市委副书记、代市长刘烁."""
    out: list[OfficialMention] = []
    for m in _candidates(text, rules):
        name_start = m.end("title")
        while name_start < len(text) and text[name_start] in " \u3000":  # 副主任 陈爱平 on its own line
            name_start += 1
        name = read_name(text, name_start, names)
        if not name or not _plausible(name, is_place):
            continue
        if _crosses_place(text, name_start, is_place):
            continue
        title, place, title_start = _trim_title(m.group("title"), m.start("title"), is_place, rules)
        if not title or not _public(title, rules):
            continue
        official = Official(name=name, title=title, level=_level(title, rules), region=place)
        out.append(OfficialMention(official, name_start, name_start + len(name), title_start, place))
        out += _same_title_list(text, name_start + len(name), official, title_start, place, is_place, names)
    return out


def _same_title_list(
    text: str, pos: int, first: Official, title_start: int, place: str | None, is_place, names: NameRules
) -> list[OfficialMention]:
    """Further names sharing one title: 市政协副主席姚林荣、王竹鸣, 班子成员何建东、李洋…"""
    out = []
    while text[pos : pos + 1] == "、":
        name = read_name(text, pos + 1, names)
        end = pos + 1 + len(name) if name else 0
        if not name or not _plausible(name, is_place) or not _LIST_END.match(text, end):
            break
        out.append(
            OfficialMention(
                Official(name=name, title=first.title, level=first.level, region=first.region),
                pos + 1,
                end,
                title_start,
                place,
            )
        )
        pos = end
    return out


def name_first(text: str, is_place, rules: TitleRules, names: NameRules) -> list[OfficialMention]:
    """A national leader written before the title: 习近平总书记 — unless its first character ends
    the word before it (始终爱戴总书记 names no one) and it does not recur in the text."""
    out = []
    for m in rules.name_first.finditer(text):
        name = read_name_before(text, m.start(), names)
        start = m.start() - len(name) if name else 0
        if (
            name
            and _plausible(name, is_place)
            and (text.count(name) >= 2 or start == 0
                 or word_freq().get(text[start - 1 : start + 1], 0) < RARE_WORD_FREQ)
        ):
            start = m.start() - len(name)
            out.append(
                OfficialMention(
                    Official(name=name, title=m.group(), level="national", region=None), start, m.start(), start, None
                )
            )
    return out


def leader_list(text: str, is_place, rules: TitleRules, names: NameRules) -> list[OfficialMention]:
    """Names listed after a place's 领导: 市领导袁谟浩、程少云、江国新陪同."""
    out = []
    for m in rules.leader_list.finditer(text):
        pos = m.end()
        found: list[tuple[str, int]] = []
        while pos < len(text):
            sep = text.find("、", pos, pos + 6)
            if sep > pos + 1 and all("\u4e00" <= c <= "\u9fff" for c in text[pos:sep]):
                item = text[pos:sep]  # an inner item: whatever stands between the 、
                # between two 、 the boundary is given: only what is no name is left out
                if not is_place(item) and not any(c in _NOT_IN_NAME for c in item) and not looks_like_word(item):
                    found.append((item, pos))
                pos = sep + 1
                continue
            last = read_name(text, pos, names, need_surname=not found)
            # the list must end with a name and a clear end (县领导包联乡镇 lists no one)
            if last and clear_end(text, pos + len(last), names) and _plausible(last, is_place):
                found.append((last, pos))
            else:
                found = []
            break
        title = m.group("title")
        level = _level(title.lstrip("我"), rules)
        for name, start in found:
            out.append(
                OfficialMention(
                    Official(name=name, title=title, level=level, region=None),
                    start,
                    start + len(name),
                    m.start(),
                    None,
                )
            )
    return out


# --- the decision -------------------------------------------------------------------------------


def extract_officials(text: str, is_place, rules: TitleRules | None = None) -> list[OfficialMention]:
    """Find officials in ``text``; ``is_place(str) -> bool`` tells place names apart.

    A leading place in a title is kept only when ``is_place`` accepts it; otherwise the title
    starts at the organ or role (so ``调研区委书记`` does not become a place). Where signals overlap
    the title-first reading wins (it carries the office).
    """
    rules = rules or title_rules()
    names = name_rules()
    found = title_first(text, is_place, rules, names)
    taken = [(o.start, o.end) for o in found]
    for extra in (*name_first(text, is_place, rules, names), *leader_list(text, is_place, rules, names)):
        if not any(s < extra.end and extra.start < e for s, e in taken):
            found.append(extra)
            taken.append((extra.start, extra.end))
    return sorted(found, key=lambda o: o.start)


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
        if rules.role.search(text, lo, hi):  # every title ends in a role: a window of organs alone (国家…) holds none
            yield from rules.pattern.finditer(text, lo, hi)


def _trim_title(title: str, start: int, is_place, rules: TitleRules) -> tuple[str, str | None, int]:
    """Drop text before the first title that is not a place; return (title, place, start)."""
    first = title.split("、")[0]
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
