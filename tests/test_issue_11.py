"""Issue 11, canus at scale: the faster paths give the same answers as the ones they replace.

Export streams the union of the files' graphs from the store (no second store through
N-Triples) and compacts Oxigraph's JSON-LD on its way to the file (no reshaping in Python); the
loader finds prefixes with one regular expression and subject lines only when asked. Each is
compared here with the old path, on the real data and on a synthetic graph. Speed is measured
in benchmarks/scale.py, never here.
"""

from __future__ import annotations

import re
import sys

import pyoxigraph as ox
import pytest

import canus
from canus import _export, _load

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from speed import synthetic

PARSE = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
SHARED = """@prefix id: <https://w3id.org/canus/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix canus: <https://w3id.org/canus/ontology#> .
id:country-0 rdfs:label "Country 0"@en .
id:odd canus:url "https://w3id.org/canus/id/not-an-iri" ;
    rdfs:comment "{\\"@id\\":\\"https://w3id.org/canus/id/x\\"}" ,
        ",\\"https://w3id.org/canus/id/y" ;
    rdfs:seeAlso <https://w3id.org/canus/id///double-slash> , <https://w3id.org/canus/id/> .
_:b canus:party id:canada .
"""


def old_union(kg) -> set[ox.Triple]:
    """The old path: the union CONSTRUCT copied into a second store."""
    return {q.triple for q in _export.union_store(kg)}


def canonical(triples) -> set[str]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.fixture(scope="module")
def synthetic_kg(tmp_path_factory):
    """10 k synthetic triples, plus a file that repeats a triple of another file and holds
    literals that look like JSON-LD IRIs, an IRI whose rest starts with //, a blank node."""
    root = tmp_path_factory.mktemp("synthetic")
    synthetic(root, 10_000)
    (root / "data" / "zz-shared.ttl").write_text(SHARED, encoding="utf-8")
    return canus.load(root)


@pytest.fixture(params=["real", "synthetic"])
def graph(request, kg, synthetic_kg):
    return kg if request.param == "real" else synthetic_kg


def test_union_triples_is_the_old_union_each_once(graph):
    triples = list(_export.union_triples(graph))
    assert len(triples) == len(set(triples))
    assert canonical(triples) == canonical(old_union(graph))


@pytest.mark.parametrize("fmt", sorted(PARSE))
def test_export_reads_back_as_the_old_paths_graph(graph, fmt):
    data = canus.export(graph, fmt)
    new = [q.triple for q in ox.parse(data, format=PARSE[fmt])]
    assert canonical(new) == canonical(old_union(graph))
    if fmt == "nt":  # each triple once, as before
        assert len(data.splitlines()) == len(old_union(graph))


def test_jsonld_compacts_iris_never_literals(synthetic_kg):
    text = canus.export(synthetic_kg, "jsonld").decode("utf-8")
    assert '"@id":"id:country-0"' in text and '"rdfs:label":' in text
    assert '\\"@id\\":\\"https://w3id.org/canus/id/x\\"}' in text
    assert '"@value":"https://w3id.org/canus/id/not-an-iri"' in text
    assert '"id://' not in text and "double-slash" in text  # p://x would be an absolute IRI
    assert '"@id":"id:"' in text


def test_jsonld_streamed_in_pieces_is_the_same(synthetic_kg, monkeypatch):
    """The compactor cuts its input before a ``{``; tiny pieces give the same bytes."""
    whole = canus.export(synthetic_kg, "jsonld")
    monkeypatch.setattr(_export._JsonLdCompactor, "_PIECE", 7)
    assert canus.export(synthetic_kg, "jsonld") == whole


def old_prefixes(text: str) -> dict[str, str]:
    directives = "\n".join(line for line in text.splitlines() if _load._DIRECTIVE.match(line))
    try:
        parser = ox.parse(directives.encode("utf-8"), format=ox.RdfFormat.TURTLE)
        for _ in parser:
            pass
        return dict(parser.prefixes)
    except SyntaxError:
        return {}


def test_loader_finds_the_prefixes_and_lines_the_old_scan_found(graph):
    for loaded in graph.files:
        _, text = _load.read_text(loaded.path, loaded.name)
        assert loaded.prefixes == old_prefixes(text), loaded.name
        assert loaded.subjects == _load._subject_lines(text, old_prefixes(text)), loaded.name
    assert graph.locate(next(iter(graph.files[-1].subjects))) is not None


@pytest.mark.parametrize(
    "text",
    [
        "@prefix a: <http://a/> .\r\nPREFIX b: <http://b/>\r\n  @base <http://c/> .\na:x a:y a:z .",
        "\ufeff@prefix a: <http://a/> .\na:x a:y a:z .",
        "  @PREFIX a: <http://a/> .\n@prefix b: <http://b/> . # é\nb:x b:y 'é' .",
    ],
)
def test_prefix_lines_found_in_bytes_as_in_text(tmp_path, text):
    path = tmp_path / "f.ttl"
    path.write_bytes(text.encode("utf-8"))
    raw = _load.read_bytes(path, "f.ttl")
    assert _load._declared_prefixes(raw) == old_prefixes(raw.decode("utf-8"))


def test_subject_lines_of_a_file_changed_since_loading_are_not_guessed(tmp_path):
    path = tmp_path / "f.ttl"
    path.write_text("@prefix a: <http://a/> .\na:x a:y a:z .\n", encoding="utf-8")
    store = ox.Store()
    loaded = _load.load_file(store, path, "f.ttl", "http://g")
    path.write_text("@prefix a: <http://a/> .\n\n\na:x a:y a:z .\n", encoding="utf-8")
    assert loaded.subjects == {}
    fresh = _load.load_file(store, path, "f.ttl", "http://g")
    assert fresh.subjects == {"http://a/x": 4}
    assert re.match(r"<LoadedFile f\.ttl", repr(fresh))
