"""The shipped shapes are standard: pySHACL's command line and pyrudof run them as the README shows.

The README's commands run exactly as written, on the shipped data and on a broken copy; both
engines reach canus's verdict. pySHACL's command line also gives the reference results for the
broken copy, compared with canus's report (the differential test's "shipped data" case).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

import canus
from test_validate_differential import SH, result_set

from conftest import ROOT

BROKEN_THING = """
@prefix canus: <https://w3id.org/canus/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/canus/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

id:example-agency-without-source a canus:Agency ;
    rdfs:label "Example agency"@en , "Agence exemple"@fr ;
    dcterms:description "An agency with no source."@en , "Une agence sans source."@fr ;
    canus:country id:canada .
"""


def readme_commands() -> list[str]:
    """The commands of the README's 'shapes without canus' block, split at blank lines."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- shapes-without-canus -->\n```sh\n(.*?)```", text, re.S)
    assert match, "README lost its 'shapes without canus' block"
    return [chunk.strip() + "\n" for chunk in match.group(1).split("\n\n") if chunk.strip()]


def copy_dataset(target: Path, broken: bool) -> Path:
    (target / "ontology").mkdir(parents=True)
    for name in ("canus.ttl", "shapes.ttl"):
        shutil.copy(ROOT / "ontology" / name, target / "ontology" / name)
    shutil.copytree(ROOT / "data", target / "data")
    if broken:
        (target / "data" / "zz-broken.ttl").write_text(BROKEN_THING, encoding="utf-8")
    return target


def start(command: str, cwd: Path, *extra: str) -> subprocess.Popen:
    """Start one README command with the test's Python tools first on PATH."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    return subprocess.Popen(
        ["bash", "-c", command + " ".join(extra)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """Every README command on both copies, run side by side (pySHACL's CLI is slow)."""
    pyshacl_cmd, rudof_cmd = readme_commands()
    assert pyshacl_cmd.startswith("pyshacl ") and "pyrudof" in rudof_cmd
    procs: dict = {}
    for broken in (False, True):
        root = copy_dataset(tmp_path_factory.mktemp("broken" if broken else "shipped"), broken)
        procs[("root", broken)] = root
        procs[("pyrudof", broken)] = start(rudof_cmd, root)
    procs[("pyshacl", False)] = start(pyshacl_cmd.strip(), procs[("root", False)])
    # on the broken copy, the same command writes its report as Turtle for the comparison
    procs[("pyshacl", True)] = start(
        pyshacl_cmd.strip(), procs[("root", True)], " --format turtle --output report.ttl"
    )
    done = {}
    for key, proc in procs.items():
        if isinstance(proc, Path):
            done[key] = proc
            continue
        out, err = proc.communicate(timeout=900)
        done[key] = (proc.returncode, out, err)
    return done


@pytest.mark.parametrize("engine", ["pyshacl", "pyrudof"])
def test_shipped_data_conforms_under_other_engines(runs, engine):
    code, out, err = runs[(engine, False)]
    assert code == 0, out + err
    assert "Conforms: True" in out


def test_broken_copy_fails_under_other_engines(runs):
    code, out, err = runs[("pyrudof", True)]
    assert code == 1, out + err
    assert "Conforms: False" in out
    code, out, err = runs[("pyshacl", True)]
    assert code == 1, out + err
    report = rdflib.Graph().parse(runs[("root", True)] / "report.ttl", format="turtle")
    assert set(report.objects(None, SH.conforms)) == {rdflib.Literal(False)}


def test_canus_gives_pyshacl_cli_results_on_a_broken_copy(runs):
    root = runs[("root", True)]
    reference = rdflib.Graph().parse(root / "report.ttl", format="turtle")
    report = canus.validate(canus.load(root), vocabulary=False)
    assert result_set(report.graph) == result_set(reference)
    assert not report.conforms
    assert any(r.focus.endswith("example-agency-without-source") for r in report.results)


def test_canus_agrees_on_the_shipped_data(runs):
    assert canus.validate(canus.load(runs[("root", False)])).results == []
