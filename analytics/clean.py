"""Cleaning: small pure ``str -> str`` steps and the pipeline that chains them.

Order matters and is fixed in :func:`clean_article`:

1. ``normalize_whitespace`` – newlines, control characters, odd spaces;
2. ``strip_pinyin`` – ``萍鄉(xiāng)`` → ``萍鄉`` (also ``要?jiǎng)恿`` whose bracket was eaten);
3. ``to_simplified`` – OpenCC ``tw2s`` (chosen on the seeds: 本著 → 本着, 乾淨 → 干净, 乾隆 kept);
4. ``apply_line_rules`` / tail rules – portal chrome out of the body, metadata kept;
5. ``split_paragraphs`` and ``normalize_punctuation``;
6. title extraction and ``find_corrupt_spans`` on the final text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .resources import DATA_DIR, BoilerplateRules, boilerplate_rules, char_rank
from .schema import Cleaned, Span

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A pinyin syllable as printed by annotation tools: lowercase, with at least one tone mark.
_SYLLABLE = rf"[a-zü{TONED}]{{0,5}}[{TONED}][a-zü{TONED}]{{0,5}}"
_PINYIN_ANNOT = re.compile(rf"(?<=\S)(?:[(（]{_SYLLABLE}[)）])+")
# Corrupted form: the opening bracket (and the character before it) became '?'.
_PINYIN_EATEN = re.compile(rf"(?<=\?){_SYLLABLE}[)）]")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SENTENCE_BREAK = re.compile(r"(?<=[。！？!?”」])[ \u3000]+(?=\S)")
_HALF_PUNCT = {",": "，", ";": "；", ":": "："}
_HALF_PUNCT_RE = re.compile(rf"(?<=[{CJK}”“」）])([,;:])|([,;:])(?=[{CJK}“”「（])")
_DATE_LEAD = re.compile(r"^\d{1,2}月\d{1,2}日")
_TITLE_STOP = re.compile(r"[。！？；!?;]|[:：]$")
# Cues of mojibake: replacement/private-use characters (always), '?' '!' and lone Latin
# letters (only inside Chinese text, confirmed by a second cue or a rare neighbour).
_CUE = re.compile(r"[\ufffd\ue000-\uf8ff]+|[?!]|(?<![A-Za-z0-9])[A-Za-z]{1,2}(?![A-Za-z0-9])")
MAX_TITLE_LINE = 80
MAX_TITLE_LINES = 3


def normalize_whitespace(text: str) -> str:
    """Unify newlines, drop control and zero-width characters, collapse runs of spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # lone surrogates (from badly escaped JSON) cannot be encoded; drop them
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text
    return "\n".join([line.strip() for line in _SPACES.sub(" ", text).split("\n")])  # _SPACES has no \n


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations after Chinese characters; leave other brackets alone.

    >>> strip_pinyin("萍鄉(xiāng)城事網(wǎng) (GDP) (四期)")
    '萍鄉城事網 (GDP) (四期)'
    """
    while True:  # removing one annotation can expose another: 0((è)à) → 0(à) → 0
        stripped = _PINYIN_EATEN.sub("", _PINYIN_ANNOT.sub("", text))
        if stripped == text:
            return stripped
        text = stripped


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2s.json")


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC's ``tw2s`` configuration."""
    return _converter().convert(text)


def normalize_punctuation(text: str) -> str:
    """Half-width , ; : next to Chinese become full-width; '?' and '!' are left (mojibake cue)."""
    return _HALF_PUNCT_RE.sub(lambda m: _HALF_PUNCT[m.group(1) or m.group(2)], text)


def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs; a line holding several sentences separated by spaces is split."""
    paragraphs: list[str] = []
    for line in text.split("\n"):
        for part in _SENTENCE_BREAK.split(line):
            part = part.strip()
            if part and part != "|":
                paragraphs.append(part.rstrip(" |"))
    return paragraphs


@lru_cache(maxsize=8)
def _any_line_rule(lines: tuple) -> re.Pattern[str] | None:
    """One pattern that fully matches a line when some rule does (most lines match none, and
    one alternation is cheaper than a hundred patterns); None when the rules cannot be joined
    (inline flags, back-references), and each is tried in turn."""
    sources = [r.pattern.pattern for r in lines]
    if any(_BACKREF.search(src) for src in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{_NAMED.sub('(?:', src)})" for src in sources))
    except re.error:
        return None


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
_NAMED = re.compile(r"\(\?P<\w+>")  # a rule's own named group: plain in the joined pattern


def _split_heads(lines: list[str], rules: BoilerplateRules) -> list[str]:
    """A page's metadata glued to its first paragraph (发布时间：… 来源：某某政协8月11日下午，…):
    the prefix a head rule matches becomes a line of its own."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        m = next((m for r in rules.heads if (m := r.pattern.match(stripped)) and 0 < m.end() < len(stripped)), None)
        out += [stripped[: m.end()], stripped[m.end():]] if m else [line]
    return out


def apply_line_rules(lines: list[str], rules: BoilerplateRules) -> tuple[list[str], dict, list[str]]:
    """Drop whole chrome lines and end-of-paragraph credits; return kept lines, metadata, rules."""
    kept: list[str] = []
    meta: dict = {}
    fired: list[str] = []
    joined = _any_line_rule(rules.lines)
    for line in _split_heads(lines, rules):
        stripped = line.strip()
        rule = None
        if stripped and (joined is None or joined.fullmatch(stripped)):
            rule = next((r for r in rules.lines if r.pattern.fullmatch(stripped)), None)
        if rule is None:
            stripped = _strip_tails(stripped, rules, meta, fired)
            kept.append(stripped)
            continue
        fired.append(rule.name)
        _merge_meta(meta, rule.pattern.fullmatch(stripped).groupdict(), dict(rule.sets))
    return kept, meta, fired


def _strip_tails(line: str, rules: BoilerplateRules, meta: dict, fired: list[str]) -> str:
    changed = True
    while changed and line:
        changed = False
        for rule in rules.tails:
            m = rule.pattern.search(line)
            if m and m.start() > 0:  # a credit closes a paragraph; it is never the paragraph
                groups = {k: v for k, v in m.groupdict().items() if v}
                if "authors2" in groups:
                    groups["authors"] = groups.pop("authors2")
                _merge_meta(meta, groups, dict(rule.sets))
                fired.append(rule.name)
                line = line[: m.start()].rstrip()
                changed = True
    return line


def _merge_meta(meta: dict, groups: dict, sets: dict) -> None:
    for key, value in list(groups.items()) + list(sets.items()):
        if not value:
            continue
        value = value.strip()
        if key in ("authors", "editors"):
            names = [n for n in re.split(r"[\s、，,]+", value) if n]
            bucket = meta.setdefault(key, [])
            bucket.extend(n for n in names if n not in bucket)
        elif key == "summary":
            meta.setdefault("summary", re.sub(r"\s*(?:\.{3,}|…+)\s*$", "", value))
        elif key == "site" and sets.get("site"):
            meta["site"] = value  # a footer naming the site is stronger than a header guess
        else:
            meta.setdefault(key, value)


def split_title(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """Leading short lines without sentence punctuation form the headline (up to three)."""
    title_lines: list[str] = []
    for para in paragraphs[:MAX_TITLE_LINES]:
        if len(para) > MAX_TITLE_LINE or _TITLE_STOP.search(para) or _DATE_LEAD.match(para):
            break
        title_lines.append(para)
    body = paragraphs[len(title_lines) :]
    if not body:  # nothing but short lines: there is no headline to take apart
        return None, paragraphs
    return (" ".join(title_lines) or None), body


def find_corrupt_spans(text: str, rare_rank: int = 3500, max_gap: int = 6) -> list[Span]:
    """Mojibake spans: stray '?', '!', '\ufffd' or lone Latin letters inside Chinese text.

    A cue counts when a second cue lies within ``max_gap`` characters or a rare character
    (below jieba's ``rare_rank`` most common) stands next to it. Spans extend over adjacent
    rare characters. Text is never changed; only offsets are returned.
    """
    ranks = char_rank()

    def is_cjk(ch: str) -> bool:
        return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"

    def is_rare(ch: str) -> bool:
        return is_cjk(ch) and ranks.get(ch, 10**6) >= rare_rank

    cues: list[tuple[int, int]] = []
    for m in _CUE.finditer(text):
        s, e = m.span()
        if _always_corrupt(m.group()[0]):
            cues.append((s, e))
            continue
        before = text[s - 1] if s > 0 else ""
        after = text[e] if e < len(text) else ""
        if m.group() in "?!":
            if is_cjk(before) and (is_cjk(after) or after.isalpha()):
                cues.append((s, e))
        elif is_cjk(before) and is_cjk(after):
            cues.append((s, e))
    spans: list[list[int]] = []
    counts: list[int] = []
    for s, e in cues:
        if spans and s - spans[-1][1] <= max_gap:
            spans[-1][1] = e
            counts[-1] += 1
        else:
            spans.append([s, e])
            counts.append(1)
    out: list[Span] = []
    for (s, e), n in zip(spans, counts, strict=True):
        if n < 2 and not any(_always_corrupt(ch) for ch in text[s:e]):
            window = text[max(0, s - 2) : e + 2]
            if not any(is_rare(ch) for ch in window):
                continue
        for _ in range(4):
            if s > 0 and is_rare(text[s - 1]):
                s -= 1
        for _ in range(4):
            if e < len(text) and is_rare(text[e]):
                e += 1
        out.append(Span(s, e, text[s:e]))
    return out


def _always_corrupt(ch: str) -> bool:
    return ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff"


def quality_score(n_chars: int, spans: list[Span], weight: float = 10.0) -> float:
    """1 − weight × (corrupt characters / characters), clipped to [0, 1]."""
    if n_chars <= 0:
        return 0.0
    bad = sum(s.end - s.start for s in spans)
    return round(max(0.0, min(1.0, 1.0 - weight * bad / n_chars)), 4)


def clean_text(text: str) -> str:
    """The script-level steps alone (whitespace, pinyin, Simplified, punctuation)."""
    text = to_simplified(strip_pinyin(normalize_whitespace(text)))
    return "\n".join(normalize_punctuation(p) for p in split_paragraphs(text))


def clean_article(
    raw: str,
    given_title: str | None = None,
    rules_path: Path = DATA_DIR / "boilerplate.toml",
) -> Cleaned:
    """Run the whole cleaning pipeline on one article's raw text."""
    rules = boilerplate_rules(rules_path)
    text = to_simplified(strip_pinyin(normalize_whitespace(raw)))
    lines, meta, fired = apply_line_rules(text.split("\n"), rules)
    paragraphs = [normalize_punctuation(p) for p in split_paragraphs("\n".join(lines))]
    if given_title:
        norm_title = normalize_punctuation(clean_text(given_title)).replace(" ", "")
        while paragraphs and paragraphs[0].replace(" ", "") == norm_title:
            paragraphs.pop(0)
        title = given_title.strip()
    else:
        title, paragraphs = split_title(paragraphs)
    body = "\n".join(paragraphs)
    spans = find_corrupt_spans(body)
    summary = meta.pop("summary", None)
    if summary:
        summary = normalize_punctuation(summary)
    n_chars = len(body) + len(title or "")
    return Cleaned(
        text=body,
        title=title,
        summary=summary,
        meta=meta,
        rules_fired=fired,
        corrupt_spans=spans,
        quality=quality_score(n_chars, spans),
    )


def is_mostly_text(text: str) -> bool:
    """True when letters and CJK dominate (used to reject binary that decoded by accident)."""
    if not text:
        return False
    sample = text[:4000]
    counts = Counter(sample)  # each distinct character is classified once
    good = sum(n for ch, n in counts.items() if ch.isalnum() or ch.isspace() or unicodedata.category(ch)[0] == "P")
    return good / len(sample) > 0.85
