"""The common filters, parsed from CLI flags, ``key=value`` specs and URL query parameters.

The names are the same everywhere: province, city, district, since, until, site, official,
formulation (plus include_duplicates / include_inferred switches).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from .store import Filters

FILTER_KEYS = ("province", "city", "district", "since", "until", "site", "official", "formulation")
LIST_KEYS = ("province", "city", "district", "site", "official", "formulation")
_TRUE = {"1", "true", "yes", "on"}


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
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{key}: expected a date YYYY-MM-DD, got {value!r}") from exc


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
            raise ValueError(f"filter {part!r}: expected key=value (keys: {', '.join(FILTER_KEYS)})")
        key, value = (s.strip() for s in part.split("=", 1))
        if key not in FILTER_KEYS and key not in ("include_duplicates", "include_inferred"):
            raise ValueError(f"unknown filter {key!r} (keys: {', '.join(FILTER_KEYS)})")
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
