"""Emitters are found by name among the `parcours.emitters` entry points; one that cannot visit every
kind of node is refused before it writes anything. Their archives hold the bytes tarfile writes."""
from __future__ import annotations

import gzip
import random
import tarfile
from importlib.metadata import EntryPoint

import pytest

from parcours import emit
from parcours.emit import base
from parcours.model.visitor import NodeVisitor


class EmitterWithoutCustomBlocks(NodeVisitor):
    """A partner's emitter that forgot a kind of content."""

    def visit_Course(self, course): ...
    def visit_Chapter(self, chapter): ...
    def visit_Sequential(self, sequential): ...
    def visit_Vertical(self, vertical): ...
    def visit_HtmlBlock(self, block): ...
    def visit_ProblemBlock(self, block): ...


def test_every_registered_emitter_visits_every_kind_of_node():
    for name in base.emitters():
        assert base.load_emitter(name).missing_methods() == [], name


def test_an_emitter_that_cannot_visit_a_node_is_refused_by_name(monkeypatch: pytest.MonkeyPatch):
    entry_point = EntryPoint("partial", f"{__name__}:EmitterWithoutCustomBlocks", emit.GROUP)
    monkeypatch.setattr(base, "emitters", lambda: {"partial": entry_point})
    with pytest.raises(base.EmitterError, match="'partial' cannot write every kind of content: it has no "
                                                "visit_CustomBlock"):
        base.load_emitter("partial")


def test_archive_headers_are_the_bytes_tarfile_writes():
    """Short ASCII names get a ustar header written by hand; it must be tarfile's, byte for byte."""
    rng = random.Random(3)
    names = ["course", "course/html", "course/html/", "a" * 99, "a" * 100, "a" * 101, "é/x.html"]
    names += ["".join(rng.choice("ab/-_.é0 ~") for _ in range(rng.randint(1, 120))) for _ in range(3000)]
    for name in names:
        for data in (None, b"", b"x" * 511, b"x" * 513, bytes(100_000), _EightGibibytes()):
            assert base._tar_header(name, data) == base._tarfile_header(name, data), (name, data and len(data))


class _EightGibibytes(bytes):
    """Too large for the 11 octal digits of a ustar size (only its length is read)."""

    def __len__(self) -> int:
        return 8 ** 11


def test_an_archive_reads_back_with_tarfile(tmp_path):
    files = base.PackageFiles()
    files.add("course.xml", "<course/>\n")
    files.add("static", None)
    files.add("html/" + "é" * 60 + ".html", "<p>long</p>\n")
    files.write_targz(tmp_path / "a.tar.gz", "course")
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        members = {member.name: member for member in tar.getmembers()}
        assert tar.extractfile("course/course.xml").read() == b"<course/>\n"
    assert members["course/static"].isdir() and members["course/static"].mode == 0o755
    assert members["course/html/" + "é" * 60 + ".html"].size == len("<p>long</p>\n")


def test_a_member_compressed_piece_by_piece_is_the_member_of_the_whole_tar():
    rng = random.Random(5)
    entries = {"course": None, "course/static": None}
    for number in range(300):
        size = rng.choice([0, 1, 511, 512, 4000, 70_000])
        entries[f"course/html/p{number}.html"] = (rng.randbytes(20) * (size // 20 + 1))[:size]
    entries["course/static/video.bin"] = rng.randbytes(3 << 20)  # larger than what is joined before compressing
    tar = b"".join(base._tar_header(name, data) + (data or b"") + bytes(-len(data or b"") % tarfile.BLOCKSIZE)
                   for name, data in entries.items())
    assert base._compress(entries) == gzip.compress(tar, compresslevel=6, mtime=0)
