"""Chart builders (pure: DataFrame in, Altair chart out) shared by the dashboard and the CLI.

``export`` renders a chart to PNG or SVG on the server with vl-convert and a bundled CJK font
(Noto Sans CJK SC from the ``mplfonts`` package), so exports show real glyphs on machines
without system CJK fonts. Every exported chart carries a caption (filters, measure and
denominator, data version).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from .i18n import t

FONT = "Noto Sans CJK SC"
WIDTH = 640
HEIGHT = 320


@lru_cache(maxsize=1)
def font_directory() -> Path:
    """Folder of the bundled CJK fonts (registered with vl-convert once)."""
    import mplfonts
    import vl_convert as vlc

    folder = Path(mplfonts.__file__).parent / "fonts"
    vlc.register_font_directory(str(folder))
    return folder


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT).configure_legend(
        labelFont=FONT, titleFont=FONT
    ).configure_title(font=FONT, anchor="start")


def _measure_title(measure: str, lang: str) -> str:
    return t({"share": "measure_share", "per10k": "measure_per10k", "count": "measure_count"}[measure], lang)


def _count_tooltips(lang: str, value_title: str, formulation: bool = True) -> list:
    """Region, formulation, the count with its denominator, and the measure."""
    tips = [alt.Tooltip("region:N", title=t("region", lang))]
    if formulation:
        tips.append(alt.Tooltip("formulation:N", title=t("formulation", lang)))
    return [*tips,
            alt.Tooltip("docs_mentioning:Q", title=t("docs_mentioning", lang)),
            alt.Tooltip("docs:Q", title=t("docs_denominator", lang)),
            alt.Tooltip("mentions:Q", title=t("mentions", lang)),
            alt.Tooltip("value:Q", title=value_title, format=".3f")]


def trend_chart(frame: pd.DataFrame, measure: str = "share", color: str = "formulation",
                lang: str = "zh", smooth: bool = False) -> alt.Chart:
    """Lines over periods; a Wilson band for shares; hollow points flag small samples."""
    data = frame.copy()
    data["sample"] = data["small_sample"].map(
        {True: t("small_sample", lang), False: t("adequate_sample", lang)})
    y_title = _measure_title(measure, lang)
    colour = alt.Color(f"{color}:N", title=t(color, lang))
    base = alt.Chart(data).encode(
        x=alt.X("period:O", title=t("period", lang), sort="ascending", axis=alt.Axis(labelAngle=0)),
    )
    tooltip = [alt.Tooltip("period:O", title=t("period", lang)), *_count_tooltips(lang, y_title),
               alt.Tooltip("chars:Q", title=t("chars_denominator", lang)),
               alt.Tooltip("sample:N", title=t("sample", lang))]
    detail = ["region:N", "formulation:N"]
    y = alt.Y("value:Q", title=y_title)
    line = base.mark_line(interpolate="monotone" if smooth else "linear").encode(
        y=y, detail=detail, color=colour)
    # filled points: enough documents; hollow points: fewer than MIN_DOCS (a rate not to read)
    solid = base.mark_point(size=80, filled=True, opacity=1).encode(
        y=y, detail=detail, tooltip=tooltip, color=colour).transform_filter("!datum.small_sample")
    hollow = base.mark_point(size=80, filled=False, strokeWidth=2, opacity=1).encode(
        y=y, detail=detail, tooltip=tooltip, color=colour).transform_filter("datum.small_sample")
    layers = [line, solid, hollow]
    if measure == "share":
        band = base.mark_area(opacity=0.12).encode(
            y="share_lo:Q", y2="share_hi:Q", detail=detail, color=colour)
        layers.insert(0, band)
    return alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)


def heatmap_chart(frame: pd.DataFrame, measure: str = "share", lang: str = "zh") -> alt.Chart:
    """Formulation × region, aggregated over periods (value recomputed from the sums)."""
    agg = frame.groupby(["formulation", "region"], as_index=False)[
        ["docs_mentioning", "mentions", "docs", "chars"]].sum()
    from .trends import add_measures

    agg = add_measures(agg, measure)
    sel = alt.selection_point(fields=["formulation", "region"], name="cell")
    return alt.Chart(agg).mark_rect().encode(
        x=alt.X("region:N", title=t("region", lang), sort="-color"),
        y=alt.Y("formulation:N", title=t("formulation", lang), sort="-x"),
        color=alt.Color("value:Q", title=_measure_title(measure, lang), scale=alt.Scale(scheme="orangered")),
        opacity=alt.condition("datum.small_sample", alt.value(0.55), alt.value(1.0)),
        tooltip=_count_tooltips(lang, _measure_title(measure, lang)),
    ).add_params(sel).properties(width=WIDTH, height=max(120, 22 * agg["formulation"].nunique()))


def diffusion_chart(first: pd.DataFrame, curve: pd.DataFrame, lang: str = "zh") -> alt.VConcatChart:
    """First mention per region on a timeline, over the adoption curve."""
    data = first.copy()
    data["first_date"] = pd.to_datetime(data["first_date"])
    data["inferred"] = data["date_precision"].eq("inferred").map(
        {True: t("date_inferred", lang), False: t("date_read", lang)})
    timeline = alt.Chart(data).mark_point(size=90, filled=True).encode(
        x=alt.X("first_date:T", title=t("first_mention", lang)),
        y=alt.Y("region:N", title=t("region", lang), sort=alt.EncodingSortField("first_date")),
        shape=alt.Shape("inferred:N", title=t("date", lang)),
        tooltip=[alt.Tooltip("region:N", title=t("region", lang)),
                 alt.Tooltip("first_date:T", title=t("first_mention", lang)),
                 alt.Tooltip("title:N", title=t("title", lang)),
                 alt.Tooltip("inferred:N", title=t("date", lang)),
                 alt.Tooltip("docs:Q", title=t("docs_mentioning", lang))],
    ).properties(width=WIDTH, height=max(100, 24 * len(data)))
    cdata = curve.copy()
    cdata["date"] = pd.to_datetime(cdata["date"])
    adoption = alt.Chart(cdata).mark_line(interpolate="step-after", point=True).encode(
        x=alt.X("date:T", title=t("date", lang)),
        y=alt.Y("regions:Q", title=t("regions_adopted", lang)),
        tooltip=[alt.Tooltip("date:T", title=t("date", lang)),
                 alt.Tooltip("regions:Q", title=t("regions_adopted", lang))],
    ).properties(width=WIDTH, height=160)
    return alt.vconcat(timeline, adoption)


def keywords_chart(frame: pd.DataFrame, label_a: str, label_b: str, lang: str = "zh") -> alt.Chart:
    """Diverging bars: positive scores favour A (right), negative favour B (left)."""
    data = frame.copy()
    data["side"] = data["score"].gt(0).map({True: label_a, False: label_b})
    tooltip = [alt.Tooltip("term:N", title=t("term", lang)),
               alt.Tooltip("score:Q", title=t("score", lang), format=".3f"),
               alt.Tooltip("count_a:Q", title=f"{t('count', lang)} A"),
               alt.Tooltip("count_b:Q", title=f"{t('count', lang)} B"),
               alt.Tooltip("per10k_a:Q", title="A /10k", format=".1f"),
               alt.Tooltip("per10k_b:Q", title="B /10k", format=".1f")]
    if "z" in data and data["z"].notna().any():
        tooltip.insert(2, alt.Tooltip("z:Q", title="z", format=".2f"))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("score:Q", title=t("score", lang)),
        y=alt.Y("term:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160)),
        color=alt.Color("side:N", title=None, scale=alt.Scale(domain=[label_a, label_b],
                                                              range=["#c0392b", "#2471a3"])),
        tooltip=tooltip,
    ).properties(width=WIDTH, height=max(160, 20 * len(data)))


def map_chart(frame: pd.DataFrame, measure: str = "share", lang: str = "zh", colour_by: str = "measure"):
    """One bubble per region: size = documents mentioning, colour = the measure (or the first
    mention's year); regions with documents but no mention are empty rings."""
    data = frame.dropna(subset=["lon", "lat"]).copy()
    data["first_year"] = pd.to_datetime(data["first_date"]).dt.year
    used = data[data["docs_mentioning"] > 0]
    unused = data[data["docs_mentioning"] == 0]
    tooltip = [*_count_tooltips(lang, _measure_title(measure, lang), formulation=False),
               alt.Tooltip("first_date:T", title=t("first_mention", lang)),
               alt.Tooltip("coords:N", title=t("coords", lang))]
    select = alt.selection_point(fields=["region"], name="region_pick")
    if colour_by == "first_year":
        colour = alt.Color("first_year:O", title=t("first_mention", lang), scale=alt.Scale(scheme="viridis"))
    else:
        colour = alt.Color("value:Q", title=_measure_title(measure, lang), scale=alt.Scale(scheme="orangered"))
    bubbles = alt.Chart(used).mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5).encode(
        longitude="lon:Q", latitude="lat:Q",
        size=alt.Size("docs_mentioning:Q", title=t("docs_mentioning", lang), scale=alt.Scale(range=[60, 1200]),
                      legend=alt.Legend(values=sorted(used["docs_mentioning"].unique().tolist())[-5:])),
        color=colour, tooltip=tooltip,
    ).add_params(select)
    rings = alt.Chart(unused).mark_point(shape="circle", filled=False, size=80, color="#888", strokeWidth=1.5).encode(
        longitude="lon:Q", latitude="lat:Q", tooltip=tooltip)
    labels = alt.Chart(data).mark_text(dy=-12, fontSize=10, color="#333").encode(
        longitude="lon:Q", latitude="lat:Q", text="region:N")
    backdrop = alt.Chart(_backdrop()).mark_circle(size=4, color="#d5d8dc", opacity=0.7).encode(
        longitude="lon:Q", latitude="lat:Q")
    return alt.layer(backdrop, rings, bubbles, labels).project(type="mercator").properties(
        width=WIDTH, height=HEIGHT + 180)


@lru_cache(maxsize=1)
def _backdrop() -> pd.DataFrame:
    """Every county-level unit's point from the division table: the country's shape, no outlines."""
    from .regions import divisions

    units = divisions().units.values()
    return pd.DataFrame([(u.lon, u.lat) for u in units if u.level == "district" and u.lon is not None],
                        columns=["lon", "lat"])


def with_caption(chart, caption: str):
    """Put the caption under the chart (as a title at the bottom, wrapped in lines)."""
    lines = [caption[i : i + 90] for i in range(0, len(caption), 90)] or [""]
    return chart.properties(title=alt.TitleParams(lines, orient="bottom", fontSize=10, color="#555"))


def export(chart, fmt: str, caption: str | None = None, scale: float = 2.0) -> bytes:
    """PNG or SVG bytes rendered by vl-convert with the bundled CJK font."""
    import vl_convert as vlc

    font_directory()
    if caption:
        chart = with_caption(chart, caption)
    spec = _config(chart).to_dict()
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale)
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    raise ValueError("format must be png or svg")


def caption_text(filters_text: str, measure_text: str, n_docs: int, store_date: str, lang: str = "zh") -> str:
    return t("caption", lang).format(filters=filters_text or t("no_filters", lang), measure=measure_text,
                                     docs=n_docs, date=store_date)
