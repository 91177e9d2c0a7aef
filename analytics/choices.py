"""The named choices of the analyses (periods, levels, measures, keyness methods…).

Plain constants, kept apart from the analyses that use them so that the CLI can offer them
without importing the analysis stack (pandas, scikit-learn): ``tifa ingest`` starts lean and
its memory goes to the workers. The analysis modules re-export them under their old names.
"""

TREND_LEVELS = ("province", "city", "district", "all")
PERIODS = ("month", "quarter", "year")
MEASURES = ("share", "per10k", "count")

KEYNESS_METHODS = ("logodds", "tfidf")
RANKS = ("effect", "z")
CORRECTIONS = ("bh", "bonferroni")
DEFAULT_ALPHA = 0.01
MIN_TOKENS = 100  # a side with fewer content tokens than this (about a short article) is not compared
# Officials named in at least this many documents have their term sums stored at ingest
# (``term_officials``, at most OFFICIAL_SUMS_MAX of them); below it, summing their documents'
# matrix rows takes about as long (~0.1 s at a million documents).
OFFICIAL_SUMS_MIN = 2_000
OFFICIAL_SUMS_MAX = 100

DISCOVER_SOURCES = ("quoted", "numbered", "recurring")  # also the ranking order of sources
