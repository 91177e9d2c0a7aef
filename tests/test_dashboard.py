"""The dashboard with Streamlit's AppTest: every view, filters given as query params."""

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from conftest import DEMO_DOCUMENTS, REPO, app_on

VIEWS = [
    "overview",
    "trends",
    "heatmap",
    "map",
    "diffusion",
    "keywords",
    "contexts",
    "documents",
    "discover",
    "leaders",
]


@pytest.fixture
def app(seed_store, monkeypatch):
    return app_on(seed_store, monkeypatch)


def specs(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def chart_data(at, index: int = 0) -> list[dict]:
    """The rows the chart was given (Streamlit ships them as Arrow beside the spec)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    rows = []
    for ds in at.get("vega_lite_chart")[index].proto.datasets:
        rows.extend(convert_arrow_bytes_to_pandas_df(ds.data.data).to_dict("records"))
    return rows


def test_overview_counts(app):
    at = app(tab="overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["文档数"] == "5"
    assert metrics["地区数"] == "4"
    assert any("日期为推断: 3 / 5" in e.label for e in at.expander)


def test_trends_filtered_by_city(app):
    at = app(tab="trends", city="萍乡市", formulation="五区")
    values = chart_data(at)
    # coloured by formulation: the filtered regions summed into one series per formulation
    assert values and {v["region"] for v in values} == {"全部"}
    assert {v["formulation"] for v in values} == {"五区"}
    assert all(v["docs"] >= v["docs_mentioning"] for v in values)
    assert at.query_params["city"] == "萍乡市"
    assert at.dataframe[0].value["docs"].sum() == 3


def test_trends_by_region_colour(app):
    at = app(tab="trends", formulation=["高质量发展", "五区"], level="city")
    at.radio(key="color").set_value("region").run()
    spec = specs(at)[0]
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["color"]["field"] == "region"
    assert {v["region"] for v in chart_data(at)} == {"萍乡市", "上饶市", "扬州市"}
    assert {v["formulation"] for v in chart_data(at)} == {"高质量发展"}  # one formulation at a time


def test_heatmap(app):
    at = app(tab="heatmap", formulation=["五区", "高质量发展"], level="city")
    values = chart_data(at)
    cells = {(v["formulation"], v["region"]): v for v in values}
    assert cells[("五区", "萍乡市")]["docs_mentioning"] == 2
    assert cells[("五区", "扬州市")]["docs_mentioning"] == 0


def test_diffusion(app):
    at = app(tab="diffusion", formulation="高质量发展", level="city")
    assert "萍乡市" in at.markdown[0].value
    assert at.dataframe[0].value["region"].tolist() == ["萍乡市", "扬州市", "上饶市"]


def test_keywords(app):
    at = app(tab="keywords", level="city")
    at.radio(key="kw_mode").set_value("ab").run()
    at.selectbox(key="kw_a").set_value("萍乡市")
    at.selectbox(key="kw_b").set_value("扬州市")
    at.radio(key="kw_rank").set_value("z")
    at.slider(key="kw_min").set_value(2).run()
    table = at.dataframe[0].value
    assert {"term", "score", "log_ratio", "z", "q", "count_a", "count_b", "per10k_a", "per10k_b"} <= set(table.columns)
    assert "高邮" in set(table[table["score"] < 0]["term"])
    assert specs(at)


def test_keywords_by_effect_on_the_demo(demo_app):
    at = demo_app(tab="keywords")  # default: period vs period, 2018– against –2005, ranked by effect
    table = at.dataframe[0].value
    assert "高质量发展" in table[table["log_ratio"] > 0]["term"].head(10).tolist()
    assert {"log_ratio", "z", "q"} <= set(table.columns)


def test_contexts(app):
    at = app(tab="contexts", formulation="项目为王")
    table = at.dataframe[0].value
    assert set(table["match"]) == {"项目为王"} and len(table) == 2


def test_documents_reader_shows_text_not_markup(app):
    at = app(tab="documents", doc="3983cb92fd48abe4")
    body = at.markdown[0].value
    assert "扬州市委书记王进健赴高邮市调研" in at.subheader[0].value
    assert ":orange-background[项目为王]" in body
    assert "<" not in body.replace("\\<", "")


def test_discover_and_leaders(app):
    at = app(tab="discover")
    assert "老树发新枝" in set(at.dataframe[0].value["candidate"])
    at = app(tab="leaders", formulation="主题教育")
    assert "何党生" in set(at.dataframe[0].value["name"])
    index = at.dataframe[1].value  # the officials index: one row per person
    assert index["name"].is_unique and "何党生" in set(index["name"])


def test_empty_selection_is_a_message_not_an_exception(app):
    at = app(tab="trends", since="2030-01-01")
    assert not at.exception
    assert at.error and "没有文档" in at.error[0].value  # the URL check says why, in place of the chart
    assert not at.get("arrow_vega_lite_chart")


def test_english_toggle(app):
    at = app(tab="overview", lang="en")
    assert at.title[0].value.startswith("Tifa")
    assert {m.label for m in at.metric} >= {"Documents", "Regions"}


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders(app, view):
    at = app(tab=view, city="萍乡市")
    if view != "overview":  # the default is left out of the URL
        assert at.query_params["tab"] == view
    assert at.query_params["city"] == "萍乡市"


def test_map_places_the_seed_cities(app):
    at = app(tab="map", formulation="五区", level="city")
    rows = {
        r["region"]: r for r in chart_data(at) if "region" in r and r.get("region") in ("萍乡市", "上饶市", "扬州市")
    }
    known = {"萍乡市": (27.6, 113.9), "扬州市": (32.4, 119.4), "上饶市": (28.5, 117.9)}
    for city, (lat, lon) in known.items():
        assert abs(rows[city]["lat"] - lat) < 0.5 and abs(rows[city]["lon"] - lon) < 0.5
    assert rows["萍乡市"]["docs_mentioning"] == 2
    assert rows["扬州市"]["docs_mentioning"] == 0 and rows["扬州市"]["docs"] == 1  # an empty ring
    spec = specs(at)[0]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert "circle" in marks and "point" in marks  # bubbles and rings
    ring = next(
        layer for layer in spec["layer"] if isinstance(layer["mark"], dict) and layer["mark"].get("filled") is False
    )
    assert ring["mark"]["type"] == "point"


def test_query_parameters_round_trip(app):
    """Widgets set by hand write the URL; a new session opened on that URL shows the same state."""
    at = app(tab="trends")
    at.multiselect(key="city").set_value(["萍乡市"])
    at.multiselect(key="formulation").set_value(["五区", "项目为王"])
    at.selectbox(key="measure").set_value("share")
    at.selectbox(key="period").set_value("quarter")
    at.date_input(key="since").set_value(date(2021, 1, 1)).run()
    params = {
        k: at.query_params.get_all(k) if hasattr(at.query_params, "get_all") else at.query_params[k]
        for k in at.query_params
    }
    assert params["city"] in ("萍乡市", ["萍乡市"]) and params["tab"] in ("trends", ["trends"])
    again = app(**{k: v for k, v in params.items()})
    assert again.multiselect(key="city").value == ["萍乡市"]
    assert again.multiselect(key="formulation").value == ["五区", "项目为王"]
    assert again.selectbox(key="measure").value == "share"
    assert again.selectbox(key="period").value == "quarter"
    assert again.date_input(key="since").value == date(2021, 1, 1)
    assert chart_data(again) == chart_data(at)


def test_every_view_is_registered_with_a_label():
    import views
    from analytics.i18n import STRINGS

    assert list(views.REGISTRY) == VIEWS
    for name, render in views.REGISTRY.items():
        assert callable(render) and f"view_{name}" in STRINGS


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_draws_on_the_demo(demo_app, view):
    at = demo_app(tab=view)
    assert not at.error
    if view not in ("contexts", "documents", "discover"):
        assert at.get("vega_lite_chart"), f"{view} drew no chart"


def test_overview_lands_on_charts_and_national_label(demo_app):
    at = demo_app()
    assert len(at.get("vega_lite_chart")) >= 3  # documents over time, formulations, map
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["文档数"] == str(DEMO_DOCUMENTS) and metrics["时间跨度"] == "1954–2026"
    at = demo_app(tab="trends", formulation="高质量发展")
    at.radio(key="color").set_value("region").run()
    regions = {v["region"] for v in chart_data(at)}
    assert "全国" in regions and not any("未定" in r for r in regions)


def test_first_run_builds_the_demo_store_and_lands_on_charts(tmp_path, monkeypatch):
    """The README's first command on a machine without a store: seeds + demo ingested, with
    progress, and the overview draws its charts."""
    path = tmp_path / "first.duckdb"
    monkeypatch.setenv("TIFA_STORE", str(path))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert path.exists()
    assert any("数据库已建立" in s.label and f"documents {DEMO_DOCUMENTS}" in s.label for s in at.status)
    assert {m.label: m.value for m in at.metric}["文档数"] == str(DEMO_DOCUMENTS)
    assert len(at.get("vega_lite_chart")) >= 3


def test_a_spawned_process_importing_the_dashboard_draws_nothing(tmp_path, monkeypatch):
    """multiprocessing's "spawn" (a Dask nanny started in the same interpreter after the
    dashboard ran) imports the main script as __mp_main__: that must neither build a store
    nor draw a page — two such workers once raced to build data/store.duckdb."""
    import runpy

    store = tmp_path / "store.duckdb"
    monkeypatch.setenv("TIFA_STORE", str(store))
    runpy.run_path(str(REPO / "dashboard.py"), run_name="__mp_main__")
    assert not store.exists()
