"""Small UI helpers shared by the views: downloads with the caption, translated headers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import charts

from .context import Context


def downloads(ctx: Context, chart, frame: pd.DataFrame, name: str, measure_key: str, title: str = "") -> None:
    """PNG, SVG and Vega-Lite JSON of the chart (title and caption inside), and its data as CSV."""
    cap = ctx.caption(measure_key)
    title = title or ctx.t(f"view_{name.split('-')[0]}")
    cols = st.columns(4)
    for col, fmt, mime in (
        (cols[0], "png", "image/png"),
        (cols[1], "svg", "image/svg+xml"),
        (cols[2], "vl.json", "application/json"),
    ):
        col.download_button(
            ctx.t(f"download_{fmt.replace('.', '_')}"),
            data=lambda fmt=fmt: charts.export(chart, fmt, cap, title=title),
            file_name=f"tifa-{name}.{fmt}",
            mime=mime,
            key=f"{fmt}-{name}",
            on_click="ignore",
        )
    cols[3].download_button(
        ctx.t("download_csv"),
        data=frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"tifa-{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
    )
    st.caption(cap)


def labels(ctx: Context, frame: pd.DataFrame) -> dict[str, str]:
    """Column headers in the chosen language (the data keeps its documented names)."""
    return {c: ctx.t(f"col_{c}") for c in frame.columns if ctx.t(f"col_{c}") != f"col_{c}"}


def empty_guard(ctx: Context) -> bool:
    if not ctx.info["documents"]:
        st.info(ctx.t("no_data"))
        return True
    return False
