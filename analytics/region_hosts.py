"""Where a page comes from, read from its address: government domains generated from the
division table, and a user-extensible table of local media (``data/local_media.toml``).

A Chinese local-government site's host is its place written in pinyin: ``yongshou.gov.cn`` →
永寿县, ``xx.yueyang.gov.cn`` → 岳阳市, ``qj.gov.cn`` → 曲靖市 (initials), ``nbyz.cn`` → 宁波
鄞州区 (the parent's initials, then the unit's). Local media write their place then what they
are: ``jjxw.cn`` (九江新闻), ``myrb.net`` (绵阳日报), ``/klmyrb/`` in a path (克拉玛依日报). Every
such reading is generated from the division table with ``pypinyin`` (full pinyin and initials,
all readings of heteronyms, pypinyin's own reading of a name first); a token shared by several
units stays a set of candidates for the text to settle. A city site's path may name one of its
counties in full pinyin (``…/bendi/quannan/`` → 全南). Hand-written entries (provincial portals
whose sub-domains are city channels, papers whose name is not their place) live in
``data/local_media.toml``; place names' own readings where pypinyin's differ (长武: chang-wu) in
``data/place_readings.toml``.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .divisions import Divisions, short_form
from .resources import DATA_DIR, load_toml

MAX_READINGS = 8  # heteronym combinations kept per name (长治: zhang/chang × zhi)
MIN_TOKEN = 2  # a one-letter token names nothing
MAX_WEAK_INITIALS = 3  # initials this short (qq, mhk) settle a unit only with the text's support


@dataclass(frozen=True)
class MediaTable:
    domains: dict[str, str]  # registrable domain (or host) → adcode of its place
    portals: dict[str, str]  # provincial portal domain → province adcode; sub-domains are city channels
    ignore_labels: frozenset[str]  # www, m, wap, news, epaper …: labels that name no place
    media_suffixes: tuple[str, ...]  # xw, rb, news, daily …: what a media token ends with
    organ_suffixes: tuple[str, ...]  # zx (政协), rd (人大), zf (政府) …
    second_level: frozenset[str]  # gov.cn, com.cn, org.cn …: public suffixes under .cn
    national: frozenset[str] = frozenset()  # qq.com, xinhuanet.com: hosts that name no local place
    host_aliases: dict[str, str] = field(default_factory=dict)  # harbin, ordos: customary romanisations
    brand_prefixes: tuple[str, ...] = ()  # yunshang (云上…): a platform's brand before the place
    country_prefixes: tuple[str, ...] = ()  # zg, china (中国…) before a place
    branch_organs: tuple[str, ...] = ()  # rd, zx, fy: organs whose sub-domains are their branches below
    provinces: dict[str, str] = field(default_factory=dict)  # js (dfrd.js.cn) → 320000: CNNIC's provincial domains


@lru_cache(maxsize=2)
def media_table(path: Path = DATA_DIR / "local_media.toml") -> MediaTable:
    raw = load_toml(path)
    domains = {str(m["domain"]).lower(): str(m["adcode"])[:6] for m in raw.get("media", [])}
    portals = {str(p["domain"]).lower(): str(p["adcode"])[:6] for p in raw.get("portal", [])}
    suffixes = raw["suffixes"]
    return MediaTable(
        domains,
        portals,
        frozenset(suffixes["ignore_labels"]),
        tuple(sorted(suffixes["media"], key=len, reverse=True)),
        tuple(sorted(suffixes["organ"], key=len, reverse=True)),
        frozenset(suffixes["second_level"]),
        frozenset(raw.get("national", {}).get("domains", [])),
        {str(k): str(v)[:6] for k, v in raw.get("host_aliases", {}).items()},
        tuple(suffixes.get("brand_prefixes", [])),
        tuple(suffixes.get("country_prefixes", [])),
        tuple(suffixes.get("branch_organs", [])),
        {str(k): str(v)[:6] for k, v in raw.get("provincial_domains", {}).items()},
    )


@cache
def _readings(text: str, initials: bool, primary: bool = False) -> tuple[str, ...]:
    """Pinyin spellings of ``text``: every heteronym combination (capped), or its initials
    (single letters, and with zh/ch/sh kept whole: 通州 → tz, tzh); with ``primary``, only
    pypinyin's own reading of the name (泰兴 taixing, not 大兴 read tai-xing)."""
    from pypinyin import Style, pinyin

    syllables = pinyin(text, style=Style.NORMAL, heteronym=True, errors="ignore")
    if len(syllables) != len(text):
        return ()
    for i, reading in enumerate(_place_readings(text)):  # a place name's own reading first
        if reading:
            syllables[i] = [reading, *(s for s in syllables[i] if s != reading)]
    # pypinyin reads a known phrase one way only (南乐 → nanyue; the county says nanle): each
    # character's own readings are added after the phrase's
    for i, ch in enumerate(text):
        own = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
        syllables[i] = list(dict.fromkeys([*syllables[i], *(own[0] if own else [])]))
    out: set[str] = set()
    for combo in itertools.islice(itertools.product(*syllables), 1 if primary else MAX_READINGS):
        if initials:
            out.add("".join(s[0] for s in combo))
            out.add("".join(s[:2] if s[:2] in ("zh", "ch", "sh") else s[0] for s in combo))
        else:
            out.add("".join(combo))
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def _reading_table(path: Path = DATA_DIR / "place_readings.toml") -> tuple[dict[str, str], dict[str, list[str]]]:
    raw = load_toml(path)
    names = {name: str(reading).split() for name, reading in raw.get("names", {}).items()}
    return {str(k): str(v) for k, v in raw.get("characters", {}).items()}, {
        name: syllables for name, syllables in names.items() if len(syllables) == len(name)}


def _place_readings(text: str) -> list[str | None]:
    """Per character of a place name, its reading from ``data/place_readings.toml`` (None where
    the table says nothing): a whole name's entry (长子: zhang zi), else the character's (长: chang)."""
    characters, names = _reading_table()
    out: list[str | None] = [characters.get(ch) for ch in text]
    for name, syllables in names.items():
        at = text.find(name)
        if at >= 0:
            out[at : at + len(name)] = syllables
    return out


def host_tokens(div: Divisions) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Pinyin tokens → the units they may name, generated from the division table: (full
    pinyin, initials).

    For each unit: the full pinyin of its short form (岳阳 → yueyang) and of its full name when
    the short form is one character or absent (沛县 → peixian); the initials of the short form
    (曲靖 → qj) and of the full name (前进区 → qjq); the initials of the parent's short form
    or the province's followed by the unit's (宁波 鄞州 → nbyz, 北京 房山 → bjfs/bjfsh, 四川 丹棱 →
    scdl)."""
    from .divisions import _nations

    nations = _nations()
    out: dict[str, set[str]] = defaultdict(set)
    initials: dict[str, set[str]] = defaultdict(set)
    first: dict[str, set[str]] = defaultdict(set)  # token → the units whose own reading gives it
    for unit in div.units.values():
        if unit.code[:2] in ("71", "81", "82"):
            continue
        stem = short_form(unit.name, nations)
        names = [stem] if stem else []
        if not stem or len(stem) == 1 or len(unit.name) <= 3:
            names.append(unit.name)
        customary = _customary(unit.name, stem)  # 凉山彝族自治州 → 凉山州 (lsz), 城步苗族自治县 → 城步县
        for name in (*names, *customary):
            for token in _readings(name, initials=False):
                out[token].add(unit.code)
            for token in _readings(name, initials=False, primary=True):
                first[token].add(unit.code)
        for name in {stem or unit.name, unit.name, *customary}:
            for token in _readings(name, initials=True):
                if len(token) >= MIN_TOKEN:
                    initials[token].add(unit.code)
            for token in _readings(name, initials=True, primary=True):
                first[token].add(unit.code)
        parents = {div.units[c] for c in div.ancestors(unit.code)}  # 宁波 鄞州 (nbyz), 四川 丹棱 (scdl)
        tails = {*(_readings(stem, initials=True) if stem else ()), *_readings(unit.name, initials=True)}
        own_tails = {*(_readings(stem, True, True) if stem else ()), *_readings(unit.name, True, True)}
        for parent in parents:  # … and 晋城 城区 (jccq): a unit with no short form by its name
            parent_stem = short_form(parent.name, nations) or parent.name
            for head in _readings(parent_stem, initials=True):
                for tail in tails:
                    initials[head + tail].add(unit.code)
            for head in _readings(parent_stem, True, True):
                for tail in own_tails:
                    first[head + tail].add(unit.code)
    return _by_own_reading(out, first), _by_own_reading(initials, first)


def _by_own_reading(tokens: dict[str, set[str]], first: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    """Each token's units; where some of them spell it with pypinyin's own reading of their
    name, only those (taixing: 泰兴, not 大兴 read tai-xing; jnzq: 济南 章丘, not 长清 read
    zhang-qing). A name pypinyin misreads keeps its other readings where nothing else claims
    them (nanle: 南乐, which pypinyin reads nanyue)."""
    out = {}
    for token, codes in tokens.items():
        own = codes & first.get(token, set())
        out[token] = tuple(sorted(own or codes))
    return out


def _customary(name: str, stem: str | None) -> tuple[str, ...]:
    """An autonomous unit's customary short name: its stem and its level's last character
    (凉山彝族自治州 → 凉山州, 城步苗族自治县 → 城步县, 鄂温克族自治旗 → 鄂温克旗)."""
    if stem and name.endswith(("自治州", "自治县", "自治旗")):
        return (stem + name[-1],)
    return ()


@dataclass(frozen=True)
class HostEvidence:
    signal: str  # url_media (the media table) | url_portal | url_host | url_channel | url_path
    token: str  # what was read: a domain, a host label or a path segment
    codes: tuple[str, ...]  # the units it may name (one: settled)
    place: str = ""  # the pinyin read as a place (jj in jjxw); "" for a table entry

    @property
    def weak(self) -> bool:
        """Short initials (qq, mhk, jj) name a unit by chance too often to settle it alone."""
        return bool(self.place) and len(self.place) <= MAX_WEAK_INITIALS and not self.place_is_full

    place_is_full: bool = False  # the place was read in full pinyin (yongshou), not initials


_LABEL = re.compile(r"[a-z][a-z0-9-]*")


def _registrable(labels: list[str], table: MediaTable) -> int:
    """Index in ``labels`` of the registrable domain's own label (yueyang in xx.yueyang.gov.cn,
    dfrd in www.dfrd.js.cn)."""
    if len(labels) >= 3 and (".".join(labels[-2:]) in table.second_level or _provincial(labels, table)):
        return len(labels) - 3
    return len(labels) - 2


def _provincial(labels: list[str], table: MediaTable) -> str | None:
    """The province of a host under a provincial domain (www.dfrd.js.cn → 江苏), else None."""
    if len(labels) >= 3 and labels[-1] == "cn":
        return table.provinces.get(labels[-2])
    return None


def _place_token(label: str, div: Divisions, table: MediaTable, full_only: bool = False) -> tuple[str, tuple[str, ...]]:
    """The place a host label or path segment names: itself in full pinyin (yongshou), a place
    token then what the site is (jjxw = jj + xw, guilinlife = guilin + life, gxbszx = gx + bs +
    zx, wuhucourt = wuhu + court), or itself as initials (qj, mhk); else nothing. Full pinyin is
    read before initials; a label that reads as nothing is read again, in full pinyin, without
    中国 before it (chinaqingcheng → qingcheng)."""
    token, codes = _read_label(label, div, table, full_only)
    if not codes:  # in full pinyin only: cn + cx (two initials) names a county by chance
        bare = label.lower()
        for prefix in table.country_prefixes:
            if bare.startswith(prefix) and len(bare) - len(prefix) >= MIN_TOKEN:
                return _read_label(bare[len(prefix):], div, table, full_only=True)
    return token, codes


def _read_label(label: str, div: Divisions, table: MediaTable, full_only: bool) -> tuple[str, tuple[str, ...]]:
    label = re.sub(r"^(?:m|wap)-", "", label.lower()).replace("-", "")  # m-tongcheng: the mobile site
    label = re.sub(r"(?<=[a-z]{4})\d+$", "", label)  # jxfx898: a lucky number after the name
    for brand in table.brand_prefixes:  # yunshangyunmeng: 云上 + 云梦
        if label.startswith(brand) and len(label) > len(brand) + 1:
            label = label[len(brand):]
            break
    for head in (label, *(label[: -len(s)] for s in table.media_suffixes if label.endswith(s))):
        if head in table.host_aliases and table.host_aliases[head] in div.units:  # ordos, harbinnews
            return head, (table.host_aliases[head],)
    if label in div.hosts:
        return label, div.hosts[label]
    heads = [
        label[: -len(s)]
        for s in (*table.media_suffixes, *table.organ_suffixes)
        if label.endswith(s) and len(label) > len(s)
    ]
    for head in heads:
        if head in div.hosts:
            return head, div.hosts[head]
    for head in (label, *heads):  # cqwulong, syyunyang: the province's or city's initials, then the unit
        for k in (2, 3):
            codes = tuple(c for c in div.hosts.get(head[k:], ()) if head[:k] in _parent_initials(c, div))
            if len(head) - k >= 4 and codes:
                return head[k:], codes
    if full_only:
        return "", ()
    for head in heads:
        if head in div.host_initials:
            return head, div.host_initials[head]
    if label in div.host_initials:
        return label, div.host_initials[label]
    return "", ()


def _parent_initials(code: str, div: Divisions) -> frozenset[str]:
    """The initials of the unit's province and city (重庆 → cq, 山西 → sx, 十堰 → sy)."""
    from .divisions import _nations

    return frozenset(t for c in div.ancestors(code) if c in div.units
                     for t in _readings(short_form(div.units[c].name, _nations()) or div.units[c].name, initials=True))


def _collapse(codes: tuple[str, ...], div: Divisions) -> tuple[str, ...]:
    """A unit and its namesake below it (yueyang: 岳阳市, 岳阳县): the unit above — a county that
    shares its city's name writes its own host with its suffix (yueyangxian)."""
    kept = set(codes)
    return tuple(c for c in codes if not kept & set(div.ancestors(c)))


def _below(
    subs: list[str], codes: tuple[str, ...], div: Divisions, table: MediaTable, settled: bool, organ_site: bool
) -> HostEvidence | None:
    """A sub-domain naming a unit below the registrable's candidates: in full pinyin
    (xx.yueyang.gov.cn); or, when the registrable is not ``settled`` (several units, or short
    initials), as the initials of one child of exactly one of them: three letters or more
    (jxx.nc.gov.cn: 进贤县 of 南昌), two under a branch organ's site (lp.qjrd.gov.cn: 罗平 of
    曲靖's 人大), where the branch's own organ word may follow (chfy.stcourts.gov.cn: 澄海's
    court). Nothing else is cut from such a sub-domain: a bureau's (fgw, jsw, ly) would then read
    as a county of that city one time in fifty; read whole, one time in three thousand."""
    def under(found: tuple[str, ...]) -> tuple[str, ...]:
        return _collapse(tuple(c for c in found if any(a in codes for a in div.ancestors(c))), div)

    for sub in subs[::-1]:
        token, found = _place_token(sub, div, table, full_only=True)
        if under(found):
            return HostEvidence("url_host", sub, under(found), token, True)
    if settled and not organ_site:  # a branch organ's own site: its sub-domains are its branches
        return None                  # (zxsfy.hunancourt.gov.cn: 资兴's court under 湖南's)
    shortest = MIN_TOKEN if organ_site else MIN_TOKEN + 1
    for sub in subs[::-1]:  # under a branch organ's site, its branch's organ word may follow (chfy: ch + fy)
        for head in (sub, *(sub[: -len(o)] for o in table.branch_organs if organ_site and sub.endswith(o))):
            if len(head) >= shortest and len(under(div.host_initials.get(head, ()))) == 1:
                return HostEvidence("url_host", sub, under(div.host_initials[head]), head, True)
    return None


def url_evidence(url: str | None, div: Divisions, table: MediaTable | None = None) -> list[HostEvidence]:
    """What the address says about the publisher's place, most specific reading first."""
    if not url:
        return []
    table = table or media_table()
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
    except ValueError:
        return []
    host = (parts.hostname or "").lower()
    labels = [label for label in host.split(".") if label]
    out: list[HostEvidence] = []
    for i in range(len(labels) - 1):  # the media table: the longest matching domain
        domain = ".".join(labels[i:])
        if domain in table.domains and table.domains[domain] in div.units:
            out.append(HostEvidence("url_media", domain, (table.domains[domain],)))
            break
    national = any(".".join(labels[i:]) in table.national for i in range(len(labels) - 1))
    if national and not out:  # www.gov.cn, mp.weixin.qq.com: the host names no local place
        return []
    if host and not re.fullmatch(r"[\d.]+", host) and len(labels) >= 2:
        own = _registrable(labels, table)
        domain = ".".join(labels[own:])
        province = table.portals.get(domain)
        subs = [lab for lab in labels[:own] if lab not in table.ignore_labels]
        if province and province in div.units:
            out.append(HostEvidence("url_portal", domain, (province,)))
            for sub in subs[::-1]:
                token, codes = _place_token(sub, div, table)
                inside = tuple(c for c in codes if c[:2] == province[:2])
                if inside:  # a portal's channel for its one unit of those initials (zjol: dsnews = 岱山)
                    unique = len(_collapse(inside, div)) == 1 and len(token) >= MIN_TOKEN
                    out.append(HostEvidence("url_host", sub, inside, token, token in div.hosts or unique))
                    break
        elif not out:
            token, codes = _place_token(labels[own], div, table)
            # full pinyin, or three initials that name one unit under gov.cn (lqyrd: 龙泉驿 人大)
            firm = token in div.hosts or (
                domain.endswith("gov.cn") and len(token) == MAX_WEAK_INITIALS and len(_collapse(codes, div)) == 1)
            state = _provincial(labels, table)
            if state:  # dfrd.js.cn: df read among 江苏's units only (the domain alone names no
                # province: 广州's 人大 is rd.gz.cn, gz being 贵州's)
                codes = tuple(c for c in codes if c[:2] == state[:2])
                firm = firm or (len(_collapse(codes, div)) == 1 and len(token) >= MIN_TOKEN)
            if codes:
                out.append(HostEvidence("url_host", labels[own], codes, token, firm))
                settled = firm and len(_collapse(codes, div)) == 1
                organ_site = labels[own].endswith(table.branch_organs)
                below = _below(subs, codes, div, table, settled, organ_site)
                if below:
                    out.append(below)
            else:
                for sub in subs[::-1]:  # m-tongcheng.cjyun.org, ezhou.cjyun.org
                    token, codes = _place_token(sub, div, table)
                    if codes and len(token) > 2:
                        out.append(HostEvidence("url_host", sub, codes, token, token in div.hosts))
                        break
    channel = _channel(parts.path or "", [c for e in out for c in e.codes], div)
    if channel:
        out.append(channel)
    for segment in (parts.path or "").split("/")[:-1]:  # /klmyrb/, /yarb/: a paper's code
        segment = segment.lower()
        if not _LABEL.fullmatch(segment) or segment in table.ignore_labels:
            continue
        heads = [segment[: -len(s)] for s in table.media_suffixes if segment.endswith(s) and len(segment) > len(s)]
        codes = next(
            (div.hosts.get(h) or div.host_initials.get(h) for h in heads if h in div.hosts or h in div.host_initials),
            None,
        )
        if codes:
            out.append(HostEvidence("url_path", segment, codes))
            break
    return [HostEvidence(e.signal, e.token, _collapse(e.codes, div), e.place, e.place_is_full) for e in out]


MIN_CHANNEL = 4  # letters of a path segment read as a county's channel (huaan, quannan)


def _channel(path: str, candidates: list[str], div: Divisions) -> HostEvidence | None:
    """A city site's channel for one of its counties: a path segment that spells, in full
    pinyin, exactly one unit below the units the host may name or their cities (ganzhou…/bendi/
    quannan/ → 全南 of 赣州, zz.mnw.cn/huaan/ → 华安 of 漳州; a county's sibling: the host read
    as a county was its city's). Initials are not read here: a path's sections are written in
    initials (gzdt, zwgk) and would name a county by chance."""
    candidates = [*candidates, *(a for c in candidates for a in div.ancestors(c) if div.units[a].level == "city")]
    if not candidates:
        return None
    for segment in path.lower().split("/")[:-1]:
        if len(segment) < MIN_CHANNEL or segment not in div.hosts:
            continue
        below = _collapse(tuple(c for c in div.hosts[segment] if any(a in candidates for a in div.ancestors(c))), div)
        if len(below) == 1:
            return HostEvidence("url_channel", segment, below, segment, True)
    return None


def spells(host: str, code: str, div: Divisions) -> bool:
    """Whether a host label spells the unit: its full pinyin inside a label (ahfeixi: feixi), or
    a label opening with its initials, alone or after its city's or province's or 中国's (fxzx:
    fx, nbyzxw: nb + yz, zgcqxs: zg + cq + xs). Used to let one page that the text places there vouch for its site."""
    from .divisions import _nations

    unit = div.units.get(code)
    if unit is None:
        return False
    nations = _nations()
    stem = short_form(unit.name, nations) or unit.name
    full = {t for name in {stem, unit.name} for t in _readings(name, initials=False) if len(t) >= 4}
    heads = {t for name in {stem, unit.name} for t in _readings(name, initials=True) if len(t) >= MIN_TOKEN}
    for parent in (div.units[c] for c in div.ancestors(code)):
        parent_stem = short_form(parent.name, nations) or parent.name
        heads |= {h + t for h in _readings(parent_stem, initials=True) for t in list(heads)}
    labels = [label.replace("-", "") for label in host.lower().split(".")[:-1]]
    labels += [label[len(p):] for label in labels for p in media_table().country_prefixes if label.startswith(p)]
    return any(t in label for label in labels for t in full) or any(
        label.startswith(h) for label in labels for h in heads)
