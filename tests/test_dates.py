"""Dates: page lines, addresses, lead, year from publication, honest ranges, given metadata."""

from datetime import date, datetime
from pathlib import Path

import pytest

from analytics.clean import apply_line_rules
from analytics.dates import parse_datetime, resolve_dates
from analytics.resources import DATA_DIR, boilerplate_rules, era_markers
from analytics.url_dates import date_from_url, page_url

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-9-6 13:06", datetime(2021, 9, 6, 13, 6)),
        ("2024-07-05", datetime(2024, 7, 5)),
        ("2024年7月5日", datetime(2024, 7, 5)),
        ("2024/7/5 08:30:12", datetime(2024, 7, 5, 8, 30)),
        ("2024-06-2510:07:47", datetime(2024, 6, 25, 10, 7)),
        ("2025年04月 18日 08:24", datetime(2025, 4, 18, 8, 24)),
        ("2023-02-30", None),
        ("not a date", None),
        (None, None),
    ],
)
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


URLS = [
    # address, expected date, precision (None: no date)
    ("http://www.mhk.gov.cn/xqsw/jjfz/201908/t20190819_8350999.html", date(2019, 8, 19), "day"),
    ("http://szb.dltv.cn/epaper/dlrb/pc/content/202503/22/content_99903.html", date(2025, 3, 22), "day"),
    ("http://www.dzrbs.com/html/2022-01/09/content_1174702.html", date(2022, 1, 9), "day"),
    ("https://www.huzhou.gov.cn/art/2017/3/4/art_1229213811_54819377.html", date(2017, 3, 4), "day"),
    ("http://jxxznews.zjol.com.cn/xznews/system/2018/07/19/031020741.shtml", date(2018, 7, 19), "day"),
    ("http://jjwmw.jjxw.cn/jjwmw2022/wmyw/2024-02-19/32580.html", date(2024, 2, 19), "day"),
    ("http://xichu.net/news/shizheng/2023/02/2023-02-23497392.html", date(2023, 2, 23), "day"),
    ("https://xinyang.gov.cn/2024/12-02/3247610.html", date(2024, 12, 2), "day"),
    ("http://jtysj.panjin.gov.cn/2022_01/21_15/content-359317.html", date(2022, 1, 21), "day"),
    ("https://www.foshannews.net/h/191/20230826/645816.html", date(2023, 8, 26), "day"),
    ("http://paper.yanews.cn/yarb/20180402/html/content_20180402001003.htm", date(2018, 4, 2), "day"),
    ("https://news.gltvs.com/201703/2017031709162758537a0b1d4949ac.shtml", date(2017, 3, 17), "day"),
    ("http://www.kyzq.gov.cn/kyzq/2024-09/11/article_2024091115263717751.html", date(2024, 9, 11), "day"),
    ("http://www.jgsdaily.com/2022/0711/194296.shtml", date(2022, 7, 11), "day"),
    ("http://paper.example.net/paper/Html/2016-3-9/1085.html", date(2016, 3, 9), "day"),  # unpadded segment
    ("https://qj.gov.cn/html/2022/qthy_0815/104263.html", date(2022, 8, 15), "day"),
    ("https://ngd.changzhou.gov.cn/html/ngd/2013/POANPCLB_0411/4122.html", date(2013, 4, 11), "day"),
    (
        "http://szds.suzhou.gov.cn/szdsb/szdsdsj/202310/16085ba9363f4b2cb27d50db5dda05cc.shtml",
        date(2023, 10, 1),
        "month",
    ),
    ("http://www.myrb.net/html/2023/news/8/360698.html", date(2023, 8, 1), "month"),
    (
        "https://zjj.taizhou.gov.cn/dwzw/2021ntzdsj/art/2021/art_6ce487fe1e5946be8f9e96efeb46bbf5.html",
        date(2021, 1, 1),
        "year",
    ),
    # placeholders, ids and hosts give nothing
    ("https://www.gxylnews.com/xwk/yl/197001/t19700121_828853.html", None, None),
    ("https://www.scdl.gov.cn/info/1048/222934.htm", None, None),
    ("https://lingbao.gov.cn/16019/616808448/1791175.html", None, None),
    ("https://m.bjnews.com.cn/detail/1687952693129144.html", None, None),
    ("http://www2020.example.gov.cn/p/20201301.html", None, None),  # no 13th month
    ("https://www.example.gov.cn/2031/01/01/x.html", None, None),  # after today
    ("", None, None),
    (None, None, None),
]


@pytest.mark.parametrize(("url", "expected", "precision"), URLS)
def test_date_from_url(url, expected, precision):
    found = date_from_url(url, TODAY)
    assert (found.date, found.precision) == (expected, precision) if expected else found is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<html><head><link rel="canonical" href="http://a.gov.cn/202407/t20240731_1.html"></head>',
            "http://a.gov.cn/202407/t20240731_1.html",
        ),
        (
            '<head><meta property="og:url" content="https://b.cn/2024-07/31/content_2.htm"/></head>',
            "https://b.cn/2024-07/31/content_2.htm",
        ),
        ('<head><link rel="canonical" href="/relative.html"></head>', None),
        ("<p>no head</p>", None),
    ],
)
def test_page_url(html, expected):
    assert page_url(html) == expected


META_LINES = [
    # a line of page chrome, published_at lifted from it (None: the line is not taken)
    ("时间:2019-01-23 18:03 来源:十堰广电", "2019-01-23 18:03"),
    ("日期:2017-01-22 来源:荆州市人大常委会办公室", "2017-01-22"),
    ("2024-08-03 14:29 来源: 长江日报-长江网", "2024-08-03 14:29"),
    ("2018-10-31 08:02  ", "2018-10-31 08:02"),
    ("2017-07-10 08:16:48来源:四川日报编辑:王青山", "2017-07-10 08:16:48"),
    ("发布时间:2014-01-29  |  浏览:", "2014-01-29"),
    ("发布日期:2022-04-07 19:53:53 发布者:前进发布 来源: 浏览量:3791", "2022-04-07 19:53:53"),
    ("2021/09/25      编辑:哈密市融媒体中心   来源:哈密日报   (点击: )", "2021/09/25"),
    ("来源:山西经济网 作者:谢刚 发布时间:2021/7/12 18:37:00", "2021/7/12 18:37:00"),
    ("信息来源:中山日报 发布日期:2024年06月09日", "2024年06月09日"),
    ("发布机构 | 唐河县政府办公室 | 发布日期 | 2022-05-06 15:32:20 |", "2022-05-06 15:32:20"),
    ("2025年04月 18日 08:24 | 来源: 扬州日报-扬州网 | 扬州网官方微博", "2025年04月 18日 08:24"),
    ("发布: 2012-5-19 01:05 | 编辑: 张家界旅游 | 来源: 旅游门户 | 查看: 2135次", "2012-5-19 01:05"),
    ("- 发布日期:2021-06-11 17:26", "2021-06-11 17:26"),
    # not publication lines
    ("2022年09月04日", None),  # a portal's "today is" line
    ("前一版 下一版 2024年02月07日", None),
    ("报名时间:2024-05-01至2024-05-10", None),
    ("2019年2月19日,各族群众走上街头扭秧歌、打手鼓,欢庆元宵节。", None),
    ("03-15 10:46", None),
]


@pytest.mark.parametrize(("line", "expected"), META_LINES)
def test_page_meta_lines(line, expected):
    kept, meta, _ = apply_line_rules([line], boilerplate_rules(Path(DATA_DIR / "boilerplate.toml")))
    assert meta.get("published_at") == expected
    assert (kept == []) == (expected is not None)


CASES = [
    # body, published, given, url, expected date, precision, event date
    ("9月4日，市委副书记调研。", "2021-9-6 13:06", None, None, date(2021, 9, 4), "day", date(2021, 9, 4)),
    ("12月30日，召开会议。", "2021-1-3 09:00", None, None, date(2020, 12, 30), "day", date(2020, 12, 30)),
    ("2019年5月6日，召开会议。", None, None, None, date(2019, 5, 6), "day", date(2019, 5, 6)),
    ("召开会议，部署工作。", "2022-3-1 10:00", None, None, date(2022, 3, 1), "day", None),
    # the address: a day, a month (the lead's day gets its year), a placeholder epoch
    ("召开会议。", None, None, "http://a.gov.cn/202507/t20250725_1994463.html", date(2025, 7, 25), "day", None),
    (
        "10月16日，召开会议。",
        None,
        None,
        "http://a.gov.cn/x/202310/5e65.shtml",
        date(2023, 10, 16),
        "day",
        date(2023, 10, 16),
    ),
    (
        "9月28日，召开会议。",
        None,
        None,
        "http://a.gov.cn/x/202310/5e65.shtml",
        date(2023, 9, 28),
        "day",
        date(2023, 9, 28),
    ),
    ("召开会议。", None, None, "http://a.gov.cn/x/202310/5e65.shtml", date(2023, 10, 1), "month", None),
    ("召开会议。", None, None, "https://a.com/yl/197001/t19700121_828853.html", None, "unknown", None),
    # the page's own line wins over a disagreeing address (a re-publication)
    ("召开会议。", "2014-01-29", None, "http://ddlib.cn/x/2022-09-01/5423.html", date(2014, 1, 29), "day", None),
    # inferred: a point only when one year fits
    ("1月28日，全面学习贯彻党的二十大精神。", None, None, None, date(2023, 1, 28), "inferred", date(2023, 1, 28)),
    ("11月1日，学习贯彻党的二十大精神。", None, None, None, None, "range", None),  # 2022 or 2023
    (
        "6月3日，开展学习贯彻习近平新时代中国特色社会主义思想主题教育。",
        None,
        None,
        None,
        date(2023, 6, 3),
        "inferred",
        date(2023, 6, 3),
    ),
    (
        "10月8日，紧扣“学思想、强党性、重实践、建新功”总要求，推进主题教育。",
        None,
        None,
        None,
        date(2023, 10, 8),
        "inferred",
        date(2023, 10, 8),
    ),
    ("加快发展新质生产力。", None, None, None, None, "range", None),
    ("8月4日，推进高质量发展。", None, None, None, None, "range", None),  # open-ended marker
    ("召开会议，部署工作。", None, None, None, None, "unknown", None),
    ("9月4日，召开会议。", None, "2018-05-01", None, date(2018, 5, 1), "given", None),
    # a given year or month only: its first day, at that precision (never passed off as a day)
    ("召开会议。", None, "2018", None, date(2018, 1, 1), "year", None),
    ("召开会议。", None, "2018年", None, date(2018, 1, 1), "year", None),
    ("召开会议。", None, "2018-05", None, date(2018, 5, 1), "month", None),
    ("召开会议。", None, "2018年5月", None, date(2018, 5, 1), "month", None),
    ("召开会议。", None, "2018-13", None, None, "unknown", None),  # no month 13: not a date
]


@pytest.mark.parametrize(("body", "published", "given", "url", "expected", "precision", "event"), CASES)
def test_resolve_dates(body, published, given, url, expected, precision, event):
    result = resolve_dates(body, published, given, era_markers(), url=url, today=TODAY)
    assert result.date == expected
    assert result.precision == precision
    assert result.event_date == event
    assert result.evidence
    if expected:
        assert result.earliest <= expected <= result.latest


RANGES = [
    # body, earliest, latest of the kept range
    ("8月4日，推进高质量发展。", date(2017, 10, 18), TODAY),
    ("11月1日，学习贯彻党的二十大精神。", date(2022, 10, 22), date(2023, 12, 31)),
    # a later opener overrules an earlier marker's usual window
    ("学习贯彻党的二十大精神和二十届三中全会精神。", date(2024, 7, 18), TODAY),
    ("3月1日，李克强总理批示，疫情防控。", date(2020, 1, 20), date(2023, 1, 31)),
]


@pytest.mark.parametrize(("body", "earliest", "latest"), RANGES)
def test_inferred_range(body, earliest, latest):
    result = resolve_dates(body, None, None, era_markers(), today=TODAY)
    assert (result.earliest, result.latest) == (earliest, latest)


def test_inferred_evidence_names_the_binding_marker():
    result = resolve_dates("1月28日，学习贯彻党的二十大精神，贯彻新发展理念。", None, None, era_markers())
    assert "2022-10-22" in result.evidence and "二十大" in result.evidence
    assert "inferred" in result.evidence


@pytest.mark.parametrize(
    ("html", "url", "html_date"),
    [
        (
            '<html><head><link rel="canonical" href="http://a.gov.cn/201908/t20190819_1.html">'
            '<meta property="article:published_time" content="2019-08-19T09:00:00+08:00"></head>'
            "<body><p>8月18日，召开会议。</p></body></html>",
            "http://a.gov.cn/201908/t20190819_1.html",
            "2019-08-19",
        ),
        ("<html><head><title>x</title></head><body><p>3月2日，县长调研。</p></body></html>", None, None),
    ],
)
def test_html_given(html, url, html_date):
    from analytics.readers import html_given

    given = html_given(html)
    assert given.get("url") == url
    assert given.get("html_date") == html_date
