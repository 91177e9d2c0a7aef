"""What the dashboard must show for a wrong URL: the same one-line message as the CLI (from
analytics.validate), as an st.error above the view — no exception — with the wrong value taken
out of the sidebar and the URL and the rest of the filters applied. A question that is valid but
selects nothing keeps its filters and draws no chart.

The check is analytics.validate.repair_params, run by views/context.py before any view is drawn.
"""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO


@pytest.mark.parametrize(
    ("params", "message", "chart"),
    [
        ({"city": "火星市"}, "火星市：没有这个市。数据中的市有：萍乡市 (3)、上饶市 (1)、扬州市 (1)。", True),
        ({"since": "2023-13-01"}, "since：'2023-13-01' 不是有效日期（没有 13 月）", True),
        ({"since": "2020-01-01", "until": "2019-01-01"}, "起始日期 2020-01-01 晚于截止日期 2019-01-01", True),
        ({"city": "扬州市", "since": "2024-01-01"}, "扬州市：2024-01-01 以来没有文档。", False),
        ({"city": "火星市", "lang": "en"}, "火星市: no such city. Cities in the store: 萍乡市 (3)", True),
    ],
)
def test_wrong_url_shows_the_message_above_a_usable_page(seed_store, monkeypatch, params, message, chart):
    monkeypatch.setenv("TIFA_STORE", str(seed_store))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    for key, value in {"tab": "trends", "formulation": "五区", **params}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert bool(at.get("vega_lite_chart")) == chart
    assert at.sidebar.get("multiselect"), "the sidebar stays"
    assert at.session_state["formulation"] == ["五区"]  # the other filters still apply
