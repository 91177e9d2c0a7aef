"""Keyword in context: the lines read a chunk at a time in date order are the first lines of
one scan over every document, whatever the chunk size and whichever way the reading ends."""

import pandas as pd
import pytest

from analytics import kwic, store
from analytics.formulations import load_lexicon
from analytics.store import Filters


@pytest.mark.parametrize("term", ["高质量发展", "乡村振兴", "新质生产力", "五区"])
@pytest.mark.parametrize("limit", [1, 7, 60, 900])
@pytest.mark.parametrize(("first_chunk", "advantage"), [(2, 0), (3, 0.01), (64, 10), (5, 10**6)])
def test_chunked_lines_are_the_first_lines_of_the_scan(demo_store, monkeypatch, term, limit, first_chunk, advantage):
    monkeypatch.setattr(kwic, "FIRST_CHUNK", first_chunk)
    monkeypatch.setattr(kwic, "SCAN_ADVANTAGE", advantage)
    with store.connect(demo_store, read_only=True) as con:
        every = kwic.kwic(con, term, Filters(), limit=None, lexicon=load_lexicon())
        first = kwic.kwic(con, term, Filters(), limit=limit, lexicon=load_lexicon())
    assert len(every) > 0
    assert _records(first) == _records(every.head(limit))


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
