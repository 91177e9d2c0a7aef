"""Duplicates: exact (same clean body) and near (MinHash over character shingles).

A document whose clean body equals an earlier one's, or whose estimated Jaccard similarity
of character 5-gram shingles with an earlier one is >= 0.9, gets ``duplicate_of`` = the
earliest document of its group (by date, then publication time, then doc_id). Nothing is
deleted; counts exclude duplicates by default.
"""

from __future__ import annotations

import hashlib

import numpy as np

NUM_PERM = 64
SHINGLE = 5
THRESHOLD = 0.9
SCHEME = "affine32"  # datasketch's name for 32-bit values from (a·h + b) mod p; LSH only reads them


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


def assign_duplicates(rows: list[tuple[str, str, bytes]]) -> dict[str, str]:
    """``rows`` = (doc_id, content_hash, signature) in canonical order (earliest first).

    Returns {doc_id: duplicate_of} for every duplicate.
    """
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    by_hash: dict[str, str] = {}
    kept: dict[str, np.ndarray] = {}
    out: dict[str, str] = {}
    for doc_id, chash, sig in rows:
        if chash in by_hash:
            out[doc_id] = by_hash[chash]
            continue
        values = np.frombuffer(sig, dtype=np.uint64)
        mh = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME)
        match = None
        for cand in sorted(lsh.query(mh)):
            if np.mean(kept[cand] == values) >= THRESHOLD:
                match = cand if match is None else min(match, cand, key=list(kept).index)
        if match is not None:
            out[doc_id] = match
            by_hash[chash] = match
            continue
        by_hash[chash] = doc_id
        kept[doc_id] = values
        lsh.insert(doc_id, mh)
    return out
