"""Custom blocks the compiler can embed, found through the `parcours.blocks` entry-point group.

Each entry point names a pure codec module (the same one the XBlock's own OLX import/export uses):
`TAG`, `load_schema()`, `validate(data) -> [(path, message, hint)]`, `asset_refs(data)`,
`to_element(data, resolve_asset)` and `from_element(element)`; optionally `course_refs(data) ->
[(path, id)]`, the ids of course content the block links to (checked once the course is known).
A block whose schema has a top-level `language` property gets the course language when the
author leaves it out.
"""
from __future__ import annotations

from functools import cache
from types import ModuleType

from parcours.plugins import registered

GROUP = "parcours.blocks"
_REQUIRED = ("TAG", "validate", "asset_refs", "to_element", "from_element")


class BlockPluginError(Exception):
    """A registered block plugin does not offer the codec interface (a bug in that plugin)."""


@cache
def block_codecs() -> dict[str, ModuleType]:
    codecs = {}
    for entry_point in registered(GROUP):
        try:
            codec = entry_point.load()
        except ImportError as error:
            raise BlockPluginError(f"the block plugin '{entry_point.name}' ({entry_point.value}) cannot be "
                                   f"imported: {error}; reinstall the project (make requirements)") from error
        missing = [name for name in _REQUIRED if not hasattr(codec, name)]
        if missing:
            raise BlockPluginError(f"{entry_point.value} lacks {', '.join(missing)}")
        codecs[entry_point.name] = codec
    return codecs
