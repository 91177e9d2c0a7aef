"""The dashboard's views: one module per view, each with ``render(ctx)``.

A top-level package beside ``dashboard.py`` (not inside ``analytics/``): it is the UI layer
and imports streamlit everywhere, while ``analytics/`` never does — the library stays usable
from the CLI and notebooks without Streamlit's runtime. Adding a view: write
``views/NAME.py`` with ``render(ctx)`` and add its name on one line of ``VIEWS`` (and its
``view_NAME`` label in ``analytics/i18n.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

# the registry, in menu order: one line per view, each the name of a module of this package
VIEWS = (
    "overview",
    "trends",
    "heatmap",
    "map",
    "diffusion",
    "keywords",
    "contexts",
    "documents",
    "discover",
    "leaders",
)
REGISTRY: dict[str, Callable] = {name: import_module(f"{__name__}.{name}").render for name in VIEWS}
