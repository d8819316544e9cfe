"""Stage 2: YAML read the 1.2 way, with a position for every value."""
from pathlib import Path

from parcours.diagnostics import Code
from parcours.parse.yaml import load_yaml

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
