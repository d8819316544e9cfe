"""Built packages as the platforms that import them see them."""
from __future__ import annotations

import tarfile
from pathlib import Path


def unpack(archive: Path, destination: Path) -> Path:
    """An OLX course.tar.gz as Studio unpacks it; the course folder inside it."""
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")
    return destination / "course"
