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
    """Fonts and sizes readable at 1 200 × 675 and at A4 width (the PNG is rendered at 2×)."""
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=13)
        .configure_legend(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12)
        .configure_header(labelFont=FONT, titleFont=FONT, labelFontSize=12)
        .configure_title(font=FONT, anchor="start", fontSize=16, subtitleFontSize=11, subtitleColor="#555")
    )


def _measure_title(measure: str, lang: str) -> str:
    return t({"share": "measure_share", "per10k": "measure_per10k", "count": "measure_count"}[measure], lang)


def _count_tooltips(lang: str, value_title: str, formulation: bool = True) -> list:
    """Region, formulation, the count with its denominator, and the measure."""
    tips = [alt.Tooltip("region:N", title=t("region", lang))]
    if formulation:
        tips.append(alt.Tooltip("formulation:N", title=t("formulation", lang)))
    return [
        *tips,
        alt.Tooltip("docs_mentioning:Q", title=t("docs_mentioning", lang)),
        alt.Tooltip("docs:Q", title=t("docs_denominator", lang)),
        alt.Tooltip("mentions:Q", title=t("mentions", lang)),
        alt.Tooltip("value:Q", title=value_title, format=".3f"),
    ]


PERIOD_FORMAT = {"year": "%Y", "quarter": "%Y Q%q", "month": "%Y-%m"}
# ticks on period starts only (a few years would otherwise get half-year ticks labelled 2018 2018)
PERIOD_TICKS = {"year": {"interval": "year", "step": 1}, "quarter": {"interval": "month", "step": 3},
                "month": {"interval": "month", "step": 1}}
FACET_OVER = 6  # coloured by region: beyond this many regions, small multiples
FACET_MAX = 24  # regions shown as small multiples (the ones with most documents)
ROW_PX = 22  # heatmap row height (readable labels need >= 16 px)


def _period_index(label: str, period: str) -> int:
    """Consecutive periods get consecutive integers (a gap breaks a line)."""
    year = int(label[:4])
    if period == "quarter":
        return year * 4 + int(label[-1]) - 1
    if period == "month":
        return year * 12 + int(label[5:7]) - 1
    return year


def with_runs(frame: pd.DataFrame, period: str, series: str) -> pd.DataFrame:
    """Add ``run``: a counter per series that changes where a period is missing, so lines join
    only consecutive periods (a gap of no documents stays a gap)."""
    data = frame.sort_values([series, "period"]).copy()
    index = data["period"].map(lambda v: _period_index(str(v), period))
    gap = index.groupby(data[series]).diff().fillna(1).ne(1)
    data["run"] = gap.astype(int).groupby(data[series]).cumsum()
    return data


def smoothed(frame: pd.DataFrame, series: str, window: int) -> pd.Series:
    """Centred moving average over ``window`` periods, within each series and run."""
    return frame.groupby([series, "run"])["value"].transform(
        lambda v: v.rolling(window, center=True, min_periods=1).mean()
    )


def mark_phrases(frame: pd.DataFrame, lang: str = "zh") -> tuple[pd.DataFrame, str]:
    """Ad-hoc phrases (``kind == "phrase"``) labelled as such in the series names, and the
    legend/axis title for the series: (frame, title)."""
    if "kind" not in frame or not frame["kind"].eq("phrase").any():
        return frame, t("formulation", lang)
    out = frame.copy()
    phrase = out["kind"].eq("phrase")
    out.loc[phrase, "formulation"] = out.loc[phrase, "formulation"] + t("phrase_suffix", lang)
    return out, t("formulation_or_phrase", lang)


def trend_chart(
    frame: pd.DataFrame,
    measure: str = "share",
    color: str = "formulation",
    lang: str = "zh",
    smooth: bool = False,
    period: str = "year",
    window: int = 3,
):
    """One line per series on a temporal axis; hollow points flag small samples; error bars of
    the Wilson interval only where a period has at least MIN_DOCS documents.

    ``color="formulation"`` expects the regions already aggregated (level ``all``: the
    denominators summed); ``color="region"`` one formulation, one line per region — as small
    multiples beyond FACET_OVER regions."""
    from .trends import MIN_DOCS

    data, series_title = mark_phrases(frame, lang)
    if "period_start" not in data:
        data["period_start"] = data["period"].map(lambda v: _period_start(str(v), period))
    data = with_runs(data, period, color)
    data["sample"] = data["small_sample"].map({True: t("small_sample", lang), False: t("adequate_sample", lang)})
    data["band"] = (~data["small_sample"]) & data["docs"].ge(MIN_DOCS)
    y_title = _measure_title(measure, lang)
    facet = color == "region" and data["region"].nunique() > FACET_OVER
    if facet:
        top = data.groupby("region")["docs"].sum().sort_values(ascending=False).head(FACET_MAX).index
        data = data[data["region"].isin(top)]
    if smooth:
        data["smooth"] = smoothed(data, color, window)
    x = alt.X(
        "period_start:T",
        title=t(f"period_{period}", lang),
        axis=alt.Axis(format=PERIOD_FORMAT[period], labelAngle=0, labelOverlap=True, tickCount=PERIOD_TICKS[period]),
    )
    y = alt.Y("value:Q", title=y_title)
    colour = alt.Color(
        f"{color}:N",
        title=series_title if color == "formulation" else t(color, lang),
        legend=None if facet else alt.Legend(labelLimit=200),
        scale=alt.Scale(scheme="tableau10"),
    )
    tooltip = [
        alt.Tooltip("period:N", title=t("period", lang)),
        *_count_tooltips(lang, y_title),
        alt.Tooltip("chars:Q", title=t("chars_denominator", lang)),
        alt.Tooltip("sample:N", title=t("sample", lang)),
    ]
    detail = [f"{color}:N", "run:O"]
    base = alt.Chart()
    line_y = alt.Y("smooth:Q", title=y_title) if smooth else y
    line = base.mark_line(strokeWidth=2).encode(x=x, y=line_y, detail=detail, color=colour)
    solid = (
        base.mark_point(size=60, filled=True, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
        .transform_filter("!datum.small_sample")
    )
    hollow = (
        base.mark_point(size=60, filled=False, strokeWidth=1.5, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
        .transform_filter("datum.small_sample")
    )
    layers = [line, solid, hollow]
    if measure == "share" and data["band"].any():
        bars = (
            base.mark_rule(strokeWidth=1.5, opacity=0.5)
            .encode(x=x, y=alt.Y("share_lo:Q", title=y_title), y2="share_hi:Q", color=colour)
            .transform_filter("datum.band")
        )
        layers.insert(0, bars)
    chart = alt.layer(*layers, data=data)
    if facet:
        return (
            chart.properties(width=220, height=110)
            .facet(facet=alt.Facet("region:N", title=None, sort=alt.SortField("docs", order="descending")), columns=4)
            .resolve_scale(y="shared")
        )
    return chart.properties(width=WIDTH, height=HEIGHT)


def _period_start(label: str, period: str) -> str:
    if period == "quarter":
        return f"{label[:4]}-{3 * (int(label[-1]) - 1) + 1:02d}-01"
    if period == "month":
        return f"{label[:7]}-01"
    return f"{label[:4]}-01-01"


def heatmap_chart(frame: pd.DataFrame, measure: str = "share", lang: str = "zh") -> alt.Chart:
    """Region (rows, most documents first) × formulation (columns), aggregated over periods
    (the measure recomputed from the summed counts); rows ROW_PX tall, counts on hover."""
    frame, series_title = mark_phrases(frame, lang)
    agg = frame.groupby(["formulation", "region"], as_index=False)[
        ["docs_mentioning", "mentions", "docs", "chars"]
    ].sum()
    from .trends import add_measures

    agg = add_measures(agg, measure)
    agg["label"] = agg["docs_mentioning"].astype(str) + "/" + agg["docs"].astype(str)
    top_value = agg["value"].max()
    agg["dark"] = agg["value"].gt(0.6 * top_value) if top_value and top_value > 0 else False
    region_order = agg.groupby("region")["docs"].max().sort_values(ascending=False).index.tolist()
    f_order = agg.groupby("formulation")["docs_mentioning"].sum().sort_values(ascending=False).index.tolist()
    sel = alt.selection_point(fields=["formulation", "region"], name="cell")
    n_rows, n_cols = len(region_order), len(f_order)
    width = max(WIDTH // 2, min(WIDTH + 200, 90 * n_cols))
    base = alt.Chart().encode(
        x=alt.X(
            "formulation:N",
            title=series_title,
            sort=f_order,
            axis=alt.Axis(orient="top", labelAngle=0 if n_cols <= 8 else -40, labelLimit=120),
        ),
        y=alt.Y(
            "region:N",
            title=t("region", lang),
            sort=region_order,
            axis=alt.Axis(labelLimit=200, labelOverlap=False, labelFontSize=12),
        ),
    )
    rect = (
        base.mark_rect(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color("value:Q", title=_measure_title(measure, lang), scale=alt.Scale(scheme="orangered")),
            opacity=alt.condition("datum.small_sample", alt.value(0.55), alt.value(1.0)),
            tooltip=_count_tooltips(lang, _measure_title(measure, lang)),
        )
        .add_params(sel)
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition("datum.dark", alt.value("white"), alt.value("#222")),
    )
    return alt.layer(rect, text, data=agg).properties(width=width, height=ROW_PX * n_rows)


def period_heatmap_chart(frame: pd.DataFrame, measure: str = "share", lang: str = "zh", period: str = "year"):
    """Region (rows, most documents first) × period (columns, in time order) for one term: the
    measure per cell, ``mentioning/documents`` written in the cell while the columns leave room,
    counts on hover; cells of fewer than MIN_DOCS documents drawn paler; periods without
    documents left blank."""
    data, series_title = mark_phrases(frame, lang)
    data = data[data["docs"] > 0].copy()
    data["label"] = data["docs_mentioning"].astype(str) + "/" + data["docs"].astype(str)
    top_value = data["value"].max()
    data["dark"] = data["value"].gt(0.6 * top_value) if top_value and top_value > 0 else False
    region_order = data.groupby("region")["docs"].sum().sort_values(ascending=False).index.tolist()
    periods = sorted(data["period"].astype(str).unique())
    n_cols = len(periods)
    width = max(WIDTH // 2, min(WIDTH + 360, 64 * n_cols))
    term = "、".join(data["formulation"].unique())
    base = alt.Chart().encode(
        x=alt.X(
            "period:O",
            title=f"{t(f'period_{period}', lang)} · {term}",
            sort=periods,
            axis=alt.Axis(orient="top", labelAngle=0 if n_cols <= 12 else -45, labelOverlap=True),
        ),
        y=alt.Y(
            "region:N",
            title=t("region", lang),
            sort=region_order,
            axis=alt.Axis(labelLimit=200, labelOverlap=False, labelFontSize=12),
        ),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", title=_measure_title(measure, lang), scale=alt.Scale(scheme="orangered")),
        opacity=alt.condition("datum.small_sample", alt.value(0.55), alt.value(1.0)),
        tooltip=[
            alt.Tooltip("period:O", title=t("period", lang)),
            *_count_tooltips(lang, _measure_title(measure, lang)),
        ],
    )
    layers = [rect]
    if n_cols <= 12:
        layers.append(
            base.mark_text(fontSize=10).encode(
                text="label:N", color=alt.condition("datum.dark", alt.value("white"), alt.value("#222"))
            )
        )
    return alt.layer(*layers, data=data).properties(width=width, height=ROW_PX * len(region_order))


def diffusion_chart(first: pd.DataFrame, curve: pd.DataFrame, lang: str = "zh") -> alt.VConcatChart:
    """First mention per region on a year axis, over the adoption curve."""
    data = first.copy()
    data["first_date"] = pd.to_datetime(data["first_date"])
    data["shown_date"] = [format_date(d, p) for d, p in zip(data["first_date"], data["date_precision"], strict=True)]
    data["inferred"] = (
        data["date_precision"].eq("inferred").map({True: t("date_inferred", lang), False: t("date_read", lang)})
    )
    data["tier"] = data["region"].map(lambda r: t(f"tier_{region_tier(r)}", lang))
    x_axis = alt.Axis(format="%Y", labelAngle=0, labelOverlap=True, tickCount="year")
    order = data.sort_values("first_date")["region"].tolist()
    timeline = (
        alt.Chart(data)
        .mark_point(size=90, filled=True)
        .encode(
            x=alt.X("first_date:T", title=t("first_mention", lang), axis=x_axis),
            y=alt.Y("region:N", title=t("region", lang), sort=order, axis=alt.Axis(labelLimit=200, labelOverlap=False)),
            color=alt.Color("tier:N", title=t("tier", lang), scale=alt.Scale(scheme="set1")),
            shape=alt.Shape("inferred:N", title=t("date", lang)),
            tooltip=[
                alt.Tooltip("region:N", title=t("region", lang)),
                alt.Tooltip("shown_date:N", title=t("first_mention", lang)),
                alt.Tooltip("title:N", title=t("title", lang)),
                alt.Tooltip("inferred:N", title=t("date", lang)),
                alt.Tooltip("docs:Q", title=t("docs_mentioning", lang)),
            ],
        )
        .properties(width=WIDTH, height=max(100, ROW_PX * len(data)))
    )
    cdata = curve.copy()
    cdata["date"] = pd.to_datetime(cdata["date"])
    cdata["shown_date"] = cdata["date"].dt.strftime("%Y-%m-%d")
    adoption = (
        alt.Chart(cdata)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("date:T", title=t("date", lang), axis=x_axis),
            y=alt.Y("regions:Q", title=t("regions_adopted", lang)),
            tooltip=[
                alt.Tooltip("shown_date:N", title=t("date", lang)),
                alt.Tooltip("regions:Q", title=t("regions_adopted", lang)),
            ],
        )
        .properties(width=WIDTH, height=160)
    )
    return alt.vconcat(timeline, adoption)


def region_tier(label: str) -> str:
    """The level of a region label of the trend tables: centre (全国), province (…·省级 or a
    province), city (…·市级 or a city), district."""
    from .schema import NATIONAL_LABEL

    if label == NATIONAL_LABEL:
        return "centre"
    if label.endswith("·省级") or label.endswith(("省", "自治区")) or label in ("北京市", "天津市", "上海市", "重庆市"):
        return "province"
    if label.endswith("·市级") or label.endswith(("市", "州", "盟", "地区")):
        return "city"
    return "district"


def adoption_curve_chart(curve: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """The S-curve: cumulative share of the units with documents that used the term, per year;
    the number still at risk and adopters on hover."""
    data = curve.copy()
    data["year_start"] = pd.to_datetime(data["year"].astype(int).astype(str) + "-01-01")
    x = alt.X("year_start:T", title=t("period_year", lang),
              axis=alt.Axis(format="%Y", labelAngle=0, tickCount={"interval": "year", "step": 1}))
    line = alt.Chart(data).mark_line(interpolate="step-after", point=True, strokeWidth=2).encode(
        x=x,
        y=alt.Y("share:Q", title=t("share_adopted", lang), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[
            alt.Tooltip("year:O", title=t("period_year", lang)),
            alt.Tooltip("share:Q", title=t("share_adopted", lang), format=".0%"),
            alt.Tooltip("cumulative:Q", title=t("adopters", lang)),
            alt.Tooltip("new:Q", title=t("new_adopters", lang)),
            alt.Tooltip("at_risk:Q", title=t("at_risk", lang)),
            alt.Tooltip("units:Q", title=t("units_with_documents", lang)),
        ],
    )
    return line.properties(width=WIDTH, height=220)


def format_date(value, precision: str | None) -> str:
    """A date written to its precision: ``2024`` (year), ``2024-03`` (month), ``2024-03-05``
    (a day; ``≈`` in front when inferred); empty when unknown."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    if precision == "year":
        return stamp.strftime("%Y")
    if precision == "month":
        return stamp.strftime("%Y-%m")
    text = stamp.strftime("%Y-%m-%d")
    return "≈" + text if precision == "inferred" else text


def _keyword_value(frame: pd.DataFrame) -> str:
    """The column the bars show: Log Ratio when ranked by effect, z when ranked by z, else score."""
    rank = frame.attrs.get("rank", "effect")
    if frame.attrs.get("method", "logodds") != "logodds":
        return "score"
    return "log_ratio" if rank == "effect" and "log_ratio" in frame else "z"


def _keyword_tooltips(data: pd.DataFrame, lang: str) -> list:
    tips = [alt.Tooltip("term:N", title=t("term", lang))]
    for col, fmt in (("log_ratio", ".2f"), ("z", ".2f"), ("q", ".2g"), ("score", ".3f")):
        if col in data and data[col].notna().any():
            tips.append(alt.Tooltip(f"{col}:Q", title=t(f"col_{col}", lang), format=fmt))
    return [
        *tips,
        alt.Tooltip("count_a:Q", title=f"{t('count', lang)} A"),
        alt.Tooltip("count_b:Q", title=f"{t('count', lang)} B"),
        alt.Tooltip("per10k_a:Q", title="A /10k", format=".1f"),
        alt.Tooltip("per10k_b:Q", title="B /10k", format=".1f"),
    ]


def keywords_chart(frame: pd.DataFrame, label_a: str, label_b: str, lang: str = "zh") -> alt.Chart:
    """Diverging bars: terms favouring A to the right, B to the left; bar = the ranking value."""
    data = frame.copy()
    value = _keyword_value(frame)
    data["side"] = data[value].gt(0).map({True: label_a, False: label_b})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=t(f"col_{value}", lang)),
            y=alt.Y("term:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160)),
            color=alt.Color(
                "side:N", title=None, scale=alt.Scale(domain=[label_a, label_b], range=["#c0392b", "#2471a3"])
            ),
            tooltip=_keyword_tooltips(data, lang),
        )
        .properties(width=WIDTH, height=max(160, ROW_PX * len(data)))
    )


def groups_chart(frame: pd.DataFrame, lang: str = "zh"):
    """Each group's distinctive terms (against the other groups), one panel per group."""
    value = _keyword_value(frame)
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{value}:Q", title=t(f"col_{value}", lang)),
            y=alt.Y("term:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color("group:N", title=t("region", lang), legend=None),
            row=alt.Row("group:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=[alt.Tooltip("group:N", title=t("col_group", lang)), *_keyword_tooltips(frame, lang)],
        )
        .resolve_scale(y="independent")
        .properties(width=WIDTH - 100)
    )


def leaders_chart(frame: pd.DataFrame, lang: str = "zh", top: int = 25):
    """Officials (rows, most documents naming them first, their count beside the name) ×
    formulations (columns): in each cell the documents naming the official that use the
    formulation, out of all documents naming them, coloured by that share. A document using
    several formulations counts once in each column and once in the row's total, never summed."""
    totals = frame.groupby("name")["official_docs"].max().sort_values(ascending=False).head(top)
    data = frame[frame["name"].isin(totals.index)].copy()
    data["person"] = data["name"] + "（" + data["official_docs"].astype(str) + "）"
    order = [f"{n}（{v}）" for n, v in totals.items()]
    data["share"] = data["docs"] / data["official_docs"]
    data["label"] = data["docs"].astype(str) + "/" + data["official_docs"].astype(str)
    data["dark"] = data["share"].gt(0.6)
    f_order = data.groupby("formulation")["docs"].sum().sort_values(ascending=False).index.tolist()
    n_cols = len(f_order)
    base = alt.Chart().encode(
        x=alt.X("formulation:N", title=t("formulation", lang), sort=f_order,
                axis=alt.Axis(orient="top", labelAngle=0 if n_cols <= 8 else -40, labelLimit=120)),
        y=alt.Y("person:N", sort=order, title=t("official", lang),
                axis=alt.Axis(labelOverlap=False, labelLimit=200, labelFontSize=12)),
    )
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("share:Q", title=t("share_of_their_docs", lang),
                        scale=alt.Scale(scheme="orangered", domain=[0, 1]), legend=alt.Legend(format=".0%")),
        tooltip=["name", "title", "region", "formulation", "docs", "mentions", "official_docs"],
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N", color=alt.condition("datum.dark", alt.value("white"), alt.value("#222")))
    width = max(WIDTH // 2, min(WIDTH + 200, 90 * n_cols))
    return alt.layer(rect, text, data=data).properties(width=width, height=ROW_PX * len(order))


def documents_over_time(frame: pd.DataFrame, lang: str = "zh", by: str = "level"):
    """Documents per year, stacked by region level (national, province…) or by date precision.

    ``frame``: year (int), key (the level or precision), docs."""
    from .overview import LEVEL_LABELS, UNKNOWN_LEVEL

    data = frame.copy()
    data["year_start"] = pd.to_datetime(data["year"].astype(str) + "-01-01")
    data["year_end"] = pd.to_datetime((data["year"] + 1).astype(str) + "-01-01")
    order = [*LEVEL_LABELS.values(), UNKNOWN_LEVEL] if by == "level" else sorted(data["key"].unique())
    # stacked by hand (bars one year wide on a time axis): y0..y1 per year in the legend's order
    data["rank"] = data["key"].map({k: i for i, k in enumerate(order)})
    data = data.sort_values(["year", "rank"])
    data["y1"] = data.groupby("year")["docs"].cumsum()
    data["y0"] = data["y1"] - data["docs"]
    return (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("year_start:T", title=t("period_year", lang), axis=alt.Axis(format="%Y", labelAngle=0)),
            x2="year_end:T",
            y=alt.Y("y1:Q", title=t("documents", lang)),
            y2="y0:Q",
            color=alt.Color(
                "key:N", title=t(f"by_{by}", lang), sort=order, scale=alt.Scale(domain=order, scheme="tableau10")
            ),
            tooltip=[
                alt.Tooltip("year:O", title=t("period_year", lang)),
                alt.Tooltip("key:N", title=t(f"by_{by}", lang)),
                alt.Tooltip("docs:Q", title=t("documents", lang)),
            ],
        )
        .properties(width=WIDTH, height=220)
    )


def top_formulations_chart(frame: pd.DataFrame, lang: str = "zh", top: int = 15):
    """The formulations used in most documents (``frame``: formulation, docs)."""
    data = frame.head(top)
    return (
        alt.Chart(data)
        .mark_bar(color="#c0392b")
        .encode(
            x=alt.X("docs:Q", title=t("docs_mentioning", lang)),
            y=alt.Y("formulation:N", sort="-x", title=None, axis=alt.Axis(labelLimit=160, labelOverlap=False)),
            tooltip=[
                alt.Tooltip("formulation:N", title=t("formulation", lang)),
                alt.Tooltip("docs:Q", title=t("docs_mentioning", lang)),
            ],
        )
        .properties(width=WIDTH // 2, height=max(120, ROW_PX * len(data)))
    )


def map_chart(
    frame: pd.DataFrame,
    measure: str = "share",
    lang: str = "zh",
    colour_by: str = "measure",
    width: int = WIDTH,
    height: int = HEIGHT + 180,
    max_labels: int = 12,
):
    """One bubble per region: size = documents mentioning, colour = the measure (or the first
    mention's year); regions with documents but no mention are empty rings; the ``max_labels``
    regions with most mentions are named."""
    data = frame.dropna(subset=["lon", "lat"]).copy()
    data["value"] = data[{"share": "share", "per10k": "per10k", "count": "mentions"}[measure]]
    data["first_year"] = pd.to_datetime(data["first_date"]).dt.year
    data["short"] = data["region"].map(short_name)
    used = data[data["docs_mentioning"] > 0]
    unused = data[data["docs_mentioning"] == 0]
    tooltip = [
        *_count_tooltips(lang, _measure_title(measure, lang), formulation=False),
        alt.Tooltip("first_date:T", title=t("first_mention", lang)),
        alt.Tooltip("coords:N", title=t("coords", lang)),
    ]
    select = alt.selection_point(fields=["region"], name="region_pick")
    if colour_by == "first_year":
        colour = alt.Color("first_year:O", title=t("first_mention", lang), scale=alt.Scale(scheme="viridis"))
    else:
        colour = alt.Color("value:Q", title=_measure_title(measure, lang), scale=alt.Scale(scheme="orangered"))
    bubbles = (
        alt.Chart(used)
        .mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size(
                "docs_mentioning:Q",
                title=t("docs_mentioning", lang),
                scale=alt.Scale(range=[60, 1200]),
                legend=alt.Legend(values=sorted(used["docs_mentioning"].unique().tolist())[-5:]),
            ),
            color=colour,
            tooltip=tooltip,
        )
        .add_params(select)
    )
    rings = (
        alt.Chart(unused)
        .mark_point(shape="circle", filled=False, size=80, color="#888", strokeWidth=1.5)
        .encode(longitude="lon:Q", latitude="lat:Q", tooltip=tooltip)
    )
    # names of the regions with most documents only: beyond a dozen they cover each other
    named = data.nlargest(max_labels, ["docs_mentioning", "docs"])
    labels = (
        alt.Chart(named)
        .mark_text(dy=-12, fontSize=11, color="#333")
        .encode(longitude="lon:Q", latitude="lat:Q", text="short:N")
    )
    backdrop = (
        alt.Chart(_backdrop())
        .mark_circle(size=4, color="#d5d8dc", opacity=0.7)
        .encode(longitude="lon:Q", latitude="lat:Q")
    )
    return alt.layer(backdrop, rings, bubbles, labels).project(type="mercator").properties(width=width, height=height)


_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def short_name(region: str) -> str:
    """广西壮族自治区 → 广西, 江西省 → 江西 (map labels); names of two characters stay whole."""
    for suffix in _SUFFIXES:
        if region.endswith(suffix) and len(region) - len(suffix) >= 2:
            return region[: -len(suffix)]
    return region


@lru_cache(maxsize=1)
def _backdrop() -> pd.DataFrame:
    """Every county-level unit's point from the division table: the country's shape, no outlines."""
    from .regions import divisions

    units = divisions().units.values()
    return pd.DataFrame(
        [(u.lon, u.lat) for u in units if u.level == "district" and u.lon is not None], columns=["lon", "lat"]
    )


def with_caption(chart, caption: str, title: str | None = None):
    """A title on top and the caption (filters, measure and denominator, data version) under it,
    wrapped in lines: both travel inside the exported image."""
    lines = [caption[i : i + 90] for i in range(0, len(caption), 90)] or [""]
    return chart.properties(title=alt.TitleParams(title or "", subtitle=lines, anchor="start"))


def spec(chart, caption: str | None = None, title: str | None = None) -> dict:
    """The Vega-Lite spec (a dict) of an exported chart: fonts, title and caption included."""
    if caption or title:
        chart = with_caption(chart, caption or "", title)
    return _config(chart).to_dict()


def export(chart, fmt: str, caption: str | None = None, scale: float = 2.0, title: str | None = None) -> bytes:
    """PNG, SVG or Vega-Lite JSON (``vl.json``) bytes; images rendered by vl-convert with the
    bundled CJK font."""
    import json

    import vl_convert as vlc

    vl = spec(chart, caption, title)
    if fmt in ("vl.json", "json"):
        return json.dumps(vl, ensure_ascii=False, indent=1).encode("utf-8")
    font_directory()
    if fmt == "png":
        return vlc.vegalite_to_png(vl, scale=scale)
    if fmt == "svg":
        return vlc.vegalite_to_svg(vl).encode("utf-8")
    raise ValueError("format must be png, svg or vl.json")


def caption_text(filters_text: str, measure_text: str, n_docs: int, store_date: str, lang: str = "zh") -> str:
    return t("caption", lang).format(
        filters=filters_text or t("no_filters", lang), measure=measure_text, docs=n_docs, date=store_date
    )
