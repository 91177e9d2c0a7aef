"""The diffusion statistics against planted truth: made-up formulations planted into real filler
text (the seeds' paragraphs) in documents of 120 real cities, their provinces and the centre over
12 years, with known adoption years — top-down, bottom-up, neighbour contagion, and the
contagion's adoption years shuffled across cities. Tifa reads them back through its real path
(the documents table, the phrase scan of the stored text) and must recover what was planted."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

import numpy as np
import pytest

from analytics import diffusion, store
from conftest import SEEDS

TERM = "五链同构"  # made up: in no real text
YEARS = range(2010, 2022)  # 12 years
N_CITIES = 120


@dataclass
class Planted:
    cities: dict[str, int | None]  # city code → adoption year (None: never)
    provinces: dict[str, int | None]
    centre: int | None


def _filler() -> list[str]:
    paras = [p.strip() for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n")]
    return [p for p in paras if len(p) > 40 and TERM not in p]


def _cities() -> list:
    from analytics.regions import divisions

    div = divisions()
    units = sorted((u for u in div.units.values() if u.level == "city" and u.lon is not None
                    and u.parent not in div.municipalities), key=lambda u: u.code)
    step = len(units) / N_CITIES
    return [units[int(i * step)] for i in range(N_CITIES)]


def plant(scenario: str, seed: int) -> Planted:
    rng = random.Random(seed)
    cities = _cities()
    provinces = sorted({c.parent for c in cities})
    first, last = YEARS[0], YEARS[-1]
    if scenario == "top-down":
        prov = {p: rng.choice([first + 1, first + 2]) for p in provinces}
        city = {c.code: prov[c.parent] + rng.randint(1, 4) for c in cities}
        return Planted({k: v if v <= last else None for k, v in city.items()}, prov, first)
    if scenario == "bottom-up":
        pioneers = set(rng.sample([c.code for c in cities], 6))
        later = [*range(first + 1, first + 9), None]
        city = {c.code: first if c.code in pioneers else rng.choice(later) for c in cities}
        return Planted(city, {p: rng.choice([last - 2, last - 1]) for p in provinces}, last)
    # contagion: the hazard rises with the share of the 5 nearest cities that adopted by the year before
    lon = np.array([c.lon for c in cities])
    lat = np.array([c.lat for c in cities])
    near = diffusion.knn(lon, lat)
    year = np.full(len(cities), np.nan)
    year[rng.sample(range(len(cities)), 4)] = first
    for t in YEARS[1:]:
        for i in range(len(cities)):
            if np.isnan(year[i]):
                share = float((year[near[i]] < t).mean())
                if rng.random() < 1 / (1 + np.exp(-(-3.5 + 5.0 * share))):
                    year[i] = t
    adopted = [None if np.isnan(y) else int(y) for y in year]
    if scenario == "shuffled":
        rng.shuffle(adopted)
    return Planted({c.code: y for c, y in zip(cities, adopted, strict=True)}, {p: None for p in provinces}, None)


def build_store(path, planted: Planted, seed: int) -> None:
    """One document per unit and year, real filler text; the term in every document of a unit
    from its adoption year on."""
    from analytics.regions import divisions

    div = divisions()
    rng = random.Random(seed)
    filler = _filler()
    rows = []

    def add(code: str | None, level: str, year: int, adopted: int | None) -> None:
        text = "\n".join(rng.sample(filler, 3))
        if adopted is not None and year >= adopted:
            cut = rng.randrange(len(text))
            text = f"{text[:cut]}推进{TERM}建设{text[cut:]}"
        unit = div.units[code] if code else None
        province = None if unit is None else (unit.name if unit.level == "province" else div.units[unit.parent].name)
        city = unit.name if unit is not None and unit.level == "city" else None
        doc_id = f"{level}-{code}-{year}"
        rows.append((doc_id, f"planted/{doc_id}.txt", 0, f"{year}年工作", f"{year}年工作", f"{year}-06-30", "day",
                     len(text), 1.0, "[]", None, text, province, city, code, level, len(rows)))

    for code, adopted in planted.cities.items():
        for year in YEARS:
            add(code, "city", year, adopted)
    for code, adopted in planted.provinces.items():
        for year in YEARS:
            add(code, "province", year, adopted)
    for year in YEARS:
        add(None, "national", year, planted.centre)
    with store.connect(path) as con:
        con.executemany(
            """INSERT INTO documents (doc_id, source_path, record_no, title, display_title, date, date_precision,
                   n_chars, quality, corrupt_spans, duplicate_of, text, province, city, adcode, region_level, doc_no)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )


@pytest.fixture(scope="module")
def planted_store(tmp_path_factory):
    made = {}

    def make(scenario: str, seed: int):
        if (scenario, seed) not in made:
            path = tmp_path_factory.mktemp("diffusion") / f"{scenario}-{seed}.duckdb"
            planted = plant(scenario, seed)
            build_store(path, planted, seed)
            made[(scenario, seed)] = (path, planted)
        return made[(scenario, seed)]

    return make


@pytest.mark.parametrize("scenario", ["top-down", "bottom-up", "contagion"])
def test_first_use_per_city_is_recovered(planted_store, scenario):
    path, planted = planted_store(scenario, 1)
    with store.connect(path, read_only=True) as con:
        table = diffusion.adoption(con, TERM, level="city", phrase=True)
    found = dict(zip(table["code"], table["first_year"], strict=True))
    adopters = {c: y for c, y in planted.cities.items() if y is not None}
    right = sum(found.get(c) == y for c, y in adopters.items())
    assert len(table) == N_CITIES and len(adopters) >= 30
    assert right / len(adopters) >= 0.95
    never = [c for c, y in planted.cities.items() if y is None]
    assert not any(table.set_index("code").loc[never, "adopted"])


@pytest.mark.parametrize(("scenario", "expected"), [("top-down", "top-down"), ("bottom-up", "bottom-up")])
def test_direction(planted_store, scenario, expected):
    path, _ = planted_store(scenario, 2)
    with store.connect(path, read_only=True) as con:
        result = diffusion.direction(con, TERM, level="city", phrase=True)
    assert result["direction"] == expected, json.dumps(result, ensure_ascii=False)
    assert result["thresholds"]["top_down_share_after_parent"] > 0.5


def _neighbour(path) -> dict:
    with store.connect(path, read_only=True) as con:
        result = diffusion.model(con, TERM, level="city", phrase=True)
    return next(t for t in result["terms"] if t["name"] == "neighbour_share")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_contagion_is_found(planted_store, seed):
    term = _neighbour(planted_store("contagion", seed)[0])
    assert term["ci_low"] > 1, term


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_adoption_is_not_contagion(planted_store, seed):
    term = _neighbour(planted_store("shuffled", seed)[0])
    assert term["ci_low"] <= 1 <= term["ci_high"], term


@pytest.mark.slow
def test_false_positive_rate_over_seeds(planted_store):
    """20 seeds each: power on contagion, false positives on shuffled (reported in docs/diffusion.md)."""
    found = [_neighbour(planted_store("contagion", s)[0])["ci_low"] > 1 for s in range(10, 30)]
    false = [not (lambda t: t["ci_low"] <= 1 <= t["ci_high"])(_neighbour(planted_store("shuffled", s)[0]))
             for s in range(10, 30)]
    print(f"contagion found in {sum(found)}/20 seeds; shuffled called contagion in {sum(false)}/20")
    assert sum(found) >= 18 and sum(false) <= 2


def test_the_model_refuses_too_few_events():
    import pandas as pd

    data = pd.DataFrame({"code": ["a", "b"], "unit": ["A", "B"], "year": [2020, 2020], "t": [0, 0],
                         "event": [1, 0], "docs": [1, 1], "neighbour_share": [0.0, 1.0], "parent_adopted": [0, 0],
                         "log_docs": [0.69, 0.69]})
    result = diffusion.fit(data)
    assert result["terms"] == [] and "fewer than the 10" in result["notes"][0]


@pytest.mark.parametrize(("cumulative", "fitted"), [([1, 3, 8, 15, 22, 27, 29, 30], True), ([1, 2, 3], False)])
def test_bass_fit_only_on_enough_points(cumulative, fitted):
    result = diffusion.bass_fit(list(range(2010, 2010 + len(cumulative))), cumulative, 40)
    assert result["fitted"] is fitted
    if fitted:
        assert 0 < result["p"] < result["q"] and 29 <= result["m"] <= 60


@pytest.mark.parametrize(
    ("flag", "keys"),
    [
        ("--summary", {"direction", "first_users", "share_after_parent", "share_after_centre", "median_lag_years",
                       "thresholds", "notes"}),
        ("--model", {"n_units", "n_events", "n_unit_periods", "terms", "notes"}),
    ],
)
def test_cli_json_shapes(planted_store, flag, keys):
    from click.testing import CliRunner

    from analytics.cli import cli

    path, _ = planted_store("contagion", 1)
    result = CliRunner().invoke(cli, ["diffusion", "--phrase", TERM, "--level", "city", flag, "--format", "json",
                                      "--store", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert keys <= set(out)
    if flag == "--model":
        assert {"name", "odds_ratio", "ci_low", "ci_high", "p"} <= set(out["terms"][0])
    else:
        assert out["direction"] in ("top-down", "bottom-up", "mixed", "simultaneous", "too few")
