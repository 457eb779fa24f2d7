"""canus validate: the real data is valid, and every rule catches its broken example."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import canus
from canus.cli import cli

from conftest import BAD, ROOT, run_canus

UPDATE = os.environ.get("CANUS_UPDATE_EXPECTED") == "1"
BROKEN = sorted(p for p in BAD.glob("*.ttl") if not p.name.startswith("_"))


def invoke(*args: str) -> subprocess.CompletedProcess:
    """Run ``canus ARGS`` in this process (as click's test runner does), like a subprocess."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def rule_of(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.match(r"# rule: (shape:\S+)", first)
    assert match, f"{path.name} must start with '# rule: shape:...'"
    return match.group(1)


def test_real_data_is_valid():
    proc = run_canus("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("valid: ")


def test_real_data_has_no_warnings_hidden_as_violations(kg):
    report = canus.validate(kg)
    assert report.conforms
    assert all(r.severity != "Violation" for r in report.results)


@pytest.mark.parametrize("bad", BROKEN, ids=lambda p: p.stem)
def test_broken_example_gives_its_error(bad: Path, mini_root):
    root = mini_root(BAD / "_base.ttl", bad)
    proc = invoke("validate", "--root", str(root))
    expected_file = bad.with_suffix(".expected")
    if UPDATE:
        expected_file.write_text(proc.stdout, encoding="utf-8")
    rule = rule_of(bad)
    warning_only = rule == "shape:Thing-description-fr"
    assert proc.returncode == (0 if warning_only else 1), proc.stdout + proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    problems = lines[:-1]
    assert problems, "no problem reported"
    # every reported problem is in the broken file and names the rule the file is about
    for line in problems:
        assert line.startswith(f"data/{bad.name}:"), line
    assert any(f" {rule} (" in line for line in problems), proc.stdout
    assert proc.stdout == expected_file.read_text(encoding="utf-8")


def test_every_rule_has_a_broken_example():
    shapes = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    rules = set(re.findall(r"^(shape:[A-Za-z]+-[A-Za-z0-9-]+)\b", shapes, re.M))
    covered = {rule_of(p) for p in BROKEN}
    assert rules - covered == set(), f"rules without a broken example: {sorted(rules - covered)}"


def test_violation_names_file_line_thing_label_property_and_message(mini_root):
    root = mini_root(BAD / "_base.ttl", BAD / "agency-no-source.ttl")
    proc = invoke("validate", "--root", str(root))
    line = proc.stdout.splitlines()[0]
    assert line == (
        "data/agency-no-source.ttl:11: id:cbsa (Canada Border Services Agency): dcterms:source: "
        "shape:Thing-source (minCount): Cite at least one canus:SourceDocument with dcterms:source."
    )
    assert proc.stdout.splitlines()[-1] == "1 violation in 1 file"


def test_json_report_for_machines(mini_root):
    root = mini_root(BAD / "_base.ttl", BAD / "agreement-no-party.ttl")
    proc = invoke("validate", "--root", str(root), "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["conforms"] is False
    assert report["violations"] == 1
    (result,) = report["results"]
    assert result["focus"] == "https://w3id.org/canus/id/example-agreement"
    assert result["path"] == "canus:party"
    assert result["file"] == "data/agreement-no-party.ttl"
    assert result["shape"] == "shape:Agreement-party"


def test_turtle_report_is_a_shacl_graph(mini_root):
    import rdflib

    root = mini_root(BAD / "_base.ttl", BAD / "event-no-date.ttl")
    proc = invoke("validate", "--root", str(root), "--format", "turtle")
    assert proc.returncode == 1
    graph = rdflib.Graph().parse(data=proc.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in graph
    assert list(graph.objects(None, sh.conforms)) == [rdflib.Literal(False)]


def test_turtle_report_includes_sparql_rules(mini_root):
    import rdflib

    root = mini_root(BAD / "_base.ttl", BAD / "thing-bad-slug.ttl")
    proc = invoke("validate", "--root", str(root), "--format", "turtle")
    graph = rdflib.Graph().parse(data=proc.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert list(graph.objects(None, sh.conforms)) == [rdflib.Literal(False)]
    constraints = set(graph.objects(None, sh.sourceConstraint))
    assert rdflib.URIRef("https://w3id.org/canus/shapes#Thing-slug") in constraints


def test_library_report_object(mini_root):
    root = mini_root(BAD / "_base.ttl", BAD / "membership-no-body.ttl")
    report = canus.validate(canus.load(root))
    assert not report.conforms
    (violation,) = report.violations
    assert violation.shape == "shape:Membership-body"
    assert violation.component == "sparql"
    assert violation.file == "data/membership-no-body.ttl"
