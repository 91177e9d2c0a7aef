"""Build a scale corpus without a network, deterministic from a seed number.

Paragraphs of the real corpora (../shared/corpora) and the seeds are shuffled across documents;
each document gets a city and district drawn from the division table, a date over ten years, a
lead naming its place and an official, and — for a share of documents — the mess of the seeds:
Traditional script with pinyin annotations, portal chrome, and reposted near-duplicates.
Ground truth (region, date, repost_of) is written beside the folder (<out>-truth.jsonl), so
ingesting the folder reads only documents.

    python bench/make_corpus.py --docs 10000 --seed 1 --out bench/out/corpus-10k
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
SEEDS = REPO / "data" / "raw" / "seeds"
CHUNK = 10_000  # documents per JSONL file
PINYIN = {"乡": "xiāng", "网": "wǎng", "门": "mén", "区": "qū", "发": "fā", "书": "shū", "长": "zhǎng",
          "调": "diào", "业": "yè", "设": "shè", "经": "jīng", "济": "jì", "动": "dòng", "质": "zhì"}
ROLES = ["市委书记", "市长", "市委副书记、市长", "区委书记", "县委书记", "区长"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红峰"


def paragraphs() -> list[str]:
    pool: list[str] = []
    for name in ("gwr_panel.jsonl", "hebei_policy.jsonl", "shanghai_docs.jsonl"):
        path = CORPORA / name
        if not path.exists():
            continue
        for line in open(path, encoding="utf-8"):
            for para in json.loads(line)["text"].split("\n"):
                para = para.strip()
                if 30 <= len(para) <= 600:
                    pool.append(para)
    for path in sorted(SEEDS.glob("*.txt")):
        pool.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) >= 30)
    if not pool:
        raise SystemExit(f"no paragraphs: {CORPORA} and {SEEDS} are empty")
    return pool


def places() -> list[tuple[str, str, str]]:
    from analytics.regions import divisions

    div = divisions()
    out = []
    for unit in div.units.values():
        if unit.level == "district" and unit.parent and div.units[unit.parent].level == "city":
            out.append((div.units[div.units[unit.parent].parent].name, div.units[unit.parent].name, unit.name))
    return sorted(out)


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t.json")


def annotate(text: str, rng: random.Random) -> str:
    """Traditional script with pinyin annotations, as portals print them."""
    trad = _s2t().convert(text)
    simplified_of = {_s2t().convert(k): k for k in PINYIN}
    return "".join(ch + (f"({PINYIN[simplified_of[ch]]})" if ch in simplified_of and rng.random() < 0.7 else "")
                   for ch in trad)


def truth_path(out: Path) -> Path:
    return out.parent / f"{out.name}-truth.jsonl"


def build(n: int, seed: int, out: Path) -> None:
    rng = random.Random(seed)
    pool, where = paragraphs(), places()
    out.mkdir(parents=True, exist_ok=True)
    truth = open(truth_path(out), "w", encoding="utf-8")  # beside the folder, not in it
    files: dict[int, object] = {}
    made: list[tuple[int, str]] = []  # recent stories (index, text) that may be reposted
    start = date(2015, 1, 1)
    for i in range(n):
        chunk = i // CHUNK
        if chunk not in files:
            files[chunk] = open(out / f"docs-{chunk:04d}.jsonl", "w", encoding="utf-8")
        if made and rng.random() < 0.05:  # a repost of an earlier story on another site
            original, story = made[rng.randrange(len(made))]
            text = "来源：转载自某某网\n" + story + "\n（责任编辑：某某）"
            files[chunk].write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
            truth.write(json.dumps({"i": i, "repost_of": original}) + "\n")
            continue
        province, city, district = rng.choice(where)
        day = start + timedelta(days=rng.randrange(3650))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        role = rng.choice(ROLES)
        who = (city[:-1] if city.endswith("市") and role.startswith("市") else city) + role + name
        title = f"{who}在{district}调研"
        lead = f"{day.month}月{day.day}日，{who}在{district}调研，强调要推进高质量发展。"
        body = "\n".join([lead, *rng.sample(pool, rng.randint(3, 8))])
        text = f"{title}\n{day.year}-{day.month}-{day.day} 10:{rng.randint(10, 59)}| 发布者: admin| 评论: 0\n{body}"
        if rng.random() < 0.1:
            text = annotate(text, rng)
        files[chunk].write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        truth.write(json.dumps({"i": i, "province": province, "city": city, "district": district,
                                "date": day.isoformat()}, ensure_ascii=False) + "\n")
        made.append((i, text))
        if len(made) > 2000:  # reposts come from recent stories; memory stays flat
            made = made[-1000:]
    for fh in files.values():
        fh.close()
    truth.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    build(args.docs, args.seed, args.out)


if __name__ == "__main__":
    main()
