"""Evidence signals for region resolution: each small function reads one kind of evidence
(place mentions, the issuer opening the title, the signature, the URL's host, the site, the
byline) and returns it; ``regions.resolve`` orders and weighs them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .divisions import Divisions
from .person_names import name_rules
from .region_rules import DocumentRules, document_rules

LEVEL_RANK = {"province": 0, "city": 1, "district": 2}
WEAK_KINDS = ("bare", "worded")  # short forms no dictionary knows as places: they yield to firm names
BYLINE_END = re.compile(r"讯|记者")  # where a byline ends: read only the lines that hold one
BYLINE_WINDOW = 200
UNPREFIXED_BEFORE = frozenset("，、。：:；（(“ \u3000\n\t")  # what precedes a title written with no place
TITLE_HEADS = frozenset("省市县区旗州盟乡镇村")  # …长 after one of these is a title (市长, 旗长)


@dataclass(frozen=True)
class Mention:
    surface: str
    start: int
    end: int
    candidates: tuple[tuple[str, str], ...]  # (code, kind)


def find_mentions(text: str, div: Divisions, skip_spans: list[tuple[int, int]] = ()) -> list[Mention]:
    """Place mentions, leftmost-longest, minus non-places, organisations and people."""
    rules = document_rules()
    found, blocked = [], list(skip_spans)
    for start, end, (surface, not_a_place) in div.automaton.iter(text):  # places and non-places, one pass
        span = (start, end)
        if not_a_place:
            blocked.append(span)
        if surface in div.surfaces:
            found.append((*span, surface))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    blocked.sort()
    starts = [b[0] for b in blocked]
    longest = max((b_end - b_start for b_start, b_end in blocked), default=0)

    def crosses(start: int, end: int) -> bool:
        """A blocked span (a non-place, a person) overlaps the mention without lying inside it;
        only the spans starting within reach are looked at (bisect, not a scan of all)."""
        lo, hi = bisect_left(starts, start - longest), bisect_left(starts, end)
        return any(
            start < b_end and b_start < end and not (start <= b_start and b_end <= end)
            for b_start, b_end in blocked[lo:hi]
        )

    out: list[Mention] = []
    last_end = -1
    for start, end, surface in found:
        if start < last_end:
            continue
        if crosses(start, end):
            continue
        if surface in div.worded and not rules.worded_after.match(text, end):
            continue  # 吴江将以…, 武功: a county's short form that is also a word or a name, alone
        last_end = end
        if rules.organisation_after.match(text, end):  # 天津市金桥焊材集团…: a company, not a place
            continue
        candidates = _prefer_mainland(div.surfaces[surface])
        kinds = {kind for _, kind in candidates}
        pairs = div.word_pairs
        left, right = text[start - 1 : start + 1] in pairs, text[end - 1 : end + 1] in pairs
        if (kinds == {"bare"} or surface in div.wordlike) and (left or right):
            continue  # 城步行街 = 城 + 步行街, 保安康 = 保安 + 康: a short form inside other words
        if kinds <= {"short", "bare", "worded"} and left and (right or surface[-1] in rules.conjunctions):
            continue  # 搬迁安置 = 搬迁 + 安置, not 迁安; 振兴和 = 振兴 + 和, not 兴和: inside common words
        if (kinds <= {"short", "bare", "worded"} and right and text[end : end + 1] in "市县区"
                and surface + text[end] not in div.surfaces):
            continue  # 防城市内涝 = 防 + 城市: a level character that belongs to a word, not to the name
        if kinds <= {"short", "bare", "worded"} and rules.road_after.match(text, end):
            continue  # 广灵二路, 北京东路: a street
        if kinds == {"town"} and text[end - 1 : end + 1] in div.town_breakers:
            continue  # 幸福乡村, 丹徒镇江…: the name's last character begins a word
        if text[end : end + 1] == "级" and surface[-1] in "市区县":  # 合作市级 = 合作 + 市级
            continue
        if len(surface) == 2 and surface[-1] == "县" and (
            (surface[0] in rules.one_char_words and rules.organ_after_level.match(text, end))
            or (text[end : end + 1] == "长" and surface[0] in name_rules().single)
        ):
            continue  # 代县长 = 代 + 县长, 和县政协 = 和 + 县政协, 叶县长 = 叶 + 县长 (Mr Ye)
        if kinds <= {"short", "bare"} and surface[0] == "长" and text[start - 1 : start] in TITLE_HEADS:
            continue  # 副旗长白洋: 旗长 + a name, not 长白
        out.append(Mention(surface, start, end, candidates))
    return out


def _prefer_mainland(candidates: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Drop Taiwan, Hong Kong and Macao sub-units when a mainland unit has the same name."""
    mainland = [c for c in candidates if c[0][:2] not in ("71", "81", "82")]
    return tuple(mainland or candidates)


def _chains(mentions: list[Mention]) -> list[list[Mention]]:
    """Runs of mentions that follow each other with nothing between (上海市宝山区)."""
    chains: list[list[Mention]] = []
    for m in mentions:
        if chains and chains[-1][-1].end == m.start:
            chains[-1].append(m)
        else:
            chains.append([m])
    return chains


def _title_chain(title: str, mentions: list[Mention], rules: DocumentRules) -> tuple[list[Mention], int]:
    """The places that open the title (after a document number such as 沪奉水务〔2023〕207号)."""
    number = rules.doc_number_prefix.match(title)
    pos = number.end() if number else 0
    chain: list[Mention] = []
    for m in mentions:
        if m.start < pos:
            continue
        if m.start != pos or m.start >= len(title):
            break
        chain.append(m)
        pos = m.end
    return chain, pos


def _title_issuer(title: str, mentions: list[Mention], div: Divisions, rules: DocumentRules) -> tuple[str, str] | None:
    """Places opening the title, then an organ and a document type: the issuing unit."""
    chain, pos = _title_chain(title, mentions, rules)
    if not chain or not rules.issuer_tail.match(title, pos):
        return None
    code = _chain_unit(chain, mentions, div)
    return (code, title[:pos]) if code else None


def _chain_unit(chain: list[Mention], mentions: list[Mention], div: Divisions) -> str | None:
    """The unit a run of places names (上海市静安区 → 静安区 of 上海), or None when its last name
    is shared by several units that neither the run nor the rest of the text separates."""
    codes = list(dict.fromkeys(c for c, _ in chain[-1].candidates))
    for earlier in chain[:-1]:
        above = {c for c, _ in earlier.candidates}
        codes = [c for c in codes if above & {c, *div.ancestors(c)}] or codes
    if len(codes) > 1:
        context = {
            c
            for m in mentions
            if len(m.candidates) == 1
            for c in (m.candidates[0][0], *div.ancestors(m.candidates[0][0]))
        }
        codes = [c for c in codes if context & set(div.ancestors(c))] or codes
    return codes[0] if len(codes) == 1 else None  # 鼓楼区人民政府…: for the other signals to say


def _signature_issuer(
    signatures: list[list[Mention]], mentions: list[Mention], div: Divisions
) -> tuple[str, str] | None:
    """The issuing unit of the signatures (落款): the deepest when they lie on one line of
    descent (上海市浦东新区人民政府洋泾街道办事处), None when they name unrelated units."""
    codes = [_chain_unit(chain, mentions, div) for chain in signatures]
    if not codes or None in codes:
        return None
    deepest = max(codes, key=lambda c: LEVEL_RANK[div.units[c].level])
    if any(c != deepest and c not in div.ancestors(deepest) for c in codes):
        return None
    written = next(
        "".join(m.surface for m in chain) for chain, c in zip(signatures, codes, strict=True) if c == deepest
    )
    return deepest, written


@dataclass(frozen=True)
class Role:
    """A place's part in a visit: ``host`` (来滁考察: where the visitors came), ``visitor``
    (马鞍山市党政代表团来滁: where they came from), ``home`` (韶关市党政代表团赴…: the travellers'
    own place, written by their paper), ``visited`` (赴赣州市学习考察: a place the home
    delegation went to learn from), ``superior`` (苏州市政协…到我区视察: a city's party in "our
    district", perhaps its own city: its own mentions count less, not its districts'), ``byline``
    (政和新资讯网讯, 韶关日报记者: the paper's place)."""

    role: str
    codes: tuple[str, ...]
    written: str


def travel_roles(full: str, mentions: list[Mention], div: Divisions, rules: DocumentRules) -> list[Role]:
    """Who travelled where: each ``来/到/赴 + place + … 考察/调研`` clause, its destination and the
    places named in its subject (the travellers' titles or delegation)."""
    roles: list[Role] = []
    for m in rules.travel.finditer(full):
        verb, dest = m.group("verb"), m.group("dest")
        outgoing = verb in rules.outgoing_verbs
        learning = bool(rules.learning.search(m.group("purpose") or ""))
        clause_start = max(full.rfind(c, 0, m.start()) for c in "。；！？\n") + 1
        in_clause = [x for x in mentions if clause_start <= x.start < m.start("verb")]
        subject = [x for x in in_clause if rules.traveller_after.match(full, x.end)]
        for x in reversed(in_clause):  # 呼伦贝尔市陈巴尔虎旗人大常委会考察团: the whole chain travels
            if x not in subject and any(y.start == x.end for y in subject):
                subject.append(x)
        dest_codes = _destination(full, dest, m.start("dest"), m.start("purpose"), mentions, div)
        above = tuple(dict.fromkeys(  # 西宁市 in 赴西宁市城中区: the destination's own superiors
            c for x in mentions if m.start("dest") <= x.start < m.start("purpose") for c, _ in x.candidates
            if any(c in div.ancestors(d) for d in dest_codes)))
        travellers = tuple(dict.fromkeys(c for x in subject for c, _ in x.candidates))
        if outgoing:
            if travellers and rules.delegation.search(full, clause_start, m.start("verb")):
                roles.append(Role("home", travellers, full[clause_start : m.start("verb")]))
            if dest_codes and learning:
                roles.append(Role("visited", dest_codes + above, full[m.start("dest") : m.start("purpose")]))
        else:
            if dest_codes:
                roles.append(Role("host", dest_codes, full[m.start("dest") : m.start("purpose")]))
            if travellers and (dest_codes or dest.startswith("我") or verb in rules.coming_verbs):
                # 苏州市政协…到我区视察: a city's party in "our district" may be the district's own city
                over = dest[:1] == "我" and dest[1:2] in "县区旗" and all(
                    div.units[c].level != "district" for c in travellers)
                roles.append(Role("superior" if over else "visitor", travellers, full[clause_start : m.start("verb")]))
    return roles


def received_roles(full: str, mentions: list[Mention], rules: DocumentRules) -> list[Role]:
    """A party received (会见邻水县委书记赵某一行, 与某市党政代表团一行座谈): the places whose titles
    or organs stand in the party are the visitors'."""
    out = []
    for m in rules.received.finditer(full):
        start, end = m.span("party")
        codes = tuple(dict.fromkeys(c for x in mentions if start <= x.start < end
                                    and rules.traveller_after.match(full, x.end) for c, _ in x.candidates))
        if codes:
            out.append(Role("visitor", codes, m.group("party")))
    return out


def partner_roles(full: str, mentions: list[Mention], rules: DocumentRules) -> list[Role]:
    """Places named in a sentence about a partnership or comparison (对口帮扶, 友好城市): each is
    a ``partner``, which counts less unless it is the writer's own."""
    out = []
    for m in rules.partnership.finditer(full):
        start = max(full.rfind(c, 0, m.start()) for c in "。；！？\n") + 1
        ends = [i for i in (full.find(c, m.end()) for c in "。；！？\n") if i >= 0]
        end = min(ends) if ends else len(full)
        codes = tuple(dict.fromkeys(c for x in mentions if start <= x.start < end for c, _ in x.candidates))
        if codes:
            out.append(Role("partner", codes, full[start:end][:40]))
    return out


def _destination(
    full: str, dest: str, start: int, purpose: int, mentions: list[Mention], div: Divisions
) -> tuple[str, ...]:
    """The units a destination names: a place mention starting there, or a city's one-character
    abbreviation (来滁 → 滁州市, 来郴 → 郴州市); 我市 names no unit."""
    chain: list[Mention] = []
    for x in mentions:  # 江西省赣州市: the last of the places that follow each other
        if x.start == (chain[-1].end if chain else start):
            chain.append(x)
    if chain:
        codes = list(dict.fromkeys(c for c, _ in chain[-1].candidates))
        for earlier in chain[:-1]:
            above = {c for c, _ in earlier.candidates}
            codes = [c for c in codes if above & {c, *div.ancestors(c)}] or codes
        return tuple(codes)
    for end in range(min(purpose, start + 6), start + 1, -1):  # 到宿城考察: a short form jieba does not tag
        if full[start:end] in div.short_names:
            return div.short_names[full[start:end]]
    if len(dest) == 1 and purpose == start + 1:  # 来滁考察, 来郴期间
        return div.abbreviations.get(dest, ())
    return ()


def byline_roles(full: str, div: Divisions, rules: DocumentRules) -> list[Role]:
    """The paper's own place from a byline or credit: 政和新资讯网讯, 九江日报记者, 西江日报讯 (a
    name that is no place says nothing)."""
    out = []
    for m in rules.local_byline.finditer(full):  # 本网鹿寨讯: a county's dateline (本报北京讯 is a trip)
        codes = tuple(c for c in div.short_names.get(m.group("place"), ()) if div.units[c].level == "district")
        if codes:
            out.append(Role("byline", codes, m.group()))
    starts = sorted({full.rfind("\n", 0, e.start()) + 1 for e in BYLINE_END.finditer(full)})
    for m in (m for start in starts for m in rules.byline.finditer(full, start, start + BYLINE_WINDOW)):
        name = m.group("place")
        codes = tuple(c for c, _ in div.surfaces.get(name, ())) or div.short_names.get(name, ())
        for cut in range(len(name) - 1, 1, -1):  # 政和新资讯网: the longest place opening the name
            if codes:
                break
            codes = tuple(c for c, _ in div.surfaces.get(name[:cut], ())) or div.short_names.get(name[:cut], ())
        if codes:
            out.append(Role("byline", codes, m.group()))
    return out


UNIT_SUFFIXES = {"州": ("州", "自治州"), "盟": ("盟",), "旗": ("旗",), "市": ("市",), "县": ("县",), "区": ("区",)}


def unprefixed_roles(
    full: str,
    mentions: list[Mention],
    div: Divisions,
    rules: DocumentRules,
    people: list[tuple[int, int]] = (),
    visitors: set[str] = frozenset(),
) -> list[Role]:
    """The one unit named in the text whose kind matches an official's title written with no
    place (，市委书记李理 → the …市 named; 县委召开常委会 → the …县): the host's own — never a
    visitor's unit (陈巴尔虎旗考察团到我旗: the other 旗 named)."""
    titled = _titled_kinds(full, rules)
    kinds = own_kinds(full, rules)
    if not kinds:
        return []

    def of_kind(c: str) -> bool:  # 区委 is no 自治区's: a province is never of these kinds
        return c not in visitors and bool(of_kinds([c], kinds, div))

    out = _named_of_kind(mentions, div, of_kind)
    if len(out) > 1:  # 久治县 and a bare 周宁 (李生才、周宁副厅长): the names a dictionary knows
        firm = [m for m in mentions if any(k not in WEAK_KINDS for _, k in m.candidates)]
        out = _named_of_kind(firm, div, of_kind)
    if not out and titled:  # 区委书记 … 袁州新画卷: a short form jieba does not know, written at least twice
        ends = tuple(e for k in titled for e in UNIT_SUFFIXES[k])
        counts: dict[str, int] = {}
        for start, end, name in div.short_automaton.iter(full):
            if not any(s < end and start < e for s, e in people) and not rules.road_after.match(full, end):
                # 县长雷兴平: not 兴平; 西城街道: a township, not 北京's 西城区
                counts[name] = counts.get(name, 0) + 1
        out = [
            Role("unprefixed", div.short_names[n], n)
            for n, k in counts.items()
            if k >= 2 and len(div.short_names[n]) == 1 and div.units[div.short_names[n][0]].name.endswith(ends)
        ]
    if not out and kinds <= {"县", "区", "旗"}:  # 县委召开常委会 … 眉山市: the county's own city
        out = _named_of_kind(mentions, div, lambda c: div.units[c].level == "city")
    return out if len(out) == 1 else []  # a list of cities (八市书记…) says nothing about which one


def _titled_kinds(full: str, rules: DocumentRules) -> set[str]:
    """The kinds of unit (县, 区, 旗…) of the titles written with no place (，县委书记…)."""
    return {
        m.group("kind")
        for m in rules.unprefixed_title.finditer(full)
        if m.start() == 0 or full[m.start() - 1] in UNPREFIXED_BEFORE
    }


def own_kinds(full: str, rules: DocumentRules) -> set[str]:
    """The kinds of unit the text calls its own: titles written with no place (旗委书记…) and
    the own-unit words (全旗, 我县, 本区)."""
    return _titled_kinds(full, rules) | {m.group("kind") for m in rules.own_kind.finditer(full)}


def of_kinds(codes, kinds: set[str], div: Divisions) -> list[str]:
    """The units among ``codes`` whose name ends in one of the kinds (a province is never one)."""
    ends = tuple(e for k in kinds for e in UNIT_SUFFIXES[k])
    return [c for c in codes if ends and div.units[c].name.endswith(ends) and div.units[c].level != "province"]


def _named_of_kind(mentions: list[Mention], div: Divisions, keep) -> list[Role]:
    """The units of the kind ``keep`` accepts named in the text: a mention all of whose readings
    are of that kind, or one whose other readings are its namesakes on the same line (阿坝: 阿坝州
    and its 阿坝县; with 州委书记 or 我州 the 州)."""
    out, seen = [], set()
    for m in mentions:
        every = {c for c, _ in m.candidates}
        codes = tuple(dict.fromkeys(c for c, _ in m.candidates if keep(c)))
        line = {a for c in codes for a in (c, *div.ancestors(c))}
        namesakes = all(c in line or line & set(div.ancestors(c)) for c in every)
        if codes and codes not in seen and (len(codes) == len(every) or (len(codes) == 1 and namesakes)):
            seen.add(codes)
            out.append(Role("unprefixed", codes, m.surface))
    return out
