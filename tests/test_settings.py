"""The settings table (analytics/settings.py) against the code and the README, as datasette
checks its settings: every TIFA_* variable the code reads is in the table, and every row of the
table is documented in the README."""

from __future__ import annotations

import re

import pytest

from analytics import settings
from conftest import REPO

NAMES = [s.name for s in settings.SETTINGS]


def test_every_variable_the_code_reads_is_in_the_table():
    used = set()
    for path in [*REPO.glob("analytics/*.py"), REPO / "dashboard.py", *REPO.glob("tests/*.py")]:
        used |= set(re.findall(r"\bTIFA_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert used - set(NAMES) == set()


@pytest.mark.parametrize("name", NAMES)
def test_every_setting_is_documented_in_the_readme(name):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = next((line for line in readme.splitlines() if line.startswith(f"| `{name}` |")), None)
    assert row, f"{name} has no row in the README's settings table"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "rjieba"),
        ({"TIFA_SEGMENTER": "jieba"}, "jieba"),
        ({"TIFA_SEGMENTER": ""}, "rjieba"),
    ],
)
def test_segmenter_setting(monkeypatch, env, expected):
    from analytics.pipeline import Settings

    monkeypatch.delenv("TIFA_SEGMENTER", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert Settings().segmenter == expected


def test_unknown_segmenter_is_refused(monkeypatch):
    from analytics import segment

    monkeypatch.setenv("TIFA_SEGMENTER", "thulac")
    with pytest.raises(ValueError, match="rjieba"):
        segment.engine_name()


@pytest.mark.parametrize(("env", "expected"), [("3", 3), ("0", 1), ("", settings.usable_cpus())])
def test_workers_default_to_usable_cpus(monkeypatch, env, expected):
    monkeypatch.setenv("TIFA_WORKERS", env)
    assert settings.default_workers() == expected
