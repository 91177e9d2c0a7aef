"""A real, non-editable install: `pip install <clone>` into a fresh venv, then `tifa ingest` of
the seeds from another folder works and writes nothing inside site-packages. The venv borrows
this environment's dependencies through a .pth line (the package itself is installed for real)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import REPO, SEEDS


def files_below(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to clone the checkout")
def test_pip_install_of_a_clone_works_from_anywhere(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    for path in [*REPO.glob("analytics/*.py"), REPO / "pyproject.toml", *REPO.glob("data/*.t*")]:
        shutil.copy(path, clone / path.relative_to(REPO))  # the working tree, committed or not
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(clone)],
        check=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert (site / "analytics" / "data" / "formulations.toml").is_file()
    before = files_below(site)
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIFA_") and k != "PYTHONPATH"}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache")}
    tifa = [python, "-c", "import sys; from analytics.cli import main; sys.exit(main())"]
    where = subprocess.run(
        [python, "-c", "import analytics; print(analytics.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=True,
    ).stdout
    assert where.startswith(str(site)), where  # the installed copy, not the checkout
    result = subprocess.run([*tifa, "ingest", str(SEEDS)], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert "documents 5" in result.stdout
    result = subprocess.run(
        [*tifa, "discover", "--accept", "老树发新枝"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert result.returncode == 0, result.stderr
    assert files_below(site) == before  # nothing written inside the installed package
    written = files_below(home)
    assert any(p.endswith("store.duckdb") for p in written) and any(p.endswith("user_lexicon.toml") for p in written)
    assert not list(elsewhere.iterdir())
