"""Keyword in context: every occurrence of a term with its left and right context."""

from __future__ import annotations

import streamlit as st

from analytics import charts

from . import data
from .common import empty_guard, labels
from .context import Context


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    c1, c2 = st.columns([3, 1])
    term = c1.text_input(ctx.t("kwic_term"), value=ctx.terms[0] if ctx.terms else "", key="kwic_term")
    width = c2.slider(ctx.t("width"), 10, 80, 30, key="kwic_width")
    if not term:
        return
    frame = data.contexts(ctx.version, ctx.fkey, term, width)
    if frame.empty:
        st.info(ctx.t("no_data"))
        return
    frame = frame.assign(
        region=frame["doc_id"].map(data.region_labels(ctx.version)),
        # a date known to the year (or month) only is shown as such, never as its 1 January
        date=[charts.format_date(d, p) for d, p in zip(frame["date"], frame["date_precision"], strict=True)],
    )
    st.dataframe(
        frame,
        hide_index=True,
        column_order=["date", "region", "left", "match", "right", "title", "date_precision", "source_path"],
        column_config={**labels(ctx, frame), "match": st.column_config.TextColumn(ctx.t("match"), width="small")},
    )
    st.download_button(
        ctx.t("download_csv"),
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"tifa-kwic-{term}.csv",
        mime="text/csv",
        on_click="ignore",
    )
