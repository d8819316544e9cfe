"""Custom blocks running in a standalone page, with no server: one adapter per block tag.

An adapter renders the block's public HTML with the block's own Python code (the same functions
its XBlock views call), ships the block's own JavaScript interface (`static/js` of the installed
block package, copied at build time) and a small local backend that plays the server's part in
the browser, from data prepared here. Learner progress goes to the page's tracker (SCORM when
there is an LMS API, else the browser's storage). A block without an adapter is shown as a note.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Any, Protocol

from parcours.blocks import block_codecs
from parcours.model.nodes import CustomBlock

ASSETS = resources.files(__package__) / "assets"


@dataclass(frozen=True, slots=True)
class Player:
    """What a page needs to run one block: its HTML and the package paths of its files."""

    html: str
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    scored: bool = False  # reports a score to the tracker
    weight: float = 0.0


class Site(Protocol):
    """What adapters need from the page writer (see pages.StandalonePages)."""

    course: Any
    targets: dict[str, str]

    def ship(self, name: str, data: bytes) -> str: ...
    def static_url(self, name: str) -> str: ...
    def asset_name(self, source: Any) -> str: ...


def block_file(package: str, path: str) -> bytes:
    """A file of an installed block package (its JavaScript or CSS), read at build time."""
    return resources.files(package).joinpath(path).read_bytes()


def public_data(block: CustomBlock, site: Site) -> dict:
    """The block's data with its file references pointing at the package's copies.

    Round-trips through the block's own codec, which knows where its data names files.
    """
    codec = block_codecs()[block.tag]
    published = {ref: site.static_url(site.asset_name(path)) for ref, path in block.assets.items()}
    return codec.from_element(codec.to_element(dict(block.data), lambda ref: published.get(ref, ref)))


def activity_key(block: CustomBlock) -> str:
    """Names the block's progress and result in the tracker (and in cmi.suspend_data)."""
    return f"{block.tag}:{block.id}"


def dom_prefix(block: CustomBlock) -> str:
    """Element ids of a block instance: from its url_name, unique in a course."""
    return "pc-" + "".join(c if c.isalnum() or c == "-" else "-" for c in block.id)


def module_href(site: Site, module_id: str) -> str | None:
    """Link, from a page, to a module's first page; None when the package lacks that module."""
    target = site.targets.get(module_id)
    return target.rsplit("/", 1)[-1] if target else None


def _unplayable(block: CustomBlock, site: Site) -> Player:
    note = {"fr": "Cette activité s'utilise dans Open edX.", "en": "This activity runs in Open edX."}
    language = site.course.language.split("-")[0]
    return Player(f'<p class="pc-note">{escape(block.title)} — {note.get(language, note["fr"])}</p>')


def _adapters() -> dict[str, Callable[[CustomBlock, Site], Player]]:
    from parcours.emit.players import case_study, self_assessment

    return {"self_assessment_quiz": self_assessment.player, "municipal_case_study": case_study.player}


def player_for(block: CustomBlock, site: Site) -> Player:
    return _adapters().get(block.tag, _unplayable)(block, site)
