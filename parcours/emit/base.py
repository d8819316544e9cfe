"""What every emitter is, how one is loaded, and how packages are written safely.

A package is written in a temporary folder next to its target and swapped in at the end, so a failed
build leaves the previous package untouched.
"""
from __future__ import annotations

import glob
import gzip
import hashlib
import os
import shutil
import socket
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Protocol

from parcours.cache import ResultCache, digest
from parcours.emit import EmitterError, emitters
from parcours.i18n import _
from parcours.interrupts import held
from parcours.model.nodes import Asset, Course
from parcours.model.visitor import NodeVisitor
from parcours.parallel import workers


class Emitter(Protocol):
    name: ClassVar[str]  # the CLI selector: `parcours build --format NAME`
    description: ClassVar[str]
    cache: ResultCache  # set by the pipeline before `emit`: the course's build cache
    unpacked: bool  # set by the pipeline: also write each package's folder (`parcours build --unpacked`)

    def emit(self, course: Course, outdir: Path) -> list[Path]:
        """Write the package(s) into `outdir` (an empty folder); return the main files written."""


def load_emitter(name: str) -> type[Emitter]:
    """The emitter's class, once it is known to handle every kind of node: a visitor that lacks one
    would otherwise fail halfway through a package."""
    try:
        emitter = emitters()[name].load()
    except ImportError as error:
        raise EmitterError(_("the emitter '{name}' cannot be imported: {error}; reinstall the project "
                             "(make requirements)").format(name=name, error=error)) from error
    missing = emitter.missing_methods() if issubclass(emitter, NodeVisitor) else []
    if missing:
        raise EmitterError(_("the emitter '{name}' cannot write every kind of content: it has no {methods}")
                           .format(name=name, methods=", ".join(missing)))
    return emitter


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield an empty folder that replaces `target` only if the block completes. Ctrl+C and `kill`
    wait for the swap, and for the removal of the folder when the block fails, to be over.

    The folder is named after the process that writes it, so that one left by a build that could
    not clean up (`kill -9`, a power cut) is removed by the next, once that process is gone."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{staging_owner()}.", dir=target.parent))
    try:
        yield staging
    except BaseException:
        with held():
            shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = target.with_name(f".{target.name}.previous")
    with held():
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():
            os.replace(target, previous)
        os.replace(staging, target)
        shutil.rmtree(previous, ignore_errors=True)


def staging_owner(pid: int | None = None) -> str:
    """How a staging folder names the process that writes it: its number, and where that number means
    something (this machine and, on Linux, this boot of it and this process namespace: a container
    has its own, and machines sharing a folder may share a host name)."""
    where = socket.gethostname().replace(".", "_")
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()[:8]
        where += f"~{boot}~{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:  # no /proc: not Linux
        pass
    return f"{os.getpid() if pid is None else pid}@{where}"


def _remove_abandoned(target: Path) -> None:
    """Remove the staging folders of `target` left by processes of this machine and namespace that
    have ended. Those of a process elsewhere (a container, another machine sharing the folder) stay:
    whether it still runs cannot be told from here."""
    here = staging_owner().partition("@")[2]
    for folder in target.parent.glob(f".{glob.escape(target.name)}.*@*.*"):
        pid, _, where = folder.name.removeprefix(f".{target.name}.").rsplit(".", 1)[0].partition("@")
        if where == here and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


class PublishedFiles:
    """The contents of the files a course publishes, each read once for all the packages of an emitter
    (a module's package publishes its files again)."""

    def __init__(self) -> None:
        self._read: dict[Path, bytes] = {}

    def content(self, asset: Asset) -> bytes:
        if asset.data is not None:
            return asset.data
        if asset.source not in self._read:
            self._read[asset.source] = asset.source.read_bytes()
        return self._read[asset.source]


# Two empty blocks end a tar archive.
_TAR_END = bytes(2 * tarfile.BLOCKSIZE)
_JOINED = 1 << 20  # bytes of small tar entries compressed at once


class PackageFiles(dict[str, bytes | None]):
    """A package built in memory: relative path → bytes, or None for an (empty) folder.

    Files that always change and travel together (a chapter's, which its module's package repeats)
    can be kept as a part: the archive holds each part as one compressed member.
    """

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[PackageFiles] = []
        self._archived_as: dict[str, tuple[str, dict[str, bytes | None]]] = {}
        self._folder_set: frozenset[str] | None = None

    def add(self, relative: str, content: str | bytes | None) -> None:
        self[relative] = content.encode("utf-8") if isinstance(content, str) else content

    def add_part(self, part: PackageFiles) -> None:
        self.parts.append(part)

    def file_names(self) -> list[str]:
        """The paths of the package's files (not its folders), sorted."""
        return sorted(name for name, data in self.every_file().items() if data is not None)

    def every_file(self) -> dict[str, bytes | None]:
        """The package's own files and its parts' files, by path."""
        merged = dict(self)
        for part in self.parts:
            merged.update(part.every_file())
        return merged

    def write(self, folder: Path) -> None:
        """Write every file under `folder` (new or empty).

        Plain `os` calls: for thousands of small files, pathlib's per-call overhead is several
        times the cost of the writes themselves.
        """
        root = os.fspath(folder)
        files = self.every_file()
        folders = {name for name, data in files.items() if data is None}
        folders |= {os.path.dirname(name) for name, data in files.items() if data is not None}
        for name in sorted(folders):
            os.makedirs(os.path.join(root, name), exist_ok=True)
        for name, data in files.items():
            if data is not None:
                handle = os.open(os.path.join(root, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                try:
                    os.write(handle, data)
                finally:
                    os.close(handle)

    def write_targz(self, path: Path, arcname: str, cache: ResultCache | None = None) -> None:
        """Write a tar.gz whose bytes depend only on the files' names and contents.

        Entries in a fixed order (every folder, parents first; the package's own files; each part's
        files), mtime 0, uid/gid 0 with empty owner names, fixed modes, and gzip members without
        time or file name: two builds of the same sources give identical archives. The folders, the
        own files and each part are gzip members of their own (a multi-member gzip file, which gzip,
        tar and Python read as one stream), so a part already compressed for another package or an
        earlier build comes from the cache instead of being compressed again. The members are written
        one after the other, never joined in memory.
        """
        cache = cache or ResultCache()
        folders = _entries(arcname, dict.fromkeys(self._folders()))
        groups = [(_member_key(folders), folders), self._archived(arcname),
                  *(part._archived(arcname) for part in self.parts)]
        with path.open("wb") as archive:
            for key, entries in groups:
                if entries:
                    archive.write(_member(key, entries, cache))
            archive.write(gzip.compress(_TAR_END, compresslevel=9, mtime=0))

    def compress_parts(self, arcname: str, cache: ResultCache) -> None:
        """Compress the parts missing from the cache on every core, so that `write_targz`, for this package
        and for the packages that share its parts, finds them all. Threads, not processes: zlib
        compresses without holding the interpreter, and the parts need not be copied to a worker."""
        missing = dict(part._archived(arcname) for part in self.parts if cache.get(part._archived(arcname)[0]) is None)
        with ThreadPoolExecutor(workers()) as pool:
            compressed = list(pool.map(_compress, missing.values()))  # key → entries
        for key, member in zip(missing, compressed, strict=True):
            cache.put(key, member)

    def _archived(self, arcname: str) -> tuple[str, dict[str, bytes | None]]:
        """The cache key and the archive entries of the package's own files, worked out once per
        archive name: a part is archived in its course's package and again in its module's. (A
        package is complete before it is archived.)"""
        if arcname not in self._archived_as:
            entries = _entries(arcname, self)
            self._archived_as[arcname] = (_member_key(entries), entries)
        return self._archived_as[arcname]

    def _folders(self) -> list[str]:
        """Every folder, parents before children."""
        return sorted({""} | self._folder_names(), key=lambda name: name.split("/") if name else [])

    def _folder_names(self) -> frozenset[str]:
        """The folders that the files of the package and of its parts lie in, or are, worked out once:
        a part is reused by every package that holds it. (A package is complete before it is archived.)"""
        if self._folder_set is None:
            names = {name for name, data in self.items() if data is None}
            for name in self:
                parts = name.split("/")
                names.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
            self._folder_set = frozenset(names.union(*(part._folder_names() for part in self.parts)))
        return self._folder_set


def _entries(arcname: str, files: dict[str, bytes | None]) -> dict[str, bytes | None]:
    """Archive name → content of `files`, in name order."""
    return {f"{arcname}/{name}" if name else arcname: files[name] for name in sorted(files)}


def _member(key: str, entries: dict[str, bytes | None], cache: ResultCache) -> bytes:
    """One gzip member holding the tar entries of `entries` (name → bytes, None for a folder)."""
    member = cache.get(key)
    if member is None:
        member = _compress(entries)
        cache.put(key, member)
    return member


def _member_key(entries: dict[str, bytes | None]) -> str:
    return digest("tar-member", *(f"{name}\0{'' if data is None else hashlib.blake2b(data).hexdigest()}"
                                  for name, data in entries.items()))


def _compress(entries: dict[str, bytes | None]) -> bytes:
    """The tar entries as one gzip member. Small entries are joined, a megabyte at a time, before they
    are compressed; a large file is compressed where it lies, never copied. (zlib's stream gives the
    bytes of `gzip.compress(tar, 6, mtime=0)`, however the tar is cut.)"""
    stream = zlib.compressobj(6, zlib.DEFLATED, 31)
    compressed, pending = [], bytearray()
    for name, data in entries.items():
        body = data or b""  # None: a folder
        pending += _tar_header(name, data)
        if len(body) >= _JOINED:
            compressed += [stream.compress(pending), stream.compress(body)]
            pending.clear()
        else:
            pending += body
        pending += bytes(-len(body) % tarfile.BLOCKSIZE)
        if len(pending) >= _JOINED:
            compressed.append(stream.compress(pending))
            pending.clear()
    return b"".join([*compressed, stream.compress(pending), stream.flush()])


def _tar_header(name: str, data: bytes | None) -> bytes:
    """The header `tarfile` writes for the entry (mtime 0, owner 0 without names, mode 0644 or 0755).

    A package holds thousands of entries, and `TarInfo.tobuf` takes longer to write their headers
    than zlib to compress them. Names of up to 100 ASCII characters, all of ours, and sizes under
    8 GiB fit one ustar block, written here with the same bytes; `tobuf` writes the others (a pax
    header first)."""
    stored = name + "/" if data is None and not name.endswith("/") else name  # as tarfile names a folder
    if not (stored.isascii() and len(stored) <= 100 and len(data or b"") < 8 ** 11):
        return _tarfile_header(name, data)
    header = b"".join((
        stored.encode("ascii").ljust(100, b"\0"),
        b"0000755\0" if data is None else b"0000644\0",
        b"0000000\0" * 2,  # uid, gid
        b"%011o\0" % (0 if data is None else len(data)),
        b"00000000000\0",  # mtime
        b" " * 8,  # the checksum, counted as spaces
        tarfile.DIRTYPE if data is None else tarfile.REGTYPE,
        bytes(100),  # link name
        tarfile.POSIX_MAGIC,
        bytes(32 + 32 + 8 + 8 + 155 + 12),  # owner names, device numbers, prefix, padding
    ))
    return header[:148] + b"%06o\0" % sum(header) + header[155:]


def _tarfile_header(name: str, data: bytes | None) -> bytes:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
    if data is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
    else:
        info.size, info.mode = len(data), 0o644
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
