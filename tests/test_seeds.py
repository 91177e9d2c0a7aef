"""The five founding articles end to end, with expectations written from reading them."""

import re
from datetime import date, datetime

import pytest

TITLES = {
    "000": "市委副书记、代市长刘烁在安源区调研",
    "001": None,
    "002": "何党生调研工业项目时强调 以工业高质量发展实绩实效 扎实推动主题教育走深走实",
    "003": "扬州市委书记王进健赴高邮市调研",
    "004": "区领导一线督导项目建设",
}

DATES = {  # seed: (event_date, published_at, date, precision)
    "000": (date(2021, 9, 4), datetime(2021, 9, 6, 13, 6), date(2021, 9, 4), "day"),
    "001": (date(2023, 1, 28), None, date(2023, 1, 28), "inferred"),
    "002": (date(2023, 10, 8), None, date(2023, 10, 8), "inferred"),
    "003": (date(2023, 6, 3), None, date(2023, 6, 3), "inferred"),
    "004": (date(2020, 10, 18), datetime(2020, 10, 19, 12, 11), date(2020, 10, 18), "day"),
}

META = {  # seed: (site, origin, authors)
    "000": ("萍乡城事网", None, []),
    "001": (None, None, []),
    "002": (None, None, ["黄克奇", "郑陈浩"]),
    "003": ("人民网", None, ["吴涛", "伊然"]),
    "004": ("萍乡城事网", "安源区政府", []),
}

REGIONS = {  # seed: (province, city, district, zone, adcode)
    "000": ("江西省", "萍乡市", "安源区", None, "360302"),
    "001": ("江西省", "萍乡市", None, "萍乡经济技术开发区", "360300"),
    "002": ("江西省", "上饶市", "广信区", "茶亭经济开发区", "361104"),
    "003": ("江苏省", "扬州市", "高邮市", None, "321084"),
    "004": ("江西省", "萍乡市", "安源区", None, "360302"),
}

FORMULATIONS = {
    "000": {"火车头": 2, "主动力": 2, "新业绩": 2, "五区": 1, "最美转型城市": 1, "栖居地": 1, "首位度": 1,
            "强攻工业": 1, "高质量发展": 1},
    "001": {"强攻工业": 5, "四个论英雄": 3, "高质量发展": 3, "主阵地": 2, "主平台": 2, "主战场": 2,
            "工业强市": 2, "专精特新": 1, "两大一小": 1, "二产要打翻身仗": 1, "五区": 1,
            "产业转型升级攻坚年": 1, "四个一批": 1, "四八目标": 1, "四风": 1, "招大引强": 1,
            "政治生态修复深化年": 1, "新发展理念": 1, "最美转型城市": 1, "营商环境": 1},
    "002": {"主题教育": 7, "高质量发展": 2, "三大高地": 1, "五大战略": 1, "四图五清单": 1, "招大引强": 1,
            "新型工业化": 1, "现代化产业体系": 1},
    "003": {"新发展理念": 4, "高质量发展": 4, "勇挑大梁": 3, "走在前列": 2, "中国式现代化": 1,
            "主题教育": 1, "乡村振兴": 1, "创新驱动发展战略": 1, "双过半": 1, "硬过半": 1, "项目为王": 1},
    "004": {"高质量发展": 2, "动力谷": 1, "项目为王": 1, "妈妈式服务": 1},
}

OFFICIALS = {  # seed: {name: title}
    "000": {"刘烁": "市委副书记、代市长", "李水清": "区委书记", "邱伟": "区委副书记、代区长"},
    "001": {"刘烁": "市委副书记、市长", "黄强": "市委常委、常务副市长", "杨博": "市委常委、区党工委书记",
            "颜小龙": "副市长", "刘建中": "管委会主任"},
    "002": {"何党生": "区委书记", "叶建国": "区委常委、常务副区长", "杨华": "副区长"},
    "003": {"王进健": "扬州市委书记"},
    "004": {"康峰": "区委书记", "黎增义": "区委副书记、区长", "龙泉": "区委常委", "谢晖": "副区长"},
}

SEEDS = sorted(TITLES)
PINYIN = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
CHROME = ["门户网站", "查看内容", "发布者", "评论:", "鲜花", "握手", "雷人", "路过", "鸡蛋", "相关分类",
          "分享让更多人看到", "第一时间为您推送权威资讯", "传播正能量", "请输入验证码", "摘要", "作者:"]
TRADITIONAL = "鄉網門發區書記長強調業績設時經濟實現這個為們來與"


@pytest.mark.parametrize("seed", SEEDS)
def test_title(seed_docs, seed):
    doc = seed_docs[seed]
    assert doc["title"] == TITLES[seed] or (TITLES[seed] is None and doc["title"] is None)
    assert bool(doc["title_derived"]) == (TITLES[seed] is None)
    assert doc["display_title"]


def test_seed_001_has_no_invented_title(seed_docs):
    doc = seed_docs["001"]
    assert doc["title"] is None
    assert doc["title_derived"]
    assert doc["display_title"].startswith("1月28日")


@pytest.mark.parametrize("seed", SEEDS)
def test_dates(seed_docs, seed):
    event, published, when, precision = DATES[seed]
    doc = seed_docs[seed]
    assert doc["event_date"] == event
    assert doc["published_at"] == published
    assert doc["date"] == when
    assert doc["date_precision"] == precision
    assert doc["date_evidence"]
    if precision == "inferred":
        assert "inferred" in doc["date_evidence"]


@pytest.mark.parametrize("seed", SEEDS)
def test_site_origin_authors(seed_docs, seed):
    site, origin, authors = META[seed]
    doc = seed_docs[seed]
    assert doc["site"] == site or (site is None and doc["site"] is None)
    assert doc["origin"] == origin or (origin is None and doc["origin"] is None)
    assert list(doc["authors"]) == authors


def test_summary_is_separated(seed_docs):
    for seed in ("000", "004"):
        doc = seed_docs[seed]
        assert doc["summary"].startswith(("9月4日", "10月18日"))
        assert "摘要" not in doc["text"]
        assert not doc["summary"].endswith("...")
    assert seed_docs["000"]["text"].count("火车头") == 2  # the summary's copies are not in the body


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_text(seed_docs, seed):
    text = seed_docs[seed]["text"]
    assert not PINYIN.search(text), "pinyin annotation left"
    for word in CHROME:
        assert word not in text, f"chrome {word!r} left"
    assert not any(ch in text for ch in TRADITIONAL), "traditional characters left"
    assert "\n" in text or seed == "001" or len(text.split("\n")) >= 1


@pytest.mark.parametrize(("seed", "expected"), [("000", 2), ("001", 2), ("002", 0), ("003", 0), ("004", 0)])
def test_corrupt_spans(seed_docs, seed, expected):
    doc = seed_docs[seed]
    spans = doc["corrupt_spans"]
    assert len(spans) == expected
    for span in spans:
        assert doc["text"][span["start"] : span["end"]] == span["text"]
    assert (doc["quality"] < 1.0) == bool(expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_region(seed_docs, seed):
    doc = seed_docs[seed]
    province, city, district, zone, adcode = REGIONS[seed]
    got = (doc["province"], doc["city"], doc["district"], doc["zone"], doc["adcode"])
    assert got == (province, city, district, zone, adcode)
    assert doc["region_evidence"]
    assert 0 < doc["region_confidence"] <= 1


def test_region_traps(seed_docs):
    assert "天津市" not in seed_docs["000"]["mentioned_regions"]  # 天津市金桥焊材集团: a company
    assert "龙泉市" not in seed_docs["004"]["mentioned_regions"]  # 区委常委龙泉: a person
    assert seed_docs["003"]["district"] == "高邮市"  # visited by the 扬州 party secretary


@pytest.mark.parametrize("seed", SEEDS)
def test_formulation_counts(seed_docs, seed):
    assert seed_docs[seed]["formulations"] == FORMULATIONS[seed]


@pytest.mark.parametrize("seed", SEEDS)
def test_officials(seed_docs, seed):
    got = {o["name"]: o["title"] for o in seed_docs[seed]["officials"]}
    assert got == OFFICIALS[seed]


def test_official_regions(seed_docs):
    regions = {o["name"]: o["region"] for o in seed_docs["003"]["officials"]}
    assert regions == {"王进健": "扬州市"}
    regions = {o["name"]: o["region"] for o in seed_docs["000"]["officials"]}
    assert regions == {"刘烁": "萍乡市", "李水清": "安源区", "邱伟": "安源区"}
