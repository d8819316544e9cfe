"""Simple YAML documents (most front matters, many module files) are composed without PyYAML's
pure-Python scanner, into the very nodes StrictLoader gives; anything else is left to StrictLoader."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from parcours.parse.yaml import StrictLoader, _SimpleComposer, load_yaml


def composed_simply(text: str) -> yaml.Node | None:
    return _SimpleComposer(text).mapping()


def composed_strictly(text: str) -> yaml.Node | None:
    loader = StrictLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def shape(node: yaml.Node | None) -> tuple | None:
    """What load_yaml reads from a node: kind, tag, style, value, start line, column and index."""
    if node is None:
        return None
    mark = (node.start_mark.line, node.start_mark.column, node.start_mark.index)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.style, node.value, mark)
    if isinstance(node, yaml.SequenceNode):
        return ("sequence", node.tag, node.flow_style, mark, tuple(shape(item) for item in node.value))
    return ("mapping", node.tag, node.flow_style, mark, tuple((shape(k), shape(v)) for k, v in node.value))


SIMPLE = [
    "title: Leçon 330",
    "title: Ce qu'est l'IA, et ce qu'elle n'est pas\n",
    "title: Vérification des acquis\ngraded: Vérification\ndue: 2026-05-01T12:00:00\n",
    "id: m6\nversion: 1.0.0\nduration_minutes: 60\naudiences: [tous]\nobjectives: [Appliquer les notions du module.]\n"
    "licence: CC-BY-4.0\nunits:\n  - 00-l300.md\n  - 01-l301.md\n",
    "url: https://exemple.org/a?b=c#d\nlangage: C# et F#\nmarque: a:b [c] {d} e,f 'g' \"h\" !i &j *k |l >m %n @o",
    "ok: true\nno: yes\non: off\nnothing: null\ntilde: ~\nn: 12\nx: 0x1F\nf: 1.5e3\ninf: .inf\ndate: 2026-01-15",
    "spaced:    value  with   spaces\nnbsp: \xa0insécable\nemoji: 😀 fin",
    "list: [ a,b,  c d,e]",
    "deep:\n    - a\n    - b c\nnext: [x]",
    "a-b_c: 1\n_x: 2",
]

OTHERS = [
    "",
    "# a comment\ntitle: x",
    "title: x\n\nid: y",
    "title: 'quoted'",
    "title: x # comment",
    "title: a: b",
    "title: ends with a colon:",
    "title: trailing space ",
    "title:\ttab",
    "title: tab\tinside",
    "title: line\x85break",
    "title: line\u2028break",
    "list: [before \ufeff, after]",  # the reader does not count U+FEFF in columns
    "list: [a , b]",
    "list: [a, b], ",
    "list: [a: b]",
    "list: [a, [b]]",
    "list: []",
    "list:\n- unindented",
    "list:\n  - a\n    - b",
    "list:\n  - a\n  -  \n",
    "list:\n  - a\n   - b",
    "list:",
    "title: x\n  continued",
    "anchor: &a x",
    "tagged: !!str 1",
    "- a\n- b",
    "key:value",
    "1key: x",
    "k" * 101 + ": x",
    "title: x\n---\nother: y",
]


@pytest.mark.parametrize("text", SIMPLE)
def test_a_simple_document_gets_the_nodes_and_data_strictloader_gives(text: str) -> None:
    node = composed_simply(text)
    assert node is not None and shape(node) == shape(composed_strictly(text))
    document, _ = load_yaml(text, Path("x.yaml"))
    assert document.data == yaml.load(text, Loader=StrictLoader)


@pytest.mark.parametrize("text", OTHERS)
def test_anything_else_is_left_to_strictloader(text: str) -> None:
    assert composed_simply(text) is None


# Lines of every kind the composer reads, with characters that matter to YAML mixed in.
special = st.sampled_from([*":#'\"[]{},?|>!&*%@`~-.\\\t\xa0\ufeff\u2028", "yes", "null", "12", ": ", " #", "  "])
character = st.one_of(st.sampled_from([*"ab é1"]), special)
value = st.lists(character, min_size=1, max_size=6).map("".join)
key = st.sampled_from(["a", "title", "on", "null", "b-c", "_d", "1", "-e"])
items = st.lists(value, min_size=1, max_size=3)
scalar_line = st.tuples(key, st.sampled_from([": ", ":  "]), value).map("".join)
flow_line = st.tuples(key, items.map(", ".join)).map(lambda pair: f"{pair[0]}: [{pair[1]}]")
block_lines = st.tuples(key, items).map(lambda pair: pair[0] + ":" + "".join(f"\n  - {item}" for item in pair[1]))
document = st.lists(st.one_of(scalar_line, flow_line, block_lines), min_size=1, max_size=3).map("\n".join)


@settings(max_examples=1000, deadline=None)
@given(document)
def test_whatever_the_composer_accepts_it_reads_as_strictloader_does(text: str) -> None:
    node = composed_simply(text)
    if node is not None:
        try:
            strict = composed_strictly(text)
        except yaml.YAMLError:
            strict = None
        assert shape(node) == shape(strict)
