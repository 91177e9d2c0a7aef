"""Region accuracy on documents whose region is known (``tifa eval``).

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
                     "note": note})
    detail = pd.DataFrame(rows)
    summary = detail.groupby(["corpus", "level"]).agg(documents=("correct", "size"),
                                                      correct=("correct", "sum")).reset_index()
    # Documents of central bodies reposted by a provincial site, and texts that name no place,
    # cannot carry the site's region in their text: reported apart, never counted as correct.
    local = detail[detail["note"] == ""]
    if len(local) < len(detail):
        apart = local.groupby(["corpus", "level"]).agg(documents=("correct", "size"),
                                                       correct=("correct", "sum")).reset_index()
        apart["level"] = apart["level"] + " (without central-issuer / place-less texts)"
        summary = pd.concat([summary, apart[apart["corpus"].isin(
            detail.loc[detail["note"] != "", "corpus"].unique())]], ignore_index=True)
        notes = detail[detail["note"] != ""].groupby(["corpus", "note"]).size().reset_index(name="documents")
        notes["level"] = "set apart: " + notes["note"]
        summary = pd.concat([summary, notes.drop(columns="note")], ignore_index=True)
    summary["accuracy"] = summary["correct"] / summary["documents"]
    total = pd.DataFrame([{"corpus": "all (every document)", "level": "", "documents": len(detail),
                           "correct": int(detail["correct"].sum()),
                           "accuracy": detail["correct"].mean() if len(detail) else float("nan")}])
    confusions = detail[~detail["correct"]][["corpus", "source_path", "record_no", "level", "province",
                                            "city", "district", "got", "note"]]
    return pd.concat([summary, total], ignore_index=True), confusions
