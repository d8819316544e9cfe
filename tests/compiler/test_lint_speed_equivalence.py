"""The content lints search their patterns in forms the regex engine can jump through: the markup that
typography skips is searched branch by branch, and word boundaries are checked after the word. These
forms must find exactly what the plain ones find, on text made of the very syntax they are about."""
from __future__ import annotations

import random
import re

import pytest

from parcours.lint import regions

PIECES = ["<!--", "-->", "<a>", "</b ", "<", ">", "](", "(", ")", '"', "'", "[", "]", "]:", ":", " ", "  ", "\t",
          "\n", "|", "-", "!", "{#", "{.", "}", "{{", "}}", ">>", "<<", "||", "[[", "]]", "(x)", "( )", "[x]",
          "[ ]", "[explanation]", "http://", "https://a", "ftp://", "mailto:", "www.", "unselected:", "selected:",
          "or=", "not=", "x", "é", "_", "1", "\u00a0", "\x00"]


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def mask_with_one_alternation(view: str) -> str:
    alternation = re.compile("|".join(branch.pattern for branch in regions._NOT_PROSE_MARKUP), re.S)
    return alternation.sub(lambda match: regions._blank(match.group()), view)


@pytest.mark.parametrize("seed", range(4))
def test_branch_by_branch_masking_is_the_alternation(seed: int):
    for view in texts(1500, seed):
        assert regions._mask_markup(view) == mask_with_one_alternation(view), repr(view)


@pytest.mark.parametrize("word", ["http", "mailto:", r"www\.", "unselected:", "or="])
def test_a_word_start_checked_after_the_word_is_a_word_boundary(word: str):
    checked_after, plain = re.compile(regions._at_word_start(word)), re.compile(rf"\b{word}")
    for view in texts(500, len(word)):
        view = view.replace("x", word.replace("\\", ""))
        assert ([match.span() for match in checked_after.finditer(view)]
                == [match.span() for match in plain.finditer(view)]), repr(view)
