"""What every partner package shares: one package per course and per module, provenance, zip.

Every emitter writes the course's package at the top of its folder and one package per module
under `modules/<module id>/` (the unit partners reuse), from `module_course`. Provenance (licence,
versions, authors, repository, build date) comes from the tree and from Git, never from the clock,
so two builds of the same sources are byte-identical.
"""
from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from parcours.emit.base import PackageFiles
from parcours.labels import colon, labels_for
from parcours.model.nodes import Course
from parcours.transforms.modules import module_course

MODULES_FOLDER = "modules"
# The earliest date a zip entry can hold: entries never carry the build machine's clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
# The words of the rights statement (LOM), in the course's language.
_RIGHTS = {
    "fr": {"licence": "Licence", "version": "Version", "authors": "Conception", "source": "Sources",
           "built": "Date des sources", "unknown": "inconnue"},
    "en": {"licence": "Licence", "version": "Version", "authors": "Authors", "source": "Source",
           "built": "Date of the sources", "unknown": "unknown"},
}


def packages(course: Course) -> Iterator[tuple[str, Course]]:
    """(folder relative to the emitter's output, course tree) of every package to write."""
    yield "", course
    for chapter in course.chapters:
        yield f"{MODULES_FOLDER}/{chapter.id}", module_course(course, chapter)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who made a package, from what, under which licence: carried into every package."""

    title: str
    identifier: str  # org/number/run: names the package in an LMS and in the manifest
    language: str
    licence: str  # SPDX identifier, as authored
    licence_url: str | None
    versions: tuple[tuple[str, str, str], ...]  # (module id, module title, version)
    authors: tuple[str, ...]
    repository: str | None
    built: str | None  # ISO 8601 UTC time of the sources' last change; None when unknown

    @property
    def version(self) -> str:
        """One module: its version; a whole course: each module's id and version."""
        if len(self.versions) == 1:
            return self.versions[0][2]
        return ", ".join(f"{module_id} {version}" for module_id, _, version in self.versions)


def rights_statement(about: Provenance) -> str:
    """Licence and provenance as one line of short sentences, in the course's language (English for
    `en…`, French otherwise, like every generated text): the packages' LOM rights description."""
    words, sep = labels_for(_RIGHTS, about.language), colon(about.language)
    licence = about.licence + (f" ({about.licence_url})" if about.licence_url else "")
    parts = [f"{words['licence']}{sep}{licence}", f"{words['version']}{sep}{about.version}"]
    if about.authors:
        parts.append(f"{words['authors']}{sep}" + ", ".join(about.authors))
    if about.repository:
        parts.append(f"{words['source']}{sep}{about.repository}")
    parts.append(f"{words['built']}{sep}{about.built or words['unknown']}")
    return ". ".join(parts) + "."


def provenance(course: Course) -> Provenance:
    folders = [chapter.folder for chapter in course.chapters]
    source = folders[0] if len(folders) == 1 and folders[0] != Path() else course.root
    authors = course.authors or tuple(dict.fromkeys(a for chapter in course.chapters for a in chapter.authors))
    return Provenance(
        title=course.title,
        identifier=f"{course.org}-{course.number}-{course.run}",
        language=course.language,
        licence=course.licence,
        licence_url=LICENCE_URLS.get(course.licence),
        versions=tuple((chapter.id, chapter.title, chapter.version) for chapter in course.chapters),
        authors=authors,
        repository=course.repository,
        built=source_date(source),
    )


def source_date(folder: Path) -> str | None:
    """When the sources last changed: SOURCE_DATE_EPOCH if set (the reproducible-builds convention,
    so CI can pin it), else the last Git commit touching `folder`, else None. Never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        epoch = _last_commit_epoch(folder)
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _last_commit_epoch(folder: Path) -> str:
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=folder,
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):  # no git, or not a folder: the date is unknown
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def reproducible_zip(files: PackageFiles, archive: Path) -> None:
    """A zip of a package built in memory, whose bytes depend only on the files' names and contents.

    Entries sorted folder by folder (files only: folders are implied by the paths), the fixed date
    1980-01-01, mode 0644 from a Unix creator, and one compression level.
    """
    contents = files.every_file()
    with zipfile.ZipFile(archive, "w") as bundle:
        for name in sorted((name for name, data in contents.items() if data is not None),
                           key=lambda name: name.split("/")):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, contents[name], compresslevel=9)
