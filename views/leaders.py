"""Leaders: officials named in documents, by the formulations of those documents, and the
officials index (one row per person: place, titles held, first and last seen, documents)."""

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
    else:
        chart = charts.leaders_chart(frame, ctx.lang)
        st.altair_chart(chart, key="leaders_chart")
        downloads(ctx, chart, frame, "leaders", "docs_mentioning")
        st.dataframe(frame, hide_index=True, column_config=labels(ctx, frame))
    people = data.officials(ctx.version, ctx.fkey)
    st.subheader(ctx.t("officials_index"))
    st.caption(ctx.t("officials_index_help").format(n=len(people)))
    st.dataframe(people, hide_index=True, column_config=labels(ctx, people))
