"""The command line: help with an example everywhere, a light start-up, the library behind it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import invoke, run_canus

COMMANDS = ["validate", "query", "queries", "export", "stats"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_an_example(command):
    proc = invoke(command, "--help")
    assert proc.exit_code == 0
    assert "Example" in proc.stdout
    assert f"canus {command}" in proc.stdout


def test_help_examples_run():
    """The first example line of each command's help runs and exits 0."""
    for command in COMMANDS:
        text = invoke(command, "--help", check=True).stdout
        example = next(
            line.strip() for line in text.splitlines() if line.strip().startswith("canus ")
        )
        args = example.split()[1:]
        if "--output" in args:
            continue  # writing examples are exercised in test_export
        proc = invoke(*[a.strip("'") for a in args])
        assert proc.exit_code == 0, (example, proc.stderr)


def test_version():
    """A real process: the installed script starts."""
    proc = run_canus("--version")
    assert proc.returncode == 0 and "canus, version" in proc.stdout


def test_startup_does_not_import_heavy_modules():
    code = (
        "import sys, canus.cli\n"
        "heavy = [m for m in ('pyshacl', 'rdflib', 'SPARQLWrapper') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_query_does_not_import_pyshacl():
    code = (
        "import sys, canus\n"
        "kg = canus.load()\n"
        "canus.query(kg, 'agencies-in-program')\n"
        "print('pyshacl' in sys.modules, 'rdflib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_library_use_in_a_notebook(kg, tmp_path):
    import canus

    rows = canus.query(kg, "agencies-in-program", {"program": "id:ibet"}).records()
    assert {r["agency"].rsplit("/", 1)[-1] for r in rows} >= {"cbsa", "rcmp"}
    report = canus.validate(kg)
    assert report.conforms
    canus.export(kg, "turtle", tmp_path / "canus.ttl")
    assert (tmp_path / "canus.ttl").stat().st_size > 1000
    # the same store, seen through rdflib
    assert len(kg.rdflib) == len(kg)


def test_locate_names_file_and_line(kg):
    file, line = kg.locate("https://w3id.org/canus/id/norad")
    assert file == "data/commands.ttl"
    text = (kg.root / file).read_text(encoding="utf-8").splitlines()
    assert text[line - 1].startswith("id:norad a canus:Command")


def test_a_dataset_of_symlinks_keeps_its_file_names(tmp_path):
    import canus

    from conftest import ROOT

    for name in ("ontology", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    kg = canus.load(tmp_path)
    names = {f.name for f in kg.files}
    assert "data/agencies.ttl" in names and "ontology/canus.ttl" in names
    assert kg.locate("https://w3id.org/canus/id/norad")[0] == "data/commands.ttl"
