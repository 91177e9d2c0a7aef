"""Screenshots of the dashboard's views in headless Chromium (Debian's /usr/bin/chromium via
Playwright), 1400 × 1000, served by ``streamlit run dashboard.py`` on a given store.

``python scripts/gallery.py`` regenerates the README's screenshots in ``docs/img/``
(building the first-run store — the seeds and the demo — in a temporary folder);
``--all --out artifacts/gallery`` shoots every view. ``tests/test_browser.py`` uses the same
functions for the gallery test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
VIEWPORT = {"width": 1400, "height": 1000}
# the README's screenshots: file name → the URL's query (its tab, else the name's view)
README_SHOTS = {
    "overview": "",
    "trends": "city=深圳市&formulation=高质量发展&formulation=新质生产力&formulation=营商环境&phrase=一网通办",
    "heatmap": "heatmap_by=period&level=city&formulation=新质生产力&since=2018-01-01",
    "map": "level=city&formulation=新质生产力",
    "diffusion": "level=city&formulation=新质生产力",
    "keywords": "",
}
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(store: Path, timeout: float = 90) -> Iterator[str]:
    """``streamlit run dashboard.py`` on ``store``; yields the base URL, stops it afterwards."""
    port = _free_port()
    env = {**os.environ, "TIFA_STORE": str(store)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start: " + (proc.stdout.read() if proc.stdout else ""))
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# Debian's Chromium as root on a machine with no network but loopback (background services off)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(pw):
    """Headless Debian Chromium from a Playwright handle (``sync_playwright()``)."""
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def shoot(base: str, shots: dict[str, str], out: Path, wait_chart: set[str] | None = None) -> dict[str, dict]:
    """One full-page PNG per view (``out/NAME.png``); returns per view: errors shown, text, path."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport=VIEWPORT)
        for name, query in shots.items():
            url = f"{base}/?" + ("" if "tab=" in query else f"tab={name}&") + query
            page.goto(url, wait_until="domcontentloaded")
            page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=90_000)
            if wait_chart is None or name in wait_chart:
                page.wait_for_selector(CHART, timeout=120_000)
            # wait until the script run ends (the running indicator, once it has had time to show, disappears)
            page.wait_for_timeout(1500)
            page.wait_for_function("!document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=120_000)
            page.wait_for_timeout(2000)
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=False)
            results[name] = {
                "errors": page.locator(ERRORS).count(),
                "text": page.inner_text("body"),
                "path": path,
                "charts": page.locator("[data-testid='stVegaLiteChart']").count(),
            }
        browser.close()
    return results


def first_run_store(folder: Path) -> Path:
    from analytics.demo import build_first_store

    path = folder / "demo.duckdb"
    build_first_store(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="default: build the first-run store in a temporary folder")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    parser.add_argument("--all", action="store_true", help="every view, not only the README's")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from views import VIEWS

    shots = {v: "" for v in VIEWS} if args.all else README_SHOTS
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or first_run_store(Path(tmp))
        with serve(store) as base:
            for result in shoot(base, shots, args.out, wait_chart=None if not args.all else set()).values():
                print(f"{result['path']}  errors={result['errors']} charts={result['charts']}")


if __name__ == "__main__":
    main()
