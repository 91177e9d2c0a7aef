"""Tifa dashboard: `streamlit run dashboard.py`.

A thin router: ``views.context`` draws the sidebar and keeps the URL state, ``views.REGISTRY``
maps each view's name to its ``render(ctx)``. Every number comes from the ``analytics`` library.
"""

import streamlit as st

from views import REGISTRY, VIEWS
from views.context import build, share_link


def main() -> None:
    st.set_page_config(page_title="Tifa 提法", layout="wide")
    ctx, view = build(VIEWS)
    REGISTRY[view](ctx)
    share_link(ctx)


# Streamlit runs this file as __main__. A process started by "spawn" (a Dask nanny in the same
# interpreter, say) imports it as __mp_main__ and must not build the store or draw a page.
if __name__ == "__main__":
    main()
