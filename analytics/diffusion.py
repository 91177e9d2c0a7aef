"""How a formulation spreads: adoption per unit, direction, an event-history model, the curve.

Every function takes the store's connection and returns plain data; the method, thresholds and
references are in ``docs/diffusion.md``. Text coverage is not policy adoption: a unit "adopts"
when a document located there first uses the term, and a unit is observed only in the years it
has documents.

``adoption`` returns one row per unit of the division table at ``level`` that has dated
documents in the selection (units without any are out of the risk set; ``attrs`` say how many):

================  ===========================================================================
unit              the unit's full name (city at level city, county-level unit at district)
code              its GB/T 2260 code
parent            the unit above it (the province of a city, the city of a county)
lon, lat          its centroid (the division table's; a county without one takes its city's)
docs              dated documents located in the unit
first_year        year of the first document using the term (empty: not adopted)
first_date        that document's date, ``first_precision`` its precision, ``first_doc`` its id
adopted           True when the unit used the term
left_censored     True when the unit's first document already uses it: adopted then or before
last_date         date of the unit's last document: a unit not adopted is censored there
================  ===========================================================================

Units are the documents' own: a document of a province itself (region_level province) counts
for the province, never for its cities; the centre is the national documents (全国). The four
municipalities are provincial units, so they are parents at level city, not cities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from .phrases import counts_source
from .store import Filters

LEVELS = ("province", "city", "district")
PARENT = {"city": "province", "district": "city"}
K_NEIGHBOURS = 5
MIN_EVENTS = 10  # fewer adoptions: no model
MIN_ADOPTERS = 5  # fewer: direction "too few"
BASS_MIN_PERIODS, BASS_MIN_ADOPTERS = 6, 10
# direction thresholds (stated in the output and in docs/diffusion.md)
TOP_DOWN_SHARE = 2 / 3  # share of adopters (whose parent used it) that adopted after the parent
BOTTOM_UP_SHARE = 1 / 2  # share of adopters that used it before their parent (or the parent never did)

_UNIT_CODE = {  # SQL: the code of the document's unit at each level
    "province": "substr(d.adcode, 1, 2) || '0000'",
    "city": "substr(d.adcode, 1, 4) || '00'",
    "district": "d.adcode",
}
_AT_LEVEL = {  # SQL: documents that belong to a unit at each level
    "province": "d.region_level = 'province' AND d.adcode IS NOT NULL",
    "city": "d.region_level IN ('city', 'district') AND d.city IS NOT NULL AND d.adcode IS NOT NULL",
    "district": "d.region_level = 'district' AND d.adcode IS NOT NULL",
}


class DiffusionError(ValueError):
    """A question the data cannot answer (an unknown level); one line for the user."""


def _first_uses(con, term: str, filters: Filters | None, phrase: bool, where_level: str, code: str) -> pd.DataFrame:
    """code, docs, first_date, first_precision, first_doc, last_date for units selected by SQL."""
    base = replace(filters or Filters(), formulation=[])
    where, params = base.where()
    with counts_source(con, [term] if phrase else [], base, formulations=not phrase) as (source, extra):
        return con.execute(
            f"""
            WITH docs AS (
                SELECT {code} AS code, d.doc_id, d.doc_no, d.date, d.date_precision
                FROM documents d WHERE {where} AND d.date IS NOT NULL AND {where_level}
            ),
            hits AS (SELECT DISTINCT fc.doc_no FROM {source} fc WHERE fc.formulation = ?),
            firsts AS (
                SELECT code, arg_min(docs.date, (docs.date, docs.doc_id)) AS first_date,
                       arg_min(docs.date_precision, (docs.date, docs.doc_id)) AS first_precision,
                       arg_min(docs.doc_id, (docs.date, docs.doc_id)) AS first_doc
                FROM docs JOIN hits USING (doc_no) GROUP BY code
            )
            SELECT code, count(*) AS docs, max(date) AS last_date, min(date) AS earliest,
                   any_value(firsts.first_date) AS first_date, any_value(firsts.first_precision) AS first_precision,
                   any_value(firsts.first_doc) AS first_doc
            FROM docs LEFT JOIN firsts USING (code) GROUP BY code ORDER BY code
            """,
            [*params, *extra, term],
        ).df()


def _centroid(div, code: str) -> tuple[float | None, float | None]:
    unit = div.units.get(code)
    while unit is not None and unit.lon is None and unit.parent:
        unit = div.units[unit.parent]
    return (unit.lon, unit.lat) if unit is not None else (None, None)


def adoption(con, term: str, filters: Filters | None = None, level: str = "city", phrase: bool = False) -> pd.DataFrame:
    """The adoption table (module docstring); ``attrs``: level, term, units_without_documents."""
    from .regions import divisions

    if level not in LEVELS:
        raise DiffusionError(f"level must be one of {', '.join(LEVELS)}")
    div = divisions()
    frame = _first_uses(con, term, filters, phrase, _AT_LEVEL[level], _UNIT_CODE[level])
    keep = [c in div.units and div.units[c].level == level for c in frame["code"]]
    frame = frame.loc[np.array(keep, dtype=bool)].copy()
    frame.insert(0, "unit", frame["code"].map(lambda c: div.units[c].name))
    frame.insert(2, "parent", frame["code"].map(lambda c: _parent_name(div, c)))
    coords = [_centroid(div, c) for c in frame["code"]]
    frame["lon"], frame["lat"] = [c[0] for c in coords], [c[1] for c in coords]
    frame["first_date"] = pd.to_datetime(frame["first_date"])
    frame["last_date"] = pd.to_datetime(frame["last_date"])
    frame["adopted"] = frame["first_date"].notna()
    # the unit's very first document already uses it: adopted then or earlier (left-censored)
    frame["left_censored"] = frame["adopted"] & frame["first_date"].eq(pd.to_datetime(frame["earliest"]))
    frame["first_year"] = frame["first_date"].dt.year.astype("Int64")
    columns = ["unit", "code", "parent", "lon", "lat", "docs", "first_year", "first_date", "first_precision",
               "first_doc", "adopted", "left_censored", "last_date"]
    frame = frame[columns].sort_values(["first_date", "unit"], na_position="last").reset_index(drop=True)
    in_table = sum(1 for u in div.units.values() if u.level == level and u.code not in div.municipalities)
    frame.attrs.update(level=level, term=term, phrase=phrase, units_without_documents=max(0, in_table - len(frame)))
    return frame


def _parent_name(div, code: str) -> str | None:
    unit = div.units.get(code)
    return div.units[unit.parent].name if unit is not None and unit.parent in div.units else None


def _parents(con, term: str, filters: Filters | None, level: str, phrase: bool) -> pd.DataFrame:
    """First use by the parents' own documents (the provinces' at level city)."""
    parent_level = PARENT.get(level)
    if parent_level is None:
        return pd.DataFrame(columns=["parent", "parent_first", "parent_precision"])
    frame = adoption(con, term, filters, parent_level, phrase)
    return frame[["unit", "first_date", "first_precision"]].rename(
        columns={"unit": "parent", "first_date": "parent_first", "first_precision": "parent_precision"})


def centre_first(con, term: str, filters: Filters | None = None, phrase: bool = False) -> pd.Timestamp | None:
    """Date of the first national (全国) document using the term, or None; ``.precision`` kept in
    ``centre_precision``."""
    return _centre(con, term, filters, phrase)[0]


def _centre(con, term: str, filters: Filters | None, phrase: bool) -> tuple[pd.Timestamp | None, str | None]:
    frame = _first_uses(con, term, filters, phrase, "d.region_level = 'national'", "'000000'")
    value = frame["first_date"].iloc[0] if len(frame) else None
    if value is None or pd.isna(value):
        return None, None
    return pd.Timestamp(value), frame["first_precision"].iloc[0]


def _order(a, a_precision, b, b_precision) -> int:
    """1 when a is later than b, -1 when earlier, 0 when they cannot be told apart (the same
    year, and one of them is known to the year only)."""
    if a_precision == "year" or b_precision == "year":
        a, b = a.year, b.year
    return int(a > b) - int(a < b)


def _years(a: pd.Timestamp, b: pd.Timestamp) -> float:
    return (a - b).days / 365.25


def direction(con, term: str, filters: Filters | None = None, level: str = "city", phrase: bool = False) -> dict:
    """Top-down, bottom-up, mixed, simultaneous or too few, with the evidence (see docs)."""
    units = adoption(con, term, filters, level, phrase)
    centre, centre_precision = _centre(con, term, filters, phrase)
    adopters = units[units["adopted"]].merge(_parents(con, term, filters, level, phrase), on="parent", how="left")
    if level == "province":  # the parent of a province is the centre
        adopters["parent"], adopters["parent_first"], adopters["parent_precision"] = "全国", centre, centre_precision
    out: dict = {
        "term": term, "level": level, "units_with_documents": len(units), "adopters": len(adopters),
        "units_without_documents": units.attrs["units_without_documents"],
        "thresholds": {"top_down_share_after_parent": round(TOP_DOWN_SHARE, 3),
                       "bottom_up_share_before_parent": BOTTOM_UP_SHARE, "min_adopters": MIN_ADOPTERS,
                       "same_period": "dates known to the year only are compared by year; a tie is neither"},
        "centre_first": centre.date().isoformat() if centre is not None else None, "notes": [],
    }
    users = [("centre", "全国", centre)] if centre is not None else []
    parents = adopters.dropna(subset=["parent_first"]).drop_duplicates("parent")
    if level != "province":
        users += [(PARENT[level], p, d) for p, d in zip(parents["parent"], parents["parent_first"], strict=True)]
    users += [(level, u, d) for u, d in zip(adopters["unit"], adopters["first_date"], strict=True)]
    users.sort(key=lambda x: x[2])
    out["first_users"] = [{"level": lv, "unit": u, "date": d.date().isoformat()} for lv, u, d in users[:5]]
    order = [None if pd.isna(pf) else _order(f, fp, pf, pp) for f, fp, pf, pp in zip(
        adopters["first_date"], adopters["first_precision"], adopters["parent_first"], adopters["parent_precision"],
        strict=True)]
    with_parent = [o for o in order if o is not None]
    out["n_with_parent"] = len(with_parent)
    out["n_after_parent"] = sum(o == 1 for o in with_parent)
    out["n_same_period_as_parent"] = sum(o == 0 for o in with_parent)
    out["share_after_parent"] = round(out["n_after_parent"] / len(with_parent), 3) if with_parent else None
    before = sum(o is None or o == -1 for o in order)
    out["share_before_parent"] = round(before / len(order), 3) if order else None
    lags = [_years(f, pf) for f, pf, o in zip(adopters["first_date"], adopters["parent_first"], order, strict=True)
            if o == 1]
    out["median_lag_years"] = round(float(np.median(lags)), 2) if lags else None
    if centre is not None and len(adopters):
        after = [_order(f, fp, centre, centre_precision) == 1
                 for f, fp in zip(adopters["first_date"], adopters["first_precision"], strict=True)]
        out["share_after_centre"] = round(float(np.mean(after)), 3)
    else:
        out["share_after_centre"] = None
    out["direction"] = _call(out, users, level)
    out["left_censored"] = int(units["left_censored"].sum())
    if out["left_censored"]:
        out["notes"].append(f"{out['left_censored']} adopters used it in their first document: "
                            "they adopted then or earlier (left-censored)")
    if units["first_precision"].isin(["year", "given"]).any():
        out["notes"].append("dates partly known to the year only: adoptions within one year are not ordered")
    if out["units_without_documents"]:
        out["notes"].append(f"{out['units_without_documents']} units of this level have no documents: "
                            "out of the risk set")
    return out


def _call(out: dict, users: list, level: str) -> str:
    if out["adopters"] < MIN_ADOPTERS:
        return "too few"
    if len({d.year for _, _, d in users}) == 1:
        return "simultaneous"
    first_level = users[0][0]
    share_after = out["share_after_parent"]
    if share_after is None and out["share_after_centre"] is not None:
        share_after = out["share_after_centre"]
    if first_level != level and share_after is not None and share_after >= TOP_DOWN_SHARE:
        return "top-down"
    if first_level == level and (out["share_before_parent"] or 0) >= BOTTOM_UP_SHARE:
        return "bottom-up"
    return "mixed"


# --- the event-history model ------------------------------------------------------------------


def knn(lon: np.ndarray, lat: np.ndarray, k: int = K_NEIGHBOURS) -> np.ndarray:
    """Indices of each unit's k nearest other units by great-circle distance (plain NumPy: the
    haversine matrix of a few hundred units is small, and the weights are nothing but this)."""
    phi, lam = np.radians(lat)[:, None], np.radians(lon)[:, None]
    d = np.sin((phi - phi.T) / 2) ** 2 + np.cos(phi) * np.cos(phi.T) * np.sin((lam - lam.T) / 2) ** 2
    np.fill_diagonal(d, np.inf)
    k = min(k, len(lon) - 1)
    return np.argsort(d, axis=1)[:, :k]


def unit_years(con, term: str, filters: Filters | None = None, level: str = "city", phrase: bool = False
               ) -> pd.DataFrame:
    """The person-period table: one row per unit × year with documents while at risk, from the
    first year anyone (the centre included) used the term to the unit's adoption year (event 1)
    or its last year with documents (censored). Columns: code, unit, year, t, event, docs,
    log_docs, neighbour_share, parent_adopted."""
    units = adoption(con, term, filters, level, phrase).dropna(subset=["lon", "lat"]).reset_index(drop=True)
    if units.empty:
        return pd.DataFrame()
    base = replace(filters or Filters(), formulation=[])
    where, params = base.where()
    per_year = con.execute(
        f"""SELECT {_UNIT_CODE[level]} AS code, year(d.date) AS year, count(*) AS docs FROM documents d
            WHERE {where} AND d.date IS NOT NULL AND d.adcode IS NOT NULL AND {_AT_LEVEL[level]} GROUP BY ALL""",
        params,
    ).df()
    parents = _parents(con, term, filters, level, phrase)
    parent_year = dict(zip(parents["parent"], pd.to_datetime(parents["parent_first"]).dt.year, strict=True))
    centre = centre_first(con, term, filters, phrase)
    starts = [y for y in [units["first_year"].min(), *parent_year.values(), centre.year if centre else None]
              if y is not None and not pd.isna(y)]
    if not starts:
        return pd.DataFrame()
    start = int(min(starts))
    neighbours = knn(units["lon"].to_numpy(float), units["lat"].to_numpy(float))
    first = units["first_year"].astype("float").to_numpy()  # NaN: never
    index = {c: i for i, c in enumerate(units["code"])}
    rows = []
    for code, year, docs in per_year.itertuples(index=False):
        i = index.get(code)
        if i is None or year < start or (not math.isnan(first[i]) and year > first[i]):
            continue
        adopted_before = first[neighbours[i]] < year  # NaN compares False: never adopted
        p_year = parent_year.get(units.at[i, "parent"])
        rows.append((code, units.at[i, "unit"], int(year), int(year) - start, int(first[i] == year), int(docs),
                     float(adopted_before.mean()), int(p_year is not None and not pd.isna(p_year) and p_year < year)))
    frame = pd.DataFrame(rows, columns=["code", "unit", "year", "t", "event", "docs", "neighbour_share",
                                        "parent_adopted"]).sort_values(["code", "year"]).reset_index(drop=True)
    frame["log_docs"] = np.log1p(frame["docs"])
    return frame


def model(con, term: str, filters: Filters | None = None, level: str = "city", phrase: bool = False) -> dict:
    """Discrete-time logit of adoption on neighbour_share, parent_adopted and log_docs with a
    spline of time, standard errors clustered by unit (statsmodels)."""
    data = unit_years(con, term, filters, level, phrase)
    return fit(data)


def fit(data: pd.DataFrame, alpha: float = 0.05) -> dict:
    """The model on a person-period table (``unit_years``); refuses below MIN_EVENTS events. When
    the full model cannot be fitted, the document-volume control is dropped once (said in a note)."""
    out = _fit(data, ("neighbour_share", "parent_adopted", "log_docs"), alpha)
    if not out["terms"] and out["n_events"] >= MIN_EVENTS and "log_docs" in data and data["log_docs"].nunique() > 1:
        retry = _fit(data, ("neighbour_share", "parent_adopted"), alpha)
        if retry["terms"]:
            retry["notes"].insert(0, "log_docs left out: the model with it could not be fitted (separation)")
            return retry
    return out


def _fit(data: pd.DataFrame, wanted: tuple[str, ...], alpha: float) -> dict:
    out: dict = {"n_units": int(data["code"].nunique()) if len(data) else 0, "n_events": int(data["event"].sum())
                 if len(data) else 0, "n_unit_periods": len(data), "terms": [], "notes": []}
    if out["n_events"] < MIN_EVENTS:
        out["notes"].append(f"not fitted: {out['n_events']} adoptions, fewer than the {MIN_EVENTS} a model needs")
        return out
    import statsmodels.formula.api as smf

    covariates = [c for c in wanted if data[c].nunique() > 1]
    for c in wanted:
        if c not in covariates:
            out["notes"].append(f"{c} left out: it does not vary")
    if not covariates:
        out["notes"].append("not fitted: no covariate varies")
        return out
    periods = data["t"].nunique()
    time = "cr(t, df=3, constraints='center')" if periods >= 6 else ("t" if periods > 1 else "")
    formula = "event ~ " + " + ".join([*covariates, time] if time else covariates or ["1"])
    import warnings

    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = smf.logit(formula, data).fit(disp=0, maxiter=200, cov_type="cluster",
                                                  cov_kwds={"groups": pd.factorize(data["code"])[0]})
        except Exception as exc:  # noqa: BLE001 - a singular matrix: say so, fit nothing
            out["notes"].append(f"not fitted: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            return out
    kinds = {type(w.message) for w in caught} if caught else set()
    if PerfectSeparationWarning in kinds or ConvergenceWarning in kinds or not result.mle_retvals.get("converged"):
        out["notes"].append("not fitted: adoption is predicted perfectly (separation) or the fit did not converge "
                            "— typically every unit adopts in its first observed year")
        return out
    ci = result.conf_int(alpha)
    for name in covariates:
        out["terms"].append({"name": name, "estimate": round(float(result.params[name]), 4),
                             "odds_ratio": float(np.exp(result.params[name])),
                             "ci_low": float(np.exp(ci.loc[name, 0])), "ci_high": float(np.exp(ci.loc[name, 1])),
                             "p": float(result.pvalues[name])})
    out["time"] = {"t": "linear in years", "": "none"}.get(
        time, "natural cubic spline of years since the first use (3 df, centred)")
    out["notes"].append("standard errors clustered by unit; a unit is at risk only in years with documents")
    return out


# --- the curve --------------------------------------------------------------------------------


def curve(con, term: str, filters: Filters | None = None, level: str = "city", phrase: bool = False) -> pd.DataFrame:
    """Per year: adopters (new, cumulative), units observed (with documents up to that year),
    at risk (observed, not yet adopted), cumulative share of the units with documents; ``attrs``
    hold a Bass fit (p, q, m) when there are enough points, else a note."""
    units = adoption(con, term, filters, level, phrase)
    out = _curve_frame(units)
    out.attrs["bass"] = bass_fit(out["year"].to_numpy(), out["cumulative"].to_numpy(), len(units))
    return out


def _curve_frame(units: pd.DataFrame) -> pd.DataFrame:
    adopted = units.dropna(subset=["first_year"])
    if adopted.empty:
        return pd.DataFrame(columns=["year", "new", "cumulative", "at_risk", "units", "share"])
    years = range(int(adopted["first_year"].min()), int(max(adopted["first_year"].max(),
                                                            units["last_date"].dt.year.max())) + 1)
    new = adopted["first_year"].value_counts()
    rows, cumulative = [], 0
    for year in years:
        n = int(new.get(year, 0))
        at_risk = len(units) - cumulative  # entering the year not yet adopted
        cumulative += n
        rows.append((year, n, cumulative, at_risk, len(units), cumulative / len(units)))
    return pd.DataFrame(rows, columns=["year", "new", "cumulative", "at_risk", "units", "share"])


def bass_fit(years: Sequence[int], cumulative: Sequence[int], units: int) -> dict:
    """Bass (1969) fit of the cumulative adopters: p (innovation), q (imitation), m (ceiling)."""
    years, cumulative = np.asarray(years, float), np.asarray(cumulative, float)
    if len(years) < BASS_MIN_PERIODS or (cumulative[-1] if len(cumulative) else 0) < BASS_MIN_ADOPTERS:
        return {"fitted": False, "note": f"no Bass fit: needs >= {BASS_MIN_PERIODS} periods and "
                                         f">= {BASS_MIN_ADOPTERS} adopters"}
    from scipy.optimize import curve_fit

    t = years - years[0] + 1

    def bass(t, p, q, m):
        e = np.exp(-(p + q) * t)
        return m * (1 - e) / (1 + (q / p) * e)

    try:
        (p, q, m), _ = curve_fit(bass, t, cumulative, p0=[0.03, 0.4, max(cumulative[-1], 1.0)],
                                 bounds=([1e-6, 0.0, cumulative[-1]], [1.0, 5.0, max(units, cumulative[-1]) * 1.5]),
                                 maxfev=20_000)
    except (RuntimeError, ValueError) as exc:
        return {"fitted": False, "note": f"no Bass fit: {exc}"}
    return {"fitted": True, "p": round(float(p), 4), "q": round(float(q), 4), "m": round(float(m), 1)}


def summary_line(result: dict, lang: str = "zh") -> str:
    """The origin story in one line (the view's header)."""
    users = result.get("first_users") or []
    if not users:
        return "尚无使用记录。" if lang == "zh" else "Not used yet."
    first = users[0]
    n, with_parent = result["n_after_parent"], result["n_with_parent"]
    if lang == "zh":
        text = f"最早使用：{first['unit']}（{first['date'][:4]}）"
        if result["centre_first"]:
            text += f"；中央 {result['centre_first'][:4]} 年"
        shown = {"top-down": "自上而下", "bottom-up": "自下而上", "mixed": "混合", "simultaneous": "同时",
                 "too few": "样本过少"}.get(result["direction"], result["direction"])
        return text + f"；{result['adopters']} 个使用者中，{n}/{with_parent} 晚于其上级。方向：{shown}"
    text = f"first used by {first['unit']} ({first['date'][:4]})"
    if result["centre_first"]:
        text += f"; the centre in {result['centre_first'][:4]}"
    return text + f"; {n} of {with_parent} adopters after their parent. Direction: {result['direction']}"
