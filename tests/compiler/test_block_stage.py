"""The block stage that skips processors which cannot match gives Python-Markdown's own HTML, byte for
byte: on every Markdown file of the repository, and on random texts made of the very syntax each
processor looks for."""
from __future__ import annotations

import random
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
import pytest
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor

from parcours.transforms import block_stage, inline
from parcours.transforms.render import EXTENSIONS, Links, Renderer

ROOT = Path(__file__).resolve().parents[2]
# Pieces of lines; a line is made of one to four, a text of blank-line separated blocks of such lines.
PIECES = ["# ", "## T {#id}", "#", "|", "| a | b |", "|---|:-:|", "| a | b |\n|---|---|", "a | b\n--|--",
          "---", "- - -", "***", "___", "=", "===", "-", "> ", ">", ": ", ":", "*[", "*[HTML]: Hyper Text", "HTML",
          "[x]: /a", "[x]", "]:", "1. ", "* ", "- ", "    ", "\t", "```", "~~~", "```python", "```\ncode\n```",
          "~~~ {.c}\nx\n~~~", "{: .c}", "{", "}", "<div>", "</div>", "<b>", "&", "&amp;", "&#65 ", "&#x41 ", "\\",
          "\\{", "`", "mot", "é", " ", "  ", "'", '"', "\x02", "\x03", "\r"]


def stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


def skipping() -> markdown.Markdown:
    md = stock()
    block_stage.install(md)
    return md


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)

    def block() -> str:
        return "\n".join("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
                         for _ in range(rng.randint(1, 4)))
    return ["\n\n".join(block() for _ in range(rng.randint(1, 4))) for _ in range(count)]


def assert_same_html(texts: list[str], ours: markdown.Markdown) -> None:
    theirs = stock()
    for text in texts:
        assert ours.reset().convert(text) == theirs.reset().convert(text), repr(text)


def test_the_renderer_uses_the_skipping_stages():
    md = Renderer(Links(ROOT, {})).md
    assert isinstance(md.parser.parseBlocks, block_stage.SkippingBlockParser)
    assert isinstance(md.preprocessors["html_block"], block_stage.SkippingPreprocessor)
    assert isinstance(md.preprocessors["fenced_code_block"], block_stage.SkippingPreprocessor)
    assert isinstance(md.treeprocessors["attr_list"], block_stage.SkippingTreeprocessor)


def test_every_markdown_file_of_the_repository_renders_the_same():
    files = sorted({*ROOT.glob("courses/**/*.md"), *ROOT.glob("tests/**/*.md"), *ROOT.glob("docs/*.md")})
    assert len(files) > 50
    texts = [path.read_bytes().decode("utf-8", "replace") for path in files]
    assert_same_html(texts, skipping())
    with_inline = skipping()
    inline.install(with_inline)  # both, as the renderer has them
    assert_same_html(texts, with_inline)


@pytest.mark.parametrize("seed", range(4))
def test_random_block_syntax_renders_the_same(seed: int):
    assert_same_html(random_texts(1500, seed), skipping())


def test_no_block_processor_takes_a_block_without_one_of_the_strings_it_needs():
    md = skipping()
    blocks = [block for text in random_texts(800, 11) for block in text.split("\n\n")]
    for processor in md.parser.blockprocessors:
        needs = block_stage.PROCESSOR_NEEDS.get(type(processor))
        if needs is None:
            continue
        lacking = [block for block in blocks if not block_stage.holds_any(block, needs)]
        holding = [block for block in blocks if block_stage.holds_any(block, needs)]
        assert lacking and any(_takes(processor, block) for block in holding), processor
        assert not [block for block in lacking if _takes(processor, block)], processor


def _takes(processor: BlockProcessor, block: str) -> bool:
    return processor.test(Element("div"), block) and processor.run(Element("div"), [block]) is not False


def test_no_skipped_preprocessor_changes_a_text_without_one_of_the_strings_it_needs():
    md = stock()
    texts = random_texts(800, 12)
    for name, (kind, _priority, needs) in block_stage.PREPROCESSORS.items():
        original = md.preprocessors[name]
        assert type(original) is kind
        lacking = [text for text in texts if not block_stage.holds_any(text, needs)]
        changed = [text for text in texts if original.run(text.split("\n")) != text.split("\n")]
        assert lacking and changed, name
        assert not [text for text in lacking if original.run(text.split("\n")) != text.split("\n")], name


def test_strings_are_looked_for_once_whitespace_is_normalised():
    """Python-Markdown drops the characters \\x02 and \\x03 first: what is left may then be a fence."""
    text = "`\x02``\ncode <b>\n`\x02``\n"
    assert skipping().convert(text) == stock().convert(text) == "<pre><code>code &lt;b&gt;\n</code></pre>"


def test_attribute_lists_are_still_read_when_the_text_has_one():
    html = skipping().convert("## Titre {#t .c}\n\nUn paragraphe.\n{: .note }")
    assert html == '<h2 class="c" id="t">Titre</h2>\n<p class="note">Un paragraphe.</p>'


def test_a_processor_the_table_does_not_know_is_always_tried():
    class Shout(HashHeaderProcessor):  # a subclass, which needs no `#`: not the type in the table
        def test(self, parent, block):
            return block.startswith("%")

        def run(self, parent, blocks):
            parent.append(element := Element("h6"))
            element.text = blocks.pop(0)[1:].upper()

    md = skipping()
    md.parser.blockprocessors.register(Shout(md.parser), "shout", 65)
    assert md.convert("%mot\n\nfin") == "<h6>MOT</h6>\n<p>fin</p>"


def test_processors_registered_after_a_first_conversion_are_followed():
    outputs = []
    for md in (skipping(), stock()):
        md.convert("x")
        md.parser.blockprocessors.deregister("hashheader")
        outputs.append(md.reset().convert("# pas un titre\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert outputs[0] == outputs[1]
    assert "<h1>" not in outputs[0] and "<table>" in outputs[0]


def test_an_extension_that_replaced_a_preprocessor_keeps_it():
    class Other(markdown.preprocessors.Preprocessor):
        def run(self, lines):
            return [line.replace("<", "[") for line in lines]

    md = stock()
    md.preprocessors.register(Other(md), "html_block", 20)
    block_stage.install(md)
    assert type(md.preprocessors["html_block"]) is Other
    assert md.convert("a <b> c") == "<p>a [b&gt; c</p>"
