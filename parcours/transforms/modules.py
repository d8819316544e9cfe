"""Stage 6 (per module): a module as a course of its own, for partners who reuse one module.

`module_course(course, chapter)` is pure: it returns a course holding only that chapter, with the
same ids (learner state and links keep working), a course number suffixed with the module id (a
partner can import several modules side by side), the module's own licence, authors, audiences
and duration, and only the assets the module uses. Links to other modules cannot resolve in a
package that lacks them: they become plain text.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from parcours.model.nodes import Asset, Block, Chapter, Course, CustomBlock, HtmlBlock, map_blocks

_STATIC_REF = re.compile(r'/static/([^"\'\s)>?#]+)')
_JUMP_LINK = re.compile(r'<a\b[^>]*\bhref="/jump_to_id/([^"#?]+)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)


def module_course(course: Course, chapter: Chapter) -> Course:
    """The course reduced to `chapter` (which must be one of its chapters)."""
    if chapter not in course.chapters:
        raise ValueError(f"'{chapter.id}' is no chapter of '{course.id}'")
    inside = {node.id for node in chapter.walk()}
    standalone = map_blocks(chapter, lambda block: _change_html(block, lambda html: _unlink_outside(html, inside)))
    return dataclasses.replace(
        course,
        title=chapter.title,
        number=f"{course.number}-{chapter.id}",
        chapters=(standalone,),
        licence=chapter.licence,
        authors=chapter.authors or course.authors,
        audiences=chapter.audiences or course.audiences,
        duration_hours=round(chapter.duration_minutes / 60, 2),
        effort=None,
        assets=used_assets(course.assets, standalone),
    )


def used_assets(assets: tuple[Asset, ...], chapter: Chapter) -> tuple[Asset, ...]:
    """The assets that the chapter's pages or blocks refer to, in the course's order."""
    names: set[str] = set()
    sources = set()
    for node in chapter.walk():
        if isinstance(node, HtmlBlock):
            names.update(_STATIC_REF.findall(node.html))
            names.update(asset.name for asset in node.assets)
        elif isinstance(node, CustomBlock):
            sources.update(node.assets.values())
    return tuple(asset for asset in assets if asset.name in names or asset.source in sources)


def _unlink_outside(html: str, inside: set[str]) -> str:
    return _JUMP_LINK.sub(lambda match: match.group(0) if match.group(1) in inside else match.group(2), html)


def _change_html(block: Block, change: Callable[[str], str]) -> Block:
    if not isinstance(block, HtmlBlock) or (html := change(block.html)) == block.html:
        return block
    return dataclasses.replace(block, html=html)
