"""Tifa: track Chinese political formulations (提法) in local-government news.

The library never imports streamlit; ``dashboard.py`` and ``analytics.cli`` sit on top of it.
"""

__version__ = "0.1.0"
