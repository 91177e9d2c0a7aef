"""Markdown read as plain text: what a reader of the rendered page sees, one block a line.

Parsed by markdown-it-py (CommonMark, with tables), so ``**bold**``, ``# headings``, links,
escapes and entities come out as the words they mark up, never as ``*`` or ``#`` in the text
that is counted. Blocks (headings, paragraphs, list items, table rows, quotes, code) end with a
line break; a line break inside a paragraph stays one (the source's line structure is kept);
ordered list items keep their number (``1. …``); images, raw HTML and rules are dropped.

CommonMark's flanking rules fail on Chinese: in ``**千方百计稳增长。**全省…`` the closing ``**``
follows a full-width stop and precedes a letter, so it may not close, and the markers would
stay in the text. As the CJK-friendly amendment to CommonMark proposes (tats-u,
markdown-cjk-friendly), a CJK character next to a delimiter run counts like punctuation where
that lets the run open or close, and never where it would stop it. The rule is this parser's own
emphasis tokenizer (no global patch); runs with no CJK neighbour are scanned as in CommonMark.
"""

from __future__ import annotations

import re
from functools import lru_cache

_BLOCK_ENDS = {"heading_close", "paragraph_close", "tr_close", "list_item_close"}


_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002a6df]")


def _scan_cjk_delims(state, start: int, can_split_word: bool):
    """``StateInline.scanDelims`` with CJK neighbours counted as punctuation where it helps."""
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

    scanned = state.scanDelims(start, can_split_word)
    pos, marker = start, state.src[start]
    while pos < state.posMax and state.src[pos] == marker:
        pos += 1
    last = state.src[start - 1] if start > 0 else " "
    nxt = state.src[pos] if pos < state.posMax else " "
    if (scanned.can_open and scanned.can_close) or not (_CJK.match(last) or _CJK.match(nxt)):
        return scanned

    def punct(ch: str) -> bool:
        return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)

    last_blocks, next_blocks = punct(last) and not _CJK.match(last), punct(nxt) and not _CJK.match(nxt)
    last_allows, next_allows = punct(last) or bool(_CJK.match(last)), punct(nxt) or bool(_CJK.match(nxt))
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    left = not next_space and (not next_blocks or last_space or last_allows)
    right = not last_space and (not last_blocks or next_space or next_allows)
    if can_split_word:
        return type(scanned)(left, right, scanned.length)
    return type(scanned)(left and (not right or last_allows), right and (not left or next_allows), scanned.length)


def _cjk_emphasis(state, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer with the CJK-aware scan (same tokens and delimiters)."""
    from markdown_it.rules_inline.state_inline import Delimiter

    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = _scan_cjk_delims(state, state.pos, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(ord(marker), scanned.length, len(state.tokens) - 1, -1, scanned.can_open, scanned.can_close)
        )
    state.pos += scanned.length
    return True


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.inline.ruler.at("emphasis", _cjk_emphasis)
    return md


def _inline_text(children) -> str:
    out: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def markdown_to_text(source: str) -> str:
    """Plain text of a Markdown document (see the module docstring)."""
    lines: list[str] = []
    current: list[str] = []
    for token in _parser().parse(source):
        if token.type == "list_item_open" and token.info:  # an ordered item: keep its number
            current.append(f"{token.info}{token.markup} ")
        elif token.type == "inline":
            current.append(_inline_text(token.children))
        elif token.type in ("th_close", "td_close"):  # cells of a row: one line, space-separated
            current.append(" ")
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
        elif token.type in _BLOCK_ENDS:
            text = "".join(current).strip()
            if text:
                lines.append(text)
            current = []
    if current and (text := "".join(current).strip()):
        lines.append(text)
    return "\n".join(lines)


def is_markdown_format(value: object) -> bool:
    """True for a record's ``format`` field naming Markdown (``markdown``, ``md``)."""
    return isinstance(value, str) and value.strip().lower() in ("markdown", "md")
