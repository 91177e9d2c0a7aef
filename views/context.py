"""The sidebar and the URL state: every widget is seeded from the query parameters (the CLI's
filter names) and written back to them, so a copied link reopens the same view. ``build``
returns the ``Context`` every view's ``render(ctx)`` reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from analytics import charts, demo, formulations, ingest, store, trends
from analytics.filters import to_query_params
from analytics.i18n import t
from analytics.phrases import PhraseError, split_lexicon

from . import data

DEFAULTS = {"measure": "per10k", "period": "year", "level": "province", "tab": "overview", "lang": "zh"}
VIEW_PARAMS = ("doc", "heatmap_by")  # URL keys a view reads and writes itself (kept across the sidebar's rewrite)


@dataclass
class Context:
    """What a view needs: the language, the store version, the filters and the chosen options."""

    lang: str
    version: str  # the store's cache key (path and modification time)
    facet: dict
    mapping: dict  # document filters as a plain mapping (formulations are measured, not filtered)
    fkey: str
    filters: object
    formulation: list[str]  # formulations the user chose (empty: none chosen)
    chosen: tuple[str, ...]  # formulations measured: the chosen ones, else (no phrase either) the 5 most used
    measure: str
    period: str
    level: str
    info: dict
    url_state: dict = field(default_factory=dict)
    phrases: tuple[str, ...] = ()  # ad-hoc phrases the user typed (not in the lexicon), counted on the text

    @property
    def regions(self) -> pd.DataFrame:
        return self.facet["regions"]

    @property
    def terms(self) -> tuple[str, ...]:
        """Everything measured: the formulations, then the phrases."""
        return (*self.chosen, *self.phrases)

    def split(self, terms) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Some of ``terms`` → (formulations, phrases)."""
        return tuple(x for x in terms if x not in self.phrases), tuple(x for x in terms if x in self.phrases)

    def t(self, key: str) -> str:
        return t(key, self.lang)

    def filters_text(self) -> str:
        params = to_query_params(self.filters)
        parts = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in params.items()]
        if self.formulation:
            parts.append("formulation=" + ",".join(self.formulation))
        if self.phrases:
            parts.append("phrase=" + ",".join(self.phrases))
        return "; ".join(parts)

    def caption(self, measure_key: str) -> str:
        measure = t(measure_key, self.lang)
        if measure_key.startswith("measure_"):
            measure += f"（{t('denominator_' + measure_key[8:], self.lang)}）"
        return charts.caption_text(
            self.filters_text(),
            measure,
            self.info["documents"],
            data.store_date(),
            self.lang,
        )


# --- query parameters ----------------------------------------------------------------------


def seed(key: str, default, parse=lambda raw: raw[-1], options=None):
    """Initialise widget state from the query parameter ``key`` on first use."""
    if key not in st.session_state:
        raw = st.query_params.get_all(key)
        try:
            st.session_state[key] = parse(raw) if raw else default
        except (ValueError, TypeError):
            st.session_state[key] = default
    if options is not None:  # drop values the current options no longer offer
        value = st.session_state[key]
        if isinstance(value, list):
            st.session_state[key] = [v for v in value if v in options]
        elif value not in options:
            st.session_state[key] = default


def as_list(raw: list[str]) -> list[str]:
    return list(dict.fromkeys(raw))


def as_date(raw: list[str]) -> date:
    return date.fromisoformat(raw[-1])


def as_bool(raw: list[str]) -> bool:
    return raw[-1].lower() in ("1", "true", "yes", "on")


# --- first run -------------------------------------------------------------------------------


def build_store_if_missing(lang: str) -> None:
    """First run: build the store from the seeds and the demo reports, with progress. A store
    made by an earlier version is upgraded in place first (its documents are kept)."""
    if store.upgradable(data.store_path()):
        with st.status(t("upgrading_store", lang), expanded=False) as status:
            store.upgrade(data.store_path())
            status.update(label=t("store_upgraded", lang), state="complete")
    if data.store_path().exists():
        return
    total = max(demo.first_run_inputs(), 1)
    with st.status(t("building_store", lang), expanded=True) as status:
        bar = st.progress(0.0)
        summary = demo.build_first_store(
            data.store_path(),
            progress=lambda done, path: bar.progress(min(done / total, 1.0), text=f"{done}/{total} · {path}"),
        )
        status.update(label=t("store_built", lang) + (summary.line() if summary else ""), state="complete")


# --- the sidebar -------------------------------------------------------------------------------


def _count_label(counts: dict[str, int]):
    return lambda v: f"{v} ({counts.get(v, 0)})"


def _multiselect(key: str, counts, lang: str, fmt=None):
    counts = dict(counts)
    options = list(counts)
    seed(key, [], as_list, options)
    return st.multiselect(
        t(key, lang), options, key=key, format_func=fmt or _count_label(counts), placeholder=t("choose", lang)
    )


def show_filter_problems(problems: list[str]) -> None:
    """The one place filter problems are shown: each as an error above the view. The wrong
    values are taken out of the URL and the sidebar, so the page stays usable."""
    for problem in problems:
        st.error(problem)


def _take_out(dropped: dict[str, list[str]]) -> None:
    """Remove wrong values from the URL before the widgets read it (the rest is kept)."""
    for key, values in dropped.items():
        kept = [v for v in st.query_params.get_all(key) if v not in values]
        if kept:
            st.query_params[key] = kept
        elif key in st.query_params:
            del st.query_params[key]
        st.session_state.pop(key, None)


def _split_chosen(values: list[str], canonicals: set[str], lexicon) -> tuple[list[str], list[str]]:
    """The formulation picker's values or the URL's phrases (lexicon entries and free entries) →
    (formulations, phrases); a phrase that cannot be counted is shown as an error and left out."""
    formulations_, phrases_ = [], []
    for value in values:
        if value in canonicals:
            formulations_.append(value)
            continue
        try:
            f, p, _ = split_lexicon([value], lexicon)
        except PhraseError as exc:
            st.error(f"{value[:20]}: {exc}")
            continue
        formulations_ += f
        phrases_ += p
    return list(dict.fromkeys(formulations_)), list(dict.fromkeys(phrases_))


def build(views: tuple[str, ...]) -> tuple[Context, str]:
    """Draw the sidebar and the view picker; returns the context and the chosen view."""
    seed("lang", "zh", options=["zh", "en"])
    with st.sidebar:
        lang = (
            st.segmented_control(
                "语言 / Language", ["zh", "en"], key="lang", format_func=lambda v: {"zh": "中文", "en": "English"}[v]
            )
            or "zh"
        )
    st.title(t("app_title", lang))
    st.caption(t("app_caption", lang))
    build_store_if_missing(lang)
    version = data.store_version()
    ingest.refresh_counts_if_stale(data.store_path())
    facet = data.facets(version)
    regions = facet["regions"]
    # A URL naming what does not exist (火星市, 2023-13-01) says why above the view, and the wrong
    # value is taken out so the other filters still apply; short forms typed in it (萍乡) are
    # replaced by the names they stand for before the widgets read them.
    problems, resolved, dropped = data.url_check(version, data.typed_filters(), lang)
    show_filter_problems(problems)
    _take_out(dropped)
    for key, value in resolved.items():
        if key in st.query_params and st.query_params.get_all(key) != (value if isinstance(value, list) else [value]):
            st.query_params[key] = value
    with st.sidebar:
        st.header(t("filters", lang))
        prov_counts = regions.groupby("province")["docs"].sum().sort_values(ascending=False)
        province = _multiselect("province", prov_counts, lang)
        in_prov = regions[regions["province"].isin(province)] if province else regions
        city = _multiselect(
            "city", in_prov.dropna(subset=["city"]).groupby("city")["docs"].sum().sort_values(ascending=False), lang
        )
        in_city = in_prov[in_prov["city"].isin(city)] if city else in_prov
        district = _multiselect(
            "district",
            in_city.dropna(subset=["district"]).groupby("district")["docs"].sum().sort_values(ascending=False),
            lang,
        )
        c1, c2 = st.columns(2)
        seed("since", None, as_date)
        seed("until", None, as_date)
        since = c1.date_input(t("since", lang), key="since", min_value=date(1949, 1, 1))
        until = c2.date_input(t("until", lang), key="until", min_value=date(1949, 1, 1))
        site = _multiselect("site", dict(zip(facet["sites"]["name"], facet["sites"]["docs"], strict=True)), lang)
        official = _multiselect(
            "official", dict(zip(facet["officials"]["name"], facet["officials"]["docs"], strict=True)), lang
        )
        lexicon = formulations.load_lexicon()
        f_counts = dict(zip(facet["formulations"]["formulation"], facet["formulations"]["docs"], strict=True))
        kind_order = {k: i for i, k in enumerate(formulations.KINDS)}
        scope_order = {s: i for i, s in enumerate(formulations.SCOPES)}
        entries = sorted(
            lexicon.entries,
            key=lambda f: (
                -f_counts.get(f.canonical, 0),
                scope_order.get(f.scope, 9),
                kind_order.get(f.kind, 9),
                f.canonical,
            ),
        )
        meta_of = {f.canonical: f for f in entries}
        if "formulation" not in st.session_state:  # the picker holds formulations and typed phrases
            from_phrases, url_phrases = _split_chosen(st.query_params.get_all("phrase"), set(), lexicon)
            typed = [v for v in st.query_params.get_all("formulation") if v in meta_of]
            st.session_state["formulation"] = list(dict.fromkeys([*typed, *from_phrases, *url_phrases]))
        free = [v for v in st.session_state["formulation"] if v not in meta_of]
        picked = st.multiselect(
            t("formulation", lang),
            [f.canonical for f in entries] + free,
            key="formulation",
            format_func=lambda v: (
                f"{v} · {meta_of[v].scope}/{meta_of[v].kind} ({f_counts.get(v, 0)})"
                if v in meta_of
                else f"{v}{t('phrase_suffix', lang)}"
            ),
            placeholder=t("choose_or_type", lang),
            accept_new_options=True,
            help=t("phrase_help", lang),
        )
        formulation, phrases = _split_chosen(picked, set(meta_of), lexicon)
        seed("measure", DEFAULTS["measure"], options=trends.MEASURES)
        measure = st.selectbox(
            t("measure", lang), trends.MEASURES, key="measure", format_func=lambda v: t(f"measure_{v}", lang)
        )
        seed("period", DEFAULTS["period"], options=trends.PERIODS)
        period = st.selectbox(
            t("period", lang), trends.PERIODS, key="period", format_func=lambda v: t(f"period_{v}", lang)
        )
        seed("level", DEFAULTS["level"], options=trends.LEVELS)
        level = st.selectbox(t("level", lang), trends.LEVELS, key="level", format_func=lambda v: t(f"level_{v}", lang))
        seed("include_inferred", True, as_bool)
        include_inferred = st.toggle(t("include_inferred", lang), key="include_inferred")
        seed("include_duplicates", False, as_bool)
        include_duplicates = st.toggle(t("include_duplicates", lang), key="include_duplicates")
        with st.expander(t("demo_title", lang)):
            st.markdown(t("demo_text", lang))

    mapping = {
        "province": province,
        "city": city,
        "district": district,
        "since": since,
        "until": until,
        "site": site,
        "official": official,
        "include_inferred": include_inferred,
        "include_duplicates": include_duplicates,
    }
    fkey = data.fkey_of(mapping)
    flt = data.filters(fkey)
    chosen = tuple(formulation) or (() if phrases else tuple(facet["formulations"]["formulation"].head(5)))
    seed("tab", DEFAULTS["tab"], options=list(views))
    view = (
        st.segmented_control(t("view", lang), list(views), key="tab", format_func=lambda v: t(f"view_{v}", lang))
        or DEFAULTS["tab"]
    )
    url_state = {
        **to_query_params(flt),
        **({"formulation": list(formulation)} if formulation else {}),
        **({"phrase": list(phrases)} if phrases else {}),
        "measure": measure,
        "period": period,
        "level": level,
        "tab": view,
        "lang": lang,
    }
    url_state = {k: v for k, v in url_state.items() if DEFAULTS.get(k) != v}
    for key in VIEW_PARAMS:  # a view's own state, read by the view after this
        if st.query_params.get(key):
            url_state[key] = st.query_params.get(key)
    st.query_params.from_dict(url_state)
    ctx = Context(
        lang=lang,
        version=version,
        facet=facet,
        mapping=mapping,
        fkey=fkey,
        filters=flt,
        formulation=list(formulation),
        chosen=chosen,
        measure=measure,
        period=period,
        level=level,
        info=data.summary(version, fkey),
        url_state=url_state,
        phrases=tuple(phrases),
    )
    return ctx, view


def share_link(ctx: Context) -> None:
    with st.sidebar:
        st.caption(t("share_link", ctx.lang))
        try:
            url = st.context.url or ""
        except Exception:  # noqa: BLE001 - outside a server (tests): the query string alone
            url = ""
        query = "&".join(
            f"{k}={v}" for k, vals in ctx.url_state.items() for v in (vals if isinstance(vals, list) else [vals])
        )
        st.code(url.split("?")[0] + ("?" + query if query else ""), language=None)
