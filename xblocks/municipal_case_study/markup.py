"""Author Markdown → sanitised HTML (pure).

Markdown may contain raw HTML; nh3 keeps only formatting tags, drops scripts, styles, event
handlers and ids (ids must stay unique per block instance), and adds rel="noopener noreferrer".
Author headings are shifted under the block's own headings (h2 title, h3 parts).
"""
from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "code", "em", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
FIRST_AUTHOR_HEADING = 4  # "# x" in a Markdown field becomes <h4>
_HEADING = re.compile(r"<(/?)h([1-6])([\s>])")


def sanitize(html: str) -> str:
    """Keep only safe formatting markup."""
    return nh3.clean(html, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, url_schemes=set(URL_SCHEMES),
                     link_rel="noopener noreferrer")


def _shift_headings(html: str) -> str:
    def shifted(match: re.Match) -> str:
        level = min(6, int(match.group(2)) + FIRST_AUTHOR_HEADING - 1)
        return f"<{match.group(1)}h{level}{match.group(3)}"

    return _HEADING.sub(shifted, html)


def render_markdown(source: str) -> str:
    """Sanitised HTML of an author's Markdown."""
    html = markdown.markdown(source, extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    return sanitize(_shift_headings(html))
