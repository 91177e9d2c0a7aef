"""Small UI helpers shared by the views: downloads with the caption, translated headers."""

from __future__ import annotations

import contextlib

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


def phrase_actions(ctx: Context, shown: tuple[str, ...] = ()) -> None:
    """Under a chart of ad-hoc phrases: say how they are counted, and one click adds each to the
    user lexicon (then the store is recounted and the phrase becomes a formulation)."""
    from analytics import formulations, ingest

    from . import data

    phrases = [p for p in (shown or ctx.phrases) if p in ctx.phrases]
    if not phrases:
        return
    st.caption(ctx.t("phrase_note").format(phrases="、".join(phrases)))
    cols = st.columns(min(len(phrases), 4))
    for i, phrase in enumerate(phrases):
        if cols[i % len(cols)].button(ctx.t("add_to_lexicon").format(phrase=phrase), key=f"add-{phrase}"):
            try:
                path = formulations.append_user_entry(formulations.Formulation(phrase))
            except ValueError as exc:  # an invalid term, or a user lexicon that does not parse
                st.error(str(exc))
                continue
            n = ingest.refresh_counts(data.store_path())
            st.cache_data.clear()
            chosen = [v for v in st.session_state.get("formulation", []) if v != phrase]
            st.session_state["formulation"] = [*chosen, phrase]
            st.success(ctx.t("added_to_lexicon").format(phrase=phrase, path=path, n=n))
            st.rerun()


def phrase_spinner(ctx: Context, phrases) -> contextlib.AbstractContextManager:
    """A spinner while typed phrases are counted on the stored text (seconds at a million documents)."""
    return st.spinner(ctx.t("counting_phrases")) if phrases else contextlib.nullcontext()
