"""How long each stage of a build takes: the stage the progress line names, and the table of
`parcours build --timings`, which shows where a large course's build time goes."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from parcours.i18n import _


@dataclass
class Timings:
    stages: list[tuple[str, float]] = field(default_factory=list)  # (stage, seconds), in order
    current: str = ""  # the stage running now, "" between stages

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.current, started = name, time.perf_counter()
        try:
            yield
        finally:
            self.stages.append((name, time.perf_counter() - started))
            self.current = ""

    def table(self) -> str:
        """One line per stage, then their sum (the process's start-up is not in it)."""
        rows = [*self.stages, (_("all stages"), sum(seconds for _name, seconds in self.stages))]
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"  {name:<{width}}  {seconds:6.2f} s" for name, seconds in rows)
