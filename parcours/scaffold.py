"""`parcours new`: commented French sources that validate as written.

Each YAML file starts with a `# yaml-language-server: $schema=…` line, a path relative to the file,
so editors offer completion and inline errors. The schemas are those the course already points at
(its course.yaml modeline), else the installed compiler's. A new module is added to its course's
`modules:` list and a new unit to its module's `units:` list by inserting one line of text, so the
authors' comments and layout stay as they were.

Nothing is half-written: every new file and every list edit is first prepared in memory and checked
(the lists read with the compiler's own YAML loader, each written value read back), then all are
written together; if the disk refuses one, those already written are undone.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from datetime import date
from importlib import resources
from pathlib import Path
from string import Template

import yaml

from parcours.diagnostics import Severity, format_text
from parcours.i18n import N_, _
from parcours.lint.typography import fix_text
from parcours.parse.markdown import split_front_matter
from parcours.parse.yaml import StrictLoader, load_yaml
from parcours.project import COURSE_FILE, MODULE_FILE
from parcours.scaffold_kinds import KINDS, UNIT_SUFFIX
from parcours.sources import Span, display_path

TEMPLATES = resources.files("parcours") / "templates"
MODELINE = "# yaml-language-server: $schema="
_MODELINE_PATTERN = re.compile(r"^# yaml-language-server: \$schema=(\S+)", re.MULTILINE)
FIRST_MODULE = "modules/01-premier-module"
FIRST_LESSON = "01-introduction.md"
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")  # the schemas' pattern for module and unit ids
# What to create first when a module or unit has no enclosing course or module (translated when said).
_CREATE_FIRST = {"course": N_("create the course first (`parcours new course …`)"),
                 "module": N_("create the module first (`parcours new module …`)")}


class ScaffoldError(Exception):
    """Something `parcours new` will not do (an existing file, no enclosing course or module); the
    message and the hint in the author's language."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message + ("\n" + _("  = hint: {hint}").format(hint=hint) if hint else ""))




def create(kind: str, path: Path, title: str | None = None, identifier: str | None = None) -> list[Path]:
    """Scaffold `kind` at `path`; the files written or edited, in order. All of them, or none."""
    changes = Changes()
    if kind == "course":
        new_course(changes, path, title, identifier)
    elif kind == "module":
        new_module(changes, path, title, identifier)
    else:
        new_unit(changes, kind, path, title, identifier)
    return changes.commit()


def new_course(changes: Changes, folder: Path, title: str | None, key: str | None) -> None:
    """course.yaml (`key` is ORG+NUMBER+RUN), with a first module holding a first lesson."""
    folder = folder.absolute()
    course_file = folder / COURSE_FILE
    org, number, run = _course_key(key, folder)
    today = date.today()
    text = _render("course", course_file, schemas_folder(changes, folder), org=yaml_scalar(org),
                   number=yaml_scalar(number), run=yaml_scalar(run),
                   title=yaml_scalar(title or humanize(folder.name)), start=today.isoformat(),
                   end=today.replace(year=today.year + 1).isoformat())
    changes.create(course_file, text)
    new_module(changes, folder / FIRST_MODULE, "Premier module", None)


def new_module(changes: Changes, folder: Path, title: str | None, identifier: str | None) -> None:
    """module.yaml with a first lesson, listed in the enclosing course's `modules:`."""
    folder = folder.absolute()
    course_dir = enclosing(changes, folder.parent, COURSE_FILE, "course")
    module_file = folder / MODULE_FILE
    identifier = _identifier(identifier, folder.name)
    text = _render("module", module_file, schemas_folder(changes, course_dir), id=yaml_scalar(identifier),
                   title=yaml_scalar(title or humanize(folder.name)))
    changes.create(module_file, text)
    course_file = course_dir / COURSE_FILE
    changes.edit(course_file, with_item(changes.read(course_file), course_file, "modules",
                                        relative(folder, course_dir)))
    new_unit(changes, "lesson", folder / FIRST_LESSON, "Introduction", None)


def new_unit(changes: Changes, kind: str, path: Path, title: str | None, identifier: str | None) -> None:
    """A lesson or a block unit, listed in the enclosing module's `units:`."""
    path = path.absolute()
    if path.suffix not in (".md", ".yaml", ".yml"):
        path = path.with_name(path.name + UNIT_SUFFIX[kind])
    module_dir = enclosing(changes, path.parent, MODULE_FILE, "module")
    course_dir = enclosing(changes, module_dir.parent, COURSE_FILE, "course")
    given = identifier
    identifier = _identifier(identifier, path.stem)
    title_value = yaml_scalar(title or humanize(path.stem))
    if kind == "lesson":  # the id also names the lesson's page and problem (Markdown, not YAML)
        text = _render(kind, path, schemas_folder(changes, course_dir), id=identifier, title=title_value)
        if given is not None and identifier != slug(path.stem):
            text = text.replace("---\ntitle:", f"---\nid: {yaml_scalar(identifier)}\ntitle:", 1)
    else:
        text = _render(kind, path, schemas_folder(changes, course_dir), id=yaml_scalar(identifier),
                       title=title_value)
    changes.create(path, text)
    module_file = module_dir / MODULE_FILE
    changes.edit(module_file, with_item(changes.read(module_file), module_file, "units", relative(path, module_dir)))


def _identifier(given: str | None, name: str) -> str:
    if given is None:
        return slug(name)
    if not ID_PATTERN.fullmatch(given):
        raise ScaffoldError(_("'{id}' is not an id").format(id=given),
                            _("an id is lowercase letters, digits and '-', starting with a letter or a digit, "
                              "e.g. cas-311"))
    return given


# Text ---------------------------------------------------------------------------------------------
def _render(kind: str, target: Path, schemas: Path, **values: str) -> str:
    """The template filled in, French typography applied (titles too), after the schema line."""
    spec = KINDS[kind]
    text = Template((TEMPLATES / spec.template).read_text(encoding="utf-8")).substitute(values)
    text, _fixes = fix_text(target, text)
    _check_rendered(target, text)
    if spec.schema is None:
        return text
    return f"{MODELINE}{relative(schemas / spec.schema, target.parent)}\n{text}"


def _check_rendered(target: Path, text: str) -> None:
    """The YAML of a new file (a lesson's front matter) reads with no diagnostic, or nothing is written."""
    yaml_text, line = (text, 0)
    if target.suffix == ".md":
        front_matter, first_line, _body, _body_line = split_front_matter(text, target)
        yaml_text, line = front_matter or "", first_line - 1
    document, diagnostics = load_yaml(yaml_text, target, line_offset=line)
    if diagnostics or document is None:
        shown = "\n".join(format_text(diagnostic, {target: text}) for diagnostic in diagnostics)
        raise ScaffoldError(_("parcours new would write a file that does not read back cleanly:\n{diagnostics}")
                            .format(diagnostics=shown), _("please report this; a simpler --title avoids it"))


_SCRATCH = Path("value.yaml")
_BLOCK_CONTEXTS = ("v: {}\n", "- {}\n")
_FLOW_CONTEXTS = ("[{}]\n", "[a, {}, b]\n")
# What PyYAML reads as is inside double quotes; line breaks (\x85, \u2028, \u2029 too) would be folded.
_AS_IS = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def yaml_scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML value (a mapping value or a block list item, or with `flow` an item of a
    `[…]` list): plain when the compiler's loader reads it back as the same string with no
    diagnostic (no YAML 1.1 yes/no warning), else double-quoted."""
    return text if _reads_back(text, _FLOW_CONTEXTS if flow else _BLOCK_CONTEXTS) else _double_quoted(text)


def _reads_back(text: str, contexts: tuple[str, ...]) -> bool:
    if not text or text != text.strip() or "\n" in text or "\r" in text:
        return False
    for context in contexts:
        try:
            document, diagnostics = load_yaml(context.format(text), _SCRATCH)
        except yaml.YAMLError:  # a character YAML does not allow unescaped
            return False
        if diagnostics or document is None:
            return False
        data = document.data
        expected = {"v": text} if context.startswith("v:") else ["a", text, "b"] if context.count(",") else [text]
        if data != expected or not all(isinstance(value, str) for value in _values(data)):
            return False
    return True


def _values(data: dict | list) -> list:
    return list(data.values()) if isinstance(data, dict) else list(data)


def _double_quoted(text: str) -> str:
    """`text` in YAML double quotes, every character that would not read back as itself escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif _AS_IS.fullmatch(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


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
        raise ScaffoldError(_("a course id is ORG+NUMBER+RUN (letters, digits, . _ -), not '{id}'").format(id=key))
    return parts[0], parts[1], parts[2]


# Places -------------------------------------------------------------------------------------------
def relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def enclosing(changes: Changes, folder: Path, marker: str, what: str) -> Path:
    """The nearest folder from `folder` upwards that holds `marker` (on disk or about to be written)."""
    folder = folder.resolve()
    for candidate in [folder, *folder.parents]:
        if changes.is_file(candidate / marker):
            return candidate
    raise ScaffoldError(_("no {file} in '{folder}' or above it").format(file=marker, folder=display_path(folder)),
                        _(_CREATE_FIRST[what]))


def schemas_folder(changes: Changes, course_dir: Path) -> Path:
    """Where the course's modeline points, else the schemas shipped with the compiler."""
    course_file = course_dir / COURSE_FILE
    match = _MODELINE_PATTERN.search(changes.read(course_file)) if changes.is_file(course_file) else None
    if match:
        return (course_dir / match.group(1)).parent
    return Path(str(resources.files("parcours.schemas")))


# Writing all or nothing ---------------------------------------------------------------------------
class Changes:
    """The files `parcours new` creates and edits, prepared in memory, then written together."""

    def __init__(self) -> None:
        self.texts: dict[Path, str] = {}  # in the order first touched
        self.originals: dict[Path, str] = {}  # edited files as they were on disk

    def is_file(self, path: Path) -> bool:
        return path.resolve() in self.texts or path.is_file()

    def read(self, path: Path) -> str:
        path = path.resolve()
        if path in self.texts:
            return self.texts[path]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ScaffoldError(_("cannot read '{file}': {reason}").format(file=display_path(path),
                                                                             reason=_reason(error)),
                                _("check that it is a UTF-8 text file you can read")) from None
        self.originals[path] = text
        return text

    def create(self, path: Path, text: str) -> None:
        path = path.absolute()
        odd = [char for char in path.as_posix() if unicodedata.category(char) in ("Cc", "Zl", "Zp")]
        if odd:
            raise ScaffoldError(_("{path}: a name with a control character or a line break (U+{code})").format(
                path=ascii(path.as_posix()), code=f"{ord(odd[0]):04X}"),
                _("choose a name of letters, digits, spaces and '-'"))
        if path.resolve() in self.texts or path.exists() or path.is_symlink():
            raise ScaffoldError(_("'{path}' already exists").format(path=display_path(path)),
                                _("choose another name, or remove it first"))
        for folder in path.parents:
            if folder.exists() or folder.is_symlink():
                if not folder.is_dir():
                    raise ScaffoldError(_("'{folder}' is a file, not a folder").format(folder=display_path(folder)),
                                        _("choose a path whose folders are folders, or new ones"))
                break
        self.texts[path.resolve()] = text

    def edit(self, path: Path, text: str) -> None:
        self.read(path)  # keeps the original, to undo
        self.texts[path.resolve()] = text

    def commit(self) -> list[Path]:
        """Write every file; if one cannot be written, undo the others and say why."""
        made_folders: list[Path] = []
        created: list[Path] = []
        replaced: list[Path] = []
        target = None
        try:
            for path, text in self.texts.items():
                if path in self.originals:
                    continue
                missing = [folder for folder in path.parents if not folder.exists()][::-1]
                for target in missing:
                    target.mkdir()
                    made_folders.append(target)
                target = path
                with path.open("x", encoding="utf-8", newline="") as file:
                    created.append(path)
                    file.write(text)
            for target in self.originals.keys() & self.texts.keys():
                _replace(target, self.texts[target])
                replaced.append(target)
        except BaseException as error:
            self._undo(made_folders, created, replaced)
            if not isinstance(error, OSError):
                raise
            raise ScaffoldError(_("cannot write '{file}': {reason}; nothing was written").format(
                file=display_path(target), reason=_reason(error)), _("choose a folder you can write to")) from None
        return list(self.texts)

    def _undo(self, made_folders: list[Path], created: list[Path], replaced: list[Path]) -> None:
        for path in replaced:
            with contextlib.suppress(OSError):
                _replace(path, self.originals[path])
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        for folder in reversed(made_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _replace(path: Path, text: str) -> None:
    """Write `text` to an existing file in one step (a full temporary copy, then a rename)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def span_at(path: Path, text: str, offset: int) -> Span:
    """The 1-based line and column of a character offset in `text`."""
    return Span(path, text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, UnicodeDecodeError):
        return _("not UTF-8 text (byte {position})").format(position=error.start)
    return str(error)


# Lists in YAML text -------------------------------------------------------------------------------
def add_to_list(path: Path, key: str, item: str) -> Path:
    """Append `item` to the top-level list `key` of a YAML file, editing only the list's text."""
    changes = Changes()
    changes.edit(path, with_item(changes.read(path), path, key, item))
    changes.commit()
    return path


def with_item(text: str, path: Path, key: str, item: str) -> str:
    """`text`, a YAML file, with `item` appended to its top-level list `key`, the rest untouched.

    The file must read without error with the compiler's loader, and the edited text must read as
    the same list with `item` at its end: else a ScaffoldError, located, and nothing changes."""
    before = _readable(text, path)
    node = _list_node(yaml.compose(text, Loader=StrictLoader), key, path)
    if node.flow_style and not node.value:  # `key: []` becomes a block list
        start, end = node.start_mark.index, node.end_mark.index
        edited = f"{text[:start].rstrip(' ')}\n  - {yaml_scalar(item)}{text[end:]}"
    elif node.flow_style:  # `[a, b]`: before the closing bracket
        close = text.rindex("]", 0, node.end_mark.index)
        edited = f"{text[:close]}, {yaml_scalar(item, flow=True)}{text[close:]}"
    else:  # a block list: a line after its last item, at the items' indentation
        last = node.value[-1].end_mark  # a nested mapping ends at the start of the next line
        line_end = last.index - 1 if last.column == 0 else text.find("\n", last.index)
        at = len(text) if line_end < 0 else line_end + 1
        edited = f"{text[:at].rstrip(chr(10))}\n{' ' * node.start_mark.column}- {yaml_scalar(item)}\n{text[at:]}"
    after = load_yaml(edited, path)[0]
    if after is None or after.data.get(key) != [*before[key], item]:
        raise ScaffoldError(_("'{file}': cannot add '{item}' to its '{key}:' list without changing something "
                              "else; nothing was written").format(file=display_path(path), item=item, key=key),
                            _("add `- {item}` to the list by hand").format(item=yaml_scalar(item)))
    return edited


def _readable(text: str, path: Path) -> dict:
    """The data of a YAML file; its first error (with its line and column) raised if it has one."""
    try:
        document, diagnostics = load_yaml(text, path)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, found before parsing
        where = span_at(path, text, error.position)
        raise ScaffoldError(_("{place}: character U+{code} is not allowed in YAML; nothing was written").format(
            place=where.display(), code=f"{error.character:04X}"),
            _("remove it from '{file}'").format(file=display_path(path))) from None
    errors = [diagnostic for diagnostic in diagnostics if diagnostic.level is Severity.ERROR]
    if errors or document is None:
        shown = "\n".join(format_text(diagnostic, {path: text}) for diagnostic in errors) or _("invalid YAML")
        raise ScaffoldError(shown + "\n" + _("nothing was written: fix '{file}' first, then run the command again")
                            .format(file=display_path(path)))
    return document.data if isinstance(document.data, dict) else {}


def _list_node(document: yaml.Node | None, key: str, path: Path) -> yaml.SequenceNode:
    where = display_path(path) + ":1:1"
    if isinstance(document, yaml.MappingNode):
        for key_node, value_node in document.value:
            if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
                return value_node
            if key_node.value == key:
                mark = value_node.start_mark
                where = f"{display_path(path)}:{mark.line + 1}:{mark.column + 1}"
    raise ScaffoldError(_("{place}: no top-level '{key}:' list to add to; nothing was written").format(
        place=where, key=key), _("give '{file}' a list `{key}:` (`{key}: []` if it is empty)").format(
        file=display_path(path), key=key))
