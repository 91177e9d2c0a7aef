"""Which of many regular expressions match a text, with one Aho–Corasick pass in place of one
search per pattern.

Each pattern's literal strings of which every match contains one (read from the parsed
pattern: its longest run of consecutive literals, or one per branch of an alternation) are
looked for in one pass; only patterns whose literal occurs are searched. Patterns without
one (a character class alone, case-insensitive flags) are always searched. The answer is
exactly that of searching every pattern.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .matcher import Matcher

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_LITERAL, _BRANCH = _sre_parse.LITERAL, _sre_parse.BRANCH


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal strings of which every match of ``pattern`` contains at least one, or None.

    The longest run of consecutive literals at the top level (``(?:党的)?二十大`` → 二十大),
    or, where no run of two characters exists, one run per branch of a top-level alternation
    (``李强总理|总理李强`` → 李强总理, 总理李强).
    """
    if pattern.flags & re.IGNORECASE:
        return None
    return _sequence(list(_sre_parse.parse(pattern.pattern, pattern.flags & ~re.UNICODE)))


def _sequence(items: list) -> tuple[str, ...] | None:
    best, run, branches = "", [], None
    for op, arg in items:
        if op is _LITERAL:
            run.append(chr(arg))
            continue
        best, run = max(best, "".join(run), key=len), []
        if op is _BRANCH and branches is None:
            found = [_sequence(list(branch)) for branch in arg[1]]
            if all(found):
                branches = tuple(lit for alternatives in found for lit in alternatives)
    best = max(best, "".join(run), key=len)
    if branches and len(best) < 2:
        return branches
    return (best,) if best else None


class PatternSet:
    """Patterns in order; ``matching(text)`` gives the indices of those that match it."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        literals = [required_literals(p) for p in self.patterns]
        self._always = tuple(i for i, lits in enumerate(literals) if lits is None)
        by_literal: dict[str, list[int]] = {}
        for i, lits in enumerate(literals):
            for lit in lits or ():
                by_literal.setdefault(lit, []).append(i)
        self._matcher = Matcher((lit, tuple(ids)) for lit, ids in by_literal.items())

    def matching(self, text: str) -> list[int]:
        candidates = set(self._always)
        for _, _, ids in self._matcher.iter(text):
            candidates.update(ids)
        return [i for i in sorted(candidates) if self.patterns[i].search(text)]
