"""Trends: one line per formulation (the chosen regions summed) or per region (one formulation)."""

from __future__ import annotations

import streamlit as st

from analytics import charts

from . import data
from .common import downloads, empty_guard, labels, phrase_actions, phrase_spinner
from .context import Context


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    c1, c2, c3 = st.columns([2, 2, 1])
    color = c1.radio(ctx.t("color_by"), ["formulation", "region"], horizontal=True, key="color", format_func=ctx.t)
    if color == "region":
        term = c2.selectbox(ctx.t("formulation"), ctx.terms, key="trend_term")
        terms, level = (term,), ctx.level if ctx.level != "all" else "province"
    else:
        terms, level = ctx.terms, "all"  # regions aggregated: the denominators summed
    chosen, phrases = ctx.split(terms)
    smooth = c3.checkbox(ctx.t("smooth"), key="smooth")
    with phrase_spinner(ctx, phrases):
        frame, undated = data.counts(ctx.version, ctx.fkey, chosen, ctx.period, level, ctx.measure, phrases)
    if frame.empty:
        st.info(ctx.t("no_data"))
        return
    chart = charts.trend_chart(frame, ctx.measure, color=color, lang=ctx.lang, smooth=smooth, period=ctx.period)
    st.altair_chart(chart, key="trend_chart")
    notes = [ctx.t("small_sample_note")]
    if smooth:
        notes.append(ctx.t("smooth_note").format(n=3))
    if color == "region" and frame["region"].nunique() > charts.FACET_OVER:
        notes.append(ctx.t("facet_note").format(n=min(frame["region"].nunique(), charts.FACET_MAX)))
    if undated:
        notes.append(ctx.t("undated_note").format(n=undated))
    st.caption(" ".join(notes))
    downloads(ctx, chart, frame, "trends", f"measure_{ctx.measure}")
    phrase_actions(ctx, phrases)
    st.dataframe(frame, hide_index=True, column_config=labels(ctx, frame))
