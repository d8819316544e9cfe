"""The entry points of the installed plugins (emitters, blocks, page generators), read once a run:
looking up a group reads the metadata of every installed distribution, about 5 ms each time. A
plugin installed while a process runs (a long preview) is seen by the next one."""
from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoints, entry_points


@cache
def _installed() -> EntryPoints:
    return entry_points()


def registered(group: str) -> EntryPoints:
    """The entry points of `group`, from every installed distribution."""
    return _installed().select(group=group)
