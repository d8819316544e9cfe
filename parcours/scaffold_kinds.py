"""What `parcours new` can create: apart from the scaffolding code, so the command line can list the
kinds without importing it (and the YAML and lint machinery it needs) on every start."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    template: str
    schema: str | None  # schema file name, None for Markdown lessons


KINDS = {
    "course": Kind("course.yaml", "course.schema.json"),
    "module": Kind("module.yaml", "module.schema.json"),
    "lesson": Kind("lesson.md", None),
    "case-study": Kind("case-study.yaml", "unit.schema.json"),
    "self-assessment": Kind("self-assessment.yaml", "unit.schema.json"),
}
UNIT_SUFFIX = {"lesson": ".md", "case-study": ".yaml", "self-assessment": ".yaml"}
