"""Rules of official documents and news writing used by region resolution, read from
``data/region_rules.toml`` (users extend that file, not this module)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import DATA_DIR, load_toml

CJK = "\u4e00-\u9fff"


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
    travel: re.Pattern[str]  # 来滁考察, 赴六盘水考察学习: a visit, its verb, destination and purpose
    outgoing_verbs: frozenset[str]  # 赴, 前往: away from the writer's place
    coming_verbs: frozenset[str]  # 来, 莅临: towards the writer's place, wherever the text says it is
    learning: re.Pattern[str]  # 学习, 取经: a trip to learn from a peer
    partnership: re.Pattern[str]  # 对口帮扶, 友好城市: a sentence pairing places
    delegation: re.Pattern[str]  # 党政代表团, 考察团, 率队: a travelling party
    traveller_after: re.Pattern[str]  # 市委书记, 政协, 党政代表团 right after a traveller's place
    byline: re.Pattern[str]  # 政和新资讯网讯, 韶关日报记者: a paper's byline or credit
    local_byline: re.Pattern[str]  # 本网鹿寨讯: a local dateline, its county the paper's
    worded_after: re.Pattern[str]  # 政协, 融媒体中心: what makes a worded short form (吴江, 城步) the county
    outlet_after: re.Pattern[str]  # 在线, 政府网: a publisher's name after its unit's short form
    central_outlets: re.Pattern[str]  # 新华, 光明日报: publishers that are central, whatever they open with
    section_prefixes: tuple[str, ...]  # 今日: a breadcrumb section 今日 + a unit's short form is the unit's
    leader_visit: re.Pattern[str]  # 总书记在广西考察时: a central leader's inspection cited
    unprefixed_title: re.Pattern[str]  # ，市委书记… with no place before it: the host's own title
    own_kind: re.Pattern[str]  # 我州, 我县: the writer's own unit by its kind
    organ_after_level: re.Pattern[str]  # 代县长: what makes a one-character county's 县 an organ's
    one_char_words: frozenset[str]  # 和, 代, 新: one-character counties that are also common words
    conjunctions: frozenset[str]  # 和, 与, 及: a short form ending so after a word's end (振兴和) is no place
    received: re.Pattern[str]  # 会见…一行: a party received, its places the visitors'
    confidence: dict  # calibrated region_confidence per kind of decisive evidence

    def calibrated(self, kind: str, share: float | None = None) -> float:
        """The observed precision of answers decided by ``kind`` (for weighed mentions, by the
        share of the support the answer holds)."""
        if kind != "weighed":
            return float(self.confidence[kind])
        return next(float(conf) for low, conf in self.confidence["weighed"] if (share or 0.0) >= low)


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
        doc_number=re.compile(
            rf"([{''.join(abbr)}])[\u4e00-\u9fff]{{0,6}}[〔\[【(（]\s*(?:19|20)\d{{2}}\s*[〕\]】)）]"
        ),
        abbreviations=dict(abbr),
        short_form_exclude=frozenset(raw.get("short_form_exclude", [])),
        organisation_after=re.compile(
            rf"[{CJK}A-Za-z]{{0,12}}?(?:{'|'.join(map(re.escape, raw['organisation_suffixes']))})"
        ),
        road_after=re.compile(raw["road_after"]),
        citation=re.compile(raw["citation"]),
        town_suffixes=tuple(raw["town_suffixes"]),
        travel=_travel(raw["travel"]),
        outgoing_verbs=frozenset(raw["travel"]["outgoing_verbs"]),
        coming_verbs=frozenset(raw["travel"]["coming_verbs"]),
        learning=re.compile("|".join(raw["travel"]["learning"])),
        partnership=re.compile("|".join(raw["travel"]["partnership"])),
        delegation=re.compile("|".join(raw["travel"]["delegation"])),
        traveller_after=re.compile(raw["travel"]["traveller_after"]),
        byline=re.compile(raw["byline"]),
        local_byline=re.compile(raw["local_byline"]),
        worded_after=re.compile(raw["worded_after"]),
        outlet_after=re.compile(raw["outlet_after"]),
        central_outlets=re.compile("|".join(raw["central_outlets"])),
        section_prefixes=tuple(raw.get("section_prefixes", [])),
        leader_visit=re.compile(raw["leader_visit"]),
        unprefixed_title=re.compile(raw["unprefixed_title"]),
        own_kind=re.compile(raw["own_kind"]),
        organ_after_level=re.compile(raw["organ_after_level"]),
        one_char_words=frozenset(raw["one_char_words"]),
        conjunctions=frozenset(raw["conjunctions"]),
        received=re.compile(raw["travel"]["received"]),
        confidence=raw["confidence"],
    )


def _travel(raw: dict) -> re.Pattern[str]:
    verbs = "|".join(sorted({*raw["incoming_verbs"], *raw["outgoing_verbs"]}, key=len, reverse=True))
    at_own = "|".join(raw.get("at_own_verbs", []))
    if at_own:  # 在我县考察: only before the writer's own unit
        verbs += rf"|(?:{at_own})(?=我[市县区旗州盟])"
    purposes = "|".join(raw["purposes"])
    return re.compile(
        rf"(?P<verb>{verbs})(?P<dest>我[市县区旗州盟]|[{CJK}]{{1,12}}?)"
        rf"(?:[{CJK}、]{{0,30}}?)(?P<purpose>{purposes})"
    )
