"""The compiled-data cache: built once, reused by the next process, rebuilt when a data file,
the key or the version changes; a broken cache file only costs a rebuild."""

from __future__ import annotations

import pytest

from analytics import cache


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TIFA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_built_once_then_read(cache_dir, tmp_path):
    dep = tmp_path / "dep.txt"
    dep.write_text("a", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return {"value": dep.read_text(encoding="utf-8")}

    assert cache.cached("thing", build, [dep]) == {"value": "a"}
    assert cache.cached("thing", build, [dep]) == {"value": "a"}
    assert len(calls) == 1
    dep.write_text("bb", encoding="utf-8")  # the data file changed: built again, old file removed
    assert cache.cached("thing", build, [dep]) == {"value": "bb"}
    assert len(calls) == 2
    assert len(list(cache_dir.glob("thing-*.pickle"))) == 1


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05\x95"])
def test_a_broken_cache_file_is_rebuilt(cache_dir, garbage):
    cache.cached("x", lambda: 1, key="k")
    (path,) = cache_dir.glob("x-*.pickle")
    path.write_bytes(garbage)
    assert cache.cached("x", lambda: 2, key="k") == 2


def test_an_unwritable_cache_only_costs_the_build(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("TIFA_CACHE_DIR", str(blocker / "cache"))  # below a file: cannot be created
    assert cache.cached("y", lambda: [1, 2]) == [1, 2]


def test_keys_separate_values(cache_dir):
    assert cache.cached("z", lambda: "a", key="1") == "a"
    assert cache.cached("z", lambda: "b", key="2") == "b"


def test_character_ranks_come_from_the_cache(cache_dir):
    from analytics import resources

    resources.char_rank.cache_clear()
    ranks = resources.char_rank()
    assert ranks["的"] < 100 and list(cache_dir.glob("char_rank-*.pickle"))
    resources.char_rank.cache_clear()
    assert resources.char_rank() == ranks


def test_person_name_dictionary_is_the_same_built_or_read_from_the_cache(cache_dir):
    """The function words (而且, 谈到: never names) travel in the cache with the frequencies; a
    process reading the cache must judge names exactly as the process that built it."""
    from analytics import person_names

    person_names._dictionary.cache_clear()
    built = (person_names.word_freq(), person_names.function_words())
    assert list(cache_dir.glob("word_freq-*.pickle"))
    person_names._dictionary.cache_clear()
    read = (person_names.word_freq(), person_names.function_words())
    assert read == built
    assert {"而且", "谈到"} <= read[1] and read[0]["我们"] > 0
    person_names._dictionary.cache_clear()
