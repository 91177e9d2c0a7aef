"""Heatmap: region × formulation (periods summed) or region × period (one formulation or phrase),
counts on hover; a click on a region × formulation cell lists its contexts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import charts

from . import data
from .common import downloads, empty_guard, labels, phrase_actions, phrase_spinner
from .context import Context, seed

HEATMAP_COLUMNS = ["formulation", "period"]


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    c1, c2 = st.columns([2, 3])
    seed("heatmap_by", "formulation", options=HEATMAP_COLUMNS)  # ?heatmap_by=period in a shared link
    columns = c1.radio(
        ctx.t("heatmap_columns"),
        HEATMAP_COLUMNS,
        horizontal=True,
        key="heatmap_by",
        format_func=lambda v: ctx.t(f"heatmap_by_{v}"),
    )
    if columns != HEATMAP_COLUMNS[0]:
        ctx.url_state["heatmap_by"] = st.query_params["heatmap_by"] = columns
    terms = ctx.terms
    if columns == "period":  # one term: regions × periods
        terms = (c2.selectbox(ctx.t("formulation"), ctx.terms, key="heatmap_term"),)
    chosen, phrases = ctx.split(terms)
    level = ctx.level if ctx.level != "all" else "province"
    with phrase_spinner(ctx, phrases):
        frame, _ = data.counts(ctx.version, ctx.fkey, chosen, ctx.period, level, ctx.measure, phrases)
    if frame.empty:
        st.info(ctx.t("no_data"))
        return
    if columns == "period":
        chart = charts.period_heatmap_chart(frame, ctx.measure, ctx.lang, ctx.period)
    else:
        chart = charts.heatmap_chart(frame, ctx.measure, ctx.lang)
    selectable = columns == "formulation"  # a click on a region × formulation cell lists its contexts
    event = st.altair_chart(chart, key=f"heatmap_{columns}", on_select="rerun" if selectable else "ignore")
    st.caption(ctx.t("heatmap_note"))
    downloads(ctx, chart, frame, "heatmap", f"measure_{ctx.measure}")
    picked = (event.selection.get("cell") or [{}])[0] if selectable and event and event.selection else {}
    phrase_actions(ctx)
    if picked.get("formulation"):
        term = picked["formulation"].removesuffix(ctx.t("phrase_suffix"))  # a phrase's label → the phrase
        st.subheader(f"{term} · {picked.get('region', '')}")
        found = data.contexts(ctx.version, ctx.fkey, term, 30)
        if picked.get("region") and ctx.level in found:
            found = found[found[ctx.level] == picked["region"]]
        st.dataframe(found, hide_index=True, column_config=labels(ctx, found))
    table = chart.data if isinstance(chart.data, pd.DataFrame) else frame
    st.dataframe(table, hide_index=True, column_config=labels(ctx, table))
