"""Property tests of the readers with structured generators: JSON trees (deep ones too), CSV
with odd quoting, HTML fragments and mixed encodings. A reader never raises and accounts for
every input: each file yields records or quarantine rows, never nothing and never an error.

A fast profile runs in every test run; `pytest -m slow` runs >= 10 000 examples per generator.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.readers import FileEntry, ReadResult, read_file

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))

WORDS = st.sampled_from(
    [
        "高质量发展",
        "项目为王",
        "萍鄉市",
        "2024年3月5日",
        "“四个一批”",
        "text",
        "正文",
        "\u3000",
        "\ufffd",
        "\x00",
        "\r\n",
        "\\",
        '"',
        "'",
        ",",
        "<",
        "&amp;",
        "💡",
    ]
)
TEXT = st.one_of(st.text(max_size=40), st.lists(WORDS, max_size=8).map("".join))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
KEYS = st.one_of(
    st.sampled_from(["text", "title", "date", "content", "正文", "标题", "site", "url"]), st.text(max_size=8)
)
JSON_TREES = st.recursive(
    SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(KEYS, kids, max_size=4)), max_leaves=25
)
DEEP = st.builds(
    lambda n, open_, close: open_ * n + close * n,
    st.integers(150, 60_000),
    st.sampled_from(["[", '{"a":']),
    st.sampled_from(["]", "}"]),
)


def read(name: str, data: bytes) -> ReadResult:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return read_file(FileEntry(path, name))


def accounted(result: ReadResult) -> None:
    assert result.records or result.quarantined
    for raw in result.records:
        assert isinstance(raw.text, str) and raw.text.strip()
    for q in result.quarantined:
        assert q.reason and q.detail


@st.composite
def json_files(draw):
    if draw(st.booleans()):
        return "x.json", draw(DEEP).encode()
    tree = draw(st.one_of(JSON_TREES, st.lists(st.dictionaries(KEYS, SCALARS, max_size=5), max_size=5)))
    text = json.dumps(tree, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):  # truncated or with junk
        text = text[: draw(st.integers(0, len(text)))] + draw(st.sampled_from(["", "}", "]]", ",", "\x00"]))
    return "x.json", text.encode("utf-8")


@st.composite
def jsonl_files(draw):
    lines = draw(
        st.lists(
            st.one_of(
                JSON_TREES.map(json.dumps), DEEP, TEXT, st.dictionaries(KEYS, SCALARS, max_size=4).map(json.dumps)
            ),
            max_size=6,
        )
    )
    return "x.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass")


@st.composite
def csv_files(draw):
    columns = draw(
        st.lists(st.one_of(st.sampled_from(["text", "title", "date", "正文"]), TEXT), min_size=1, max_size=4)
    )
    rows = draw(st.lists(st.lists(TEXT, min_size=0, max_size=6), max_size=6))
    buf = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    writer = csv.writer(buf, quoting=quoting)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row)
    text = buf.getvalue()
    if draw(st.booleans()):  # odd quoting: a stray or unbalanced quote, a NUL, a bare CR
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', '""', '"\n', "\r", "\x00", '\\"', ',"'])) + text[at:]
    return "x.csv", text.encode("utf-8", "surrogatepass")


TAGS = st.sampled_from(["p", "div", "script", "style", "title", "br", "table", "td", "a", "nav", "svg", "b"])


@st.composite
def html_files(draw):
    depth = draw(st.integers(0, 3000)) if draw(st.integers(0, 9)) == 0 else 0
    parts = ["<div>" * depth]
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(TAGS)
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{tag}>{draw(TEXT)}</{tag}>")
        elif kind == 1:
            parts.append(f"<{tag} class='{draw(TEXT)}'>{draw(TEXT)}")  # unclosed, odd attribute
        elif kind == 2:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "<!--",
                            "-->",
                            "<![CDATA[",
                            "</",
                            "<",
                            "&#xFFFF;",
                            "&#99999999;",
                            "<!DOCTYPE html>",
                            "<?xml ?>",
                        ]
                    )
                )
            )
        else:
            parts.append(draw(TEXT))
    return draw(st.sampled_from(["x.html", "x.htm"])), "".join(parts).encode("utf-8", "surrogatepass")


@st.composite
def mixed_encodings(draw):
    text = draw(
        st.lists(
            st.one_of(WORDS, st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=40)),
            min_size=1,
            max_size=12,
        ).map("".join)
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # two encodings in one file, or random bytes
        data += draw(st.one_of(st.binary(max_size=40), st.just(text.encode("gb18030", errors="replace"))))
    return draw(st.sampled_from(["x.txt", "x.jsonl", "x.csv", "x.html"])), data


GENERATORS = {
    "json": json_files(),
    "jsonl": jsonl_files(),
    "csv": csv_files(),
    "html": html_files(),
    "encodings": mixed_encodings(),
}


@pytest.mark.parametrize("kind", GENERATORS)
def test_fast(kind):
    FAST(given(GENERATORS[kind])(lambda f: accounted(read(*f))))()


@pytest.mark.slow
@pytest.mark.parametrize("kind", GENERATORS)
def test_slow(kind):
    SLOW(given(GENERATORS[kind])(lambda f: accounted(read(*f))))()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        ("deep.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "too_deep"),
        ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        ("deep.html", b"<div>" * 100_000 + "高质量发展".encode(), None),
        ("big.txt", "长".encode() * 5_000_001, "record_too_large"),
    ],
)
def test_hostile_files_cost_only_themselves(name, data, reason):
    result = read(name, data)
    accounted(result)
    assert [q.reason for q in result.quarantined] == ([reason] if reason else [])


def test_a_100000_deep_json_beside_good_articles_costs_only_itself(tmp_path):
    import shutil

    from analytics.ingest import ingest
    from conftest import SEEDS

    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "deep.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    summary = ingest([folder], tmp_path / "s.duckdb")
    assert (summary.documents, summary.quarantined, dict(summary.reasons)) == (5, 1, {"too_deep": 1})
    assert summary.balanced
