"""The fixture courses compile to exactly the stored golden tree dump and OLX files (make golden)."""
import pytest

from tests.golden import CASES, read_case, render_case


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden(name):
    expected, actual = read_case(name), render_case(CASES[name])
    assert sorted(actual) == sorted(expected), "files differ: run `make golden` and review the diff"
    for relative in expected:
        assert actual[relative].decode(errors="replace") == expected[relative].decode(errors="replace"), relative
