"""Issue 8: the GitHub workflow works in a repository that holds only the data.

Its ``run`` steps are run here as GitHub runs them (bash -eo pipefail), in a copy of
ontology/, data/ and queries/ with a fresh virtual environment standing in for setup-python,
and the repository variable CANUS_PACKAGE naming this checkout (installed without the network:
the build tools and dependencies come from the test environment).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT

yaml = pytest.importorskip("yaml")

WORKFLOW = ROOT / ".github" / "workflows" / "validate.yml"
EXPRESSION = re.compile(r"\$\{\{\s*vars\.(\w+)\s*\|\|\s*'([^']*)'\s*\}\}")


def steps() -> list[dict]:
    (job,) = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"].values()
    return job["steps"]


def expand(value: str, variables: dict[str, str]) -> str:
    """GitHub's ``${{ vars.NAME || 'default' }}``, the only expression the workflow uses."""
    return EXPRESSION.sub(lambda m: variables.get(m.group(1)) or m.group(2), value)


@pytest.fixture
def python_env(tmp_path) -> Path:
    """A new virtual environment that can build and install canus offline."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_workflow_uses_only_known_actions():
    uses = [s["uses"].split("@")[0] for s in steps() if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python"]


def test_workflow_commands_pass_on_a_data_only_copy(tmp_path, python_env):
    repo = tmp_path / "data-repo"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, repo / name)
    env = {
        **os.environ,
        "PATH": f"{python_env / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(python_env),
        "PIP_NO_INDEX": "1",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    variables = {"CANUS_PACKAGE": str(ROOT)}  # the repository variable, set to this checkout
    ran = []
    for step in steps():
        if "run" not in step:
            continue
        step_env = {k: expand(str(v), variables) for k, v in step.get("env", {}).items()}
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, (step["name"], proc.stdout, proc.stderr)
        ran.append(step["name"])
    assert ran == [
        "Install canus",
        "Validate the graph",
        "Check curation (things missing a French label, a description or a source)",
    ]
    installed = python_env / "bin" / "canus"
    assert installed.is_file()
    # the installed canus, not this checkout's, found the copy of the data
    where = subprocess.run(
        [str(python_env / "bin" / "python"), "-c", "import canus; print(canus.__file__)"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(python_env) in where.stdout


def test_a_broken_copy_fails_the_workflow(tmp_path):
    """The validate step fails the build when the data breaks a rule."""
    repo = tmp_path / "data-repo"
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy(ROOT / "tests" / "bad" / "agency-no-source.ttl", repo / "data")
    step = next(s for s in steps() if s.get("name") == "Validate the graph")
    exe_dir = str(Path(sys.executable).parent)
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo,
        env={**os.environ, "PATH": exe_dir + os.pathsep + os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "agency-no-source.ttl" in proc.stdout
