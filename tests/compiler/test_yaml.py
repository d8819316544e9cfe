"""Stage 2: YAML read the 1.2 way, with a position for every value."""
import random
from pathlib import Path

import pytest
import yaml

from parcours.diagnostics import Code
from parcours.parse.yaml import StrictLoader, _StrictCLoader, compose, load_yaml

FILE = Path("x.yaml")


def test_yes_no_and_dates_stay_text_and_only_true_false_are_booleans():
    document, diagnostics = load_yaml("langues: [fr, no]\nstart: 2026-01-15\nok: true\nrun: '2026'\n", FILE)
    assert document.data == {"langues": ["fr", "no"], "start": "2026-01-15", "ok": True, "run": "2026"}
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [(Code.YAML_IMPLICIT_BOOL, 1, 15)]


def test_a_quoted_no_is_not_reported():
    _, diagnostics = load_yaml('langues: [fr, "no"]\n', FILE)
    assert diagnostics == []


def test_duplicate_key_is_an_error_at_the_second_key_with_the_first_as_related():
    document, diagnostics = load_yaml("title: a\nid: x\ntitle: b\n", FILE)
    assert document is None
    (diagnostic,) = diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == (Code.YAML_DUPLICATE_KEY, 3, 1)
    assert diagnostic.related[0].line == 1


def test_positions_of_nested_values_count_the_front_matter_offset():
    document, _ = load_yaml("units:\n  - a.md\n  - b.md\n", FILE, line_offset=10)
    assert document.positions.locate(("units", 1)).line == 13
    assert document.positions.locate(("units", 1)).column == 5
    # a path that does not exist falls back to its nearest ancestor
    assert document.positions.locate(("units", 7)).line == 12


def test_syntax_error_has_position_and_hint():
    document, (diagnostic,) = load_yaml("a: [1, 2\nb: 3\n", FILE)
    assert document is None
    assert diagnostic.code is Code.YAML_SYNTAX and diagnostic.span.line >= 2 and diagnostic.hint


def test_tab_indentation_is_reported_not_raised():
    document, diagnostics = load_yaml("a:\n\t- b\n", FILE)
    assert document is None and diagnostics[0].code is Code.YAML_SYNTAX


def test_aliases_are_refused_where_they_are_written_even_recursive_ones():
    document, (diagnostic,) = load_yaml("a: &a [1]\nb: *a\nc: &c [*c]\n", FILE)
    assert document is None
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == (Code.YAML_SYNTAX, 2, 4)
    assert "alias *a" in diagnostic.message


def test_a_billion_laughs_is_refused_at_its_first_alias():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    document, (diagnostic,) = load_yaml("\n".join(levels) + "\n", FILE)
    assert document is None and diagnostic.span.line == 2


def test_nesting_too_deep_to_read_is_a_diagnostic_not_a_crash():
    document, (diagnostic,) = load_yaml("x: " + "[" * 2000 + "]" * 2000 + "\n", FILE, line_offset=4)
    assert document is None and (diagnostic.code, diagnostic.span.line) == (Code.TOO_DEEP, 5)


def test_a_character_yaml_refuses_is_located():
    document, (diagnostic,) = load_yaml("a: b\nc: d\x1fe\n", FILE, line_offset=2)
    assert document is None
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == (Code.YAML_SYNTAX, 4, 5)
    assert "U+001F" in diagnostic.message


# libyaml reads what it can, PyYAML the rest: the two must agree wherever libyaml's reading is kept.

def _python_only(monkeypatch) -> None:
    monkeypatch.setattr(yaml, "__with_libyaml__", False)


def _readings(text: str, monkeypatch) -> tuple[tuple, tuple]:
    """(libyaml-first, Python-only) readings of `text`: data, every position, diagnostics."""
    def reading():
        document, diagnostics = load_yaml(text, FILE, line_offset=3)
        found = [(d.code, d.message, d.span.line, d.span.column) for d in diagnostics]
        if document is None:
            return None, None, found
        return document.data, (document.positions.values, document.positions.keys), found
    fast = reading()
    with monkeypatch.context() as patch:
        _python_only(patch)
        return fast, reading()


def _sources() -> list[str]:
    """Every YAML file and front matter of the repository's courses and fixtures."""
    texts = []
    for path in sorted([*ROOT.glob("courses/**/*"), *ROOT.glob("tests/compiler/fixtures/**/*")]):
        text = path.read_text(encoding="utf-8", errors="replace") if path.suffix in (".yaml", ".yml", ".md") else ""
        if path.suffix in (".yaml", ".yml"):
            texts.append(text)
        elif text.startswith("---\n"):
            texts.append(text[4:text.find("\n---", 4) + 1])
    return texts


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml reads everything in Python")
def test_libyaml_reads_plain_documents_and_python_what_it_would_read_differently():
    assert isinstance(compose("a: [b, c]\n")[0], _StrictCLoader)
    deep = "a: " + "[" * 101 + "]" * 101 + "\n"
    for text in ("a: &x 1\nb: *x\n", "a:\tb\n", "\ufeffa: b\n", "a: b\x01\n", "a: [b\n", deep, "- a\n",
                 "---\n# vide", "a: |# note\n  b\n", "a: !\nb: 1\n", "a: !x b\n", "a: [Prêt?]\n", "a: {b: }\n",
                 "? a\n", "? a\n: b\nc:\n"):
        assert _loader_of(text) is StrictLoader, repr(text)


def _loader_of(text: str) -> type:
    try:
        return type(compose(text)[0])
    except yaml.YAMLError:
        return StrictLoader  # libyaml's errors are never raised: the text was read again in Python


def test_the_sources_read_the_same_through_libyaml_and_python(monkeypatch):
    sources = _sources()
    assert len(sources) > 100
    for text in sources:
        fast, python = _readings(text, monkeypatch)
        assert fast == python


def test_damaged_sources_read_the_same_through_libyaml_and_python(monkeypatch):
    """Seeded random edits of the sources, YAML syntax spliced in."""
    rng, sources = random.Random(7), _sources()
    pieces = [*":-[]{},#&*!?|>'\"%@`\n é«»\\0", "- ", ": ", "? ", "\n  ", "\n- ", "---\n", "yes", "~", "2024-01-01",
              "\r\n", "!!str ", "!x ", "|-\n", "# c"]
    for _ in range(1500):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(pieces) + text[at + rng.randint(0, 3):]
        fast, python = _readings(text, monkeypatch)
        assert fast == python, repr(text)


def test_a_tagged_value_python_cannot_build_is_a_diagnostic():
    for text in ("a: !!int\n", "a: !!bool x\n", "a: !!timestamp x\n"):
        document, (diagnostic,) = load_yaml(text, FILE)
        assert document is None and diagnostic.code is Code.YAML_SYNTAX and diagnostic.hint, text
