"""The README's first command, measured: a fresh clone, a fresh venv, ``pip install -e .``, then
``streamlit run dashboard.py`` opened in headless Chromium; times the first page load (which
builds ``data/store.duckdb`` from ``data/``) until the overview's charts are drawn, then reads
the store: cities with documents in >= 8 distinct years, provinces, documents.

    python bench/first_run.py [--work DIR] [--out result.json]

Needs Debian's chromium and a CJK font (as the browser test) and Playwright in the running
interpreter; the clone gets its own venv, so the measured install is the README's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import emit  # bench/run.py (python bench/first_run.py puts bench/ on the path)

REPO = Path(__file__).resolve().parent.parent


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, **kw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="tifa-first-run-"))
    clone = work / "clone"
    run(["git", "clone", "-q", str(REPO), str(clone)])
    start = time.perf_counter()
    run([sys.executable, "-m", "venv", str(clone / ".venv")])
    run([str(clone / ".venv" / "bin" / "pip"), "install", "-q", "-e", str(clone)])
    install_s = time.perf_counter() - start

    sys.path.insert(0, str(REPO / "scripts"))
    import gallery

    env = {k: v for k, v in os.environ.items() if not k.startswith("TIFA_")}
    port = gallery._free_port()
    server = subprocess.Popen(
        [str(clone / ".venv" / "bin" / "streamlit"), "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=clone, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = gallery.launch(pw)
            page = browser.new_page(viewport=gallery.VIEWPORT)
            deadline = time.time() + 60
            while True:  # the server takes a moment to listen
                try:
                    opened = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    if time.time() > deadline:
                        raise
                    time.sleep(0.5)
            page.wait_for_selector(gallery.CHART, timeout=600_000)
            first_run_s = time.perf_counter() - opened
            page.screenshot(path=str(work / "first-run.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    import duckdb

    con = duckdb.connect(str(clone / "data" / "store.duckdb"), read_only=True)
    cities = con.execute(
        "SELECT count(*) FROM (SELECT city FROM documents WHERE region_level = 'city' AND duplicate_of IS NULL "
        "GROUP BY city HAVING count(DISTINCT year(date)) >= 8)"
    ).fetchone()[0]
    provinces = con.execute("SELECT count(DISTINCT province) FROM documents WHERE province IS NOT NULL").fetchone()[0]
    documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "install_s": round(install_s, 1),
        "first_page_with_charts_s": round(first_run_s, 1),
        "documents": documents,
        "cities_with_8_years": cities,
        "provinces": provinces,
        "screenshot": str(work / "first-run.png"),
    }
    emit(result, args.out)


if __name__ == "__main__":
    main()
