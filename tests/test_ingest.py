"""Readers and ingest: encodings, bad inputs, accounting, duplicates, re-ingest."""

import json
import os

import pytest

from analytics import readers, store
from analytics.ingest import ingest
from conftest import SEED

SEED_000 = SEED["000"].read_text(encoding="utf-8")
SEED_004 = SEED["004"].read_text(encoding="utf-8")


def _docs(path):
    with store.connect(path, read_only=True) as con:
        return store.documents(con), store.quarantine(con)


def _big5_safe(text: str) -> str:
    """The seed without characters Big5 cannot encode (the pinyin tone marks)."""
    return "".join(ch for ch in text if ch.encode("big5", "ignore"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"abc\x00def", "binary"),
        (bytes([0x80, 0x81, 0xFF, 0xFE, 0x00]) * 3 + b"\xff", "binary"),
        (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    ],
)
def test_decode_rejects(data, reason):
    with pytest.raises(readers.DecodeError) as err:
        readers.decode_bytes(data)
    assert err.value.reason == reason
    assert err.value.detail


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
     ("big5", "big5"), ("utf-16", "utf-16")],
)
def test_decode_encodings(encoding, expected):
    text = "萍乡市委副书记、代市长刘烁在安源区调研。项目为王，高质量发展。" * 3
    if encoding == "big5":
        text = "萍鄉市委副書記、代市長劉爍在安源區調研。項目為王，高質量發展。" * 3
    got, enc = readers.decode_bytes(text.encode(encoding))
    assert got == text
    assert enc == expected


def test_skip_rule():
    assert readers.skip_reason(".hidden.txt") == "hidden"
    assert readers.skip_reason("~$draft.txt") == "temporary"
    assert readers.skip_reason("page.html~") == "temporary"
    assert readers.skip_reason("x.part") == "temporary"
    assert readers.skip_reason("photo.png") == "unsupported_type"
    assert readers.skip_reason("article.TXT") is None


def test_encoded_copies_give_the_same_clean_text(tmp_path):
    source = _big5_safe(SEED_004)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "utf8.txt").write_text(source, encoding="utf-8")
    (tmp_path / "in" / "gbk.txt").write_bytes(source.encode("gb18030"))
    (tmp_path / "in" / "big5.txt").write_bytes(source.encode("big5"))
    (tmp_path / "in" / "bom.txt").write_bytes(source.encode("utf-8-sig"))
    summary = ingest([tmp_path / "in"], tmp_path / "s.duckdb")
    docs, _ = _docs(tmp_path / "s.duckdb")
    assert set(docs["encoding"]) == {"utf-8", "gb18030", "big5", "utf-8-sig"}
    assert docs["text"].nunique() == 1
    # four inputs, one document, three duplicates of it
    assert (summary.documents, summary.duplicates, summary.quarantined) == (1, 3, 0)


def test_bad_inputs_are_quarantined_and_cost_nothing_else(tmp_path):
    folder = tmp_path / "in"
    (folder / "nested" / "deeper").mkdir(parents=True)
    (folder / "good.txt").write_text(SEED_000, encoding="utf-8")
    (folder / "nested" / "deeper" / "good2.txt").write_text(SEED_004, encoding="utf-8")
    (folder / "zero.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "broken.jsonl").write_text(
        json.dumps({"text": "扬州市委书记王进健赴高邮市调研，推动高质量发展。", "title": "调研"}, ensure_ascii=False)
        + "\n{not json\n"
        + json.dumps({"body_missing": "x"}) + "\n",
        encoding="utf-8",
    )
    (folder / "table.csv").write_text("headline,content_html\n标题,正文\n", encoding="utf-8")
    (folder / "script.html").write_text(
        "<html><head><script>" + "var x=1;" * 200000 + "</script></head><body><h1>上饶市广信区调研</h1>"
        "<p>10月8日，区委书记何党生在茶亭经开区调研工业项目。</p></body></html>", encoding="utf-8")
    (folder / "chrome_only.txt").write_text("鲜花\n握手\n雷人\n路过\n鸡蛋\n相关分类\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text(SEED_000, encoding="utf-8")
    (folder / "notes.tmp").write_text("x", encoding="utf-8")
    big = folder / "big.txt"
    big.write_text("萍乡" * 1_100_000, encoding="utf-8")  # 6.6 MB
    summary = ingest([folder], tmp_path / "s.duckdb", max_bytes=5_000_000)
    docs, quarantine = _docs(tmp_path / "s.duckdb")
    reasons = {(row.source_path.split("/")[-1], row.record_no): row.reason for row in quarantine.itertuples()}
    assert reasons == {
        ("zero.txt", 0): "empty",
        ("image.txt", 0): "binary",
        ("broken.jsonl", 2): "bad_record",
        ("broken.jsonl", 3): "bad_record",
        ("table.csv", 0): "no_text_column",
        ("chrome_only.txt", 0): "no_text_after_cleaning",
        ("big.txt", 0): "too_large",
    }
    detail = dict(zip(quarantine["reason"] + quarantine["record_no"].astype(str), quarantine["detail"], strict=True))
    assert "line 2" in detail["bad_record2"]
    assert "headline, content_html" in detail["no_text_column0"]
    assert len(docs) == 4  # good, good2, the valid JSONL line, the HTML page
    html = docs[docs["source_path"].str.endswith("script.html")].iloc[0]
    assert "var x" not in html["text"] and html["title"] == "上饶市广信区调研"
    assert summary.skipped == 2
    assert summary.files == 11
    assert summary.balanced
    assert summary.inputs == summary.documents + summary.duplicates + summary.quarantined


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file; permission errors cannot be produced")
def test_unreadable_file(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text(SEED_000, encoding="utf-8")
    f.chmod(0)
    ingest([tmp_path], tmp_path / "s.duckdb")
    _, quarantine = _docs(tmp_path / "s.duckdb")
    assert quarantine["reason"].tolist() == ["unreadable"]


def test_unreadable_reason_from_reader(tmp_path, monkeypatch):
    """The reader turns PermissionError into a one-line reason (works as root too)."""
    f = tmp_path / "secret.txt"
    f.write_text("x", encoding="utf-8")

    def deny(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(f), "read_bytes", deny)
    result = readers.read_file(readers.FileEntry(f, "secret.txt"))
    assert [(q.reason, q.detail) for q in result.quarantined] == [("unreadable", "permission denied")]


def test_symlink_loops_are_not_followed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_000, encoding="utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "link.txt").symlink_to(folder / "a.txt")
    entries = list(readers.walk([folder]))
    names = sorted(e.rel for e in entries)
    assert names == ["in/a.txt", "in/link.txt"]
    summary = ingest([folder], tmp_path / "s.duckdb")
    assert (summary.documents, summary.duplicates) == (1, 1)


def test_reingest_changes_nothing_and_adding_adds_only_the_new(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_000, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    ingest([folder], db)
    with store.connect(db, read_only=True) as con:
        before = con.execute("SELECT doc_id, ingested_at FROM documents").fetchall()
    again = ingest([folder], db)
    assert again.new_documents == 0 and again.documents == 1
    (folder / "b.txt").write_text(SEED_004, encoding="utf-8")
    (folder / "c.txt").write_text(SEED_004, encoding="utf-8")  # the same input twice in one run
    more = ingest([folder, folder / "a.txt"], db)
    assert more.new_documents == 1 and more.documents == 2
    with store.connect(db, read_only=True) as con:
        after = con.execute("SELECT doc_id, ingested_at FROM documents").fetchall()
        # the tables have no key indexes: the ingest itself writes each document once
        for table, key in (("documents", "doc_id"), ("tokens", "doc_id"),
                           ("vocab", "term"), ("vocab", "term_id")):
            rows, keys = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {table}").fetchone()
            assert rows == keys and rows > 0, table
        assert con.execute("SELECT count(DISTINCT doc_id) FROM documents").fetchone()[0] == 2
    assert set(before) <= set(after)


def test_near_duplicates_point_to_the_earliest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "original.txt").write_text(SEED_004, encoding="utf-8")
    repost = SEED_004.replace("萍鄉(xiāng)城事網(wǎng)", "某某新聞網").replace("鮮花", "") + "\n（來源：某某新聞網）"
    (folder / "repost.txt").write_text(repost, encoding="utf-8")
    summary = ingest([folder], tmp_path / "s.duckdb")
    docs, _ = _docs(tmp_path / "s.duckdb")
    assert summary.duplicates == 1
    dup = docs[docs["duplicate_of"].notna()].iloc[0]
    original = docs[docs["duplicate_of"].isna()].iloc[0]
    assert dup["duplicate_of"] == original["doc_id"]


def test_manifest_metadata_wins_and_missing_files_are_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("领导在某地调研，强调项目为王。", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,date,province,city,title\nin/a.txt,2019-05-01,江苏省,扬州市,给定标题\n"
                        "in/missing.txt,2019-05-02,江苏省,扬州市,丢失\n", encoding="utf-8")
    ingest([folder], tmp_path / "s.duckdb", manifest=manifest)
    docs, quarantine = _docs(tmp_path / "s.duckdb")
    doc = docs.iloc[0]
    assert (doc["province"], doc["city"], doc["title"]) == ("江苏省", "扬州市", "给定标题")
    assert str(doc["date"]) == "2019-05-01" and doc["date_precision"] == "given"
    assert quarantine["reason"].tolist() == ["missing"]


@pytest.mark.parametrize(
    ("a", "b", "duplicate"),
    [
        # different stories that share a stock lead sentence are not duplicates
        ("5月12日，芜湖市委书记在湾沚区调研，强调要推进高质量发展。加速金融体制的改革，既是国家加强和改善宏观管理的重要内容。",
         "5月4日，温州市委书记在乐清市调研，强调要推进高质量发展。各级政府要把社会治安综合治理作为一项重要的经常性工作。",
         False),
        # a repost with a source line and an editor's note is
        (SEED_004, "来源：转载自某某网\n" + SEED_004 + "\n（责任编辑：某某）", True),
    ],
)
def test_minhash_tells_reposts_from_similar_stories(a, b, duplicate):
    import numpy as np

    from analytics.dedup import THRESHOLD, minhash_signature

    sa, sb = (np.frombuffer(minhash_signature(x), dtype=np.uint64) for x in (a, b))
    assert ((sa == sb).mean() >= THRESHOLD) == duplicate


def _shingles(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 5] for i in range(max(1, len(text) - 4))}


@pytest.mark.parametrize(
    ("cut", "tail"),  # a story without its first `cut` characters, plus `tail` new ones
    [(0, 0), (30, 0), (120, 0), (0, 60), (60, 60), (200, 100), (400, 0)],
)
def test_minhash_agreement_estimates_jaccard(cut, tail):
    """The share of agreeing values estimates the Jaccard similarity of the 5-gram sets (64
    values: standard error ≤ 1/16), for long texts and for short ones that leave bins empty."""
    import random

    import numpy as np

    from analytics.dedup import minhash_signature

    rng = random.Random(cut * 1000 + tail)
    words = "发展改革项目建设经济社会民生产业园区城市乡村治理创新开放服务企业科技人才生态文化"
    for length in (80, 600, 3000):
        a = "".join(rng.choice(words) for _ in range(length))
        b = a[min(cut, length // 2):] + "".join(rng.choice(words) for _ in range(tail))
        sa, sb = (np.frombuffer(minhash_signature(x), dtype=np.uint64) for x in (a, b))
        jaccard = len(_shingles(a) & _shingles(b)) / len(_shingles(a) | _shingles(b))
        assert abs((sa == sb).mean() - jaccard) <= 0.2, (length, jaccard)


@pytest.mark.parametrize("text", ["", "一", "一二三四", "一二三四五", " 一 二 三 四 五 六 ", "x" * 10_000])
def test_minhash_signature_of_short_and_odd_texts(text):
    from analytics.dedup import NUM_PERM, minhash_signature

    signature = minhash_signature(text)
    assert len(signature) == 8 * NUM_PERM and signature == minhash_signature(text)
    assert minhash_signature(text) == minhash_signature(" ".join(text))  # whitespace is ignored


def test_signatures_of_an_older_scheme_are_rebuilt(tmp_path):
    """A store made before the current MinHash scheme gets its signatures recomputed from the
    stored text before new documents join it, so old and new ones compare."""
    from analytics.dedup import SCHEME, minhash_signature

    path = tmp_path / "s.duckdb"
    ingest([SEED["004"]], path)
    con = store.connect(path)
    con.execute("UPDATE documents SET minhash = '\\x00'::BLOB")
    con.execute("DELETE FROM meta WHERE key = 'minhash_scheme'")
    con.close()
    repost = tmp_path / "repost.txt"
    repost.write_text("来源：转载自某某网\n" + SEED_004 + "\n（责任编辑：某某）", encoding="utf-8")
    summary = ingest([repost], path)
    con = store.connect(path, read_only=True)
    rows = con.execute("SELECT text, minhash FROM documents").fetchall()
    assert store.get_meta(con, "minhash_scheme") == SCHEME
    con.close()
    assert all(bytes(sig) == minhash_signature(text) for text, sig in rows)
    assert (summary.documents, summary.duplicates) == (0, 1)  # the repost found its original


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], {}),
        ([(1, 2)], {2: 1}),
        ([(1, 3), (2, 3)], {3: 1}),  # the earliest original wins
        ([(1, 2), (2, 3)], {2: 1}),  # 3 resembles only a duplicate: it is an original
        ([(1, 2), (1, 3), (2, 3)], {2: 1, 3: 1}),
        ([(1, 2), (1, 3), (2, 4), (3, 4)], {2: 1, 3: 1}),  # 4 resembles duplicates only
    ],
)
def test_resolve_near_is_greedy_in_canonical_order(pairs, expected):
    from analytics.dedup import resolve_near

    assert resolve_near(sorted(pairs, key=lambda p: (p[1], p[0]))) == expected


def _brute_force_duplicates(rows):
    """Reference: every pair compared, in canonical order (what the store's LSH must match)."""
    import numpy as np

    from analytics.dedup import min_agreement

    by_hash, kept, out = {}, [], {}
    for doc_id, chash, sig in rows:
        if chash in by_hash:
            out[doc_id] = by_hash[chash]
            continue
        values = np.frombuffer(sig, dtype=np.uint64)
        match = next((k for k, v in kept if (v == values).sum() >= min_agreement()), None)
        if match:
            out[doc_id] = by_hash[chash] = match
        else:
            by_hash[chash] = doc_id
            kept.append((doc_id, values))
    return out


def test_store_duplicates_equal_brute_force(tmp_path):
    """Stories, exact copies, light edits (near) and chains, in a shuffled order of dates."""
    import random

    import pandas as pd

    from analytics.dedup import content_hash, minhash_signature

    rng = random.Random(7)
    words = "发展改革项目建设经济社会民生产业园区城市乡村治理创新开放服务企业科技人才生态文化"
    stories = ["".join(rng.choice(words) for _ in range(600)) for _ in range(40)]
    texts = []
    for s in stories:
        texts.append(s)
        if rng.random() < 0.5:
            texts.append(s)  # an exact copy
        if rng.random() < 0.5:
            texts.append(s[:580] + "（来源：某某网）")  # a repost with a source line
        if rng.random() < 0.3:
            texts.append(s[150:] + "".join(rng.choice(words) for _ in range(150)))  # a quarter rewritten
    rng.shuffle(texts)
    rows = [{"doc_id": f"d{i:03d}", "content_hash": content_hash(t), "minhash": minhash_signature(t),
             "date": pd.Timestamp("2020-01-01") + pd.Timedelta(days=rng.randrange(30)), "record_no": i}
            for i, t in enumerate(texts)]
    frame = pd.DataFrame(rows)
    con = store.connect(tmp_path / "s.duckdb")
    con.register("f", frame)
    con.execute("INSERT INTO documents (doc_id, content_hash, minhash, date, record_no, source_path) "
                "SELECT doc_id, content_hash, minhash, date, record_no, 'x' FROM f")
    n = store.update_duplicates(con)
    got = dict(con.execute("SELECT doc_id, duplicate_of FROM documents WHERE duplicate_of IS NOT NULL").fetchall())
    ordered = con.execute(f"SELECT doc_id, content_hash, minhash FROM documents ORDER BY {store.CANONICAL_ORDER}")
    expected = _brute_force_duplicates([(a, b, bytes(c)) for a, b, c in ordered.fetchall()])
    con.close()
    assert n == len(got) and got == expected
    hashes = dict(zip(frame["doc_id"], frame["content_hash"], strict=True))
    near = sum(hashes[d] != hashes[o] for d, o in got.items())
    assert near >= 10 and len(got) - near >= 10  # the table really has near and exact duplicates


def test_recount_in_chunks_gives_the_counts_of_ingest(tmp_path):
    from analytics.ingest import refresh_counts

    db = tmp_path / "s.duckdb"
    ingest([SEED["000"].parent], db)
    query = "SELECT doc_id, formulation, n FROM formulation_counts ORDER BY ALL"
    with store.connect(db) as con:
        before = con.execute(query).fetchall()
        con.execute("DELETE FROM formulation_counts")
    assert refresh_counts(db, chunk=2) == 5
    with store.connect(db, read_only=True) as con:
        assert con.execute(query).fetchall() == before and len(before) > 10


@pytest.mark.parametrize(
    ("lengths", "size", "chars", "expected"),
    [
        ([], 4, 100, []),
        ([10, 10, 10], 2, 100, [2, 1]),  # closed by the record count
        ([60, 50, 10, 10], 9, 100, [2, 2]),  # closed by the characters held
        ([500, 1, 1], 9, 100, [1, 2]),  # one long record makes a batch of its own
    ],
)
def test_write_batches_close_at_a_count_or_a_size(lengths, size, chars, expected):
    from analytics.ingest import _batches
    from analytics.schema import RawRecord

    records = [RawRecord("x", i, "字" * n) for i, n in enumerate(lengths)]
    batches = list(_batches(records, size, chars))
    assert [len(b) for b in batches] == expected and [r for b in batches for r in b] == records


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("中文".encode(), "中文".encode()),
        ("中文".encode()[:-1], "中".encode()),
        ("中文".encode()[:-2], "中".encode()),
        (b"abc", b"abc"),
        ("a€".encode()[:-1], b"a"),
        ("😀".encode()[:-1], b""),
    ],
)
def test_a_sample_cut_inside_a_character_is_read_without_it(sample, expected):
    assert readers._whole_utf8(sample) == expected


def test_a_first_line_longer_than_the_encoding_sample_streams(tmp_path):
    """A record longer than the bytes read to detect the encoding, cut there inside a
    character, used to make the whole file undecodable."""
    text = "萍乡市推进项目为王。" * (readers.SAMPLE_BYTES // 20)
    for offset in range(3):  # the sample ends in each byte of a character
        path = tmp_path / f"long{offset}.jsonl"
        first = json.dumps({"title": "长", "text": "x" * offset + text}, ensure_ascii=False)
        path.write_text(first + "\n" + json.dumps({"text": "短文：萍乡市。"}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        parts = list(readers.stream_file(next(readers.walk([path]))))
        assert [len(p.records) for p in parts] == [2] and not parts[0].quarantined, offset
