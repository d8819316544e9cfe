"""Stage 2: lessons cut into front matter, pages, text chunks and directives, with file lines."""
from pathlib import Path

from parcours.diagnostics import Code
from parcours.parse.markdown import Directive, TextChunk, parse_lesson

FILE = Path("lecon.md")
LESSON = """---
title: Leçon
---
Intro.

## Page A {#a}

Texte A.

:::{problem} q1
:weight: 2
>>Q?<<
(x) Oui
:::

Après.

```markdown
## Pas une page
:::{problem} pas-une-directive
```

## Page B {#b}
"""


def test_pages_chunks_and_directives_keep_their_lines():
    lesson, diagnostics = parse_lesson(LESSON, FILE)
    assert diagnostics == []
    assert lesson.front_matter == "title: Leçon" and lesson.front_matter_line == 2
    assert [(p.id, p.title, p.span.line) for p in lesson.pages] == [
        (None, None, 1), ("a", "Page A", 6), ("b", "Page B", 23)]
    intro, page_a, page_b = lesson.pages
    assert intro.parts == [TextChunk("Intro.\n", 4)]
    text, directive, after = page_a.parts
    assert text == TextChunk("Texte A.\n", 8)
    assert isinstance(directive, Directive)
    assert (directive.name, directive.argument, directive.span.line, directive.body_line) == ("problem", "q1", 10, 12)
    assert directive.options["weight"][0] == "2" and directive.options["weight"][1].line == 11
    assert directive.body == ">>Q?<<\n(x) Oui\n"
    assert after.line == 16 and "## Pas une page" in after.text  # fenced code is left alone
    assert page_b.parts == []


def test_stray_closing_fence_and_text_after_the_id_are_reported():
    _, diagnostics = parse_lesson("---\ntitle: x\n---\n:::\n:::{problem} q1 extra\n(x) a\n:::\n", FILE)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [
        (Code.DIRECTIVE_SYNTAX, 4, 1), (Code.DIRECTIVE_SYNTAX, 5, 17)]


def test_lesson_without_front_matter_starts_at_line_one():
    lesson, diagnostics = parse_lesson("Texte.\n", FILE)
    assert lesson.front_matter is None and lesson.pages[0].parts == [TextChunk("Texte.\n", 1)]
    assert diagnostics == []


def test_indented_and_tilde_fences_hide_headings_and_directives_too():
    lesson, diagnostics = parse_lesson("Avant.\n   ```\n## Pas une page\n:::\n   ```\n"
                                       "~~~~\n:::{problem} pas-une-directive\n~~~~\n## Page {#p}\n", FILE)
    assert diagnostics == [] and [page.id for page in lesson.pages] == [None, "p"]
    (text,) = lesson.pages[0].parts
    assert text.line == 1 and "## Pas une page" in text.text and ":::{problem}" in text.text


def test_an_option_given_twice_is_reported_at_the_second():
    text = "---\ntitle: L\n---\n:::{problem} q1\n:title: a\n:weight: 2\n:title: b\n>>Q?<<\n(x) Oui\n:::\n"
    lesson, diagnostics = parse_lesson(text, FILE)
    assert [(d.code, d.span.line, d.message) for d in diagnostics] == [
        (Code.DIRECTIVE_SYNTAX, 7, "the option `:title:` is already given (line 5)")]
