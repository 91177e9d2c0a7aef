"""Map: one bubble per region; a click filters every other view to the region."""

from __future__ import annotations

import streamlit as st

from analytics import charts

from . import data
from .common import downloads, empty_guard, labels, phrase_actions, phrase_spinner
from .context import Context


def render(ctx: Context) -> None:
    if empty_guard(ctx):
        return
    info = ctx.info
    lvl = ctx.level if ctx.level in ("province", "city", "district") else "city"
    c1, c2 = st.columns(2)
    colour_by = c1.radio(
        ctx.t("map_colour"),
        ["measure", "first_year"],
        horizontal=True,
        key="map_colour",
        format_func=lambda v: ctx.t(f"map_colour_{v}"),
    )
    years = []
    if info["first"]:
        years = [str(y) for y in range(int(str(info["first"])[:4]), int(str(info["last"])[:4]) + 1)]
    until_year = None
    if len(years) > 1:
        until_year = c2.select_slider(ctx.t("map_until"), options=years, value=years[-1], key="map_until")
    with phrase_spinner(ctx, ctx.phrases):
        frame = data.map_data(
            ctx.version, ctx.fkey, ctx.chosen, lvl, f"{until_year}-12-31" if until_year else None, ctx.phrases
        )
    if frame.empty:
        st.info(ctx.t("no_data"))
        return
    chart = charts.map_chart(frame, ctx.measure, ctx.lang, colour_by)
    event = st.altair_chart(chart, key="map_chart", on_select="rerun")
    st.caption(ctx.t("map_note"))
    picked = (event.selection.get("region_pick") or [{}])[0] if event and event.selection else {}
    if picked.get("region") and lvl in ("province", "city", "district"):
        st.session_state[lvl] = [picked["region"]]  # filter every other view to the clicked region
        st.rerun()
    downloads(ctx, chart, frame, "map", f"measure_{ctx.measure}")
    phrase_actions(ctx)
    st.dataframe(frame, hide_index=True, column_config=labels(ctx, frame))
