"""Dates: byline, lead, year from publication, era-marker inference, given metadata."""

from datetime import date, datetime

import pytest

from analytics.dates import parse_datetime, resolve_dates
from analytics.resources import era_markers


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021-9-6 13:06", datetime(2021, 9, 6, 13, 6)), ("2024-07-05", datetime(2024, 7, 5)),
     ("2024年7月5日", datetime(2024, 7, 5)), ("2024/7/5 08:30:12", datetime(2024, 7, 5, 8, 30)),
     ("2023-02-30", None), ("not a date", None), (None, None)],
)
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


CASES = [
    # body, published, given, expected date, precision, event date
    ("9月4日，市委副书记调研。", "2021-9-6 13:06", None, date(2021, 9, 4), "day", date(2021, 9, 4)),
    ("12月30日，召开会议。", "2021-1-3 09:00", None, date(2020, 12, 30), "day", date(2020, 12, 30)),
    ("2019年5月6日，召开会议。", None, None, date(2019, 5, 6), "day", date(2019, 5, 6)),
    ("召开会议，部署工作。", "2022-3-1 10:00", None, date(2022, 3, 1), "day", None),
    ("1月28日，全面学习贯彻党的二十大精神。", None, None, date(2023, 1, 28), "inferred", date(2023, 1, 28)),
    ("11月1日，学习贯彻党的二十大精神。", None, None, date(2022, 11, 1), "inferred", date(2022, 11, 1)),
    ("6月3日，开展学习贯彻习近平新时代中国特色社会主义思想主题教育。", None, None, date(2023, 6, 3),
     "inferred", date(2023, 6, 3)),
    ("10月8日，紧扣“学思想、强党性、重实践、建新功”总要求，推进主题教育。", None, None, date(2023, 10, 8),
     "inferred", date(2023, 10, 8)),
    ("加快发展新质生产力。", None, None, date(2023, 9, 7), "inferred", None),
    ("召开会议，部署工作。", None, None, None, "unknown", None),
    ("9月4日，召开会议。", None, "2018-05-01", date(2018, 5, 1), "given", None),
]


@pytest.mark.parametrize(("body", "published", "given", "expected", "precision", "event"), CASES)
def test_resolve_dates(body, published, given, expected, precision, event):
    result = resolve_dates(body, published, given, era_markers())
    assert result.date == expected
    assert result.precision == precision
    assert result.event_date == event
    assert result.evidence


def test_inferred_evidence_names_the_binding_marker():
    result = resolve_dates("1月28日，学习贯彻党的二十大精神，贯彻新发展理念。", None, None, era_markers())
    assert "2022-10-22" in result.evidence and "二十大" in result.evidence
