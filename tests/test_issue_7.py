"""Regressions of issue 7: what validation passed silently, crashed on, or left unchecked."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

import canus
from canus.cli import cli

from conftest import BAD, ROOT

PERSON = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:alice a ex:Person ; ex:age 30 , "old" .
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def dataset(tmp_path: Path, data: str, shapes: str) -> tuple[Path, Path]:
    root = tmp_path / "root"
    (root / "ontology").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "ontology" / "canus.ttl").write_text("# none\n", encoding="utf-8")
    (root / "data" / "case.ttl").write_text(data, encoding="utf-8")
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(shapes, encoding="utf-8")
    return root, shapes_file


@pytest.mark.parametrize(
    "target",
    [
        "sh:targetNode ex:alice",
        "sh:targetSubjectsOf ex:age",
        "sh:targetObjectsOf ex:age",
        "sh:targetClass ex:Person",
        '[ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this a ?c . FILTER(isIRI(?c)) }" ]',
    ],
)
def test_a_failing_sparql_rule_fails_whatever_the_target(tmp_path, target):
    keyword = "sh:target" if target.startswith("[") else ""
    shapes = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; {keyword} {target} ;
    sh:sparql [ sh:message "always fails" ; sh:select "SELECT $this WHERE {{ }}" ] ."""
    root, shapes_file = dataset(tmp_path, PERSON, shapes)
    result = run("validate", "--root", str(root), "--shapes", str(shapes_file))
    assert result.exit_code == 1, result.output
    assert "always fails" in result.stdout


def test_implicit_class_target_is_honoured(tmp_path):
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:Person a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:age ; sh:maxCount 1 ] ."""
    root, shapes_file = dataset(tmp_path, PERSON, shapes)
    result = run("validate", "--root", str(root), "--shapes", str(shapes_file))
    assert result.exit_code == 1
    assert "ex:alice" in result.stdout or "example.org/alice" in result.stdout


def test_select_without_where_and_a_literal_focus_node_are_reported_not_crashed(tmp_path):
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetNode 42 ; sh:targetObjectsOf ex:age ;
    sh:sparql [ sh:message "no literal here" ;
        sh:select "SELECT $this { FILTER(isLiteral($this)) }" ] ."""
    root, shapes_file = dataset(tmp_path, PERSON, shapes)
    result = run("validate", "--root", str(root), "--shapes", str(shapes_file))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith('<graph>: "42"^^') for line in lines), result.stdout
    assert any('"old"' in line for line in lines)
    assert lines[-1] == "3 violations in 0 files"


def test_shapes_no_engine_runs_stop_with_exit_2_and_one_line(tmp_path):
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:sparql [ sh:select "SELECT $this WHERE { GRAPH $shapesGraph { ?s ?p ?o } }" ] ."""
    root, shapes_file = dataset(tmp_path, PERSON, shapes)
    result = run("validate", "--root", str(root), "--shapes", str(shapes_file))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"canus: error: {shapes_file}: ")


def test_misspelt_property_and_class_are_violations_with_a_suggestion():
    result = run("validate", "--root", str(ROOT / "tests" / "examples" / "misspelt"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("data/agencies.ttl:13: id:cbsa (Canada Border Services Agency): ")
    assert lines[0].endswith("did you mean canus:Agency?")
    assert lines[1].startswith("data/agencies.ttl:17: ")
    assert lines[1].endswith("did you mean canus:parentOrganization?")


def test_every_class_used_in_the_data_has_a_shape(kg):
    """Every class of the data is the target of a shape, itself or through a superclass."""
    used = canus.run_sparql(
        kg,
        "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s a ?c } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/canus/graph/data/')) }",
    ).column("c")
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    targets = {str(t) for t in shapes.objects(None, rdflib.SH.targetClass)}
    unshaped = []
    for cls in used:
        supers = canus.run_sparql(kg, f"SELECT ?s WHERE {{ <{cls}> rdfs:subClassOf* ?s }}").column(
            "s"
        )
        if not ({cls, *supers} & targets):
            unshaped.append(cls)
    assert unshaped == []


def test_junit_report_for_ci_dashboards(mini_root):
    root = mini_root(BAD / "_base.ttl", BAD / "agency-no-source.ttl")
    result = run("validate", "--root", str(root), "--format", "junit")
    assert result.exit_code == 1
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite.get("failures") == "1"
    (case,) = suite.findall("testcase")
    assert case.get("classname") == "data/agency-no-source.ttl"
    assert case.find("failure").get("type") == "minCount"


def test_github_annotations(mini_root):
    root = mini_root(BAD / "_base.ttl", BAD / "agency-no-source.ttl")
    result = run("validate", "--root", str(root), "--format", "github")
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        "::error file=data/agency-no-source.ttl,line=11,title=shape%3AThing-source (minCount)::"
    )


def test_severity_chooses_what_fails_the_run(mini_root):
    root = mini_root(BAD / "_base.ttl", BAD / "thing-no-french-description.ttl")
    assert run("validate", "--root", str(root)).exit_code == 0
    result = run("validate", "--root", str(root), "--severity", "warning", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["violations"] == 1


def test_batched_rules_leave_no_query_result_in_a_frame_that_outlives_them(monkeypatch):
    """Oxigraph's query results must be freed in the thread that made them. rdflib's query
    parser (called from the batching code) can leave tracebacks that keep the calling frame
    alive until the collector runs, perhaps in another thread: once the batching code has
    returned, its frame must hold no query result."""
    import sys

    import pyoxigraph as ox
    import rdflib

    from canus import _sparql_batch as batch

    kept = []
    real = batch.batchable

    def batchable(text, namespaces):  # keeps its caller's frame, as such a traceback does
        kept.append(sys._getframe(1))
        return real(text, namespaces)

    monkeypatch.setattr(batch, "batchable", batchable)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x")))
    rows = batch.Batcher(store).rows_by_focus(
        "SELECT $this ?v WHERE { $this <urn:p> ?v }", [rdflib.URIRef("urn:a")], {}
    )
    assert rows is not None and len(rows[rdflib.URIRef("urn:a")]) == 1  # it ran, batched
    assert [frame.f_code.co_name for frame in kept] == ["rows_by_focus"]
    held = [v for v in kept[0].f_locals.values() if isinstance(v, ox.QuerySolutions)]
    assert held == []
