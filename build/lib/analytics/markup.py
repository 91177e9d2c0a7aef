"""Safe display of article text: everything escaped, highlights added by us only.

Article text is data, never markup: every Markdown/HTML-significant character is escaped, then
formulation matches and corrupt spans are wrapped in Streamlit's coloured-background syntax.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'^])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown/HTML-significant ASCII character."""
    return _SPECIAL.sub(r"\\\1", text)


def highlight(text: str, marks: list[tuple[int, int, str]]) -> str:
    """Escaped text with ``marks`` = [(start, end, colour)] wrapped as :colour-background[…].

    Overlapping marks are dropped (the first one wins). Newlines become Markdown paragraphs.
    """
    out: list[str] = []
    pos = 0
    for start, end, colour in sorted(marks):
        if start < pos or start >= end:
            continue
        out.append(escape_markdown(text[pos:start]))
        out.append(f":{colour}-background[{escape_markdown(text[start:end])}]")
        pos = end
    out.append(escape_markdown(text[pos:]))
    return "".join(out).replace("\n", "\n\n")
