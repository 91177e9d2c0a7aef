"""Landing view: documents over time, the formulations most used, a small map, data quality."""

from __future__ import annotations

import streamlit as st

from analytics import charts

from . import data
from .common import labels
from .context import Context


def render(ctx: Context) -> None:
    info = ctx.info
    cols = st.columns(5)
    cols[0].metric(ctx.t("documents"), info["documents"])
    cols[1].metric(ctx.t("duplicates"), info["duplicates"])
    cols[2].metric(ctx.t("regions"), info["regions"])
    first, last = (str(info["first"])[:4], str(info["last"])[:4]) if info["first"] else ("", "")
    cols[3].metric(
        ctx.t("date_span"),
        f"{first}–{last}" if first else "—",
        help=f"{info['first']} – {info['last']}" if first else None,
    )
    cols[4].metric(ctx.t("sites"), info["sites"])
    if not info["documents"]:
        st.info(ctx.t("no_data"))
        return
    left, right = st.columns([3, 2])
    with left:
        by = st.radio(
            ctx.t("split_by"),
            ["level", "precision"],
            horizontal=True,
            key="ov_by",
            format_func=lambda v: ctx.t(f"by_{v}"),
        )
        st.altair_chart(
            charts.documents_over_time(data.by_year(ctx.version, ctx.fkey, by), ctx.lang, by), key="overview_docs"
        )
        top = data.top_formulations(ctx.version, ctx.fkey, 12)
        if len(top):
            st.altair_chart(charts.top_formulations_chart(top, ctx.lang, 12), key="overview_top")
    with right:
        chosen = tuple(top["formulation"].head(1)) if len(top) else ctx.chosen
        frame = data.map_data(ctx.version, ctx.fkey, chosen, "province", None)
        if len(frame):
            st.markdown(f"**{ctx.t('map_of')} {' · '.join(chosen)}**")
            st.altair_chart(charts.map_chart(frame, ctx.measure, ctx.lang, width=420, height=340), key="overview_map")
        st.subheader(ctx.t("data_quality"))
        n = max(info["documents"], 1)
        for issue, key in (
            ("undated", "dq_undated"),
            ("inferred", "dq_inferred"),
            ("ambiguous", "dq_ambiguous"),
            ("corrupt", "dq_corrupt"),
        ):
            with st.expander(f"{ctx.t(key)}: {info[issue]} / {info['documents']} ({info[issue] / n:.0%})"):
                table = data.quality(ctx.version, ctx.fkey, issue)
                table["open"] = "?tab=documents&doc=" + table["doc_id"]
                st.dataframe(
                    table,
                    hide_index=True,
                    column_config={
                        **labels(ctx, table),
                        "open": st.column_config.LinkColumn(ctx.t("open"), display_text=ctx.t("open")),
                    },
                )
        with st.expander(f"{ctx.t('dq_quarantined')}: {info['quarantined']}"):
            st.dataframe(data.quarantine(ctx.version), hide_index=True)
