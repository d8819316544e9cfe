"""Shared by every test: the messages are read in English, whatever the developer's locale."""
import pytest


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    # LANGUAGE comes first in gettext's order, so it outweighs LANG and LC_*; the French tests set it back.
    monkeypatch.setenv("LANGUAGE", "en")
