"""Leaders: officials named in documents, by the formulations of those documents."""

from __future__ import annotations

import streamlit as st

from analytics import charts

from . import data
from .common import downloads, labels
from .context import Context


def render(ctx: Context) -> None:
    frame = data.leaders(ctx.version, ctx.fkey, ctx.chosen)
    if frame.empty:
        st.info(ctx.t("no_data"))
        return
    chart = charts.leaders_chart(frame, ctx.lang)
    st.altair_chart(chart, key="leaders_chart")
    downloads(ctx, chart, frame, "leaders", "docs_mentioning")
    st.dataframe(frame, hide_index=True, column_config=labels(ctx, frame))
