"""Duplicates: exact (same clean body) and near (MinHash over character shingles).

A document whose clean body equals an earlier one's, or whose estimated Jaccard similarity
of character 5-gram shingles with an earlier one is >= 0.9, gets ``duplicate_of`` = the
earliest document of its group (by date, then publication time, then doc_id). Nothing is
deleted; counts exclude duplicates by default.

The store finds them without holding the corpus in memory (``store.update_duplicates``): LSH
band keys and candidate pairs are computed in DuckDB, and only verified near-duplicate pairs
come back to ``resolve_near``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from itertools import groupby

import numpy as np

NUM_PERM = 64
SHINGLE = 5
THRESHOLD = 0.9


def content_hash(text: str) -> str:
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()


_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64((1 << 32) - 1)
_RNG = np.random.RandomState(1)
_A = _RNG.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _RNG.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_POW = np.array([1_000_003**k % (1 << 32) for k in range(SHINGLE)], dtype=np.uint64)


def minhash_signature(text: str) -> bytes:
    """MinHash of the set of character 5-grams, vectorised with NumPy.

    Each shingle hashes to a 32-bit polynomial of its code points; permutation k maps a hash h
    to ((a_k·h + b_k) mod 2^64 mod (2^61 − 1)) mod 2^32 with fixed seeded 61-bit a_k, b_k (the
    scheme datasketch uses); the signature is the minimum per permutation. Same text, same
    signature, in every process.
    """
    codes = np.frombuffer("".join(text.split()).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        codes = np.pad(codes, (0, SHINGLE - len(codes)))
    windows = np.lib.stride_tricks.sliding_window_view(codes, SHINGLE)
    hashes = np.unique((windows * _POW).sum(axis=1) % np.uint64(1 << 32))
    with np.errstate(over="ignore"):  # the multiply is meant to wrap modulo 2^64
        values = ((np.outer(_A, hashes) + _B[:, None]) % _PRIME) & _MASK
    return values.min(axis=1).astype(np.uint64).tobytes()


def lsh_bands() -> tuple[int, int]:
    """(bands, values per band) of the LSH: 8 × 8 of the 64 values.

    Two signatures become candidates when all values of one band agree: probability
    1 − (1 − s⁸)⁸ for Jaccard similarity s — 0.99 at s = 0.9, 0.03 at s = 0.5. Candidates are
    then verified exactly, so the bands favour recall (datasketch's balanced 3 × 21 for 0.9
    would miss half the pairs at s = 0.92).
    """
    return 8, 8


def min_agreement() -> int:
    """Signature values that must agree for an estimated Jaccard similarity >= THRESHOLD."""
    return math.ceil(THRESHOLD * NUM_PERM)


def resolve_near(pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Originals among near-duplicates, greedily in canonical order.

    ``pairs`` = (earlier, later) canonical ranks of verified near-duplicate documents, sorted
    by later, then earlier. A document duplicates the earliest similar document that is itself
    an original; returns {later: that original} for every duplicate. Memory grows with the
    number of near-duplicates, not with the corpus.
    """
    out: dict[int, int] = {}
    for later, group in groupby(pairs, key=lambda p: p[1]):
        for earlier, _ in group:
            if earlier not in out:
                out[later] = earlier
                break
    return out
