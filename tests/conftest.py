"""Shared fixtures: the real dataset, a small dataset built on disk, the canus command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import canus
from stores import oxigraph_server, virtuoso_server  # noqa: F401 (session fixtures)

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).resolve().parent / "bad"
EXPECTED = Path(__file__).resolve().parent / "expected"


@pytest.fixture(scope="session")
def kg() -> canus.KnowledgeGraph:
    """The real graph, loaded once for the session."""
    return canus.load(ROOT)


@pytest.fixture
def mini_root(tmp_path: Path):
    """A dataset folder with the real ontology and shapes and only the given data files."""

    def make(*files: Path | tuple[str, str]) -> Path:
        root = tmp_path / "dataset"
        (root / "data").mkdir(parents=True)
        shutil.copytree(ROOT / "ontology", root / "ontology")
        for item in files:
            if isinstance(item, tuple):
                (root / "data" / item[0]).write_bytes(
                    item[1].encode("utf-8") if isinstance(item[1], str) else item[1]
                )
            else:
                shutil.copy(item, root / "data" / item.name)
        return root

    return make


def invoke(*args: str, cwd: Path | None = None, input: str | None = None, check: bool = False):
    """Run ``canus ARGS`` in-process with click's CliRunner (stdout and stderr apart)."""
    from click.testing import CliRunner

    from canus.cli import cli

    before = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        result = CliRunner().invoke(
            cli, list(args), input=input, catch_exceptions=False, prog_name="canus"
        )
    finally:
        os.chdir(before)
    if check and result.exit_code != 0:
        raise AssertionError(f"canus {' '.join(args)} exited {result.exit_code}: {result.stderr}")
    return result


def run_canus(
    *args: str, cwd: Path | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    """Run the installed ``canus`` command as a user would, capturing its output."""
    exe = Path(sys.executable).with_name("canus")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [str(exe), *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"canus {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def need_browser() -> None:
    """Skip without a browser on a developer machine; in CI (CI=true) a missing one fails."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (the Makefile installs it: apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one for each test module that asks."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
