"""Rebuild ``data/demo/gov_reports.jsonl.gz``, the city × year demo panel, from ``../shared/corpora``.

Sources (official documents of state organs; provenance in ``data/demo/README.md``):

* ``local_gwr.jsonl.gz``: government work reports of prefecture-level cities and provinces;
* ``gwr_panel.jsonl``: the national reports, and the 2026 provincial reports of the units that
  ``local_gwr`` lacks.

Selection rule (``select``):

1. every city of ``local_gwr`` with reports in at least ``MIN_YEARS`` distinct years of
   ``SINCE``–2026, with all its reports of those years (the four municipalities, which the
   collection files with the cities, included: they are province-level units);
2. every province's reports of ``SINCE``–2026 from ``local_gwr``;
3. every national report of ``gwr_panel`` (1954–2025);
4. a ``gwr_panel`` provincial report only for a (unit, year) that 1–2 do not already hold.

Each line keeps the source's ``source, level, region, year, title`` and its text as found
(Markdown: ``format`` says so, and the reader reads it as plain text), and adds what the ingest
reads as given metadata:

* ``province`` (a province's full name, or ``全国``, which marks a document national) for
  provincial and national reports, ``city`` for city reports (the ingest finds the province);
* ``date``: the source's date; else the delivery date the report prints in its opening
  (``——2024年3月5日在…`` / ``（2003年1月10日 徐荣凯）``) when its year is the report's; else the year
  alone, ``YYYY``, which the ingest stores as 1 January with ``date_precision = year``;
* ``url``: the official page the collection names, where it does.

Usage: ``python scripts/build_demo.py [--corpora ../shared/corpora] [--out data/demo/gov_reports.jsonl.gz]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
OUT = REPO / "data" / "demo" / "gov_reports.jsonl.gz"
SINCE, UNTIL = 2018, 2026
MIN_YEARS = 8  # distinct years of SINCE..UNTIL a city needs to enter the panel
_HEADING_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
HEADING_WINDOW = 400  # characters of the opening searched for the delivery date


def report_date(row: dict) -> tuple[str, str]:
    """(date, precision): the source's date, the delivery date in the opening, or the year."""
    if row.get("date"):
        return str(row["date"]), "day"
    heading = _HEADING_DATE.search(row["text"][:HEADING_WINDOW])
    if heading and int(heading[1]) == int(row["year"]):
        return f"{heading[1]}-{int(heading[2]):02d}-{int(heading[3]):02d}", "day"
    return str(int(row["year"])), "year"


def demo_record(row: dict, source: str) -> dict:
    """One source row → one demo line (source fields kept, given metadata added)."""
    out = {"source": source, **{k: row[k] for k in ("level", "region", "year", "title")}}
    out["city" if row["level"] == "city" else "province"] = row["region"]
    out["date"], out["date_precision"] = report_date(row)
    if row.get("source_url"):
        out["url"] = row["source_url"]
    if source == "local_gwr":
        out["format"] = "markdown"  # the collection's texts are Markdown (**bold**, headings)
    out["text"] = row["text"]
    return out


def select(local: Iterable[dict], panel: Iterable[dict]) -> list[dict]:
    """The demo's lines, by the selection rule of the module docstring, in a stable order."""
    in_window = [r for r in local if SINCE <= int(r["year"]) <= UNTIL]
    years: dict[str, set[int]] = defaultdict(set)
    for r in in_window:
        if r["level"] == "city":
            years[r["region"]].add(int(r["year"]))
    cities = {name for name, ys in years.items() if len(ys) >= MIN_YEARS}
    chosen = [demo_record(r, "local_gwr") for r in in_window if r["level"] == "province" or r["region"] in cities]
    held = {(r["region"], int(r["year"])) for r in chosen}
    for r in panel:
        if r["level"] == "national" or (r["level"] == "province" and (r["region"], int(r["year"])) not in held):
            chosen.append(demo_record(r, r.get("source") or "gwr_panel"))
    order = {"national": 0, "province": 1, "city": 2}
    chosen.sort(key=lambda r: (int(r["year"]), order[r["level"]], r["region"], r["date"], r["title"]))
    return chosen


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build(corpora: Path = CORPORA, out: Path = OUT) -> int:
    rows = select(read_jsonl(corpora / "local_gwr.jsonl.gz"), read_jsonl(corpora / "gwr_panel.jsonl"))
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and a fixed level: the same sources give the same bytes
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="", compresslevel=9) as fh:
        for row in rows:
            fh.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    return len(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    print(f"{build(args.corpora, args.out)} documents → {args.out}")
