"""Python-Markdown's preprocessors, block parser and attribute lists, without trying what cannot match.

Python-Markdown tries each block processor on every block of a text until one takes it, and most
blocks are plain paragraphs that every processor refuses: that, with two preprocessors and a tree
processor that look through the whole text, is half of the rendering time. Each built-in processor
below only ever changes anything where one of a few strings appears (`|` for a table, `#` for a
heading, `{` for an attribute list…), as its regular expressions show; it is skipped on a block, or
a text, that holds none of them, which is exactly what trying it would have done. The HTML is the
same, byte for byte (tests/compiler/test_block_stage.py compares it with Python-Markdown's own).

Only processors of exactly these types are skipped, so a subclass or another extension's processor
is always tried; the block processors are those registered when a parse starts, as no extension
registers one while a text is parsed.
"""
from __future__ import annotations

from xml.etree.ElementTree import Element

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    HRProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.def_list import DefListProcessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.tables import TableProcessor
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor
from markdown.treeprocessors import Treeprocessor

Needs = tuple[str, ...]
TEXT_STRINGS_PRIORITY = 28  # once whitespace is normalised (30), before the other built-in preprocessors

# A built-in block processor's type → the strings one of which any block it takes contains.
PROCESSOR_NEEDS: dict[type, Needs] = {
    TableProcessor: ("|",),  # its first row splits into cells, or has a border
    HashHeaderProcessor: ("#",),
    SetextHeaderProcessor: ("\n=", "\n-"),  # a line of `=` or `-` under the first
    HRProcessor: ("-", "_", "*"),
    BlockQuoteProcessor: (">",),
    DefListProcessor: (":",),
    AbbrBlockprocessor: ("*[",),  # it tries every block, and gives back those without a definition
    ReferenceProcessor: ("]:",),  # the same
}
# A built-in preprocessor's name → its type, priority and the strings without which it gives back the
# lines unchanged. They are looked for in the text once whitespace is normalised; the preprocessors
# that run before these only ever take strings out.
PREPROCESSORS: dict[str, tuple[type, int, Needs]] = {
    "html_block": (HtmlBlockPreprocessor, 20, ("<", "&")),  # its HTML parser stops only at a tag or an entity
    "fenced_code_block": (FencedBlockPreprocessor, 25, ("```", "~~~")),
}
# The same for tree processors. An attribute list is read before links are resolved (priority 5), so
# every `{` in the tree is one of the text's.
TREEPROCESSORS: dict[str, tuple[type, int, Needs]] = {
    "attr_list": (AttrListTreeprocessor, 8, ("{",)),
}


def holds_any(text: str, needs: Needs | None) -> bool:
    """Whether `text` holds one of `needs`; None, for an unknown processor, is always true."""
    return needs is None or any(string in text for string in needs)


class TextStrings(Preprocessor):
    """Notes which of the strings the skipped preprocessors and tree processors need a text holds (it
    changes nothing)."""

    def __init__(self, md: markdown.Markdown, strings: set[str]) -> None:
        super().__init__(md)
        self.strings, self.present = strings, frozenset()

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        self.present = frozenset(string for string in self.strings if string in text)
        return lines

    def holds_any(self, needs: Needs) -> bool:
        return not self.present.isdisjoint(needs)


class SkippingPreprocessor(Preprocessor):
    """A preprocessor run only on a text that holds one of the strings it needs."""

    def __init__(self, md: markdown.Markdown, original: Preprocessor, needs: Needs, text: TextStrings) -> None:
        super().__init__(md)
        self.original, self.needs, self.text = original, needs, text

    def run(self, lines: list[str]) -> list[str]:
        return self.original.run(lines) if self.text.holds_any(self.needs) else lines


class SkippingTreeprocessor(Treeprocessor):
    """A tree processor run only on a tree made of a text that holds one of the strings it needs."""

    def __init__(self, md: markdown.Markdown, original: Treeprocessor, needs: Needs, text: TextStrings) -> None:
        super().__init__(md)
        self.original, self.needs, self.text = original, needs, text

    def run(self, root: Element) -> Element | None:
        return self.original.run(root) if self.text.holds_any(self.needs) else None


class SkippingBlockParser:
    """`parseBlocks` for one parser: Python-Markdown's loop over the processors, skipping a processor
    whose strings are all absent from the block."""

    def __init__(self, parser: BlockParser) -> None:
        self.parser = parser
        self._learnt: tuple = ()  # the processors `needs` was worked out for
        self.needs: list[Needs | None] = []

    def __call__(self, parent: Element, blocks: list[str]) -> None:
        processors = tuple(self.parser.blockprocessors)
        if processors != self._learnt:
            self.needs = [PROCESSOR_NEEDS.get(type(processor)) for processor in processors]
            self._learnt = processors
        pairs = tuple(zip(processors, self.needs, strict=True))
        while blocks:
            for processor, needs in pairs:
                if holds_any(blocks[0], needs) and processor.test(parent, blocks[0]) \
                        and processor.run(parent, blocks) is not False:
                    break


def install(md: markdown.Markdown) -> None:
    """Put the skipping block parser, preprocessors and tree processors in place of Python-Markdown's
    own, at their names and priorities. Call it once the extensions are loaded."""
    md.parser.parseBlocks = SkippingBlockParser(md.parser)
    skipped = [(registry, wrapper, name, original, priority, needs)
               for registry, wrapper, table in ((md.preprocessors, SkippingPreprocessor, PREPROCESSORS),
                                                (md.treeprocessors, SkippingTreeprocessor, TREEPROCESSORS))
               for name, (kind, priority, needs) in table.items()
               if name in registry and type(original := registry[name]) is kind]
    if skipped:
        text = TextStrings(md, {string for *_, needs in skipped for string in needs})
        md.preprocessors.register(text, "parcours-text-strings", TEXT_STRINGS_PRIORITY)
        for registry, wrapper, name, original, priority, needs in skipped:
            registry.register(wrapper(md, original, needs, text), name, priority)
