"""The authors' documentation stays true to the code."""
from pathlib import Path

from parcours.diagnostics import codes_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_diagnostics_doc_is_generated_from_the_codes():
    assert (DOCS / "diagnostics.md").read_text(encoding="utf-8") == codes_markdown(), "run `make docs`"
