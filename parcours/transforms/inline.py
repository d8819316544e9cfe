"""Python-Markdown's inline stage, without trying the patterns that cannot match.

Python-Markdown tries each of its fourteen inline patterns on every piece of text, and most pieces of
a lesson hold no inline markup at all: that is a third of the rendering time. Each built-in pattern
matches only where one of a few strings appears (`[` for links, `*` or `_` for emphasis…), so a pattern
whose strings are all absent is skipped, which is exactly what trying it would have done: the HTML is
the same, byte for byte (tests/compiler/test_inline.py compares it with Python-Markdown's own).
The emphasis pattern needs its delimiters, whichever extensions added; patterns this table does not
know, from other extensions, are always tried.
"""
from __future__ import annotations

import re

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

# A built-in pattern's name → the strings one of which any match contains (read from its regex).
NEEDS: dict[str, frozenset[str]] = {
    "backtick": frozenset("`"),
    "escape": frozenset("\\"),
    **dict.fromkeys(("reference", "link", "short_reference", "image_link", "image_reference", "short_image_ref"),
                    frozenset("[")),
    **dict.fromkeys(("autolink", "automail", "html"), frozenset("<")),
    "linebreak": frozenset({"  \n"}),
    "entity": frozenset("&"),
}
# The private methods this class relies on; a Python-Markdown without them keeps its own inline stage.
_PRIVATE = ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's `inline` tree processor, trying only the patterns a text can match."""

    _learnt: tuple = ()  # the patterns (and emphasis delimiters) `needs` and `needed` were worked out for

    def run(self, tree, ancestors=None):
        patterns = tuple(self.inlinePatterns)
        delimiters = tuple(self.md.delimiters.delimiters) if self.md.delimiters else ()
        if (patterns, delimiters) != self._learnt:  # an extension registered or removed a pattern
            self._learn(patterns)
            self._learnt = (patterns, delimiters)
        return super().run(tree, ancestors)

    def _learn(self, patterns: tuple) -> None:
        names = {id(self.inlinePatterns[name]): name for name in NEEDS if name in self.inlinePatterns}
        self.needs = [NEEDS.get(names.get(id(pattern))) for pattern in patterns]
        for index, pattern in enumerate(patterns):
            if pattern is self.md.delimiters:  # emphasis: `*`, `_` and any token an extension added
                self.needs[index] = frozenset(pattern.delimiters)
        self.all_known = None not in self.needs
        every = {string for needs in self.needs if needs for string in needs}
        self.needed = re.compile("|".join(map(re.escape, sorted(every, key=len, reverse=True))) or "(?!)")

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Python-Markdown's loop over the patterns (a name-mangled method, overridden by its mangled
        name), skipping a pattern whose strings are absent. A match only ever replaces text with a
        placeholder, which holds none of those strings: what is absent at the start stays absent. A
        pattern is left when it stops matching, which sets `start` back to 0, as the next one needs."""
        if isinstance(data, util.AtomicString):
            return data
        present = set(self.needed.findall(data))
        if not present and self.all_known:
            return data
        start = 0
        while patternIndex < len(self.inlinePatterns):
            needs = self.needs[patternIndex]
            if needs is None or not needs.isdisjoint(present):
                data, matched, start = self._InlineProcessor__applyPattern(
                    self.inlinePatterns[patternIndex], data, patternIndex, start)
                if matched:
                    continue
            patternIndex += 1
        return data


def install(md: markdown.Markdown) -> None:
    """Put the skipping inline stage in place of Python-Markdown's own (at its priority, 20), when this
    version of Python-Markdown has the methods it overrides."""
    if all(hasattr(InlineProcessor, method) for method in _PRIVATE):
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", 20)
