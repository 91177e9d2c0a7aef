"""Discover: candidate formulations not in the lexicon yet; accept one into the user lexicon."""

from __future__ import annotations

import streamlit as st

from analytics import formulations, ingest

from . import data
from .common import labels
from .context import Context


def render(ctx: Context) -> None:
    frame = data.candidates(ctx.version, ctx.fkey)
    st.dataframe(frame, hide_index=True, column_config=labels(ctx, frame))
    if frame.empty:
        return
    with st.form("accept"):
        cand = st.selectbox(ctx.t("candidates"), frame["candidate"].tolist())
        c1, c2 = st.columns(2)
        kind = c1.selectbox(ctx.t("kind"), formulations.KINDS)
        scope = c2.selectbox(ctx.t("scope"), formulations.SCOPES, index=3)
        meaning = st.text_input(ctx.t("meaning"))
        if st.form_submit_button(ctx.t("accept")):
            formulations.append_user_entry(formulations.Formulation(cand, kind=kind, scope=scope, meaning=meaning))
            n = ingest.refresh_counts(data.store_path())
            st.cache_data.clear()
            st.success(f"{ctx.t('accepted')}{cand} ({n})")
