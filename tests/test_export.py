"""canus export: every RDF format reads back as the same graph; CSV gives a table per class."""

from __future__ import annotations

import csv
import json

import pyoxigraph as ox
import pytest

import canus

from conftest import run_canus

PARSE = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def canonical(quads) -> set[str]:
    """The quads as canonical N-Quads lines (RDFC-1.0), so blank nodes compare by structure."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def triples_of(kg):
    return canonical(ox.Quad(t.subject, t.predicate, t.object) for t in set(kg.triples()))


@pytest.mark.parametrize("fmt", sorted(PARSE))
def test_format_reads_back_as_the_same_graph(fmt, kg, tmp_path):
    target = tmp_path / f"canus.{fmt}"
    proc = run_canus("export", "--format", fmt, "--output", str(target))
    assert proc.returncode == 0, proc.stderr
    quads = list(ox.parse(path=target, format=PARSE[fmt]))
    union = canonical(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    assert union == triples_of(kg)
    if fmt in ("trig", "nquads"):
        # a named graph per source file
        graphs = {q.graph_name.value for q in quads}
        assert graphs == {f.graph for f in kg.files}
        assert "https://w3id.org/canus/graph/data/agencies" in graphs


def test_stdout_export_equals_file_export(tmp_path):
    target = tmp_path / "canus.nt"
    run_canus("export", "--format", "nt", "--output", str(target), check=True)
    proc = run_canus("export", "--format", "nt", check=True)
    assert proc.stdout == target.read_text(encoding="utf-8")


def test_export_is_deterministic(kg):
    assert canus.export(kg, "turtle") == canus.export(kg, "turtle")
    assert canus.export(kg, "nt") == canus.export(kg, "nt")


def test_jsonld_has_a_context_with_short_names(kg):
    doc = json.loads(canus.export(kg, "jsonld"))
    context = doc["@context"]
    assert context["canus"] == "https://w3id.org/canus/ontology#"
    assert context["id"] == "https://w3id.org/canus/id/"
    text = json.dumps(doc)
    assert '"rdfs:label"' in text and '"id:norad"' in text


def test_turtle_uses_prefixes(kg):
    text = canus.export(kg, "turtle").decode("utf-8")
    assert "@prefix id: <https://w3id.org/canus/id/> ." in text
    assert "id:norad " in text


def test_csv_is_a_table_per_class(kg, tmp_path):
    out = tmp_path / "tables"
    proc = run_canus("export", "--format", "csv", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    index = list(csv.DictReader((out / "index.csv").open(encoding="utf-8")))
    stats = canus.stats(kg)
    for row in index:
        assert stats.by_class[row["class"]] == int(row["rows"])
        table = list(csv.DictReader((out / row["file"]).open(encoding="utf-8")))
        assert len(table) == int(row["rows"])
    agencies = {r["iri"]: r for r in csv.DictReader((out / "Agency.csv").open(encoding="utf-8"))}
    rcmp = agencies["https://w3id.org/canus/id/rcmp"]
    assert rcmp["label_fr"] == "Gendarmerie royale du Canada"
    assert rcmp["canus:country"] == "id:canada"


def test_csv_export_replaces_a_previous_folder_whole(kg, tmp_path):
    out = tmp_path / "tables"
    out.mkdir()
    (out / "stale.csv").write_text("old", encoding="utf-8")
    canus.export(kg, "csv", out)
    assert not (out / "stale.csv").exists()
    assert (out / "index.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]


def test_csv_needs_an_output_folder():
    proc = run_canus("export", "--format", "csv")
    assert proc.returncode == 2
    assert "give --output FOLDER" in proc.stderr
