"""The inline stage that skips patterns which cannot match gives Python-Markdown's own HTML, byte for
byte: on every Markdown file of the repository, and on random texts made of the very syntax each
pattern looks for."""
from __future__ import annotations

import random
from pathlib import Path

import markdown
import pytest
from markdown.treeprocessors import InlineProcessor

from parcours.transforms import inline
from parcours.transforms.render import EXTENSIONS

ROOT = Path(__file__).resolve().parents[2]
PIECES = ["*", "**", "_", "__", "`", "``", "\\", "\\*", "\\`", "[", "]", "(", ")", "![", "[x]", "[x]: /a", "](b.md)",
          "<", ">", "<b>", "</b>", "<!-- c -->", "<http://a.b>", "<a@b.c>", "&", "&amp;", "&#233;", "&x", ";",
          "  \n", "\n", "\n\n", " ", "  ", "mot", "é", "{#id}", "{: .c}", "*[HTML]: Hyper Text", "HTML", "|", "-",
          "1.", ":", "    ", "'", '"', "\x02", "\x03"]


def stock() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html")


def skipping() -> markdown.Markdown:
    md = stock()
    inline.install(md)
    assert isinstance(md.treeprocessors["inline"], inline.SkippingInlineProcessor)
    return md


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def assert_same_html(texts: list[str]) -> None:
    ours, theirs = skipping(), stock()
    for text in texts:
        assert ours.reset().convert(text) == theirs.reset().convert(text), repr(text)


def test_every_markdown_file_of_the_repository_renders_the_same():
    files = sorted({*ROOT.glob("courses/**/*.md"), *ROOT.glob("tests/**/*.md"), *ROOT.glob("docs/*.md")})
    assert len(files) > 50
    assert_same_html([path.read_bytes().decode("utf-8", "replace") for path in files])


@pytest.mark.parametrize("seed", range(4))
def test_random_inline_syntax_renders_the_same(seed: int):
    assert_same_html(random_texts(1500, seed))


def test_every_built_in_pattern_is_known_and_needs_what_its_expression_starts_with():
    names = list(inline._names_in_order(stock().inlinePatterns))
    assert None not in names and len(names) == len(inline.NEEDS)
    for name, needs in inline.NEEDS.items():
        assert all(inline._NEEDED.fullmatch(string) for string in needs), name


def test_a_pattern_the_table_does_not_know_is_always_tried():
    class Upper(markdown.inlinepatterns.InlineProcessor):
        def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
            return m.group(1).upper(), m.start(0), m.end(0)

    md = skipping()
    md.inlinePatterns.register(Upper(r"%(\w+)%", md), "shout", 175)
    assert md.convert("un %mot% ici") == "<p>un MOT ici</p>"


def test_a_python_markdown_without_the_overridden_methods_keeps_its_own_inline_stage(monkeypatch):
    monkeypatch.delattr(InlineProcessor, "_InlineProcessor__applyPattern")
    md = stock()
    inline.install(md)
    assert type(md.treeprocessors["inline"]) is InlineProcessor
