"""Tifa dashboard: `streamlit run dashboard.py`.

UI only. Every number comes from the `analytics` library; every filter and the selected view
live in the URL (widgets bound to query parameters with the CLI's filter names), so a copied
link reopens the same view.
"""

from __future__ import annotations

import json
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from analytics import charts, discover, formulations, ingest, keywords, kwic, overview, settings, store, trends
from analytics.filters import filters_from_mapping, to_query_params
from analytics.i18n import t
from analytics.markup import highlight

STORE = settings.get_path("TIFA_STORE") or store.DEFAULT_STORE
VIEWS = ("overview", "trends", "heatmap", "map", "diffusion", "keywords", "contexts", "documents",
         "discover", "leaders")

st.set_page_config(page_title="Tifa 提法", layout="wide")


# --- data access (cached; the key includes the store's modification time) ------------------


def store_version() -> float:
    return STORE.stat().st_mtime if STORE.exists() else 0.0


def build_store_if_missing() -> None:
    if STORE.exists():
        return
    total = max(ingest.count_files([ingest.RAW_DIR]), 1)
    with st.status(t("building_store", lang), expanded=True) as status:
        bar = st.progress(0.0)
        summary = ingest.ensure_store(STORE, progress=lambda done, path: bar.progress(
            min(done / total, 1.0), text=path))
        status.update(label=t("store_built", lang) + (summary.line() if summary else ""), state="complete")


def connect():
    return store.connect(STORE, read_only=True)


@st.cache_data(show_spinner=False)
def load_facets(version: float) -> dict:
    with connect() as con:
        return overview.facets(con)


@st.cache_data(show_spinner=False)
def load_overview(version: float, fkey: str) -> dict:
    with connect() as con:
        return overview.overview(con, _filters(fkey))


@st.cache_data(show_spinner=False)
def load_counts(version: float, fkey: str, chosen: tuple, period: str, level: str, measure: str):
    with connect() as con:
        return (trends.counts(con, list(chosen), _filters(fkey), period, level, measure),
                trends.undated_count(con, _filters(fkey)))


@st.cache_data(show_spinner=False)
def load_map(version: float, fkey: str, chosen: tuple, level: str, until: str | None):
    with connect() as con:
        return trends.map_data(con, list(chosen), _filters(fkey), level, until)


@st.cache_data(show_spinner=False)
def load_quality(version: float, fkey: str, issue: str) -> pd.DataFrame:
    with connect() as con:
        return overview.quality_documents(con, issue, _filters(fkey))


@st.cache_data(show_spinner=False)
def load_quarantine(version: float) -> pd.DataFrame:
    with connect() as con:
        return store.quarantine(con)


@st.cache_data(show_spinner=False)
def load_diffusion(version: float, fkey: str, term: str, level: str) -> dict:
    with connect() as con:
        return trends.diffusion(con, term, _filters(fkey), level)


@st.cache_data(show_spinner=False)
def load_compare(version: float, spec_a: str, spec_b: str | None, method: str, top: int, min_count: int):
    with connect() as con:
        a = _filters(spec_a)
        if spec_b is None:
            return keywords.compare_sets(con, a, None, method, top, min_count)
        return keywords.compare(con, a, _filters(spec_b), method, top, min_count)


@st.cache_data(show_spinner=False)
def load_groups(version: float, specs: tuple, method: str, top: int, min_count: int):
    with connect() as con:
        return keywords.compare_groups(con, {name: _filters(s) for name, s in specs}, method, top, min_count)


@st.cache_data(show_spinner=False)
def load_kwic(version: float, fkey: str, term: str, width: int) -> pd.DataFrame:
    with connect() as con:
        return kwic.kwic(con, term, _filters(fkey), width=width, lexicon=formulations.load_lexicon())


@st.cache_data(show_spinner=False)
def load_documents(version: float, fkey: str) -> pd.DataFrame:
    with connect() as con:
        return store.documents(con, _filters(fkey))


@st.cache_data(show_spinner=False)
def load_discover(version: float, fkey: str) -> pd.DataFrame:
    with connect() as con:
        return discover.discover(con, formulations.load_lexicon(), _filters(fkey), limit=300)


@st.cache_data(show_spinner=False)
def load_leaders(version: float, fkey: str, chosen: tuple) -> pd.DataFrame:
    with connect() as con:
        return trends.leaders(con, _filters(fkey), list(chosen) or None)


def _filters(fkey: str):
    return filters_from_mapping(json.loads(fkey))


def fkey_of(mapping: dict) -> str:
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True, default=str)


# --- sidebar: every widget is seeded from the URL and written back to it ---------------------


def seed(key: str, default, parse=lambda raw: raw[-1], options=None):
    """Initialise widget state from the query parameter ``key`` on first use."""
    if key not in st.session_state:
        raw = st.query_params.get_all(key)
        try:
            st.session_state[key] = parse(raw) if raw else default
        except (ValueError, TypeError):
            st.session_state[key] = default
    if options is not None:  # drop values the current options no longer offer
        value = st.session_state[key]
        if isinstance(value, list):
            st.session_state[key] = [v for v in value if v in options]
        elif value not in options:
            st.session_state[key] = default


def as_list(raw: list[str]) -> list[str]:
    return list(dict.fromkeys(raw))


def as_date(raw: list[str]) -> date:
    return date.fromisoformat(raw[-1])


def as_bool(raw: list[str]) -> bool:
    return raw[-1].lower() in ("1", "true", "yes", "on")


seed("lang", "zh", options=["zh", "en"])
with st.sidebar:
    lang = st.segmented_control("语言 / Language", ["zh", "en"], key="lang",
                                format_func=lambda v: {"zh": "中文", "en": "English"}[v]) or "zh"

st.title(t("app_title", lang))
st.caption(t("app_caption", lang))
build_store_if_missing()
VERSION = store_version()
ingest.refresh_counts_if_stale(STORE)
facet = load_facets(VERSION)
regions = facet["regions"]


def _count_label(counts: dict[str, int]):
    return lambda v: f"{v} ({counts.get(v, 0)})"


def multiselect(key: str, counts: pd.Series | dict, fmt=None):
    counts = dict(counts)
    options = list(counts)
    seed(key, [], as_list, options)
    return st.multiselect(t(key, lang), options, key=key, format_func=fmt or _count_label(counts),
                          placeholder=t("choose", lang))


with st.sidebar:
    st.header(t("filters", lang))
    prov_counts = regions.groupby("province")["docs"].sum().sort_values(ascending=False)
    province = multiselect("province", prov_counts)
    in_prov = regions[regions["province"].isin(province)] if province else regions
    city = multiselect("city", in_prov.dropna(subset=["city"]).groupby("city")["docs"].sum()
                       .sort_values(ascending=False))
    in_city = in_prov[in_prov["city"].isin(city)] if city else in_prov
    district = multiselect("district", in_city.dropna(subset=["district"]).groupby("district")["docs"].sum()
                           .sort_values(ascending=False))
    c1, c2 = st.columns(2)
    seed("since", None, as_date)
    seed("until", None, as_date)
    since = c1.date_input(t("since", lang), key="since", min_value=date(1949, 1, 1))
    until = c2.date_input(t("until", lang), key="until", min_value=date(1949, 1, 1))
    site = multiselect("site", dict(zip(facet["sites"]["name"], facet["sites"]["docs"], strict=True)))
    official = multiselect("official", dict(zip(facet["officials"]["name"], facet["officials"]["docs"],
                                                strict=True)))
    lexicon = formulations.load_lexicon()
    f_counts = dict(zip(facet["formulations"]["formulation"], facet["formulations"]["docs"], strict=True))
    kind_order = {k: i for i, k in enumerate(formulations.KINDS)}
    scope_order = {s: i for i, s in enumerate(formulations.SCOPES)}
    entries = sorted(lexicon.entries, key=lambda f: (scope_order.get(f.scope, 9), kind_order.get(f.kind, 9),
                                                     -f_counts.get(f.canonical, 0), f.canonical))
    meta_of = {f.canonical: f for f in entries}
    formulation = multiselect(
        "formulation", {f.canonical: f_counts.get(f.canonical, 0) for f in entries},
        fmt=lambda v: f"{v} · {meta_of[v].scope}/{meta_of[v].kind} ({f_counts.get(v, 0)})")
    seed("measure", "share", options=trends.MEASURES)
    measure = st.selectbox(t("measure", lang), trends.MEASURES, key="measure",
                           format_func=lambda v: t(f"measure_{v}", lang))
    seed("period", "year", options=trends.PERIODS)
    period = st.selectbox(t("period", lang), trends.PERIODS, key="period",
                          format_func=lambda v: t(f"period_{v}", lang))
    seed("level", "city", options=trends.LEVELS)
    level = st.selectbox(t("level", lang), trends.LEVELS, key="level",
                         format_func=lambda v: t(f"level_{v}", lang))
    seed("include_inferred", True, as_bool)
    include_inferred = st.toggle(t("include_inferred", lang), key="include_inferred")
    seed("include_duplicates", False, as_bool)
    include_duplicates = st.toggle(t("include_duplicates", lang), key="include_duplicates")

mapping = {"province": province, "city": city, "district": district, "since": since, "until": until,
           "site": site, "official": official, "include_inferred": include_inferred,
           "include_duplicates": include_duplicates}
FKEY = fkey_of(mapping)  # document filters (formulations are what is measured, not a filter)
FILTERS = _filters(FKEY)
chosen = tuple(formulation) or tuple(facet["formulations"]["formulation"].head(5))
seed("tab", "overview", options=VIEWS)
view = st.segmented_control(t("view", lang), VIEWS, key="tab",
                            format_func=lambda v: t(f"view_{v}", lang)) or "overview"

# write the view back to the URL: same names as the CLI filters
URL_STATE = {**to_query_params(FILTERS), **({"formulation": list(formulation)} if formulation else {}),
             "measure": measure, "period": period, "level": level, "tab": view, "lang": lang}
DEFAULTS = {"measure": "share", "period": "year", "level": "city", "tab": "overview", "lang": "zh"}
URL_STATE = {k: v for k, v in URL_STATE.items() if DEFAULTS.get(k) != v}
if st.query_params.get("doc"):
    URL_STATE["doc"] = st.query_params.get("doc")
st.query_params.from_dict(URL_STATE)
info = load_overview(VERSION, FKEY)


def filters_text() -> str:
    params = to_query_params(FILTERS)
    parts = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items()]
    if formulation:
        parts.append("formulation=" + ",".join(formulation))
    return "; ".join(parts)


def caption(measure_key: str) -> str:
    return charts.caption_text(filters_text(), t(measure_key, lang), info["documents"],
                               date.fromtimestamp(VERSION).isoformat(), lang)


def downloads(chart, data: pd.DataFrame, name: str, measure_key: str) -> None:
    cap = caption(measure_key)
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("download_png", lang), data=lambda: charts.export(chart, "png", cap),
                       file_name=f"tifa-{name}.png", mime="image/png", key=f"png-{name}", on_click="ignore")
    c2.download_button(t("download_svg", lang), data=lambda: charts.export(chart, "svg", cap),
                       file_name=f"tifa-{name}.svg", mime="image/svg+xml", key=f"svg-{name}", on_click="ignore")
    c3.download_button(t("download_csv", lang), data=data.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"tifa-{name}.csv", mime="text/csv", key=f"csv-{name}", on_click="ignore")
    st.caption(cap)


def labels(frame: pd.DataFrame) -> dict[str, str]:
    """Column headers in the chosen language (the data keeps its documented names)."""
    return {c: t(f"col_{c}", lang) for c in frame.columns if t(f"col_{c}", lang) != f"col_{c}"}


def empty_guard() -> bool:
    if not info["documents"]:
        st.info(t("no_data", lang))
        return True
    return False


# --- views ------------------------------------------------------------------------------------


def render_overview() -> None:
    cols = st.columns(5)
    cols[0].metric(t("documents", lang), info["documents"])
    cols[1].metric(t("duplicates", lang), info["duplicates"])
    cols[2].metric(t("regions", lang), info["regions"])
    span = f"{info['first']} – {info['last']}" if info["first"] else "—"
    cols[3].metric(t("date_span", lang), span)
    cols[4].metric(t("sites", lang), info["sites"])
    st.subheader(t("data_quality", lang))
    n = max(info["documents"], 1)
    for issue, key in (("undated", "dq_undated"), ("inferred", "dq_inferred"),
                       ("ambiguous", "dq_ambiguous"), ("corrupt", "dq_corrupt")):
        with st.expander(f"{t(key, lang)}: {info[issue]} / {info['documents']} ({info[issue] / n:.0%})"):
            frame = load_quality(VERSION, FKEY, issue)
            frame["open"] = "?tab=documents&doc=" + frame["doc_id"]
            st.dataframe(frame, hide_index=True, column_config={**labels(frame),
                "open": st.column_config.LinkColumn(t("open", lang), display_text=t("open", lang))})
    with st.expander(f"{t('dq_quarantined', lang)}: {info['quarantined']}"):
        st.dataframe(load_quarantine(VERSION), hide_index=True)


def render_trends() -> None:
    if empty_guard():
        return
    data, undated = load_counts(VERSION, FKEY, chosen, period, level, measure)
    if data.empty:
        st.info(t("no_data", lang))
        return
    c1, c2 = st.columns(2)
    color = c1.radio(t("color_by", lang), ["formulation", "region"], horizontal=True, key="color",
                     format_func=lambda v: t(v, lang))
    smooth = c2.checkbox(t("smooth", lang), key="smooth")
    chart = charts.trend_chart(data, measure, color=color, lang=lang, smooth=smooth)
    st.altair_chart(chart, key="trend_chart")
    st.caption(t("small_sample_note", lang))
    if undated:
        st.caption(t("undated_note", lang).format(n=undated))
    downloads(chart, data, "trends", f"measure_{measure}")
    st.dataframe(data, hide_index=True, column_config=labels(data))


def render_heatmap() -> None:
    if empty_guard():
        return
    data, _ = load_counts(VERSION, FKEY, chosen, period, "all" if level == "all" else level, measure)
    if data.empty:
        st.info(t("no_data", lang))
        return
    chart = charts.heatmap_chart(data, measure, lang)
    event = st.altair_chart(chart, key="heatmap_chart", on_select="rerun")
    downloads(chart, data, "heatmap", f"measure_{measure}")
    picked = (event.selection.get("cell") or [{}])[0] if event and event.selection else {}
    if picked.get("formulation"):
        st.subheader(f"{picked['formulation']} · {picked.get('region', '')}")
        ctx = load_kwic(VERSION, FKEY, picked["formulation"], 30)
        if picked.get("region") and level != "all":
            ctx = ctx[ctx[level] == picked["region"]]
        st.dataframe(ctx, hide_index=True, column_config=labels(ctx))
    table = chart.data if isinstance(chart.data, pd.DataFrame) else data
    st.dataframe(table, hide_index=True, column_config=labels(table))


def render_map() -> None:
    if empty_guard():
        return
    lvl = level if level in ("province", "city", "district") else "city"
    c1, c2 = st.columns(2)
    colour_by = c1.radio(t("map_colour", lang), ["measure", "first_year"], horizontal=True, key="map_colour",
                         format_func=lambda v: t(f"map_colour_{v}", lang))
    years = []
    if info["first"]:
        years = [str(y) for y in range(int(str(info["first"])[:4]), int(str(info["last"])[:4]) + 1)]
    until_year = None
    if len(years) > 1:
        until_year = c2.select_slider(t("map_until", lang), options=years, value=years[-1], key="map_until")
    data = load_map(VERSION, FKEY, chosen, lvl, f"{until_year}-12-31" if until_year else None)
    if data.empty:
        st.info(t("no_data", lang))
        return
    chart = charts.map_chart(data, measure, lang, colour_by)
    event = st.altair_chart(chart, key="map_chart", on_select="rerun")
    st.caption(t("map_note", lang))
    picked = (event.selection.get("region_pick") or [{}])[0] if event and event.selection else {}
    if picked.get("region") and lvl in ("province", "city", "district"):
        st.session_state[lvl] = [picked["region"]]  # filter every other view to the clicked region
        st.rerun()
    downloads(chart, data, "map", f"measure_{measure}")
    st.dataframe(data, hide_index=True, column_config=labels(data))


def render_diffusion() -> None:
    if empty_guard():
        return
    term = st.selectbox(t("formulation", lang), chosen, key="diffusion_term")
    lvl = level if level != "all" else "city"
    result = load_diffusion(VERSION, FKEY, term, lvl)
    first = result["first"]
    if first.empty:
        st.info(t("no_data", lang))
        return
    st.markdown(t("leader_region", lang).format(region=result["leader"], date=first["first_date"].iloc[0],
                                                n=len(first), total=result["regions_with_docs"]))
    chart = charts.diffusion_chart(first, result["curve"], lang)
    st.altair_chart(chart, key="diffusion_chart")
    downloads(chart, first, "diffusion", "first_mention")
    st.dataframe(first, hide_index=True, column_config=labels(first))


def _region_options(lvl: str) -> list[str]:
    col = lvl if lvl in ("province", "city", "district") else "city"
    return sorted(regions[col].dropna().unique().tolist())


def render_keywords() -> None:
    if empty_guard():
        return
    lvl = level if level in ("province", "city", "district") else "city"
    mode = st.radio(t("mode", lang), ["ab", "rest", "groups"], horizontal=True, key="kw_mode",
                    format_func=lambda v: t(f"mode_{v}", lang))
    method = st.radio(t("method", lang), keywords.METHODS, horizontal=True, key="kw_method",
                      format_func=lambda v: t(f"method_{v}", lang))
    st.caption(t(f"explain_{method}", lang))
    c1, c2 = st.columns(2)
    top = c1.slider(t("top_n", lang), 5, 50, 15, key="kw_top")
    min_count = c2.slider(t("min_count", lang), 1, 20, 2, key="kw_min")
    options = _region_options(lvl)
    base = {k: v for k, v in mapping.items() if k not in (lvl,)}
    if mode == "groups":
        picked = st.multiselect(t("groups", lang), options, default=options[:3], key="kw_groups")
        if len(picked) < 2:
            st.info(t("no_data", lang))
            return
        specs = tuple((name, fkey_of({**base, lvl: [name]})) for name in picked)
        frame = load_groups(VERSION, specs, method, top, min_count)
        chart = alt.Chart(frame).mark_bar().encode(
            x=alt.X("score:Q", title=t("score", lang)), y=alt.Y("term:N", sort="-x", title=None),
            color=alt.Color("group:N", title=t("region", lang)), row=alt.Row("group:N", title=None),
            tooltip=["group", "term", "score", "z", "count_a", "count_b"],
        ).resolve_scale(y="independent").properties(width=500)
        st.altair_chart(chart, key="groups_chart")
        downloads(chart, frame, "keywords-groups", f"method_{method}")
        st.dataframe(frame, hide_index=True, column_config=labels(frame))
        return
    a_name = st.selectbox(t("group_a", lang), options, key="kw_a")
    spec_a = fkey_of({**base, lvl: [a_name]})
    if mode == "ab":
        b_name = st.selectbox(t("group_b", lang), options, index=min(1, len(options) - 1), key="kw_b")
        spec_b, label_b = fkey_of({**base, lvl: [b_name]}), b_name
    else:
        spec_b, label_b = None, t("mode_rest", lang).replace("A ", "")
    frame = load_compare(VERSION, spec_a, spec_b, method, top, min_count)
    if frame.empty:
        st.info(t("no_data", lang))
        return
    chart = charts.keywords_chart(frame, a_name, label_b, lang)
    st.altair_chart(chart, key="keywords_chart")
    downloads(chart, frame, "keywords", f"method_{method}")
    event = st.dataframe(frame, hide_index=True, on_select="rerun", selection_mode="single-row",
                         column_config=labels(frame),
                         key="kw_table")
    rows = event.selection.rows if event else []
    term = frame["term"].iloc[rows[0]] if rows else None
    if term:
        st.subheader(f"{t('view_contexts', lang)}: {term}")
        ca, cb = st.columns(2)
        ca.caption(a_name)
        ca.dataframe(load_kwic(VERSION, spec_a, term, 20)[["left", "match", "right", "title"]], hide_index=True)
        cb.caption(label_b)
        if spec_b:
            cb.dataframe(load_kwic(VERSION, spec_b, term, 20)[["left", "match", "right", "title"]],
                         hide_index=True)
    else:
        st.caption(t("pick_term", lang))


def render_contexts() -> None:
    if empty_guard():
        return
    c1, c2 = st.columns([3, 1])
    term = c1.text_input(t("kwic_term", lang), value=chosen[0] if chosen else "", key="kwic_term")
    width = c2.slider(t("width", lang), 10, 80, 30, key="kwic_width")
    if not term:
        return
    frame = load_kwic(VERSION, FKEY, term, width)
    if frame.empty:
        st.info(t("no_data", lang))
        return
    st.dataframe(frame, hide_index=True, column_order=["date", "city", "district", "left", "match", "right",
                                                       "title", "date_precision", "source_path"],
                 column_config={**labels(frame), "match": st.column_config.TextColumn(t("match", lang), width="small")})
    st.download_button(t("download_csv", lang), frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"tifa-kwic-{term}.csv", mime="text/csv", on_click="ignore")


def render_documents() -> None:
    docs = load_documents(VERSION, FKEY)
    if docs.empty:
        st.info(t("no_data", lang))
        return
    table = docs[["doc_id", "display_title", "date", "date_precision", "province", "city", "district",
                  "site", "quality", "duplicate_of", "source_path"]]
    event = st.dataframe(table, hide_index=True, on_select="rerun", selection_mode="single-row",
                         column_config=labels(table),
                         key="doc_table")
    wanted = st.query_params.get("doc")
    rows = event.selection.rows if event else []
    if rows:
        doc = docs.iloc[rows[0]]
    elif wanted and (docs["doc_id"] == wanted).any():
        doc = docs[docs["doc_id"] == wanted].iloc[0]
    else:
        doc = docs.iloc[0]
    st.subheader(doc["display_title"] + (" *" if doc["title_derived"] else ""))
    left, right = st.columns([3, 2])
    lexicon_ = formulations.load_lexicon()
    marks = [(s, e, "orange") for s, e, _ in formulations.find_matches(doc["text"], lexicon_)]
    marks += [(s["start"], s["end"], "red") for s in doc["corrupt_spans"]]
    left.markdown(highlight(doc["text"], marks))
    with right:
        st.markdown(f"**{t('metadata', lang)}**")
        meta = {k: doc[k] for k in ["doc_id", "source_path", "site", "channel", "origin", "published_at",
                                     "event_date", "date", "date_precision", "date_evidence", "authors",
                                     "province", "city", "district", "zone", "adcode", "region_level",
                                     "region_confidence", "quality", "duplicate_of", "formulations"]}
        st.json(json.loads(json.dumps(meta, ensure_ascii=False, default=str)), expanded=True)
        st.markdown("**officials**")
        st.json(doc["officials"], expanded=False)
        st.markdown("**region_evidence**")
        st.json(doc["region_evidence"], expanded=False)
        if doc["summary"]:
            st.markdown("**summary**")
            st.text(doc["summary"])


def render_discover() -> None:
    frame = load_discover(VERSION, FKEY)
    st.dataframe(frame, hide_index=True, column_config=labels(frame))
    if frame.empty:
        return
    with st.form("accept"):
        cand = st.selectbox(t("candidates", lang), frame["candidate"].tolist())
        c1, c2 = st.columns(2)
        kind = c1.selectbox(t("kind", lang), formulations.KINDS)
        scope = c2.selectbox(t("scope", lang), formulations.SCOPES, index=3)
        meaning = st.text_input(t("meaning", lang))
        if st.form_submit_button(t("accept", lang)):
            formulations.append_user_entry(formulations.Formulation(cand, kind=kind, scope=scope, meaning=meaning))
            n = ingest.refresh_counts(STORE)
            st.cache_data.clear()
            st.success(f"{t('accepted', lang)}{cand} ({n})")


def render_leaders() -> None:
    frame = load_leaders(VERSION, FKEY, tuple(formulation))
    if frame.empty:
        st.info(t("no_data", lang))
        return
    chart = alt.Chart(frame.head(60)).mark_bar().encode(
        x=alt.X("docs:Q", title=t("docs_mentioning", lang)),
        y=alt.Y("name:N", sort="-x", title=t("official", lang)),
        color=alt.Color("formulation:N", title=t("formulation", lang)),
        tooltip=["name", "title", "region", "formulation", "docs", "mentions", "official_docs"],
    ).properties(width=charts.WIDTH)
    st.altair_chart(chart, key="leaders_chart")
    downloads(chart, frame, "leaders", "docs_mentioning")
    st.dataframe(frame, hide_index=True, column_config=labels(frame))


RENDER = {"overview": render_overview, "trends": render_trends, "heatmap": render_heatmap, "map": render_map,
          "diffusion": render_diffusion, "keywords": render_keywords, "contexts": render_contexts,
          "documents": render_documents, "discover": render_discover, "leaders": render_leaders}
RENDER[view]()

with st.sidebar:
    st.caption(t("share_link", lang))
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - outside a server (tests): the query string alone
        url = ""
    query = "&".join(f"{k}={v}" for k, vals in URL_STATE.items() for v in (vals if isinstance(vals, list) else [vals]))
    st.code(url.split("?")[0] + ("?" + query if query else ""), language=None)
