"""Duplicates: exact (same clean body) and near (MinHash over character shingles).

A document whose clean body equals an earlier one's, or whose estimated Jaccard similarity
of character 5-gram shingles with an earlier one is >= 0.9, gets ``duplicate_of`` = the
earliest document of its group (by date, then publication time, then doc_id). Nothing is
deleted; counts exclude duplicates by default.
"""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

NUM_PERM = 64  # shingles are hashed with CRC-32 (C speed; stable across processes)
SHINGLE = 5
THRESHOLD = 0.9
SCHEME = "affine32"  # datasketch >= 2 hashing scheme; stored signatures depend on it


def content_hash(text: str) -> str:
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()


def minhash_signature(text: str) -> bytes:
    from datasketch import MinHash

    compact = "".join(text.split())
    shingles = {compact[i : i + SHINGLE] for i in range(max(1, len(compact) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=zlib.crc32)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh.hashvalues.astype(np.uint64).tobytes()


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
