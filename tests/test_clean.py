"""Cleaning steps as tables of input → expected output."""

import pytest

from analytics import clean
from analytics.resources import boilerplate_rules


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("萍鄉(xiāng)城事網(wǎng)", "萍鄉城事網"),
        ("門(mén)戶網(wǎng)站", "門戶網站"),
        ("要?jiǎng)恿、向?chuàng)新要活力", "要?恿、向?新要活力"),  # bracket eaten by corruption
        ("猴L(fēng)在萍鄉", "猴L在萍鄉"),  # annotation after a stray Latin letter
        ("增長(zhǎng)(GDP)", "增長(GDP)"),
        ("2023年(2023)", "2023年(2023)"),
        ("鑫通機(jī)械有限公司(四期)", "鑫通機械有限公司(四期)"),
        ("(作者:黃克奇 鄭陳浩)", "(作者:黃克奇 鄭陳浩)"),
        ("app(ios)", "app(ios)"),  # lowercase Latin without tone marks is not pinyin
        ("萍(xiāng)(xiāng)鄉", "萍鄉"),
    ],
)
def test_strip_pinyin(raw, expected):
    assert clean.strip_pinyin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("要本著盡力而為", "要本着尽力而为"),
        ("之後", "之后"),
        ("乾淨", "干净"),
        ("乾隆皇帝", "乾隆皇帝"),
        ("萍鄉城事網", "萍乡城事网"),
        ("發布者", "发布者"),
        ("已经是简体", "已经是简体"),
    ],
)
def test_to_simplified(raw, expected):
    assert clean.to_simplified(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("全角\u3000空格", "全角 空格"),
        ("  缩进  ", "缩进"),
        ("零\u200b宽", "零宽"),
        ("控\x07制", "控制"),
    ],
)
def test_normalize_whitespace(raw, expected):
    assert clean.normalize_whitespace(raw) == expected


@pytest.mark.parametrize(
    ("line", "meta"),
    [
        ("萍乡城事网—萍乡最具影响力门户网站 门户 城事资讯 安源区政府 查看内容",
         {"site": "萍乡城事网", "channel": "城事资讯 安源区政府"}),
        ("2021-9-6 13:06| 发布者: admin| 评论: 0", {"published_at": "2021-9-6 13:06"}),
        ("2020-10-19 12:11| 发布者: admin| 评论: 0|来自: 安源区政府",
         {"published_at": "2020-10-19 12:11", "origin": "安源区政府"}),
        ("鲜花", {}),
        ("相关分类", {}),
        ("分享让更多人看到", {}),
        ("关注人民网,传播正能量", {"site": "人民网"}),
        ("请输入验证码", {}),
        ("下载 打印 全屏 收藏 【字号：加大 还原 减小】", {}),
        ("【字号：", {}),
        ("来源：解放日报", {"origin": "解放日报"}),
        # the publisher line and dates labelled in other ways (issue 23, made-up lines)
        ("发布机构：某某县人民政府 发布时间：2021-03-04", {"origin": "某某县人民政府", "published_at": "2021-03-04"}),
        ("发文机关：某某县人民政府办公室", {"origin": "某某县人民政府办公室"}),
        ("作者：张三 | 发布于 2020-01-02 | 浏览 33 次", {"published_at": "2020-01-02"}),
        ("字体【 】 【编辑日期:2025-09-10 09:53】 【来源:某某县委宣传部】 【作者:】 【 关 闭 】",
         {"published_at": "2025-09-10 09:53", "origin": "某某县委宣传部"}),
        ("时间：2026-02-09", {"published_at": "2026-02-09"}),
        # disclosure pages' labels, a label right after the publisher's name, a colon after 发布于,
        # the publisher then a bare timestamp, a bare date before the page's counters (made up)
        ("• 生成日期:2017-05-27 15:11:06.0", {"published_at": "2017-05-27 15:11:06"}),
        ("• 公开日期:2014-05-19", {"published_at": "2014-05-19"}),
        ("来源:某某融媒体中心时间:2021-09-26 打印", {"origin": "某某融媒体中心", "published_at": "2021-09-26"}),
        ("(发布于:2020-11-11 15:36)", {"published_at": "2020-11-11 15:36"}),
        ("来源:某某县政府   2016-02-03 00:00", {"origin": "某某县政府", "published_at": "2016-02-03 00:00"}),
        ("2020-10-26   浏览量:", {"published_at": "2020-10-26"}),
        ("2025-08-27   发布: 点击数:", {"published_at": "2025-08-27"}),
        # a breadcrumb: the site's sections are its channel, with the date some portals print after it
        ("您的位置:某某网 > 时政新闻 > 正文   |   2023-02-02   阅读量:",
         {"channel": "某某网 > 时政新闻 > 正文", "published_at": "2023-02-02"}),
        ("当前位置: 首页 > 新闻中心 > 工作动态", {"channel": "首页 > 新闻中心 > 工作动态"}),
        # a bracketed field row, the fields split by box-drawing bars
        ("[ 来源:某某区政协│ 作者:张三│ 时间:2013/10/28 13:50:38 | 点击:304]",
         {"origin": "某某区政协", "published_at": "2013/10/28 13:50:38"}),
        # an empty 来源 before the date's label; counters and a date widget left empty (made up)
        ("来源: 发布时间:2020-04-11", {"published_at": "2020-04-11"}),
        ("浏览量:", {}),
        ("点击数：5 次", {}),
        ("今天是", {}),
        ("今天是2021年3月1日 星期一", {}),
        ("(作者:黄克奇 郑陈浩)", {"authors": ["黄克奇", "郑陈浩"]}),
        ("摘要: 9月4日,市委副书记来到安源区调研 ...", {"summary": "9月4日,市委副书记来到安源区调研"}),
    ],
)
def test_chrome_lines_are_removed_and_kept_as_metadata(line, meta):
    kept, got, fired = clean.apply_line_rules([line, "正文。"], boilerplate_rules())
    assert kept == ["正文。"]
    assert got == meta
    assert fired


@pytest.mark.parametrize(
    ("line", "kept", "authors"),
    [
        ("为干事创业提供坚强政治保障。(吴涛 伊然)", "为干事创业提供坚强政治保障。", ["吴涛", "伊然"]),
        ("走深走实。(黄克奇 郑陈浩)", "走深走实。", ["黄克奇", "郑陈浩"]),
        ("江西鑫通机械有限公司(四期)、江西阿尔法", "江西鑫通机械有限公司(四期)、江西阿尔法", None),
        ("增长(GDP)", "增长(GDP)", None),
    ],
)
def test_author_credit_at_paragraph_end(line, kept, authors):
    got_lines, meta, _ = clean.apply_line_rules([line], boilerplate_rules())
    assert got_lines == [kept]
    assert meta.get("authors") == authors


@pytest.mark.parametrize(
    ("paragraphs", "title", "body_first"),
    [
        (["何党生调研工业项目时强调", "以工业高质量发展实绩实效", "扎实推动主题教育走深走实",
          "10月8日，区委书记何党生调研。"],
         "何党生调研工业项目时强调 以工业高质量发展实绩实效 扎实推动主题教育走深走实",
         "10月8日，区委书记何党生调研。"),
        (["1月28日，市委副书记、市长刘烁在萍乡经开区调研。他强调。"], None,
         "1月28日，市委副书记、市长刘烁在萍乡经开区调研。他强调。"),
        (["扬州市委书记王进健赴高邮市调研", "6月3日，扬州市委书记王进健赴高邮市调研。"],
         "扬州市委书记王进健赴高邮市调研", "6月3日，扬州市委书记王进健赴高邮市调研。"),
        (["各位代表：", "现在，我代表市政府报告工作。"], None, "各位代表："),
        (["只有短行", "没有正文"], None, "只有短行"),
    ],
)
def test_split_title(paragraphs, title, body_first):
    got_title, body = clean.split_title(paragraphs)
    assert got_title == title
    assert body[0] == body_first


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("坚持向科技要?恿、向?新要活力", ["?恿、向?"]),
        ("当?弥\ue02e才R门建成投产后", ["?弥\ue02e才R"]),
        ("春节期间“两不!钡臒岢比绱猴L在萍乡经开区涌动", ["!钡臒岢比绱猴L"]),
        ("在A股上市的企业", []),  # a lone Latin letter between common characters
        ("真的吗?我们去看看", []),  # a question mark followed by common text
        ("推动5G网络和B超设备", []),
        ("替换字符\ufffd在这里", ["\ufffd"]),
    ],
)
def test_find_corrupt_spans(text, spans):
    assert [s.text for s in clean.find_corrupt_spans(text)] == spans


def test_quality_score_counts_corrupt_characters():
    spans = clean.find_corrupt_spans("当?弥\ue02e才R门")
    assert clean.quality_score(100, spans) == pytest.approx(1 - 10 * 5 / 100)
    assert clean.quality_score(100, []) == 1.0
    assert clean.quality_score(0, []) == 0.0


def test_normalize_punctuation_only_next_to_chinese():
    assert clean.normalize_punctuation("他强调,安源区要:干;") == "他强调，安源区要：干；"
    assert clean.normalize_punctuation("1,000 and a:b") == "1,000 and a:b"
    assert clean.normalize_punctuation("要?恿") == "要?恿"


def _lines_of_seeds() -> list[str]:
    from analytics.resources import DATA_DIR

    return [line.strip() for p in sorted((DATA_DIR / "raw" / "seeds").iterdir()) if p.is_file()
            for line in p.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]


def test_joined_line_rules_match_exactly_where_some_rule_does():
    rules = boilerplate_rules()
    joined = clean._any_line_rule(rules.lines)
    assert joined is not None  # the shipped rules join (named groups made plain)
    lines = _lines_of_seeds()
    hits = [line for line in lines if any(r.pattern.fullmatch(line) for r in rules.lines)]
    assert hits  # the seeds hold portal chrome
    assert [line for line in lines if joined.fullmatch(line)] == hits


def test_rules_that_cannot_be_joined_are_tried_one_by_one():
    import re

    from analytics.resources import BoilerplateRules, LineRule

    lines = (LineRule("repeat", re.compile(r"(分享)\1")), LineRule("flags", re.compile("(?i)share")))
    rules = BoilerplateRules(lines, ())
    assert clean._any_line_rule(rules.lines) is None
    kept, _, fired = clean.apply_line_rules(["分享分享", "正文", "SHARE"], rules)
    assert kept == ["正文"] and fired == ["repeat", "flags"]


def test_metadata_glued_to_the_first_paragraph_is_split_off():
    # made up: the page's 发布时间 / 来源 prefix and its first paragraph on one line
    cleaned = clean.clean_article(
        "发布时间：2021-03-04 10:00 来源：某某县政协3月4日上午，县政协召开常委会议。\n会议强调落实。")
    assert cleaned.meta.get("origin") == "某某县政协"
    assert cleaned.meta.get("published_at") == "2021-03-04 10:00"
    assert cleaned.text.startswith("3月4日上午，县政协召开常委会议。")
    # a paragraph that merely starts with a date label is not split
    kept = clean.clean_article("时间：2021-03-04，地点：县会议中心。会议由县长主持。")
    assert "县会议中心" in kept.text
