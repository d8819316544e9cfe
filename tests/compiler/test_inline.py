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


def test_no_pattern_matches_a_text_without_one_of_the_strings_it_needs():
    md = skipping()
    md.convert("x")
    inline_stage = md.treeprocessors["inline"]
    assert inline_stage.all_known  # every pattern of our extensions is in the table
    texts = random_texts(3000, 7)
    for pattern, needs in zip(md.inlinePatterns, inline_stage.needs, strict=True):
        lacking = [text for text in texts if not any(string in text for string in needs)]
        assert lacking and not [text for text in lacking if pattern.compiled_re.search(text)], pattern


@pytest.mark.parametrize("change", ["add a delimiter", "register a pattern", "deregister a pattern"])
def test_patterns_changed_after_a_first_conversion_are_followed(change: str):
    """As an extension may: a new emphasis token (`~~` → <del>), a pattern of its own, one taken away."""
    class Upper(markdown.inlinepatterns.InlineProcessor):
        def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
            return m.group(1).upper(), m.start(0), m.end(0)

    outputs = []
    for md in (skipping(), stock()):
        md.convert("x")
        if change == "add a delimiter":
            md.delimiters.add("~", "del", double=True)
        elif change == "register a pattern":
            md.inlinePatterns.register(Upper(r"%(\w+)%", md), "shout", 175)
        else:
            md.inlinePatterns.deregister("backtick")
        outputs.append(md.reset().convert("a ~~b~~ %mot% `c` *d* [e](f.md)"))
    assert outputs[0] == outputs[1]
    assert {"add a delimiter": "<del>b</del>", "register a pattern": "MOT",
            "deregister a pattern": "`c`"}[change] in outputs[0]


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
