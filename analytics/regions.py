"""Regions: one primary region per article, decided from evidence read top to bottom.

The division table (``divisions.py``) and the evidence signals (``region_signals.py``: place
mentions, the issuer, the signature, visits, bylines, partnerships, unprefixed titles;
``region_hosts.py``: the page's address) each return evidence; ``_locate`` orders them:

1. given metadata (always wins);
2. the page's address: the publisher's unit (settled alone, or among the address's candidates
   by clear text support), refined below it by the text;
3. the issuer opening the title, a central issuer, the signature (落款);
4. the weighed mentions — title (3), lead (2), body (1), origin (3), site (2), a visit's host
   (3), the travellers' home (4), the paper's byline (6), the one unit matching a title written
   with no place (2); a visiting or visited place counts a fifth, a partner half, a superior's
   cited document a quarter — summed with descendants, then down province → city → district
   while one child holds at least half of its parent's support.

Precision first: an answer resting on less than ``MIN_SUPPORT`` is none; names shared by
several units resolve only with context, else the article is ``ambiguous`` with candidates;
``region_confidence`` is the precision observed on the dev set for the deciding evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from .divisions import Divisions, Unit, _nations, build_divisions, divisions, short_form, towns  # noqa: F401
from .officials import OfficialMention, extract_officials
from .region_hosts import HostEvidence, url_evidence
from .region_rules import DocumentRules, document_rules  # noqa: F401
from .region_signals import (
    LEVEL_RANK,
    WEAK_KINDS,
    Mention,
    Role,
    _chains,
    _signature_issuer,
    _title_chain,
    _title_issuer,
    byline_roles,
    find_mentions,
    of_kinds,
    own_kinds,
    partner_roles,
    received_roles,
    travel_roles,
    unprefixed_roles,
)

WEIGHTS = {
    "given": 100.0,
    "title": 3.0,
    "lead": 2.0,
    "body": 1.0,
    "origin": 3.0,
    "site": 2.0,
    "doc_number": 3.0,
    "host": 3.0,
    "home": 4.0,
    "byline": 6.0,
    "unprefixed": 2.0,
}
# A place that only visits (马鞍山市党政代表团来滁) or is visited to learn from (赴赣州市学习考察)
# counts for this share of each of its mentions.
VISITOR_FACTOR = 0.2
PARTNER_FACTOR = 0.5  # a place named with a partnership or comparison (对口帮扶, 友好城市)
# A province's only child named goes down to it when it holds this share and weight of the support.
ALONE_SHARE = 0.3
ALONE_SUPPORT = 6.0
# Precision first: an answer resting on less than this weight (one passing body mention) is none.
MIN_SUPPORT = 1.5
# A place written inside an official's title (扬州市委书记) tells who spoke, not where: it
# counts for this share of its positional weight.
IN_TITLE_FACTOR = 0.5
DATELINE_FACTOR = 0.2  # 新华社北京…电: where the report was filed
# 根据《上海市…办法》（沪府办发〔2015〕19号） in a 静安区 document: a superior's document cited in
# the body names the superior, not this article's place. A place named in a citation (or a cited
# document number) that is an ancestor of a place named outside citations counts for this share.
CITATION_FACTOR = 0.25
LEAD_CHARS = 120
DESCEND_SHARE = 0.5
# An address shared by several units (qz.gov.cn: 衢州, 泉州, 青州 …) is settled by the text only
# when one candidate holds at least this share of the text's support.
HOST_TEXT_SHARE = 0.2
# … and at least this weight (one body mention): a third of a name three units share is none
HOST_MIN_SUPPORT = 1.0
# An address of this many candidates at most, of different kinds (奉贤区, 丰县, 凤县), is settled
# by the kind of the text's own titles and words (区委书记, 全区) when one candidate is of it.
MAX_KIND_CANDIDATES = 3


@dataclass
class RegionResult:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    zone: str | None = None
    adcode: str | None = None
    level: str = "unknown"
    confidence: float = 0.0
    evidence: list[dict] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)
    mentioned: dict[str, int] = field(default_factory=dict)
    officials: list[dict] = field(default_factory=list)


def _given_unit(given: dict[str, str], div: Divisions) -> str | None:
    """The most specific unit the given province/city/district names (consistently)."""
    chosen: str | None = None
    for key in ("province", "city", "district"):
        name = given.get(key)
        if not name:
            continue
        options = [c for c, _ in div.surfaces.get(name, []) if div.units[c].level in (key, "province")]
        if chosen:
            options = [c for c in options if chosen in (c, *div.ancestors(c))] or options
        if options:
            chosen = options[0]
    return chosen


def resolve(
    title: str | None,
    body: str,
    meta: dict,
    given: dict[str, str],
    div: Divisions | None = None,
) -> RegionResult:
    """Resolve the article's primary region and extract its officials."""
    div = div or divisions()
    title = title or ""
    full = title + "\n" + body
    officials = extract_officials(full, div.is_place)
    person_spans = [(o.start, o.end) for o in officials]
    for name in {o.official.name for o in officials if len(o.official.name) >= 2}:  # 雷兴平汇报…: still a person
        at = full.find(name)
        while at >= 0:
            person_spans.append((at, at + len(name)))
            at = full.find(name, at + len(name))
    mentions = find_mentions(full, div, person_spans)
    result = RegionResult()
    result.mentioned = _mentioned(mentions, div)
    _locate(result, title, body, meta, given, div, officials, mentions, person_spans)
    result.officials = _officials(officials, result, div)
    return result


Signal = tuple[str, str, tuple[tuple[str, str], ...], float]  # (signal, surface, candidates, factor)


def _locate(
    result: RegionResult,
    title: str,
    body: str,
    meta: dict,
    given: dict[str, str],
    div: Divisions,
    officials: list[OfficialMention],
    mentions: list[Mention],
    people: list[tuple[int, int]] = (),
) -> None:
    """Fill ``result``'s region, strongest evidence first: given metadata; the page's address
    (the publisher); the issuer opening the title; a central issuer; the signature; else the
    weighed mentions."""
    rules = document_rules()
    full = title + "\n" + body
    given_code = _given_unit(given, div)
    if given_code:
        _pin(result, div, "given", "metadata", given_code, confidence=rules.calibrated("given"), weight=100)
        return
    signals = _mention_signals(title, full, meta, div, officials, mentions, rules)
    roles = (
        travel_roles(full, mentions, div, rules) + byline_roles(full, div, rules) + partner_roles(full, mentions, rules)
        + received_roles(full, mentions, rules)
    )
    visitors = {c for r in roles if r.role in ("visitor", "visited") for c in r.codes}  # not the host's own
    signals = _visit_signals(signals, roles + unprefixed_roles(full, mentions, div, rules, people, visitors), div)
    weighed = _weigh(signals, div)
    host = _host_unit(given.get("url") or meta.get("url"), weighed, div, rules, own_kinds(full, rules))
    if host:  # the publisher: its unit, refined below it by the text
        code, evidence, confidence = host
        chosen = _descend(code, weighed, div, None)
        result.evidence = evidence + weighed.evidence[:10]
        _fill(result, chosen, div, confidence=confidence, level_hint=None)
        return
    issuer = _title_issuer(title, mentions, div, rules)
    if issuer:  # 上海市静安区人民政府办公室关于…: pinned to the issuing jurisdiction
        code, written = issuer
        _pin(result, div, "issuer", written, code, confidence=rules.calibrated("issuer"))
        return
    opening = body[:80].lstrip()
    if not _title_chain(title, mentions, rules)[0] and (
        rules.central.match(title) or rules.central.match(opening) or rules.central_number.search(opening)
    ):
        result.level = "national"
        result.confidence = rules.calibrated("central")
        result.evidence = [{"signal": "central_issuer", "mention": title[:20], "adcode": None, "weight": 10}]
        return
    signed = _signature_issuer(_signatures(full, mentions, rules), mentions, div)
    if signed:  # the organ that signed the document: its jurisdiction
        code, written = signed
        _pin(result, div, "signature", written, code, confidence=rules.calibrated("signature"))
        return
    _decide_by_weight(result, body, weighed, div, rules)


def _mention_signals(
    title: str,
    full: str,
    meta: dict,
    div: Divisions,
    officials: list[OfficialMention],
    mentions: list[Mention],
    rules: DocumentRules,
) -> list[Signal]:
    """Every place mention with its position's signal and its factor (in a title, a citation,
    a dateline), the site's and origin's places, and province abbreviations of document numbers."""
    signals: list[Signal] = []
    lead_end = len(title) + 1 + LEAD_CHARS
    title_spans = [(o.title_start, o.start) for o in officials]
    spans = [c.span() for c in rules.citation.finditer(full, len(title) + 1)]  # in order, disjoint
    starts = [s for s, _ in spans]

    def cited(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < spans[k][1]

    named = {c for m in mentions if not cited(m.start) for c, _ in m.candidates}
    superiors = {a for c in named for a in div.ancestors(c)}

    def citation_factor(pos: int, codes) -> float:
        return CITATION_FACTOR if cited(pos) and all(c in superiors for c in codes) else 1.0

    # the provinces that names jieba knows as places (or full names) point to: a "bare" short
    # form (环翠, a county's short name that is no word jieba knows) counts alone or in them, and
    # yields when firm names point elsewhere (濂溪故里 in a 道县 text: not 九江's 濂溪区)
    firm_provinces = {a for m in mentions if any(k not in WEAK_KINDS for _, k in m.candidates)
                      for c, _ in m.candidates for a in (c, *div.ancestors(c)) if div.units[a].level == "province"}
    inspected = [v.span("place") for v in rules.leader_visit.finditer(full)]  # 总书记在广西考察时
    for m in mentions:
        signal = "title" if m.start < len(title) else "lead" if m.start < lead_end else "body"
        factor = IN_TITLE_FACTOR if any(s <= m.start < e for s, e in title_spans) else 1.0
        if any(s <= m.start < e for s, e in inspected) and not {c for c, _ in m.candidates} & superiors:
            factor *= VISITOR_FACTOR  # … unless it is above a place the text names (在上海考察时, 青浦)
        if all(k in WEAK_KINDS for _, k in m.candidates) and firm_provinces and not any(
                set(div.ancestors(c)) & firm_provinces for c, _ in m.candidates):
            continue  # firm names point to other provinces: the bare name yields
        factor *= citation_factor(m.start, [c for c, _ in m.candidates])
        if rules.dateline_after.match(full, m.end) and rules.dateline.search(full, max(0, m.start - 10), m.start):
            factor = DATELINE_FACTOR
        signals.append((signal, m.surface, m.candidates, factor))
    for key, signal in (("origin", "origin"), ("channel", "origin"), ("site", "site")):
        value = meta.get(key) or ""
        named = find_mentions(value, div)
        for m in named:
            signals.append((signal, m.surface, m.candidates, 1.0))
        outlet = () if named else _outlet_unit(value, div, rules)
        if outlet:
            signals.append((signal, value, tuple((c, "short") for c in outlet), 1.0))
    for m in rules.doc_number.finditer(full):
        province = rules.abbreviations[m.group(1)]
        code = next(c for c, _ in div.surfaces[province] if div.units[c].level == "province")
        signals.append(("doc_number", m.group(), ((code, "full"),), citation_factor(m.start(), [code])))
    return signals


def _outlet_unit(name: str, div: Divisions, rules: DocumentRules) -> tuple[str, ...]:
    """The units a publisher's name (or one crumb of a breadcrumb) opens with, by a short form
    that no dictionary reads as a place (贞丰在线, 城步融媒体中心, 首页 > 今日南陵 → 贞丰县,
    城步苗族自治县, 南陵县); nothing for a central outlet (光明日报, 新华网), a name that is no
    outlet's, or crumbs naming different places."""
    found: set[tuple[str, ...]] = set()
    for crumb in re.split(r"\s*(?:>+|»|/|-\>)\s*", name or ""):  # 首页 > 今日南陵 > 要闻: each crumb
        crumb = crumb.strip()
        prefix = next((p for p in rules.section_prefixes if crumb.startswith(p)), "")
        crumb = crumb.removeprefix(prefix)  # 今日城步: the county's own section
        if not crumb or rules.central_outlets.match(crumb):
            continue
        if prefix and crumb in div.short_names:
            found.add(div.short_names[crumb])
            continue
        for cut in range(min(len(crumb) - 1, 6), 1, -1):
            codes = div.short_names.get(crumb[:cut])
            if codes and rules.outlet_after.match(crumb, cut):
                found.add(codes)
                break
    return next(iter(found)) if len(found) == 1 else ()


def _visit_signals(signals: list[Signal], roles: list[Role], div: Divisions) -> list[Signal]:
    """Host versus visitor: the places that host a visit, the travellers' home and the paper's
    byline gain a signal; every mention of a visiting place (or of a place visited to learn
    from) counts for ``VISITOR_FACTOR`` — unless it is the host's own superior (省政协调研组来日照)."""
    home = {c for r in roles if r.role in ("home", "byline") for c in r.codes}
    visited = {c for r in roles if r.role == "visited" for c in r.codes}
    visited -= home | {a for c in home for a in div.ancestors(c)}  # 湟中区 visiting 西宁市城中区: 西宁 is home
    roles = [
        r
        for r in roles
        if not (
            r.role == "host"
            and any(  # 赴六盘水…到六枝特区考察 (钟山: 六盘水's or 广西's): still away
                c in visited or visited & set(div.ancestors(c)) for c in r.codes
            )
        )
    ]
    own = {c for r in roles if r.role in ("host", "home", "byline") for c in r.codes}
    own_line = own | {a for c in own for a in div.ancestors(c)}
    visitors = {c for r in roles if r.role == "visitor" for c in r.codes}
    away = visited | (visitors - own_line)
    superiors = (visitors & own_line) | {c for r in roles if r.role == "superior" for c in r.codes}
    # 浙江省政协领导来义乌, 苏州市政协到我区: the superior's own mentions count less
    partners = {c for r in roles if r.role == "partner" for c in r.codes} - own_line - away
    out: list[Signal] = []
    for signal, surface, cands, factor in signals:
        codes = {c for c, _ in cands}
        # 城中区 (西宁 or 柳州) when 西宁's 城中区 is visited: away, unless a reading is the writer's own
        if (away and any(c in away or away & set(div.ancestors(c)) for c in codes) and not codes & own) or (
            superiors and codes <= superiors
        ):
            factor *= VISITOR_FACTOR
        elif partners and codes <= partners:
            factor *= PARTNER_FACTOR
        out.append((signal, surface, cands, factor))
    for r in roles:
        if r.role in ("host", "home", "byline", "unprefixed") and not (set(r.codes) & away):
            out.append((r.role, r.written, tuple((c, "role") for c in r.codes), 1.0))
    return out


def _signatures(full: str, mentions: list[Mention], rules: DocumentRules) -> list[list[Mention]]:
    """Runs of places opening a line and followed by an organ and a date (落款)."""
    out = []
    for chain in _chains(mentions):
        first, last = chain[0], chain[-1]
        before = full[max(0, first.start - 2) : first.start]
        at_line_start = first.start == 0 or before[-1:] in ("\n", " ", "\u3000") or before == "中共"
        if at_line_start and rules.signature.match(full, last.end):  # 上海市宝山区月浦镇人民政府 2019年…
            out.append(chain)
    return out


@dataclass
class Weighed:
    """The mentions' weights per unit, and the support of each unit (its own and its descendants')."""

    weights: dict[str, float]
    support: dict[str, float]
    ambiguous: dict[str, float]  # weight resting on names shared by several units
    zones: dict[str, float]
    evidence: list[dict]
    total: float


def _weigh(signals: list[Signal], div: Divisions) -> Weighed:
    """Sum the signals per unit; a name shared by several units goes to the candidates whose
    surroundings (an unambiguous ancestor or sibling's parent) the document talks about."""
    weights: dict[str, float] = defaultdict(float)
    ambiguous_weight: dict[str, float] = defaultdict(float)
    zone_hits: dict[str, float] = defaultdict(float)
    # context: weight of unambiguous signals, credited to the unit and all its ancestors
    context: dict[str, float] = defaultdict(float)
    for signal, _, cands, factor in signals:
        codes = {c for c, _ in cands}
        if len(codes) == 1:
            code = next(iter(codes))
            for unit in (code, *div.ancestors(code)):
                context[unit] += WEIGHTS[signal] * factor
    evidence: dict[tuple, float] = defaultdict(float)
    for signal, surface, cands, factor in signals:
        codes = list(dict.fromkeys(c for c, _ in cands))
        if len(codes) > 1:  # keep the candidates whose surroundings the document talks about
            near = {c: context.get(c, 0.0) + context.get(div.units[c].parent or "", 0.0) for c in codes}
            if max(near.values()) == 0:  # nothing at city level: look at the provinces
                near = {c: max(context.get(u, 0.0) for u in (c, *div.ancestors(c))) for c in codes}
            best = max(near.values())
            if best > 0:
                codes = [c for c in codes if near[c] >= 0.5 * best]
        kinds = dict(cands)
        for code in codes:
            w = WEIGHTS[signal] / len(codes) * factor
            weights[code] += w
            if len(codes) > 1:
                ambiguous_weight[code] += w
            if kinds.get(code) == "zone":
                zone_hits[div.zones[surface]] += w
            evidence[(signal, surface, code)] += w
    listed = [
        {"signal": s, "mention": m, "adcode": c, "weight": round(w, 2)}
        for (s, m, c), w in sorted(evidence.items(), key=lambda kv: -kv[1])
    ][:20]
    return Weighed(
        dict(weights), _support(weights, div), dict(ambiguous_weight), dict(zone_hits), listed, sum(weights.values())
    )


def _host_unit(
    url: str | None, weighed: Weighed, div: Divisions, rules: DocumentRules, kinds: set[str] = frozenset()
) -> tuple[str, list[dict], float] | None:
    """The publisher's unit read from the address: settled by the address alone (a media-table
    domain, a host naming one unit), or by the text among the address's candidates (qz.gov.cn
    → 衢州 when the text talks about 衢州; fengxian: 奉贤区 among 奉贤区, 丰县 and 凤县 when the
    text's own titles and words are a 区's: 区委书记, 全区). None when the address says nothing
    certain."""
    found = url_evidence(url, div)
    if not found:
        return None
    settled: str | None = None
    spelled = False  # the settled unit's name was read in full pinyin
    used: list[dict] = []
    for ev in found:
        codes = list(ev.codes)
        if settled and ev.signal == "url_channel" and not spelled:  # a channel of a sibling: the initials
            # read as a county (bsyjrb: 百色 右江) were the city's paper's (右江日报, /napo/ → 那坡)
            codes = [c for c in codes if {settled, *div.ancestors(settled)[:1]} & set(div.ancestors(c))]
        elif settled:  # a sub-domain or path below the settled unit refines it
            codes = [c for c in codes if settled in div.ancestors(c)]
        if len(codes) > 1 or ev.signal == "url_path" or ev.weak:
            candidates = codes
            codes = _supported(codes, weighed, div, spelled=ev.place_is_full)
            if not codes and 1 < len(candidates) <= MAX_KIND_CANDIDATES and ev.signal != "url_path":
                codes = of_kinds(candidates, kinds, div) or _prefecture(candidates, ev, weighed, div)
        if len(codes) != 1:
            continue
        if settled and settled not in div.ancestors(codes[0]):  # a sibling's channel: the host named its city
            used = [u for u in used if u["adcode"] != settled]
        settled, spelled = codes[0], ev.place_is_full
        used.append({"signal": ev.signal, "mention": ev.token, "adcode": settled, "weight": 10})
    if not settled:
        return None
    direct = any(e["signal"] in ("url_media", "url_host", "url_channel") for e in used) and all(
        len(ev.codes) == 1 and not ev.weak for ev in found if ev.token in {e["mention"] for e in used}
    )
    return settled, used, rules.calibrated("url" if direct else "url_with_text")


def _prefecture(codes: list[str], ev: HostEvidence, weighed: Weighed, div: Divisions) -> list[str]:
    """A host spelled in full pinyin by one prefecture and by counties of other prefectures
    (changzhou: 常州 or 梧州's 长洲区; jining: 济宁 or 集宁区) is the prefecture's — a county
    writes its city or its level into its own (wzcz, jiningqu) — unless the text names one of
    the counties."""
    cities = [c for c in codes if div.units[c].level == "city"]
    if not ev.place_is_full or len(cities) != 1 or any(weighed.support.get(c, 0.0) > 0 for c in codes):
        return []
    return cities


def _supported(codes: list[str], weighed: Weighed, div: Divisions, spelled: bool = False) -> list[str]:
    """The one candidate the text supports clearly: by its own or its descendants' mentions;
    for an address spelled in full pinyin (qingcheng: 庆城 or 清城), as the only candidate the
    text names at all; else as the only candidate in the text's province when the text leads to
    no other unit there. Otherwise nothing."""
    score = {c: weighed.support.get(c, 0.0) for c in codes}
    best = max(score.values(), default=0.0)
    named = [c for c in codes if score[c] > 0]
    if spelled and len(named) == 1 and score[named[0]] >= HOST_MIN_SUPPORT:
        return named
    strong = [c for c in codes if HOST_MIN_SUPPORT <= best and best >= HOST_TEXT_SHARE * weighed.total
              and score[c] >= 0.5 * best]
    if strong:
        return strong if len(strong) == 1 else []
    if not weighed.total:
        return []
    province = max((c for c in weighed.support if div.units[c].level == "province"), key=weighed.support.get)
    firm = _support({c: w - weighed.ambiguous.get(c, 0.0) for c, w in weighed.weights.items()}, div)
    if weighed.support[province] < DESCEND_SHARE * weighed.total or firm.get(province, 0.0) < HOST_MIN_SUPPORT:
        return []  # … and names shared by several units (城区) do not make the province
    inside = [c for c in codes if province in (c, *div.ancestors(c))]
    lead = _descend(province, weighed, div, None)
    if len(inside) == 1 and (lead == province or lead in (inside[0], *div.ancestors(inside[0]))):
        return inside
    return []


def _descend(chosen: str, weighed: Weighed, div: Divisions, cap: str | None, result: RegionResult | None = None) -> str:
    """Walk down from ``chosen`` while one child holds at least half of its parent's support."""
    support = weighed.support
    while True:
        kids = [c for c in div.children.get(chosen, []) if support.get(c)]
        if not kids:
            return chosen
        best = max(kids, key=lambda c: support[c])
        if sum(support[c] == support[best] for c in kids) > 1:  # 湛江 and 肇庆 alike: no child leads
            return chosen
        # one child named alone, often, under a province its text names as its own (盘锦 … 辽宁全面振兴)
        alone = (
            len(kids) == 1
            and div.units[chosen].level == "province"
            and support[best] >= ALONE_SUPPORT
            and support[best] / support[chosen] >= ALONE_SHARE
        )
        if (support[best] / support[chosen] < DESCEND_SHARE and not alone) or support[best] < 2:
            return chosen
        if cap and LEVEL_RANK[div.units[best].level] > LEVEL_RANK[cap]:
            if result is not None:
                result.evidence.insert(0, {"signal": "addressees", "mention": cap, "adcode": chosen, "weight": 0})
            return chosen
        chosen = best


def _decide_by_weight(result: RegionResult, body: str, weighed: Weighed, div: Divisions, rules: DocumentRules) -> None:
    """The weighed mentions: the leading province, then down while one child leads clearly;
    a place resting on names nothing separates is ``ambiguous`` with its candidates."""
    if not weighed.weights:
        result.level = "unknown"
        return
    support, total = weighed.support, weighed.total
    provinces = sorted((c for c in support if div.units[c].level == "province"), key=lambda c: -support[c])
    top = provinces[0]
    result.evidence = list(weighed.evidence)
    if total < MIN_SUPPORT:  # one passing mention in the body (新华社北京…电, 健康长寿): too little
        result.level = "unknown"
        result.candidates = [
            {"name": div.units[c].name, "adcode": c, "weight": round(support[c], 2)} for c in provinces[:5]
        ]
        return
    if support[top] / total < DESCEND_SHARE:
        result.level = "ambiguous"
        result.candidates = [
            {"name": div.units[c].name, "adcode": c, "weight": round(support[c], 2)} for c in provinces[:5]
        ]
        result.confidence = round(support[top] / total, 3)
        return
    cap = next((level for pattern, level in rules.addressees if pattern.search(body[:200])), None)
    chosen: str | None = _descend(top, weighed, div, cap, result)
    amb_support = _support(weighed.ambiguous, div)
    if amb_support.get(chosen, 0.0) > 0.5 * support[chosen]:
        # the place rests on names shared by several units that nothing in the text separates
        shared = sorted(weighed.ambiguous, key=lambda c: -weighed.ambiguous[c])
        result.level = "ambiguous"
        result.candidates = [
            {"name": "/".join(n for n in div.path(c) if n), "adcode": c, "weight": round(weighed.ambiguous[c], 2)}
            for c in shared[:8]
        ]
        common = _common_ancestor(shared, div)
        chosen = common if common and support.get(common, 0) else None
    if chosen:
        share = support[chosen] / total
        confidence = rules.calibrated("weighed", share) if result.level != "ambiguous" else round(share, 3)
        _fill(result, chosen, div, confidence=confidence, level_hint=result.level)
    if weighed.zones:
        zone, w = max(weighed.zones.items(), key=lambda kv: kv[1])
        if w >= WEIGHTS["lead"]:
            result.zone = zone


def _pin(
    result: RegionResult, div: Divisions, signal: str, mention: str, code: str, confidence: float, weight: float = 10
) -> None:
    """One decisive signal sets the region (given metadata, the issuer, the signature)."""
    result.evidence = [{"signal": signal, "mention": mention, "adcode": code, "weight": weight}]
    _fill(result, code, div, confidence=confidence, level_hint=None)


def _support(weights: dict[str, float], div: Divisions) -> dict[str, float]:
    support: dict[str, float] = defaultdict(float)
    for code, w in weights.items():
        support[code] += w
        for anc in div.ancestors(code):
            support[anc] += w
    return support


def _common_ancestor(codes: list[str], div: Divisions) -> str | None:
    """The deepest unit every candidate lies in or is: 安阳 read as 安阳市 or as its 安阳县 is
    安阳市 either way; 朝阳区 of 北京 or of 长春 has none below the country."""
    chains = [set(div.ancestors(c)) | {c} for c in codes]
    common = set.intersection(*chains) if chains else set()
    if not common:
        return None
    return max(common, key=lambda c: len(div.ancestors(c)))


def _fill(result: RegionResult, code: str, div: Divisions, confidence: float, level_hint) -> None:
    result.province, result.city, result.district = div.path(code)
    result.adcode = code
    if level_hint != "ambiguous":
        result.level = div.units[code].level
    result.confidence = confidence


def _mentioned(mentions: list[Mention], div: Divisions) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        codes = list(dict.fromkeys(c for c, _ in m.candidates))
        town = all(kind == "town" for _, kind in m.candidates)
        key = div.units[codes[0]].name if len(codes) == 1 and not town else m.surface  # a town by its own name
        counts[key] += 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _officials(found: list[OfficialMention], result: RegionResult, div: Divisions) -> list[dict]:
    """Unique officials; a title's region is its written place, else the article's own unit."""
    out: dict[tuple[str, str], dict] = {}
    for o in found:
        off = o.official
        region = None
        if o.place and o.place in div.surfaces:
            codes = [c for c, _ in div.surfaces[o.place]]
            if result.adcode:
                near = [
                    c
                    for c in codes
                    if c == result.adcode or c in div.ancestors(result.adcode) or result.adcode in div.ancestors(c)
                ]
                codes = near or codes
            region = div.units[codes[0]].name
        elif off.level == "city":
            region = result.city
        elif off.level in ("county", "zone"):
            region = result.zone if off.level == "zone" and result.zone else result.district
        elif off.level == "province":
            region = result.province
        out.setdefault(
            (off.name, off.title),
            {
                "name": off.name,
                "title": off.title,
                "level": off.level,
                "region": region,
            },
        )
    return list(out.values())
