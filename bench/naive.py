"""The twenty lines a user would write instead of Tifa: the baseline of bench/run.py.

OpenCC to Simplified, ``str.count`` per formulation surface, ``jieba.lcut``, and a
``TfidfVectorizer`` over the documents — on every ``.txt`` (one document each) and ``.jsonl``
(a ``text`` field per line) below the folders given.

    python bench/naive.py FOLDER [FOLDER ...]
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def read_texts(folders: list[Path]) -> list[str]:
    texts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".txt":
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
            elif path.suffix == ".jsonl":
                with open(path, encoding="utf-8") as fh:
                    texts += [json.loads(line).get("text", "") for line in fh if line.strip()]
    return texts


def main(folders: list[Path]) -> None:
    import jieba
    import opencc
    from sklearn.feature_extraction.text import TfidfVectorizer

    jieba.setLogLevel(60)
    lexicon = tomllib.loads((REPO / "data" / "formulations.toml").read_text(encoding="utf-8"))
    surfaces = [s for f in lexicon["formulation"] for s in [f["canonical"], *f.get("variants", [])]]
    convert = opencc.OpenCC("t2s").convert
    texts = [convert(t) for t in read_texts(folders)]
    counts = [{s: n for s in surfaces if (n := t.count(s))} for t in texts]
    tokens = [jieba.lcut(t) for t in texts]
    matrix = TfidfVectorizer(analyzer=lambda doc: doc).fit_transform(tokens)
    print(f"documents {len(texts)} · mentions {sum(sum(c.values()) for c in counts)} · terms {matrix.shape[1]}")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]])
