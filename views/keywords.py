"""Keywords: terms that set one group apart from another, ranked by effect among the
significant ones (or by z), both shown; a row opens the term's contexts in both groups."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics import charts, keywords

from . import data
from .common import downloads, empty_guard, labels
from .context import Context

MODES = ["periods", "ab", "rest", "groups"]


def _years(ctx: Context) -> list[int]:
    info = ctx.info
    if not info["first"]:
        return []
    return list(range(int(str(info["first"])[:4]), int(str(info["last"])[:4]) + 1))


def _ranking(ctx: Context) -> tuple[str, keywords.Ranking]:
    c1, c2, c3, c4 = st.columns(4)
    method = c1.radio(
        ctx.t("method"), keywords.METHODS, horizontal=True, key="kw_method", format_func=lambda v: ctx.t(f"method_{v}")
    )
    rank = c2.radio(
        ctx.t("rank"),
        keywords.RANKS,
        horizontal=True,
        key="kw_rank",
        format_func=lambda v: ctx.t(f"rank_{v}"),
        disabled=method != "logodds",
    )
    correction = c3.radio(
        ctx.t("correction"),
        keywords.CORRECTIONS,
        horizontal=True,
        key="kw_correction",
        format_func=lambda v: ctx.t(f"correction_{v}"),
    )
    hide = c4.toggle(ctx.t("hide_names"), key="kw_hide_names")
    st.caption(
        ctx.t(f"explain_{method}")
        + " "
        + ctx.t(f"explain_rank_{rank}").format(
            alpha=keywords.DEFAULT_ALPHA, correction=ctx.t(f"correction_{correction}")
        )
    )
    return method, keywords.Ranking(rank=rank, correction=correction, hide_names=hide)


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    lvl = ctx.level if ctx.level in ("province", "city", "district") else "city"
    mode = st.radio(ctx.t("mode"), MODES, horizontal=True, key="kw_mode", format_func=lambda v: ctx.t(f"mode_{v}"))
    method, ranking = _ranking(ctx)
    c1, c2 = st.columns(2)
    top = c1.slider(ctx.t("top_n"), 5, 50, 15, key="kw_top")
    min_count = c2.slider(ctx.t("min_count"), 1, 50, 5, key="kw_min")
    options = sorted(ctx.regions[lvl].dropna().unique().tolist()) if lvl in ctx.regions else []
    base = {k: v for k, v in ctx.mapping.items() if k != lvl}
    if mode == "groups":
        picked = st.multiselect(ctx.t("groups"), options, default=options[:3], key="kw_groups")
        if len(picked) < 2:
            st.info(ctx.t("no_data"))
            return
        specs = tuple((name, data.fkey_of({**base, lvl: [name]})) for name in picked)
        try:
            frame = data.groups(ctx.version, specs, method, top, min_count, ranking)
        except keywords.EmptyGroupError as exc:  # no statistics on nothing: say which side is too small
            st.warning(exc.text(ctx.lang))
            return
        if frame.empty:
            st.info(ctx.t("kw_empty_groups").format(n=len(picked), hint=ctx.t("kw_empty_hint")))
            return
        chart = charts.groups_chart(frame, ctx.lang)
        st.altair_chart(chart, key="groups_chart")
        downloads(ctx, chart, frame, "keywords-groups", f"method_{method}")
        st.dataframe(frame, hide_index=True, column_config=labels(ctx, frame))
        return
    if mode == "periods":
        years = _years(ctx)
        if len(years) < 2:
            st.info(ctx.t("no_data"))
            return
        mid = years[len(years) // 2]
        a_default = (max(years[0], min(2018, years[-1])), years[-1]) if years[-1] >= 2018 else (mid, years[-1])
        b_default = (years[0], min(2005, a_default[0] - 1)) if years[0] <= 2005 else (years[0], max(years[0], mid - 1))
        ca, cb = st.columns(2)
        ya = ca.select_slider(ctx.t("group_a"), options=years, value=a_default, key="kw_years_a")
        yb = cb.select_slider(ctx.t("group_b"), options=years, value=b_default, key="kw_years_b")
        spec_a = data.fkey_of({**ctx.mapping, "since": date(ya[0], 1, 1), "until": date(ya[1], 12, 31)})
        spec_b = data.fkey_of({**ctx.mapping, "since": date(yb[0], 1, 1), "until": date(yb[1], 12, 31)})
        a_name, label_b = f"{ya[0]}–{ya[1]}", f"{yb[0]}–{yb[1]}"
    else:
        a_name = st.selectbox(ctx.t("group_a"), options, key="kw_a")
        spec_a = data.fkey_of({**base, lvl: [a_name]})
        if mode == "ab":
            b_name = st.selectbox(ctx.t("group_b"), options, index=min(1, len(options) - 1), key="kw_b")
            spec_b, label_b = data.fkey_of({**base, lvl: [b_name]}), b_name
        else:
            spec_b, label_b = None, ctx.t("mode_rest").replace("A ", "")
    try:
        frame = data.compare(ctx.version, spec_a, spec_b, method, top, min_count, ranking, (a_name, label_b))
    except keywords.EmptyGroupError as exc:  # no statistics on nothing: say which side is too small
        st.warning(exc.text(ctx.lang))
        return
    st.caption(
        ctx.t("kw_counts").format(
            compared=frame.attrs.get("compared", 0),
            significant=frame.attrs.get("significant", 0),
            docs_a=frame.attrs.get("docs_a", 0),
            docs_b=frame.attrs.get("docs_b", 0),
        )
    )
    if frame.empty:
        st.info(keywords.empty_note(frame, min_count, ctx.lang, "kw_empty_hint"))
        return
    chart = charts.keywords_chart(frame, a_name, label_b, ctx.lang)
    st.altair_chart(chart, key="keywords_chart")
    downloads(ctx, chart, frame, "keywords", f"rank_{ranking.rank}" if method == "logodds" else f"method_{method}")
    event = st.dataframe(
        frame,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config=labels(ctx, frame),
        key="kw_table",
    )
    rows = event.selection.rows if event else []
    term = frame["term"].iloc[rows[0]] if rows else None
    if not term:
        st.caption(ctx.t("pick_term"))
        return
    st.subheader(f"{ctx.t('view_contexts')}: {term}")
    ca, cb = st.columns(2)
    ca.caption(a_name)
    ca.dataframe(data.contexts(ctx.version, spec_a, term, 20)[["left", "match", "right", "title"]], hide_index=True)
    cb.caption(label_b)
    if spec_b:
        cb.dataframe(data.contexts(ctx.version, spec_b, term, 20)[["left", "match", "right", "title"]], hide_index=True)
