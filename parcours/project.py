"""Stage 1: discovery. Which courses a path holds, and the text of every file read in this run."""
from __future__ import annotations

import difflib
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from parcours.diagnostics import Code, Diagnostic, Reporter
from parcours.i18n import _
from parcours.sources import Span

COURSE_FILE = "course.yaml"
MODULE_FILE = "module.yaml"


def discover(path: Path) -> list[Path]:
    """A course folder itself, or the course folders directly inside `path`, sorted."""
    if (path / COURSE_FILE).is_file():
        return [path]
    return sorted(child for child in path.iterdir() if (child / COURSE_FILE).is_file()) if path.is_dir() else []


class KeptTexts:
    """The texts of a process's last build with the size and modification time their files had, so that
    a process that builds again (`--watch`, the preview) does not read an unchanged file again: it
    gets the very same text object, which later stages recognise (`ResultCache.memo`).

    As for the build's fingerprint (`incremental`), a text is kept only if its file had not changed
    for a while when it was read: a second change within the file system's clock tick could leave
    its size and time as they were. Each build keeps what it read, and forgets the rest.
    """

    def __init__(self) -> None:
        self.texts: dict[Path, tuple[tuple[int, int], str]] = {}  # the last build's
        self.fresh: dict[Path, tuple[tuple[int, int], str]] = {}  # this build's

    def start(self) -> None:
        """A new build: what the last one read is what may be reused."""
        if self.fresh:
            self.texts, self.fresh = self.fresh, {}

    def get(self, path: Path, status: os.stat_result) -> str | None:
        kept = self.texts.get(path)
        if kept is None or kept[0] != (status.st_size, status.st_mtime_ns):
            return None
        self.fresh[path] = kept
        return kept[1]

    def keep(self, path: Path, status: os.stat_result, text: str, read_ns: int) -> None:
        if settled(status, read_ns):
            self.fresh[path] = ((status.st_size, status.st_mtime_ns), text)


RACY_NS = 2_000_000_000  # the coarsest modification-time tick in common use (FAT: 2 s)


def settled(status: os.stat_result, read_ns: int) -> bool:
    """Whether a file read at `read_ns` had not changed for a clock tick: a change within the tick
    could leave its size and modification time as they were, so only then may they stand for it."""
    return status.st_mtime_ns < read_ns - RACY_NS


@dataclass
class Workspace:
    """The files of one run, read once, kept for diagnostics excerpts."""

    reporter: Reporter
    texts: dict[Path, str] = field(default_factory=dict)
    kept: KeptTexts | None = None  # the texts of this process's last build
    started_ns: int = field(default_factory=time.time_ns)

    def __post_init__(self) -> None:
        if self.kept is not None:
            self.kept.start()

    def read(self, path: Path) -> str | None:
        if path in self.texts:
            return self.texts[path]
        try:
            status = os.stat(path) if self.kept is not None else None
            if status is not None and (text := self.kept.get(path, status)) is not None:
                self.texts[path] = text
                return text
            data = path.read_bytes()
        except OSError as error:
            self.reporter.emit(Diagnostic(Code.UNREADABLE, _("cannot be read ({reason})").format(reason=error.strerror),
                                          Span(path), _("check that the file exists and that you may read it")))
            return None
        text = self._decoded(path, data)
        if text is not None:
            self.texts[path] = text
            if status is not None:
                self.kept.keep(path, status, text, self.started_ns)
        return text

    def _decoded(self, path: Path, data: bytes) -> str | None:
        """The file's text, with `\n` line ends and no byte-order mark; None (and a diagnostic) if it
        is not UTF-8 or holds a character XML forbids."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line_start = data.rfind(b"\n", 0, error.start) + 1
            where = Span(path, data.count(b"\n", 0, error.start) + 1, error.start - line_start + 1)
            self.reporter.emit(Diagnostic(Code.UNREADABLE, _("not UTF-8 text ({reason})").format(reason=error.reason),
                                          where, _("save the file as UTF-8 (every editor can)")))
            return None
        text = text.removeprefix("\ufeff")
        if "\r" in text:  # seldom: looking for "\r\n" costs more than looking for "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if _may_hold_not_xml(data, text) and (bad := NOT_XML.search(text)):
            before = text[:bad.start()]
            where = Span(path, before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1)
            message = _("the character U+{codepoint:04X} cannot be written in Open edX XML")
            self.reporter.emit(Diagnostic(Code.UNREADABLE, message.format(codepoint=ord(bad.group())), where,
                                          _("delete it; invisible control characters often come with pasted text")))
            return None
        return text


# Characters no XML document may hold (XML 1.0 §2.2): most C0 controls, lone surrogates, U+FFFE/FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The C0 controls among them: UTF-8 writes each as its own byte. As strict decoding leaves no lone
# surrogate, a file without these bytes, U+FFFE or U+FFFF holds none of NOT_XML's characters, which
# is quick to tell; NOT_XML's search (~3 ns a character) was the better part of reading a file.
_NOT_XML_CONTROLS = bytes(range(0x20)).translate(None, b"\t\n\r")


def _may_hold_not_xml(data: bytes, text: str) -> bool:
    """False when `text`, decoded from the UTF-8 `data`, surely holds no character NOT_XML finds."""
    return len(data.translate(None, _NOT_XML_CONTROLS)) < len(data) or "\ufffe" in text or "\uffff" in text


def loop_hint() -> str:
    return _("the link points back to itself; replace it with the file it should name")


def resolved(path: Path) -> Path | None:
    """`path` with its links followed, or None for a symbolic-link loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def resolved_in(folder: Path, name: str) -> Path | None:
    """`resolved(folder / name)` for a `folder` resolved already. `resolve` lstats every component of
    the path; here only `name` can be a link, so a plain file name needs one lstat. (An lstat that
    fails leaves the name as it is, as `resolve` does; a file under a resolved folder can't loop.)"""
    path = folder / name
    if "/" in name or name in ("", ".", ".."):  # not one plain component: the general way
        return resolved(path)
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        is_link = False
    return resolved(path) if is_link else path


def still_resolves(written: Path, source: Path) -> bool:
    """A reference (`written`, its path joined to its folder) that resolved to the file `source`
    still does, and the file is still there: not replaced by a link since, nor reached through a link
    that now leads elsewhere (either may lead out of the course)."""
    return resolved(written) == source and source.is_file()


def inside(path: Path, root: Path) -> bool:
    """True when `path` (resolved, links followed) lies within `root`; a link loop lies nowhere."""
    target = resolved(path)
    return target is not None and within(target, root.resolve())


def within(path: Path, root: Path) -> bool:
    """True when `path` is `root` or lies below it, both resolved already: `inside` without the disk.
    (Comparing parts is what `Path.is_relative_to` does, without building every parent.)"""
    return path.parts[:len(root.parts)] == root.parts


def did_you_mean(target: Path) -> str:
    """A hint for a file that isn't there: it is a folder, or the closest name in its folder."""
    if target.is_dir():
        return _("'{name}' is a folder: name a file").format(name=target.name)
    siblings = [p.name for p in target.parent.iterdir() if p.is_file()] if target.parent.is_dir() else []
    close = difflib.get_close_matches(target.name, siblings, 1)
    if close:
        return _("did you mean '{name}'?").format(name=close[0])
    return _("no such file in {folder}/").format(folder=target.parent.name)
