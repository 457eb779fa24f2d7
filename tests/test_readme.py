"""The README shows real output: every ``$ canus ...`` line in a console block is run again here.

Run ``python tests/test_readme.py --update`` to refresh the README after changing output.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)


def run_line(command: str, cwd: Path) -> str:
    """Run one README command in a folder that looks like a checkout; return what it prints."""
    exe_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": exe_dir + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "100",
    }
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        timeout=120,
    )
    out = proc.stdout
    if proc.returncode not in (0, 1, 2) or "Traceback" in out:
        raise AssertionError(f"README command failed: {command}\n{out}")
    return out


def render(text: str) -> str:
    """The README with each console block's output regenerated."""
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        for name in ("ontology", "data", "queries", "tests", "CHANGELOG.md"):
            (cwd / name).symlink_to(ROOT / name)

        def fill(match: re.Match) -> str:
            lines = match.group(2).splitlines()
            out: list[str] = []
            for line in lines:
                if line.startswith("$ "):
                    out.append(line)
                    command = line[2:]
                    if shlex.split(command)[0] == "canus":
                        out.extend(run_line(command, cwd).rstrip("\n").splitlines())
            return match.group(1) + "\n".join(out) + "\n" + match.group(3)

        return BLOCK.sub(fill, text)


def test_readme_output_is_current():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    assert render(text) == text, "README output is stale: run python tests/test_readme.py --update"


def test_readme_shows_every_command():
    text = README.read_text(encoding="utf-8")
    for command in ("validate", "query", "queries", "export", "stats"):
        assert f"$ canus {command}" in text, command


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(__doc__)


def test_readme_python_examples_run(tmp_path):
    """Each ```python block of the README runs as written, in a folder laid out like a checkout."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for name in ("ontology", "data", "queries"):
        (tmp_path / name).symlink_to(ROOT / name)
    for code in blocks:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "canus.jsonld").stat().st_size > 1000
