"""`parcours new`: commented French sources that validate as written.

Each YAML file starts with a `# yaml-language-server: $schema=…` line, a path relative to the file,
so editors offer completion and inline errors. The schemas are those the course already points at
(its course.yaml modeline), else the installed compiler's. A new module is added to its course's
`modules:` list and a new unit to its module's `units:` list by inserting one line of text, so the
authors' comments and layout stay as they were.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from string import Template

import yaml

from parcours.lint.typography import fix_text
from parcours.project import COURSE_FILE, MODULE_FILE

TEMPLATES = resources.files("parcours") / "templates"
MODELINE = "# yaml-language-server: $schema="
_MODELINE_PATTERN = re.compile(r"^# yaml-language-server: \$schema=(\S+)", re.MULTILINE)
FIRST_MODULE = "modules/01-premier-module"
FIRST_LESSON = "01-introduction.md"


class ScaffoldError(Exception):
    """Something `parcours new` will not do (an existing file, no enclosing course or module)."""


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


def create(kind: str, path: Path, title: str | None = None, identifier: str | None = None) -> list[Path]:
    """Scaffold `kind` at `path`; the files written or edited, in order."""
    if kind == "course":
        return new_course(path, title, identifier)
    if kind == "module":
        return new_module(path, title, identifier)
    return new_unit(kind, path, title, identifier)


def new_course(folder: Path, title: str | None, key: str | None) -> list[Path]:
    """course.yaml (`key` is ORG+NUMBER+RUN), with a first module holding a first lesson."""
    course_file = folder / COURSE_FILE
    org, number, run = _course_key(key, folder)
    today = date.today()
    text = _render("course", course_file, schemas_folder(folder), org=org, number=number, run=run,
                   title=yaml_scalar(title or humanize(folder.name)), start=today.isoformat(),
                   end=today.replace(year=today.year + 1).isoformat())
    written = [_write_new(course_file, text)]
    return written + new_module(folder / FIRST_MODULE, "Premier module", None)


def new_module(folder: Path, title: str | None, identifier: str | None) -> list[Path]:
    """module.yaml with a first lesson, listed in the enclosing course's `modules:`."""
    course_dir = enclosing(folder.parent, COURSE_FILE, "course")
    module_file = folder / MODULE_FILE
    identifier = identifier or slug(folder.name)
    text = _render("module", module_file, schemas_folder(course_dir), id=identifier,
                   title=yaml_scalar(title or humanize(folder.name)))
    written = [_write_new(module_file, text),
               add_to_list(course_dir / COURSE_FILE, "modules", relative(folder, course_dir))]
    return written + new_unit("lesson", folder / FIRST_LESSON, "Introduction", None)


def new_unit(kind: str, path: Path, title: str | None, identifier: str | None) -> list[Path]:
    """A lesson or a block unit, listed in the enclosing module's `units:`."""
    if path.suffix not in (".md", ".yaml", ".yml"):
        path = path.with_name(path.name + UNIT_SUFFIX[kind])
    module_dir = enclosing(path.parent, MODULE_FILE, "module")
    course_dir = enclosing(module_dir.parent, COURSE_FILE, "course")
    identifier = identifier or slug(path.stem)
    text = _render(kind, path, schemas_folder(course_dir), id=identifier,
                   title=yaml_scalar(title or humanize(path.stem)))
    if kind == "lesson" and identifier != slug(path.stem):
        text = text.replace("---\ntitle:", f"---\nid: {identifier}\ntitle:", 1)
    return [_write_new(path, text), add_to_list(module_dir / MODULE_FILE, "units", relative(path, module_dir))]


# Text ---------------------------------------------------------------------------------------------
def _render(kind: str, target: Path, schemas: Path, **values: str) -> str:
    """The template filled in, French typography applied (titles too), after the schema line."""
    spec = KINDS[kind]
    text = Template((TEMPLATES / spec.template).read_text(encoding="utf-8")).substitute(values)
    text, _ = fix_text(target, text)
    if spec.schema is None:
        return text
    return f"{MODELINE}{relative(schemas / spec.schema, target.parent)}\n{text}"


def yaml_scalar(text: str) -> str:
    """`text` as a YAML value: plain when YAML reads it back unchanged, else double-quoted."""
    plain = text.strip() == text and ": " not in text and " #" not in text
    try:
        plain = plain and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slug(name: str) -> str:
    """An id from a file or folder name: no numeric prefix, no accents, lowercase words joined by '-'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return re.sub(r"^\d+-", "", words) or "nouveau"


def humanize(name: str) -> str:
    """A default title from a file or folder name: '02-qualité-des-données' → 'Qualité des données'."""
    words = re.sub(r"^\d+[-_ ]", "", name).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else "Sans titre"


def _course_key(key: str | None, folder: Path) -> tuple[str, str, str]:
    if key is None:
        return "MonOrganisation", slug(folder.name).upper().replace("-", "")[:20] or "COURS101", str(date.today().year)
    parts = key.removeprefix("course-v1:").split("+")
    if len(parts) != 3 or not all(re.fullmatch(r"[A-Za-z0-9._-]+", part) for part in parts):
        raise ScaffoldError(f"a course id is ORG+NUMBER+RUN (letters, digits, . _ -), not '{key}'")
    return parts[0], parts[1], parts[2]


# Places -------------------------------------------------------------------------------------------
def relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def enclosing(folder: Path, marker: str, what: str) -> Path:
    """The nearest folder from `folder` upwards that holds `marker`."""
    folder = folder.resolve()
    for candidate in [folder, *folder.parents]:
        if (candidate / marker).is_file():
            return candidate
    raise ScaffoldError(f"no {marker} in '{folder}' or above it: create the {what} first")


def schemas_folder(course_dir: Path) -> Path:
    """Where the course's modeline points, else the schemas shipped with the compiler."""
    course_file = course_dir / COURSE_FILE
    match = _MODELINE_PATTERN.search(course_file.read_text(encoding="utf-8")) if course_file.is_file() else None
    if match:
        return (course_dir / match.group(1)).parent
    return Path(str(resources.files("parcours.schemas")))


def _write_new(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"'{path}' already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Lists in YAML text -------------------------------------------------------------------------------
def add_to_list(path: Path, key: str, item: str) -> Path:
    """Append `item` to the top-level list `key` of a YAML file, editing only the list's text."""
    text = path.read_text(encoding="utf-8")
    node = _list_node(yaml.compose(text), key, path)
    value = yaml_scalar(item)
    if node.flow_style and not node.value:  # `key: []` becomes a block list
        start, end = node.start_mark.index, node.end_mark.index
        text = f"{text[:start].rstrip(' ')}\n  - {value}{text[end:]}"
    elif node.flow_style:  # `[a, b]`: before the closing bracket
        close = text.rindex("]", 0, node.end_mark.index)
        text = f"{text[:close]}, {value}{text[close:]}"
    else:  # a block list: a line after its last item, at the items' indentation
        last = node.value[-1].end_mark  # a nested mapping ends at the start of the next line
        line_end = last.index - 1 if last.column == 0 else text.find("\n", last.index)
        at = len(text) if line_end < 0 else line_end + 1
        text = f"{text[:at].rstrip(chr(10))}\n{' ' * node.start_mark.column}- {value}\n{text[at:]}"
    path.write_text(text, encoding="utf-8")
    return path


def _list_node(document: yaml.Node | None, key: str, path: Path) -> yaml.SequenceNode:
    if isinstance(document, yaml.MappingNode):
        for key_node, value_node in document.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                return value_node
    raise ScaffoldError(f"'{path}' has no top-level '{key}:' list to add to")
