"""The dashboard's views: one module per view, each with ``render(ctx)``.

A top-level package beside ``dashboard.py`` (not inside ``analytics/``): it is the UI layer
and imports streamlit everywhere, while ``analytics/`` never does — the library stays usable
from the CLI and notebooks without Streamlit's runtime. Adding a view: write
``views/NAME.py`` with ``render(ctx)`` and add one line to ``REGISTRY`` (and its ``view_NAME``
label in ``analytics/i18n.py``).
"""

from __future__ import annotations

from . import contexts, diffusion, discover, documents, heatmap, keywords, leaders, overview, trends
from . import map as map_view

REGISTRY = {
    "overview": overview.render,
    "trends": trends.render,
    "heatmap": heatmap.render,
    "map": map_view.render,
    "diffusion": diffusion.render,
    "keywords": keywords.render,
    "contexts": contexts.render,
    "documents": documents.render,
    "discover": discover.render,
    "leaders": leaders.render,
}
VIEWS = tuple(REGISTRY)
