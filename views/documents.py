"""Documents: the filtered list, and one document read with its formulations highlighted."""

from __future__ import annotations

import json

import streamlit as st

from analytics import charts, corpus_places, formulations, overview
from analytics.markup import highlight

from . import data
from .common import labels
from .context import Context


def render(ctx: Context) -> None:
    docs = data.documents(ctx.version, ctx.fkey)
    if docs.empty:
        st.info(ctx.t("no_data"))
        return
    docs = docs.copy()
    docs["region"] = overview.region_labels(docs)
    docs["shown_date"] = [charts.format_date(d, p) for d, p in zip(docs["date"], docs["date_precision"], strict=True)]
    table = docs[
        [
            "doc_id",
            "display_title",
            "shown_date",
            "date_precision",
            "region",
            "site",
            "quality",
            "duplicate_of",
            "source_path",
        ]
    ].rename(columns={"shown_date": "date"})
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config=labels(ctx, table),
        key="doc_table",
    )
    wanted = st.query_params.get("doc")
    rows = event.selection.rows if event else []
    if rows:
        doc = docs.iloc[rows[0]]
    elif wanted and (docs["doc_id"] == wanted).any():
        doc = docs[docs["doc_id"] == wanted].iloc[0]
    else:
        doc = docs.iloc[0]
    st.subheader(doc["display_title"] + (" *" if doc["title_derived"] else ""))
    left, right = st.columns([3, 2])
    lexicon = formulations.load_lexicon()
    marks = [(s, e, "orange") for s, e, _ in formulations.find_matches(doc["text"], lexicon)]
    marks += [(s["start"], s["end"], "red") for s in doc["corrupt_spans"]]
    left.markdown(highlight(doc["text"], marks))
    with right:
        inferred = corpus_places.explain(doc["region_evidence"], ctx.lang)
        if inferred:
            st.info(inferred)
        st.markdown(f"**{ctx.t('metadata')}**")
        meta = {
            k: doc[k]
            for k in [
                "doc_id",
                "source_path",
                "site",
                "channel",
                "origin",
                "published_at",
                "event_date",
                "date",
                "date_precision",
                "date_evidence",
                "authors",
                "region",
                "province",
                "city",
                "district",
                "zone",
                "adcode",
                "region_level",
                "region_confidence",
                "quality",
                "duplicate_of",
                "formulations",
            ]
        }
        st.json(json.loads(json.dumps(meta, ensure_ascii=False, default=str)), expanded=True)
        st.markdown("**officials**")
        st.json(doc["officials"], expanded=False)
        st.markdown("**region_evidence**")
        st.json(doc["region_evidence"], expanded=False)
        if doc["summary"]:
            st.markdown("**summary**")
            st.text(doc["summary"])
