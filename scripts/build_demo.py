"""Rebuild ``data/demo/gwr_panel.jsonl.gz`` from ``../shared/corpora/gwr_panel.jsonl``.

The demo corpus is the government work reports of the shared panel (official documents of
state organs; provenance in ``data/demo/README.md``). Each line keeps the source's fields
(``source, level, region, year``) and adds the fields the ingest reads as given metadata:

* ``province``: the source's ``region`` (a province, or ``全国`` for national reports, which
  the ingest then marks national);
* ``date``: the source's date; else the delivery date the report prints in its heading
  (``——2024年3月5日在第十四届全国人民代表大会…``) when its year is the report's year; else
  ``YYYY-01-01`` with ``date_precision: "year"`` (the source gives the year only: read these
  reports by year, never by month).

Usage: ``python scripts/build_demo.py [SOURCE] [--out data/demo/gwr_panel.jsonl.gz]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "corpora" / "gwr_panel.jsonl"
OUT = REPO / "data" / "demo" / "gwr_panel.jsonl.gz"
_HEADING_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
HEADING_WINDOW = 400  # characters of the opening searched for the delivery date


def demo_record(row: dict) -> dict:
    """One source row → one demo line (source fields kept, given metadata added)."""
    out = {k: row[k] for k in ("source", "level", "region", "year", "title", "text")}
    out["province"] = row["region"]  # a province's full name, or 全国 (national: no region below the country)
    date, precision = row.get("date"), "day"
    if not date:
        heading = _HEADING_DATE.search(row["text"][:HEADING_WINDOW])
        if heading and int(heading[1]) == int(row["year"]):
            date = f"{heading[1]}-{int(heading[2]):02d}-{int(heading[3]):02d}"
        else:
            date, precision = f"{int(row['year'])}-01-01", "year"
    out["date"] = date
    out["date_precision"] = precision
    return out


def build(source: Path = SOURCE, out: Path = OUT) -> int:
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: (r["level"] != "national", int(r["year"]), r["region"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same source gives the same bytes
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        for row in rows:
            fh.write((json.dumps(demo_record(row), ensure_ascii=False) + "\n").encode("utf-8"))
    return len(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    print(f"{build(args.source, args.out)} documents → {args.out}")
