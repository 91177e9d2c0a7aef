"""Accuracy on documents whose region, date or officials are known (``tifa eval``).

The real corpora of ``../shared/corpora`` carry their region; they are ingested *without* it
(only text, title and date), and the resolved region is compared with the known one at the
level that is known:

* ``gwr_panel.jsonl``     provincial reports → province (national reports are skipped: 全国);
* ``hebei_policy.jsonl``  provincial departments' documents → province 河北省, and must not be
                          pinned to a city (a city there is a confusion);
* ``shanghai_docs.jsonl`` city-level → 上海市 with no district; district/town level → district;
* the seeds               → province, city and district as read from the articles.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SEED_TRUTH = {
    "000": ("江西省", "萍乡市", "安源区"),
    "001": ("江西省", "萍乡市", None),
    "002": ("江西省", "上饶市", "广信区"),
    "003": ("江苏省", "扬州市", "高邮市"),
    "004": ("江西省", "萍乡市", "安源区"),
}


@dataclass
class Expected:
    source_path: str
    record_no: int
    corpus: str
    level: str  # province | city | district
    province: str
    city: str | None
    district: str | None


def prepare(corpora: Path, seeds: Path | None, out: Path) -> list[Expected]:
    """Write region-free copies of the corpora under ``out``; return what is known of each."""
    out.mkdir(parents=True, exist_ok=True)
    expected: list[Expected] = []

    def write(name: str, rows: list[tuple[dict, Expected]]) -> None:
        with open(out / name, "w", encoding="utf-8") as fh:
            for no, (rec, exp) in enumerate(rows, start=1):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                exp.source_path, exp.record_no = f"{out.name}/{name}", no
                expected.append(exp)

    def clean_record(row: dict) -> dict:
        return {k: row[k] for k in ("title", "text", "date") if row.get(k) not in (None, "None", "")}

    gwr = [json.loads(line) for line in open(corpora / "gwr_panel.jsonl", encoding="utf-8")]
    write("gwr_provinces.jsonl", [
        (clean_record(r), Expected("", 0, "gwr_panel", "province", r["region"], None, None))
        for r in gwr if r["level"] == "province"
    ])
    hebei = [json.loads(line) for line in open(corpora / "hebei_policy.jsonl", encoding="utf-8")]
    write("hebei.jsonl", [
        (clean_record(r), Expected("", 0, "hebei_policy", "province", "河北省", None, None)) for r in hebei
    ])
    shanghai = [json.loads(line) for line in open(corpora / "shanghai_docs.jsonl", encoding="utf-8")]
    rows = []
    for r in shanghai:
        if r["level"] == "city":
            rows.append((clean_record(r), Expected("", 0, "shanghai_docs", "city", "上海市", "上海市", None)))
        else:
            rows.append((clean_record(r), Expected("", 0, "shanghai_docs", "district", "上海市", "上海市",
                                                   r["district"])))
    write("shanghai.jsonl", rows)
    if seeds and seeds.exists():
        seed_out = out / "seeds"
        seed_out.mkdir(exist_ok=True)
        for path in sorted(seeds.glob("*.txt")):
            (seed_out / path.name).write_bytes(path.read_bytes())
            prov, city, dist = SEED_TRUTH[path.name[:3]]
            expected.append(Expected(f"{out.name}/seeds/{path.name}", 0, "seeds",
                                     "district" if dist else "city", prov, city, dist))
    return expected


def score(expected: list[Expected], docs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-corpus accuracy at the known level, and the list of confusions."""
    from .regions import divisions

    div = divisions()
    municipality_names = {div.units[c].name for c in div.municipalities}
    got = docs.set_index(["source_path", "record_no"])
    rows = []
    for exp in expected:
        key = (exp.source_path, exp.record_no)
        if key not in got.index:
            rows.append({**exp.__dict__, "got": "(missing)", "correct": False})
            continue
        doc = got.loc[key]
        if exp.level == "province":
            # a provincial document must stay provincial: a city or district is a confusion
            ok = doc["province"] == exp.province and pd.isna(doc["city"]) or (
                doc["province"] == exp.province and exp.province in municipality_names
                and pd.isna(doc["district"]))
        elif exp.level == "city":
            ok = doc["province"] == exp.province and doc["city"] == exp.city and pd.isna(doc["district"])
        else:
            ok = doc["city"] == exp.city and doc["district"] == exp.district
        got_text = "/".join(str(v) for v in (doc["province"], doc["city"], doc["district"]) if isinstance(v, str))
        note = ""
        if doc["region_level"] == "national":
            note = "central issuer"
        elif doc["region_level"] == "unknown" and not doc["mentioned_regions"]:
            note = "no place named"
        rows.append({**exp.__dict__, "got": got_text or doc["region_level"], "correct": bool(ok),
                     "note": note, "answered": isinstance(doc["province"], str)})
    detail = pd.DataFrame(rows)
    if "answered" not in detail:
        detail["answered"] = False
    detail["answered"] = detail["answered"].fillna(False).astype(bool)
    summary = detail.groupby(["corpus", "level"]).agg(documents=("correct", "size"), correct=("correct", "sum"),
                                                      answered=("answered", "sum")).reset_index()
    # Documents of central bodies reposted by a provincial site, and texts that name no place,
    # cannot carry the site's region in their text: reported apart, never counted as correct.
    local = detail[detail["note"] == ""]
    if len(local) < len(detail):
        apart = local.groupby(["corpus", "level"]).agg(documents=("correct", "size"), correct=("correct", "sum"),
                                                       answered=("answered", "sum")).reset_index()
        apart["level"] = apart["level"] + " (without central-issuer / place-less texts)"
        summary = pd.concat([summary, apart[apart["corpus"].isin(
            detail.loc[detail["note"] != "", "corpus"].unique())]], ignore_index=True)
        notes = detail[detail["note"] != ""].groupby(["corpus", "note"]).size().reset_index(name="documents")
        notes["level"] = "set apart: " + notes["note"]
        summary = pd.concat([summary, notes.drop(columns="note")], ignore_index=True)
    summary["accuracy"] = summary["correct"] / summary["documents"]
    # precision: of the documents given a region at all (a province or below), the share right
    summary["precision"] = summary["correct"] / summary["answered"].where(summary["answered"] > 0)
    total = pd.DataFrame([{"corpus": "all (every document)", "level": "", "documents": len(detail),
                           "correct": int(detail["correct"].sum()), "answered": int(detail["answered"].sum()),
                           "accuracy": detail["correct"].mean() if len(detail) else float("nan"),
                           "precision": detail["correct"].sum() / detail["answered"].sum()
                           if detail["answered"].any() else float("nan")}])
    confusions = detail[~detail["correct"]][["corpus", "source_path", "record_no", "level", "province",
                                            "city", "district", "got", "note"]]
    return pd.concat([summary, total], ignore_index=True), confusions


# --- local news: where, when and who on articles labelled from outside their text ---------------
#
# ``local_news_dev.jsonl`` (and any file of the same shape: ``id, url, title, text, province,
# city, district, date, date_source, officials``) is labelled from the publishing site and the
# URL, not from the text. Extra fields are ignored, except ``names_place`` (read by hand: does
# the excerpt name its own county, or for a city site its city, short name included), which
# replaces the string test below when present; ``tests/data/local_news_dev2.jsonl`` carries it.
# Each article is ingested in separate stores so that nothing read from an address can reach the
# text-only run as corpus evidence: once with title and text only, once with the URL. A third
# variant, ``corpus``, measures what the store's other documents know (``corpus_places``): each
# article is read without its address in a store that holds its site's other pages, half of
# them with their address — two folds (``corpus_a``, ``corpus_b``), each site's pages
# alternating between text only and with URL, every article measured in the fold where it
# has no address.

NEWS_VARIANTS = ("text", "url")
CORPUS_FOLDS = ("corpus_a", "corpus_b")
NEWS_COLUMNS = ["source_path", "record_no", "province", "city", "district", "region_level",
                "region_confidence", "published_at", "date", "date_precision", "officials"]


@dataclass
class NewsTruth:
    record_no: int
    id: str
    province: str
    city: str | None
    district: str | None
    date: str | None  # YYYY-MM-DD or YYYY
    date_source: str | None  # url | page_meta | text
    officials: list[str]
    names_own_place: bool  # the text or title names its labelled city or county
    site_pages: int = 1  # pages of the article's site (host) in the file
    fold: str = "corpus_a"  # the corpus fold where the article is read without its address


def _core(name: str | None) -> str | None:
    """A unit's name without its level suffix (宁河县 and 宁河区 compare equal)."""
    if not name:
        return None
    from .regions import _nations, short_form

    return short_form(name, _nations()) or name


def prepare_news(path: Path, out: Path) -> list[NewsTruth]:
    """Write the text-only, with-URL and the two corpus-fold copies of a labelled news file;
    return its labels."""
    from .store import url_host

    out.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    sites = [row.get("site") or url_host(row.get("url")) or f"row-{no}" for no, row in enumerate(rows)]
    per_site = Counter(sites)
    seen: Counter = Counter()
    truths: list[NewsTruth] = []
    names = (*NEWS_VARIANTS, *CORPUS_FOLDS)
    files = {v: open(out / f"news_{v}.jsonl", "w", encoding="utf-8") for v in names}
    try:
        for no, (row, site) in enumerate(zip(rows, sites, strict=True), start=1):
            base = {k: row[k] for k in ("title", "text") if row.get(k)}
            files["text"].write(json.dumps(base, ensure_ascii=False) + "\n")
            with_url = {**base, "url": row["url"]} if row.get("url") else base
            files["url"].write(json.dumps(with_url, ensure_ascii=False) + "\n")
            fold = CORPUS_FOLDS[seen[site] % 2]  # the fold where this page has no address
            seen[site] += 1
            for name in CORPUS_FOLDS:
                files[name].write(json.dumps(base if name == fold else with_url, ensure_ascii=False) + "\n")
            if isinstance(row.get("names_place"), bool):
                names_own = row["names_place"]
            else:
                full = (row.get("title") or "") + "\n" + row.get("text", "")
                own = [n for n in (row.get("city"), row.get("district")) if n]
                names_own = any(n in full or (_core(n) or n) in full for n in own)
            truths.append(NewsTruth(no, row.get("id", str(no)), row.get("province") or "", row.get("city"),
                                    row.get("district"), row.get("date"), row.get("date_source"),
                                    list(row.get("officials") or []), names_own, per_site[site], fold))
    finally:
        for fh in files.values():
            fh.close()
    return truths


def corpus_variant(truths: list[NewsTruth], folds: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``corpus`` variant's documents: each article as read in the fold where it has no address."""
    fold_of = {t.record_no: t.fold for t in truths}
    parts = [docs[docs["record_no"].map(fold_of) == name] for name, docs in folds.items()]
    return pd.concat(parts, ignore_index=True)


def _field_outcome(expected: str | None, got: str | None, same) -> str:
    if not expected:
        return "unlabelled"
    if not got:
        return "unanswered"
    return "right" if same(expected, got) else "wrong"


def _rate(num: int, den: int) -> float:
    return num / den if den else float("nan")


def score_news(truths: list[NewsTruth], docs_by_variant: dict[str, pd.DataFrame]
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per variant and field: right / wrong / unanswered with precision, coverage and accuracy;
    a reliability table of region_confidence; and every confusion.

    * province, city, district: the resolved unit against the site's label (district names
      compared without their suffix, so a county that became a district still matches);
    * year: the publication year (``published_at``, else ``date``) against the labelled date's
      year; rows ``year (URL dated)`` and ``year (page dated)`` restrict to the articles whose
      label comes from the address or the page's own 发布时间 line;
    * officials: names found against the names read by hand, micro-averaged over articles.
    """
    summary: list[dict] = []
    confusions: list[dict] = []
    reliability: list[dict] = []
    for variant, docs in docs_by_variant.items():
        got = docs.set_index("record_no")
        outcomes: dict[str, list[str]] = {k: [] for k in ("province", "city", "district", "year")}
        own_city: list[str] = []
        other_city: list[str] = []  # the text never names its own place
        own_district: list[str] = []
        other_district: list[str] = []
        other_district_site: list[str] = []  # … and the site has other pages in the file
        url_dated: list[str] = []
        page_dated: list[str] = []
        tp = fp = fn = 0
        conf_rows: list[tuple[float, str]] = []
        for t in truths:
            doc = got.loc[t.record_no] if t.record_no in got.index else None

            def value(c: str, doc=doc) -> str | None:
                return doc[c] if doc is not None and isinstance(doc[c], str) and doc[c] else None

            prov = _field_outcome(t.province, value("province"), lambda e, g: g.startswith(e))
            city = _field_outcome(t.city, value("city"), lambda e, g: e == g)
            dist = _field_outcome(t.district, value("district"), lambda e, g: _core(e) == _core(g))
            when = None
            if doc is not None:
                for col in ("published_at", "date"):
                    v = doc[col]
                    if v is not None and not (isinstance(v, float) and pd.isna(v)):
                        when = str(v)[:4]
                        break
            year = _field_outcome(t.date[:4] if t.date else None, when, lambda e, g: e == g)
            for key, outcome in (("province", prov), ("city", city), ("district", dist), ("year", year)):
                outcomes[key].append(outcome)
            if t.names_own_place:
                own_city.append(city)
                if t.district:
                    own_district.append(dist)
            else:
                other_city.append(city)
                if t.district:
                    other_district.append(dist)
                    if t.site_pages > 1:
                        other_district_site.append(dist)
            if t.date_source == "url":
                url_dated.append(year)
            elif t.date_source == "page_meta":
                page_dated.append(year)
            if doc is not None and city in ("right", "wrong"):
                conf_rows.append((float(doc["region_confidence"] or 0.0), city))
            found = {o["name"] for o in (doc["officials"] if doc is not None and doc["officials"] else [])}
            truth = set(t.officials)
            tp += len(found & truth)
            fp += len(found - truth)
            fn += len(truth - found)
            base = {"variant": variant, "record_no": t.record_no, "id": t.id}
            for key, outcome, expected, answer in (
                ("city", city, t.city, value("city")),
                ("district", dist, t.district, value("district")),
                ("year", year, t.date, when),
            ):
                if outcome in ("wrong", "unanswered"):
                    confusions.append({**base, "field": key, "outcome": outcome, "expected": expected,
                                       "got": answer or (value("region_level") if key != "year" else None)})
            if found != truth:
                confusions.append({**base, "field": "officials", "outcome": "differs",
                                   "expected": "、".join(sorted(truth - found)) or None,
                                   "got": "、".join(sorted(found - truth)) or None})

        def row(field: str, items: list[str], variant: str = variant) -> dict:
            right, wrong, none = (items.count(k) for k in ("right", "wrong", "unanswered"))
            n = right + wrong + none
            return {"variant": variant, "field": field, "articles": n, "right": right, "wrong": wrong,
                    "unanswered": none, "precision": _rate(right, right + wrong),
                    "coverage": _rate(right + wrong, n), "accuracy": _rate(right, n)}

        summary += [row("province", outcomes["province"]), row("city", outcomes["city"]),
                    row("city (names its own city/county)", own_city),
                    row("city (does not name its place)", other_city), row("district", outcomes["district"]),
                    row("district (names its county)", own_district),
                    row("district (does not name its county)", other_district),
                    row("district (does not name its county, site has other pages)", other_district_site),
                    row("year (all dated)", outcomes["year"]), row("year (URL dated)", url_dated),
                    row("year (page dated)", page_dated)]
        summary.append({"variant": variant, "field": "officials", "articles": len(truths), "right": tp,
                        "wrong": fp, "unanswered": fn, "precision": _rate(tp, tp + fp),
                        "coverage": float("nan"), "accuracy": _rate(tp, tp + fn)})
        for lo, hi in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)):
            inside = [o for c, o in conf_rows if lo <= c < hi]
            reliability.append({"variant": variant, "confidence": f"[{lo:.2f}, {min(hi, 1.0):.2f}" + (
                "]" if hi > 1 else ")"), "answers": len(inside), "right": inside.count("right"),
                "precision": _rate(inside.count("right"), len(inside))})
    table = pd.DataFrame(summary)
    table = table.rename(columns={"accuracy": "accuracy / recall"})
    return table, pd.DataFrame(reliability), pd.DataFrame(confusions)
