"""One build of the real dataset per test session, shared by the build and site tests."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

import canus

ROOT = Path(__file__).resolve().parents[1]


@cache
def built() -> tuple[Path, canus.KnowledgeGraph]:
    """``dist`` of the real dataset (built once, removed at exit) and the graph it came from."""
    folder = Path(tempfile.mkdtemp(prefix="canus-build-"))
    atexit.register(shutil.rmtree, folder, True)
    kg = canus.load(ROOT)
    canus.build(kg, folder / "dist")
    return folder / "dist", kg
