"""The common filters, parsed from CLI flags, ``key=value`` specs and URL query parameters.

The names are the same everywhere: province, city, district, since, until, site, official,
formulation (plus include_duplicates / include_inferred switches).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date

from .store import Filters

FILTER_KEYS = ("province", "city", "district", "since", "until", "site", "official", "formulation")
LIST_KEYS = ("province", "city", "district", "site", "official", "formulation")
SWITCH_KEYS = ("include_duplicates", "include_inferred")
_TRUE = {"1", "true", "yes", "on"}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class FilterError(ValueError):
    """A filter the user wrote cannot be read: a bad date, ``key`` without ``=value``, an unknown key.

    ``reason`` is one of ``bad_date``, ``bad_spec``, ``unknown_key``; ``detail`` says more
    (which part of a date is wrong, the nearest known key). The message is one English line.
    """

    def __init__(self, key: str, value: str, reason: str, detail: str = "") -> None:
        self.key, self.value, self.reason, self.detail = key, value, reason, detail
        super().__init__(_filter_message(key, value, reason, detail))


def _filter_message(key: str, value: str, reason: str, detail: str) -> str:
    if reason == "bad_date":
        why = f" ({date_problem_text(detail, 'en')})" if detail else ""
        return f"{key}: {value!r} is not a date{why}; expected YYYY-MM-DD, e.g. 2023-01-31"
    if reason == "bad_spec":
        return f"filter {value!r}: expected key=value (keys: {', '.join(FILTER_KEYS)})"
    hint = f"did you mean {detail!r}? " if detail else ""
    return f"unknown filter {key!r}: {hint}(keys: {', '.join(FILTER_KEYS)})"


def date_problem(text: str) -> str:
    """Why ``text`` is not a YYYY-MM-DD date: ``month 13``, ``day 30 of 2023-02`` or ``format``."""
    m = _ISO_DATE.fullmatch(text.strip())
    if not m:
        return "format"
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"month {month}"
    try:
        date(year, month, day)
    except ValueError:
        return f"day {day} of {year}-{month:02d}"
    return ""


def date_problem_text(problem: str, lang: str = "en") -> str:
    """``month 13`` → ``no month 13`` / ``没有 13 月``; ``day 30 of 2023-02`` → ``no day 30 in 2023-02``."""
    kind, number, *rest = problem.split()
    if kind == "month":
        return f"没有 {number} 月" if lang == "zh" else f"no month {number}"
    month = rest[-1] if rest else ""
    return f"{month} 没有 {number} 日" if lang == "zh" else f"no day {number} in {month}"


def nearest_key(key: str) -> str:
    """The known filter key closest to a mistyped one (``cty`` → ``city``), or ""."""
    found = difflib.get_close_matches(key.lower(), [*FILTER_KEYS, *SWITCH_KEYS], n=1, cutoff=0.6)
    return found[0] if found else ""


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in (value,) if v]
    return [str(v) for v in value if v]


def _as_date(value, key: str) -> date | None:
    if value in (None, "", [], ()):
        return None
    if isinstance(value, (list, tuple)):
        value = value[-1]
    if isinstance(value, date):
        return value
    text = str(value).strip()
    problem = date_problem(text)
    if problem:
        raise FilterError(key, str(value), "bad_date", "" if problem == "format" else problem)
    return date.fromisoformat(text)


def _as_bool(value, default: bool) -> bool:
    if value in (None, "", [], ()):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        value = value[-1]
    return str(value).lower() in _TRUE


def filters_from_mapping(mapping: Mapping) -> Filters:
    """Build Filters from a dict of strings or lists (CLI kwargs, query params)."""
    return Filters(
        **{k: _as_list(mapping.get(k)) for k in LIST_KEYS},
        since=_as_date(mapping.get("since"), "since"),
        until=_as_date(mapping.get("until"), "until"),
        include_duplicates=_as_bool(mapping.get("include_duplicates"), False),
        include_inferred=_as_bool(mapping.get("include_inferred"), True),
    )


def parse_filter_spec(spec: str) -> Filters:
    """``city=萍乡市,since=2022-01-01`` → Filters; a key may repeat (city=A,city=B)."""
    mapping: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in spec.replace("，", ",").split(","))):
        if "=" not in part:
            raise FilterError("", part, "bad_spec")
        key, value = (s.strip() for s in part.split("=", 1))
        if key not in FILTER_KEYS and key not in SWITCH_KEYS:
            raise FilterError(key, value, "unknown_key", nearest_key(key))
        mapping.setdefault(key, []).append(value)
    return filters_from_mapping(mapping)


def to_query_params(filters: Filters) -> dict[str, list[str] | str]:
    """Filters → URL query parameters (the inverse of filters_from_mapping)."""
    out: dict[str, list[str] | str] = {}
    for key in LIST_KEYS:
        values = getattr(filters, key)
        if values:
            out[key] = list(values)
    for key in ("since", "until"):
        value = getattr(filters, key)
        if value:
            out[key] = value.isoformat()
    if filters.include_duplicates:
        out["include_duplicates"] = "1"
    if not filters.include_inferred:
        out["include_inferred"] = "0"
    return out
