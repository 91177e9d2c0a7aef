"""Diffusion: the origin story in one line, the first mention per region (coloured by level) over
the adoption curve, the S-curve of the units with documents, and the event-history model."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import charts, diffusion

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
        spread = data.spread(ctx.version, ctx.fkey, term, lvl, phrase)
    first = result["first"].copy()
    if first.empty:
        st.info(ctx.t("no_data"))
        return
    st.markdown("**" + diffusion.summary_line(spread["summary"], ctx.lang) + "**")
    first["first_date"] = [
        charts.format_date(d, p) for d, p in zip(first["first_date"], first["date_precision"], strict=True)
    ]
    chart = charts.diffusion_chart(result["first"], result["curve"], ctx.lang)
    st.altair_chart(chart, key="diffusion_chart")
    downloads(ctx, chart, first, "diffusion", "first_mention")
    phrase_actions(ctx, (term,))
    st.dataframe(first, hide_index=True, column_config=labels(ctx, first))

    _map_replay(ctx, term, lvl, phrase)
    curve = spread["curve"]
    if len(curve):
        st.subheader(ctx.t("diffusion_curve"))
        curve_chart = charts.adoption_curve_chart(curve, ctx.lang)
        st.altair_chart(curve_chart, key="diffusion_curve")
        bass = curve.attrs.get("bass", {})
        denominator = ctx.t("units_with_documents") + f" = {int(curve['units'].iloc[-1])}"
        fitted = ctx.t("bass_fit").format(**bass) if bass.get("fitted") else bass.get("note", "")
        st.caption(f"{denominator} · {fitted}")
        downloads(ctx, curve_chart, curve, "diffusion-curve", "share_adopted", title=ctx.t("diffusion_curve"))
    st.subheader(ctx.t("diffusion_model"))
    model = spread["model"]
    st.caption(
        f"n_units = {model['n_units']} · n_events = {model['n_events']} · n_unit_periods = {model['n_unit_periods']}"
    )
    if model["terms"]:
        st.dataframe(pd.DataFrame(model["terms"]), hide_index=True)
    for note in spread["summary"]["notes"] + model["notes"]:
        st.caption("· " + note)
    st.info(ctx.t("diffusion_caveat"))


def _map_replay(ctx: Context, term: str, level: str, phrase: bool) -> None:
    """The map of first use up to a chosen year (the map view's replay, for this term)."""
    info = ctx.info
    if not info["first"]:
        return
    years = [str(y) for y in range(int(str(info["first"])[:4]), int(str(info["last"])[:4]) + 1)]
    until = st.select_slider(ctx.t("map_until"), options=years, value=years[-1], key="diffusion_until")
    chosen, phrases = ((), (term,)) if phrase else ((term,), ())
    frame = data.map_data(ctx.version, ctx.fkey, chosen, level if level != "all" else "city", f"{until}-12-31",
                          phrases)
    if len(frame):
        st.altair_chart(charts.map_chart(frame, ctx.measure, ctx.lang, "first_year"), key="diffusion_map")
