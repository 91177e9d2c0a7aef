"""Diffusion: the first mention per region on a year axis, and the adoption curve."""

from __future__ import annotations

import streamlit as st

from analytics import charts

from . import data
from .common import downloads, empty_guard, labels, phrase_actions, phrase_spinner
from .context import Context


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    term = st.selectbox(ctx.t("formulation"), ctx.terms, key="diffusion_term")
    lvl = ctx.level if ctx.level != "all" else "city"
    phrase = term in ctx.phrases
    with phrase_spinner(ctx, [term] if phrase else []):
        result = data.diffusion(ctx.version, ctx.fkey, term, lvl, phrase)
    first = result["first"].copy()
    if first.empty:
        st.info(ctx.t("no_data"))
        return
    first["first_date"] = [
        charts.format_date(d, p) for d, p in zip(first["first_date"], first["date_precision"], strict=True)
    ]
    st.markdown(
        ctx.t("leader_region").format(
            region=result["leader"], date=first["first_date"].iloc[0], n=len(first), total=result["regions_with_docs"]
        )
    )
    chart = charts.diffusion_chart(result["first"], result["curve"], ctx.lang)
    st.altair_chart(chart, key="diffusion_chart")
    downloads(ctx, chart, first, "diffusion", "first_mention")
    phrase_actions(ctx, (term,))
    st.dataframe(first, hide_index=True, column_config=labels(ctx, first))
