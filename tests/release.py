"""One build of the real dataset per test session, shared by the build and site tests.

The build is made from a copy of ``ontology/``, ``data/``, ``queries/`` and the CHANGELOG, so
tests compare the release with exactly the data it was built from, even while the files of the
checkout are being edited.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

import canus

ROOT = Path(__file__).resolve().parents[1]


def snapshot(target: Path) -> Path:
    """A copy of the dataset (what a build reads) in ``target``."""
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "CHANGELOG.md", target)
    return target


@cache
def built() -> tuple[Path, canus.KnowledgeGraph]:
    """``dist`` of a copy of the real dataset (built once, removed at exit) and its graph;
    ``kg.root`` is the copy."""
    folder = Path(tempfile.mkdtemp(prefix="canus-build-"))
    atexit.register(shutil.rmtree, folder, True)
    kg = canus.load(snapshot(folder / "dataset"))
    canus.build(kg, folder / "dist")
    return folder / "dist", kg
