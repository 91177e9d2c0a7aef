"""End to end in a real browser: `streamlit run dashboard.py` headless, Debian's Chromium driven by
Playwright, a permalink with ?city=萍乡市 opened, the trend chart awaited, a screenshot saved.

Skips (with the reason) where Chromium is not installed, unless TIFA_REQUIRE_BROWSER=1 (CI).
"""

import os
import shutil
import sys

import pytest

from conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "artifacts"

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if not CHROMIUM:
        if os.environ.get("TIFA_REQUIRE_BROWSER"):
            pytest.fail("TIFA_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)")


def _gallery():
    """scripts/gallery.py: the streamlit server and the screenshots the README's images come from."""
    sys.path.insert(0, str(REPO / "scripts"))
    import gallery

    return gallery


@pytest.fixture
def server(seed_store):
    _require_chromium()
    with _gallery().serve(seed_store) as base:
        yield base


def test_permalink_opens_the_trend_view(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = _gallery().launch(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server}/?city=萍乡市&formulation=五区&tab=trends", wait_until="domcontentloaded")
        page.wait_for_selector(
            "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg", timeout=90_000
        )
        page.wait_for_timeout(1500)
        text = page.inner_text("body")
        shot = ARTIFACTS / "dashboard-trends-pingxiang.png"
        page.screenshot(path=str(shot), full_page=True)
        errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()
        url = page.url
        browser.close()
    assert "萍乡市" in text
    assert "趋势" in text
    assert errors == 0
    assert "city=" in url and "tab=trends" in url
    assert shot.stat().st_size > 10_000


def test_gallery_every_view_on_the_demo(demo_store):
    """Every view rendered in headless Chromium at 1400 × 1000 on the first-run store (seeds and
    demo), saved under artifacts/gallery/NAME.png: no error on screen, a chart where one belongs."""
    _require_chromium()
    serve, shoot = _gallery().serve, _gallery().shoot
    from views import VIEWS

    with_chart = set(VIEWS) - {"contexts", "documents", "discover"}
    with serve(demo_store) as base:
        results = shoot(base, {v: "" for v in VIEWS}, ARTIFACTS / "gallery", wait_chart=with_chart)
    for view, result in results.items():
        assert result["errors"] == 0, view
        assert result["path"].stat().st_size > 20_000, view
        if view in with_chart:
            assert result["charts"] >= 1, view
    assert "全国" in results["trends"]["text"] or "全国" in results["heatmap"]["text"]
    assert "未定" not in results["heatmap"]["text"]
