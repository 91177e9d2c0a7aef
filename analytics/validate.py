"""Check a question before answering it: the filters' names against what exists, the dates
against each other, and whether anything is left to count.

``check_filters(con, filters)`` returns a :class:`FilterCheck`: the filters to use (short forms
expanded, lexicon variants replaced by their canonical form) and the problems found, each a
:class:`Problem` whose ``text(lang)`` is one line in Chinese or English for the CLI and the
dashboard alike. ``check_params(con, mapping)`` does the same from URL query parameters or CLI
keyword arguments, turning unreadable dates into problems instead of exceptions.

Severities and exit codes (the CLI's, documented in the README):

=========  ====  ===========================================================================
error      2     the question is wrong: a bad date, since after until, an unknown or
                 ambiguous name, a formulation not in the lexicon
error      1     nothing to answer: a known name or these filters select no documents
warning    0     a value that selects nothing beside others that do (扬州市 among cities)
note       0     a name was read as another (萍乡 → 萍乡市, a variant → its canonical form)
=========  ====  ===========================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .filters import FILTER_KEYS, FilterError, date_problem_text, filters_from_mapping
from .names import LEVELS, NameIndex, name_index, present_in_store
from .store import Filters

USAGE, FAILED = 2, 1

# (zh, en) templates; fields: value, key, kind (the kind's name in that language), names, level, …
MESSAGES: dict[str, tuple[str, str]] = {
    "unknown": ("{value}：没有这个{kind}。{hint}", "{value}: no such {kind}. {hint}"),
    "unknown_stored": ("{value}：数据中没有这个{kind}。{hint}", "{value}: no {kind} of this name in the store. {hint}"),
    "did_you_mean": ("您是否要找：{names}？", "Did you mean {names}?"),
    "known_ones": ("数据中的{kind}有：{names}。", "{kinds} in the store: {names}."),
    "none_known": ("数据中没有任何{kind}。", "The store has no {kinds}."),
    "ambiguous": (
        "{value}：可指多个{kind}：{names}。请写全称。",
        "{value}: several {kinds} go by this name: {names}. Write the full name.",
    ),
    "other_level": (
        "{value}：不是{kind}，而是{level}{shown}（请用 --{level_key} {resolved}）。",
        "{value}: not a {kind} but a {level}{shown}; use --{level_key} {resolved}.",
    ),
    "not_in_lexicon": (
        "{value}：不在提法词表中。{hint}可作为短语统计（--phrase {value}，网址中 phrase={value}）；"
        "要把它计为提法，请用 --lexicon 文件或 `tifa discover --accept {value}`。",
        "{value}: not in the formulation lexicon. {hint}Chart it as a phrase (--phrase {value}, "
        "phrase={value} in the URL); to count it as a formulation, add it with --lexicon FILE or "
        "`tifa discover --accept {value}`.",
    ),
    "expanded": ("{value} 按 {resolved} 处理。", "{value} read as {resolved}."),
    "variant": (
        "{value} 是 {resolved} 的变体，按 {resolved} 计数。",
        "{value} is a variant of {resolved}; counted as {resolved}.",
    ),
    "no_documents": ("{value}：{context}没有文档。", "{value}: 0 documents{context}."),
    "not_mentioned": (
        "{value}：{context}的 {docs} 篇文档均未提及。",
        "{value}: mentioned in none of the {docs} documents{context}.",
    ),
    "empty": ("当前筛选（{filters}）下没有文档。{span}", "No documents match these filters ({filters}). {span}"),
    "span": ("数据中有日期的文档从 {first} 到 {last}。", "The store's dated documents run from {first} to {last}."),
    "no_dates": ("数据中没有带日期的文档。", "The store has no dated documents."),
    "bad_range": ("起始日期 {since} 晚于截止日期 {until}。", "since {since} is after until {until}."),
    "bad_date": (
        "{key}：{value!r} 不是有效日期{why}；格式为 YYYY-MM-DD，例如 2023-01-31。",
        "{key}: {value!r} is not a date{why}; expected YYYY-MM-DD, e.g. 2023-01-31.",
    ),
    "bad_spec": (
        "筛选条件 {value!r} 应写成 键=值（可用的键：{keys}）。",
        "filter {value!r}: expected key=value (keys: {keys}).",
    ),
    "unknown_key": ("未知的筛选键 {key!r}。{hint}（可用的键：{keys}）", "unknown filter {key!r}. {hint}(keys: {keys})"),
    "did_you_mean_key": ("您是否要写 {names}？", "Did you mean {names}? "),
    "ctx_between": ("{since} 至 {until} 期间", " between {since} and {until}"),
    "ctx_since": ("{since} 以来", " since {since}"),
    "ctx_until": ("{until} 以前", " until {until}"),
    "ctx_with": ("在 {filters} 中", " with {filters}"),
    "ctx_store": ("数据中", " in the store"),
}
KIND_NAMES: dict[str, tuple[str, str, str]] = {  # zh, en, en plural
    "province": ("省", "province", "provinces"),
    "city": ("市", "city", "cities"),
    "district": ("区县", "district (county-level unit)", "districts"),
    "site": ("网站", "site", "sites"),
    "official": ("官员", "official", "officials"),
    "formulation": ("提法", "formulation", "formulations"),
}
STORE_ONLY = ("site", "official")  # kinds known only from the store (no table of them)
_NAME_KEYS = ("province", "city", "district", "site", "official", "formulation")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth saying) about a question; ``text(lang)`` is one line."""

    code: str  # a MESSAGES key: unknown, ambiguous, other_level, not_in_lexicon, expanded, variant, …
    key: str  # the filter it concerns (city, since, …) or "" for the whole selection
    value: str
    severity: str  # error | warning | note
    exit_code: int  # 2 usage, 1 nothing to answer, 0 not an error
    fields: Mapping[str, object] = field(default_factory=dict)  # what the message needs besides value and key

    def text(self, lang: str = "zh") -> str:
        return _text(self, lang)


@dataclass(frozen=True)
class FilterCheck:
    filters: Filters | None  # the filters to use (names resolved); None when they could not be read
    problems: tuple[Problem, ...] = ()
    documents: int | None = None  # documents selected (None: not counted because of an error)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return max((p.exit_code for p in self.errors), default=0)

    def lines(self, lang: str = "zh", severities: tuple[str, ...] = ("error",)) -> list[str]:
        return [p.text(lang) for p in self.problems if p.severity in severities]


class InvalidQuery(ValueError):
    """Raised by callers that want an exception: carries the check (English message)."""

    def __init__(self, check: FilterCheck, label: str = "") -> None:
        self.check, self.label = check, label
        prefix = f"{label}: " if label else ""
        super().__init__(prefix + " ".join(check.lines("en")))

    @property
    def exit_code(self) -> int:
        return self.check.exit_code

    def lines(self, lang: str = "en") -> list[str]:
        prefix = f"{self.label}: " if self.label else ""
        return [prefix + line for line in self.check.lines(lang)]


def _render(code: str, lang: str, **fields) -> str:
    zh, en = MESSAGES[code]
    return (zh if lang == "zh" else en).format(**fields).strip()


def _kind(kind: str, lang: str, plural: bool = False) -> str:
    zh, en, en_plural = KIND_NAMES[kind]
    return zh if lang == "zh" else en_plural if plural else en


def _names(names, lang: str, counts: Mapping[str, int] | None = None) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{n} ({counts.get(n, 0)})" if counts is not None else n for n in names)


def describe(filters: Filters, lang: str = "zh") -> str:
    """The filters as ``key=value`` text, for messages (``none`` when there are none)."""
    from .filters import to_query_params

    params = {k: v for k, v in to_query_params(filters).items() if k in FILTER_KEYS}
    sep = "；" if lang == "zh" else "; "
    joiner = "、" if lang == "zh" else ","
    text = sep.join(f"{k}={joiner.join(v) if isinstance(v, list) else v}" for k, v in params.items())
    return text or ("无" if lang == "zh" else "none")


def _context(filters: Filters, lang: str) -> str:
    """Where nothing was found: ' between A and B with site=…' / 'A 至 B 期间在 site=… 中'."""
    parts = []
    if filters.since and filters.until:
        parts.append(_render("ctx_between", lang, since=filters.since, until=filters.until))
    elif filters.since:
        parts.append(_render("ctx_since", lang, since=filters.since))
    elif filters.until:
        parts.append(_render("ctx_until", lang, until=filters.until))
    if any(getattr(filters, k) for k in _NAME_KEYS):
        parts.append(_render("ctx_with", lang, filters=describe(replace(filters, since=None, until=None), lang)))
    if not parts:
        parts.append(_render("ctx_store", lang))
    return "".join(parts) if lang == "zh" else " " + " ".join(parts)


def _text(p: Problem, lang: str) -> str:
    f = dict(p.fields)
    if p.code in ("unknown", "not_in_lexicon"):
        counts = f.get("counts", {})
        if f.get("suggestions"):
            hint = _render("did_you_mean", lang, names=_names(f["suggestions"], lang))
        elif p.code == "not_in_lexicon":
            hint = ""
        elif f.get("most_used"):
            hint = _render(
                "known_ones",
                lang,
                kind=_kind(p.key, lang),
                kinds=_kind(p.key, lang, True).capitalize(),
                names=_names(f["most_used"], lang, counts),
            )
        else:
            hint = _render("none_known", lang, kind=_kind(p.key, lang), kinds=_kind(p.key, lang, True))
        hint = hint + ("" if lang == "zh" or not hint or p.code == "unknown" else " ")
        code = "unknown_stored" if p.code == "unknown" and p.key in STORE_ONLY else p.code
        return _render(code, lang, value=p.value, kind=_kind(p.key, lang), hint=hint)
    if p.code == "ambiguous":
        return _render(
            "ambiguous",
            lang,
            value=p.value,
            kind=_kind(p.key, lang),
            kinds=_kind(p.key, lang, True),
            names=_names(f["names"], lang),
        )
    if p.code == "other_level":
        shown = "" if f["resolved"] == p.value else (f"“{f['resolved']}”" if lang == "zh" else f" ({f['resolved']})")
        return _render(
            "other_level",
            lang,
            value=p.value,
            kind=_kind(p.key, lang),
            level=_kind(f["level"], lang),
            level_key=f["level"],
            resolved=f["resolved"],
            shown=shown,
        )
    if p.code in ("no_documents", "not_mentioned"):
        return _render(p.code, lang, value=p.value, docs=f.get("docs"), context=_context(f["context"], lang))
    if p.code == "empty":
        span = ""
        if "span" in f:
            first, last = f["span"]
            span = _render("span", lang, first=first, last=last) if first else _render("no_dates", lang)
        return _render("empty", lang, filters=describe(f["filters"], lang), span=span)
    if p.code in ("bad_date", "bad_spec", "unknown_key"):
        keys = ", ".join(FILTER_KEYS)
        hint = (
            _render("did_you_mean_key", lang, names=f["nearest"]) + ("" if lang == "zh" else " ")
            if f.get("nearest")
            else ""
        )
        why = ""
        if f.get("why"):
            why = f"（{date_problem_text(f['why'], 'zh')}）" if lang == "zh" else f" ({date_problem_text(f['why'])})"
        return _render(p.code, lang, key=p.key, value=p.value, keys=keys, hint=hint, why=why)
    return _render(p.code, lang, key=p.key, value=p.value, **f)


def params_problem(exc: FilterError) -> Problem:
    """A FilterError (bad date, bad key=value, unknown key) as a Problem."""
    fields = {"why": exc.detail} if exc.reason == "bad_date" else {"nearest": exc.detail}
    return Problem(exc.reason, exc.key, exc.value, "error", USAGE, fields)


def check_params(
    con, mapping: Mapping, lexicon=None, measured: bool = False, index: NameIndex | None = None
) -> FilterCheck:
    """``check_filters`` on filters read from a mapping (URL query parameters, CLI keyword
    arguments); an unreadable date is a problem, not an exception. Keys other than the filter
    keys are ignored (the dashboard's URL also holds tab, lang, doc)."""
    try:
        filters = filters_from_mapping(mapping)
    except FilterError as exc:
        return FilterCheck(None, (params_problem(exc),))
    return check_filters(con, filters, lexicon, measured=measured, index=index)


def check_filters(
    con, filters: Filters, lexicon=None, measured: bool = False, index: NameIndex | None = None
) -> FilterCheck:
    """Check ``filters`` against the store behind ``con`` (see the module docstring).

    ``measured=True``: the formulations are what is measured (trends, leaders, diffusion), not
    a selection — their names are checked, and a formulation no selected document uses is a
    warning, not an empty selection. ``index`` reuses names already read (the dashboard).
    """
    problems: list[Problem] = []
    if filters.since and filters.until and filters.since > filters.until:
        problems.append(
            Problem(
                "bad_range",
                "since",
                str(filters.since),
                "error",
                USAGE,
                {"since": filters.since, "until": filters.until},
            )
        )
    kinds = [k for k in _NAME_KEYS if getattr(filters, k)]
    stored = {k: present_in_store(con, k, getattr(filters, k)) for k in kinds} if index is None else {}
    unknown = [k for k in kinds if set(getattr(filters, k)) - stored.get(k, set())]
    if unknown and index is None:  # read every known name only when a typed one is not in the store
        index = name_index(con, lexicon, unknown)
    resolved: dict[str, list[str]] = {}
    for kind in kinds:
        out: list[str] = []
        for value in getattr(filters, kind):
            if value in stored.get(kind, ()):
                out.append(value)
                continue
            found = index.lookup(kind, value)
            if found.ok:
                out.append(found.resolved)
                if found.status != "exact":
                    problems.append(Problem(found.status, kind, value, "note", 0, {"resolved": found.resolved}))
            else:
                problems.append(_name_problem(found, index))
        resolved[kind] = list(dict.fromkeys(out))
    if any(p.severity == "error" for p in problems):
        return FilterCheck(None, tuple(problems))
    checked = replace(filters, **resolved)
    selection = replace(checked, formulation=[]) if measured else checked
    total = _count(con, selection)
    problems += _empty_values(con, checked, measured, total)
    if total == 0:  # one line: the value that selects nothing, or the whole selection
        culprits = [p for p in problems if p.code == "no_documents"]
        problems = [p for p in problems if p.code != "no_documents"]
        if len(culprits) == 1:
            problems.append(replace(culprits[0], severity="error", exit_code=FAILED))
        else:
            problems.append(Problem("empty", "", "", "error", FAILED, _empty_fields(con, selection)))
    return FilterCheck(checked, tuple(problems), total)


def _name_problem(found, index: NameIndex) -> Problem:
    kind = found.kind
    if found.status == "ambiguous":
        return Problem("ambiguous", kind, found.name, "error", USAGE, {"names": found.candidates})
    if found.status == "other_level":
        return Problem(
            "other_level", kind, found.name, "error", USAGE, {"level": found.level, "resolved": found.resolved}
        )
    fields: dict[str, object] = {"suggestions": found.candidates}
    if not found.candidates:
        fields["most_used"] = index.most_used(kind)
        fields["counts"] = {n: index.stored.get(kind, {}).get(n, 0) for n in fields["most_used"]}
    code = "not_in_lexicon" if found.status == "not_in_lexicon" else "unknown"
    return Problem(code, kind, found.name, "error", USAGE, fields)


def _count(con, filters: Filters) -> int:
    where, params = filters.where()
    return int(con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0])


_VALUE_SQL = {
    **{
        k: f"SELECT d.{k}, count(*) FROM documents d WHERE {{where}} AND d.{k} IN (SELECT unnest(?)) GROUP BY 1"
        for k in (*LEVELS, "site")
    },
    "official": "SELECT o.name, count(DISTINCT d.doc_id) FROM documents d JOIN doc_officials o USING (doc_id) "
    "WHERE {where} AND o.name IN (SELECT unnest(?)) GROUP BY 1",
    "formulation": "SELECT fc.formulation, count(DISTINCT d.doc_id) FROM documents d "
    "JOIN formulation_counts fc USING (doc_id) WHERE {where} "
    "AND fc.formulation IN (SELECT unnest(?)) GROUP BY 1",
}


def _empty_values(con, filters: Filters, measured: bool, total: int) -> list[Problem]:
    """A warning for each value that selects no document under the other filters."""
    out = []
    for key in _NAME_KEYS:
        values = getattr(filters, key)
        if not values:
            continue
        others = replace(filters, **{key: []})
        if measured:
            others = replace(others, formulation=[])
        where, params = others.where()
        found = dict(con.execute(_VALUE_SQL[key].format(where=where), [*params, list(values)]).fetchall())
        for value in values:
            if found.get(value, 0):
                continue
            if key == "formulation" and measured:
                out.append(Problem("not_mentioned", key, value, "warning", 0, {"docs": total, "context": others}))
            else:
                out.append(Problem("no_documents", key, value, "warning", 0, {"context": others}))
    return out


def _empty_fields(con, filters: Filters) -> dict[str, object]:
    fields: dict[str, object] = {"filters": filters}
    if filters.since or filters.until:
        where, params = replace(filters, since=None, until=None).where()
        fields["span"] = tuple(
            con.execute(f"SELECT min(d.date), max(d.date) FROM documents d WHERE {where}", params).fetchone()
        )
    return fields


@dataclass(frozen=True)
class Repair:
    """What a wrong URL leaves usable: the problems to show, the typed values taken out
    (``dropped``: key → values; a date key → its one value), and the check of what remains."""

    problems: tuple[Problem, ...]
    dropped: Mapping[str, list[str]]
    check: FilterCheck


MAX_REPAIRS = 8  # rounds of taking out wrong values (each round removes at least one)


def repair_params(con, mapping: Mapping, lexicon=None, index: NameIndex | None = None) -> Repair:
    """``check_params`` for a page that must stay usable: every wrong value (an unknown or
    ambiguous name, a name of another level, an unreadable date, ``until`` before ``since``) is
    taken out and named; the rest is checked again, so the other filters still apply. A valid
    question that selects nothing keeps its filters (the error says so)."""
    current = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in mapping.items()}
    shown: list[Problem] = []
    dropped: dict[str, list[str]] = {}
    check = check_params(con, current, lexicon, measured=True, index=index)
    for _ in range(MAX_REPAIRS):
        if check.ok:
            break
        taken = [(p, _drop(current, p)) for p in check.errors]
        taken = [(p, kv) for p, kv in taken if kv]
        if not taken:
            break
        for problem, (key, value) in taken:
            dropped.setdefault(key, []).append(value)
            shown.append(problem)
        check = check_params(con, current, lexicon, measured=True, index=index)
    shown += [p for p in check.problems if p.severity == "error" and p not in shown]
    return Repair(tuple(shown), dropped, check)


def _drop(current: dict, problem: Problem) -> tuple[str, str] | None:
    """Take the problem's value out of ``current``: (key, value) taken, or None."""
    key = "until" if problem.code == "bad_range" else problem.key
    value = current.get(key)
    if key in ("since", "until"):
        current.pop(key, None)
        return (key, str(value[-1] if isinstance(value, list) else value)) if value else None
    if problem.exit_code != USAGE or not isinstance(value, list) or problem.value not in value:
        return None
    current[key] = [v for v in value if v != problem.value]
    return key, problem.value
