"""Heatmap: region × formulation, counts on hover; a click lists the contexts of the cell."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import charts

from . import data
from .common import downloads, empty_guard, labels, phrase_actions
from .context import Context


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    frame, _ = data.counts(ctx.version, ctx.fkey, ctx.chosen, ctx.period, ctx.level, ctx.measure, ctx.phrases)
    if frame.empty:
        st.info(ctx.t("no_data"))
        return
    chart = charts.heatmap_chart(frame, ctx.measure, ctx.lang)
    event = st.altair_chart(chart, key="heatmap_chart", on_select="rerun")
    st.caption(ctx.t("heatmap_note"))
    downloads(ctx, chart, frame, "heatmap", f"measure_{ctx.measure}")
    picked = (event.selection.get("cell") or [{}])[0] if event and event.selection else {}
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
