"""canus validate gives pySHACL's results: the same verdict and the same set of results.

The reference is plain pySHACL on a plain rdflib graph parsed by rdflib, with the settings canus
uses (no inference, advanced features on). canus loads through Oxigraph and hands pySHACL a graph
whose SPARQL texts are parsed once; the results must not change, for any shapes and any data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pyshacl
import pytest
import rdflib

import canus
from canus._validate import render_path
from shacl_cases import BATCHED, CASES, REFUSED

from conftest import BAD

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def _key(graph: rdflib.Graph, term) -> str:
    """A term as text; a blank node by what describes it (its path, for a property shape)."""
    if term is None:
        return "-"
    if isinstance(term, rdflib.BNode):
        path = graph.value(term, SH.path)
        return f"[path {render_path(str, graph, path)}]" if path is not None else "[]"
    if isinstance(term, rdflib.Literal) and term.language:
        # RDF language tags compare without case; Oxigraph writes them in lower case
        return rdflib.Literal(str(term), lang=term.language.lower()).n3()
    return term.n3()


def result_set(graph: rdflib.Graph) -> Counter:
    """Each result as (focus, path, severity, component, value, source shape, constraint)."""
    found: Counter = Counter()
    for node in graph.objects(None, SH.result):
        found[
            (
                _key(graph, graph.value(node, SH.focusNode)),
                render_path(str, graph, graph.value(node, SH.resultPath)),
                _key(graph, graph.value(node, SH.resultSeverity)),
                _key(graph, graph.value(node, SH.sourceConstraintComponent)),
                _key(graph, graph.value(node, SH.value)),
                _key(graph, graph.value(node, SH.sourceShape)),
                _key(graph, graph.value(node, SH.sourceConstraint)),
            )
        ] += 1
    return found


def reference(shapes: str, data: str) -> tuple[bool, Counter]:
    """Plain pySHACL on graphs parsed by rdflib; the verdict is SHACL's: any result fails."""
    data_graph = rdflib.Graph().parse(data=data, format="turtle")
    shapes_graph = rdflib.Graph().parse(data=shapes, format="turtle")
    conforms, results, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        abort_on_first=False,
    )
    if not isinstance(results, rdflib.Graph):  # pySHACL refused the shapes
        raise RuntimeError(str(results))
    return conforms, result_set(results)


def dataset(root: Path, data: str, ontology: str = "") -> Path:
    """A dataset folder holding only ``data`` (and the given ontology text)."""
    (root / "ontology").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "ontology" / "canus.ttl").write_text(ontology or "# no ontology\n", encoding="utf-8")
    (root / "data" / "case.ttl").write_text(data, encoding="utf-8")
    return root


def run_canus(tmp_path: Path, shapes: str, data: str, workers: int = 1) -> canus.Report:
    root = dataset(tmp_path / "root", data)
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(shapes, encoding="utf-8")
    return canus.validate(canus.load(root), shapes_file, vocabulary=False, workers=workers)


@pytest.mark.parametrize("workers", [1, 2], ids=["one-core", "two-cores"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_same_results_as_pyshacl(name: str, workers: int, tmp_path: Path):
    shapes, data = CASES[name]
    expected_conforms, expected = reference(shapes, data)
    report = run_canus(tmp_path, shapes, data, workers)
    assert result_set(report.graph) == expected
    # SHACL's verdict (any result fails) is canus's with --severity info; by default canus
    # fails on results of severity Violation only
    assert replace(report, fail_on="Info").conforms == expected_conforms
    assert report.conforms == (not any(k[2] == f"<{SH}Violation>" for k in expected))
    assert expected, f"case {name} gives no result at all: it tests nothing"
    # every result reaches the report people read, once
    focus_keys = {k[0] for k in expected}
    shown = {r.focus if r.focus.startswith(('"', "_:")) else f"<{r.focus}>" for r in report.results}
    assert {k for k in focus_keys if not k.startswith("[")} <= shown | {"[]"}


def test_cases_cover_every_core_component():
    """Every SHACL Core constraint component appears in some case."""
    components = {
        "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
        "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn",
        "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
        "xone", "node", "qualifiedValueShape", "closed", "hasValue", "in", "sparql",
        "targetNode", "targetClass", "targetSubjectsOf", "targetObjectsOf", "target",
        "inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath",
        "severity", "deactivated", "prefixes", "ConstraintComponent",
    }  # fmt: skip
    text = "\n".join(shapes for shapes, _ in CASES.values())
    assert not {c for c in components if f"sh:{c}" not in text}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_shapes_pyshacl_cannot_run_are_refused_with_a_clear_error(name: str, tmp_path: Path):
    shapes, data = REFUSED[name]
    with pytest.raises(Exception):  # noqa: B017 - pySHACL raises several kinds
        reference(shapes, data)
    with pytest.raises(canus.InputError) as caught:
        run_canus(tmp_path, shapes, data)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "shapes.ttl") + ": ")
    assert "\n" not in message


@pytest.mark.parametrize(
    "bad", sorted(p for p in BAD.glob("*.ttl") if not p.name.startswith("_")), ids=lambda p: p.stem
)
def test_broken_examples_same_results_as_pyshacl(bad: Path, tmp_path: Path):
    """The shipped shapes on each broken example (with the real ontology, as canus loads it)."""
    root = Path(__file__).resolve().parents[1]
    ontology = (root / "ontology" / "canus.ttl").read_text(encoding="utf-8")
    shapes = (root / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    base = (BAD / "_base.ttl").read_text(encoding="utf-8")
    data = bad.read_text(encoding="utf-8")
    ref_data = rdflib.Graph()
    for text in (ontology, base, data):
        ref_data.parse(data=text, format="turtle")
    _, ref_results, _ = pyshacl.validate(
        ref_data,
        shacl_graph=rdflib.Graph().parse(data=shapes, format="turtle"),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    kg_root = dataset(tmp_path / "root", base, ontology)
    (kg_root / "data" / bad.name).write_text(data, encoding="utf-8")
    kg = canus.load(kg_root)
    shapes_file = root / "ontology" / "shapes.ttl"
    for workers in (1, 2):
        report = canus.validate(kg, shapes_file, vocabulary=False, workers=workers)
        assert result_set(report.graph) == result_set(ref_results), workers
    assert result_set(ref_results)


def test_fast_path_takes_the_queries_it_can_and_only_those(tmp_path: Path, monkeypatch):
    """The batched SPARQL path really runs (else the comparisons above prove nothing about it)."""
    import canus._sparql_batch as batch

    taken: dict[str, bool] = {}
    original = batch.Batcher.rows_by_focus

    def spy(self, text, focus_nodes, namespaces):
        rows = original(self, text, focus_nodes, namespaces)
        taken[current] = rows is not None
        return rows

    monkeypatch.setattr(batch.Batcher, "rows_by_focus", spy)
    edges = [n for n in CASES if n.startswith("sparql-edge-")] + ["sparql-non-canonical-literals"]
    for current in sorted(edges):
        shapes, data = CASES[current]
        run_canus(tmp_path / current, shapes, data)
        assert taken.get(current, False) == (current in BATCHED), current


def test_shipped_shapes_run_in_one_go_on_the_shipped_data(kg, monkeypatch):
    import canus._sparql_batch as batch

    outcomes: list[bool] = []
    original = batch.Batcher.rows_by_focus

    def spy(self, text, focus_nodes, namespaces):
        rows = original(self, text, focus_nodes, namespaces)
        outcomes.append(rows is not None)
        return rows

    monkeypatch.setattr(batch.Batcher, "rows_by_focus", spy)
    assert canus.validate(kg).conforms
    assert outcomes and all(outcomes), outcomes
