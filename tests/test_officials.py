"""Officials: names after titles, where a name ends, leaders before their title, 领导 lists,
the officials index and ``tifa leaders``. Expectations pinned to the real extractor's output."""

import json
from datetime import date

import pytest

from analytics import store
from analytics.cli import main
from analytics.dates import narrow_by_tenures
from analytics.officials import extract_officials
from analytics.officials_index import officials
from analytics.person_names import name_rules, read_name
from analytics.regions import divisions


@pytest.fixture(scope="module")
def is_place():
    return divisions().is_place


def found(text, is_place):
    return {o.official.name: o.official.title for o in extract_officials(text, is_place)}


CASES = [
    # text, {name: title} expected exactly
    ("市委副书记、代市长刘烁在安源区调研。", {"刘烁": "市委副书记、代市长"}),
    ("扬州市委书记王进健赴高邮市调研。", {"王进健": "扬州市委书记"}),
    # the end of a name: what follows it
    ("县委书记郭红主持会议并讲话。", {"郭红": "县委书记"}),
    ("副市长蒋巍会见了代表团一行。", {"蒋巍": "副市长"}),
    ("郊区委副书记、区长董秋实陪同调研。", {"董秋实": "区委副书记、区长"}),
    ("省委组织部副部长蔡建和宣读省委任免决定。", {"蔡建和": "省委组织部副部长"}),
    ("市委副书记、市长葛军等领导陪同。", {"葛军": "市委副书记、市长"}),
    (
        "省人大常委会副主任魏国强,省人大常委会副秘书长张明参加。",
        {"魏国强": "人大常委会副主任", "张明": "人大常委会副秘书长"},
    ),
    # a role inside an organ (常委会) never ends a title; no name after 会 / 的 / 关于
    ("市委书记、市人大常委会主任王立陪同外宾。", {"王立": "市委书记、市人大常委会主任"}),
    ("县人大常委会举行第十次会议。", {}),
    ("总书记重要讲话精神。", {}),
    ("总书记殷切嘱托。", {}),
    ("市长办公会研究了关于长江保护的议题。", {}),
    # national leaders before their title
    ("深入学习贯彻习近平总书记重要讲话精神。", {"习近平": "总书记"}),
    ("始终爱戴总书记。", {}),
    # several names under one title, and 领导 lists
    (
        "苏州市政协副主席姚林荣、王竹鸣,秘书长李华参加。",
        {"姚林荣": "苏州市政协副主席", "王竹鸣": "苏州市政协副主席", "李华": "秘书长"},
    ),
    ("市领导袁谟浩、程少云、江国新陪同外宾。", {"袁谟浩": "市领导", "程少云": "市领导", "江国新": "市领导"}),
    (
        "我旗领导伊达木、宝音满都呼、王力平陪同。",
        {"伊达木": "我旗领导", "宝音满都呼": "我旗领导", "王力平": "我旗领导"},
    ),
    ("依法治市领导小组办公室、市公园路小学参加。", {}),
    # company titles alone are not offices; with a party post they are
    ("公司董事长张明出席。", {}),
    ("集团党委书记、董事长李华出席。", {"李华": "书记、董事长"}),
    # a place straddling the boundary only with its suffix (上海市长宁区), not 市长葛军
    ("上海市长宁区召开会议。", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract_officials(text, expected, is_place):
    assert found(text, is_place) == expected


NAME_ENDS = [
    # text (name starts at 0), expected name (None: no answer)
    ("刘烁来到企业。", "刘烁"),
    ("王秋实、宫秀丽。", "王秋实"),
    ("邹炜等出席。", "邹炜"),
    ("彭映梅委托市委副书记。", "彭映梅"),
    ("上官吉庆主持会议。", "上官吉庆"),
    ("强调要抓好落实。", None),
    ("关于长江保护。", None),
]


@pytest.mark.parametrize(("text", "expected"), NAME_ENDS)
def test_read_name(text, expected):
    assert read_name(text, 0, name_rules()) == expected


TENURES = [
    # era range, tenures (who, first, last), lead, expected (precision, date, earliest, latest) or None
    (
        (date(2017, 10, 18), date(2026, 1, 1)),
        [("甲", date(2021, 3, 1), date(2021, 9, 1))],
        None,
        ("range", None, date(2020, 3, 1), date(2022, 9, 1)),
    ),
    (
        (date(2022, 10, 22), date(2023, 12, 31)),
        [("甲", date(2023, 6, 1), date(2024, 6, 1))],
        (None, 11, 1, "11月1日"),
        None,
    ),  # adds nothing
    # one year fits, but only in the slack beyond what the store has seen: a range, no point
    (
        (date(2020, 1, 20), date(2023, 1, 31)),
        [("甲", date(2019, 1, 1), date(2019, 3, 1))],
        (None, 2, 1, "2月1日"),
        ("range", None, date(2020, 1, 20), date(2020, 2, 29)),
    ),
    # two officials narrow the range together; three years still fit 11月1日
    (
        (date(2017, 10, 18), date(2026, 1, 1)),
        [("甲", date(2021, 1, 1), date(2022, 12, 1)), ("乙", date(2022, 3, 1), date(2022, 12, 1))],
        (None, 11, 1, "11月1日"),
        ("range", None, date(2021, 3, 1), date(2023, 12, 1)),
    ),
    ((date(2020, 1, 1), date(2021, 1, 1)), [("甲", date(2015, 1, 1), date(2016, 1, 1))], None, None),  # conflict
]


@pytest.mark.parametrize(("rng", "tenures", "lead", "expected"), TENURES)
def test_narrow_by_tenures(rng, tenures, lead, expected):
    result = narrow_by_tenures(*rng, tenures, lead, date(2026, 1, 1))
    if expected is None:
        assert result is None
    else:
        assert (result.precision, result.date, result.earliest, result.latest) == expected
        assert "corpus" in result.evidence


def test_officials_index_on_the_seeds(seed_store):
    with store.connect(seed_store, read_only=True) as con:
        frame = officials(con)
        stored = con.execute("SELECT count(*) FROM officials_index").fetchone()[0]
    people = dict(zip(frame["name"], frame["place"], strict=True))
    assert people["刘烁"] == "萍乡市" and people["王进健"] == "扬州市"
    assert stored == len(frame)
    row = frame[frame["name"] == "刘烁"].iloc[0]
    assert row["documents"] == 2 and "市委副书记、代市长" in row["titles"]


def test_leaders_command_lists_people(seed_store, capsys):
    assert main(["leaders", "--store", str(seed_store), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert {"name", "place", "titles", "first_seen", "last_seen", "documents"} <= set(rows[0])
    assert rows[0]["name"] == "刘烁"


def test_leaders_on_government_reports_are_people(corpora, tmp_path):
    from analytics.ingest import ingest

    path = tmp_path / "gwr.duckdb"
    ingest([corpora / "gwr_panel.jsonl"], path)
    with store.connect(path, read_only=True) as con:
        frame = officials(con, limit=30)
    rules = name_rules()
    names = list(frame["name"])
    assert names[0] == "习近平"
    assert all(n[0] in rules.single or n[:2] in rules.double for n in names)
    assert not any(w in n for n in names for w in ("会", "的", "关于", "重要"))


@pytest.mark.parametrize(
    "levels, expected",
    [
        (["city", "unknown"], "city"),  # a tie goes to a known level
        (["unknown", "city", "unknown"], "unknown"),  # the most used wins
        (["county", "city"], "city"),  # a tie between known levels: the first alphabetically
    ],
)
def test_officials_index_level_does_not_depend_on_write_order(levels, expected):
    import duckdb

    from analytics.officials_index import index_sql

    answers = set()
    for order in (levels, levels[::-1]):
        con = duckdb.connect()
        con.execute("CREATE TABLE documents (doc_id VARCHAR, city VARCHAR, province VARCHAR, date DATE, "
                    "date_precision VARCHAR, duplicate_of VARCHAR)")
        con.execute("CREATE TABLE doc_officials (doc_id VARCHAR, name VARCHAR, title VARCHAR, level VARCHAR, "
                    "region VARCHAR)")
        for i, level in enumerate(order):
            con.execute("INSERT INTO documents VALUES (?, '扬州市', '江苏省', DATE '2020-01-01', 'day', NULL)",
                        [f"d{i}"])
            con.execute("INSERT INTO doc_officials VALUES (?, '王某', '市长', ?, '扬州市')", [f"d{i}", level])
        answers.add(con.execute(f"SELECT level FROM ({index_sql()})").fetchone()[0])
    assert answers == {expected}
