"""canus export: every RDF format reads back as the same graph; CSV gives a table per class."""

from __future__ import annotations

import csv
import json

import pyoxigraph as ox
import pytest

import canus

from conftest import invoke, run_canus

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
    proc = invoke("export", "--format", fmt, "--output", str(target))
    assert proc.exit_code == 0, proc.stderr
    quads = list(ox.parse(path=target, format=PARSE[fmt]))
    union = canonical(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    assert union == triples_of(kg)
    if fmt in ("trig", "nquads"):
        # a named graph per source file
        graphs = {q.graph_name.value for q in quads}
        assert graphs == {f.graph for f in kg.files}
        assert "https://w3id.org/canus/graph/data/agencies" in graphs


def test_stdout_export_equals_file_export(tmp_path):
    """A real process: stdout, ``-o -`` and a file give the same bytes."""
    target = tmp_path / "canus.nt"
    run_canus("export", "--format", "nt", "--output", str(target), check=True)
    proc = run_canus("export", "--format", "nt", check=True)
    assert proc.stdout == target.read_text(encoding="utf-8")
    dash = run_canus("export", "--format", "nt", "-o", "-", check=True, cwd=tmp_path)
    assert dash.stdout == proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canus.nt"]


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
    proc = invoke("export", "--format", "csv", "--output", str(out))
    assert proc.exit_code == 0, proc.stderr
    index = list(csv.DictReader((out / "index.csv").open(encoding="utf-8", newline="")))
    stats = canus.stats(kg)
    for row in index:
        table = list(csv.DictReader((out / row["file"]).open(encoding="utf-8", newline="")))
        assert len(table) == int(row["rows"])
        if row["class"].startswith("canus:"):
            assert stats.by_class[row["class"]] == int(row["rows"])
    agencies = {r["iri"]: r for r in csv.DictReader((out / "Agency.csv").open(encoding="utf-8"))}
    rcmp = agencies["id:rcmp"]  # compact, like the references in the other columns
    assert rcmp["label_fr"] == "Gendarmerie royale du Canada"
    assert rcmp["canus:country"] == "id:canada"


def test_csv_has_a_table_of_skos_concepts(kg, tmp_path):
    canus.export(kg, "csv", tmp_path / "t")
    concepts = {r["iri"]: r for r in csv.DictReader((tmp_path / "t" / "Concept.csv").open())}
    assert "id:theme-border-security" in concepts
    assert concepts["id:mission-maritime-warning"]["skos:inScheme"] == "id:norad-missions"


def test_csv_lines_end_in_crlf_and_bom_is_optional(kg, tmp_path):
    canus.export(kg, "csv", tmp_path / "plain")
    raw = (tmp_path / "plain" / "Agency.csv").read_bytes()
    assert raw.startswith(b"iri,") and raw.count(b"\r\n") == raw.count(b"\n")
    proc = invoke("export", "--format", "csv", "--bom", "-o", str(tmp_path / "excel"))
    assert proc.exit_code == 0, proc.stderr
    assert (tmp_path / "excel" / "Agency.csv").read_bytes() == b"\xef\xbb\xbf" + raw


def test_csv_export_replaces_a_previous_export_whole(kg, tmp_path):
    out = tmp_path / "tables"
    canus.export(kg, "csv", out)
    (out / "Gone.csv").write_text("old", encoding="utf-8")  # a table a past version wrote
    manifest = json.loads((out / ".canus-export.json").read_text())
    manifest["files"].append("Gone.csv")
    (out / ".canus-export.json").write_text(json.dumps(manifest))
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # not canus's: kept
    canus.export(kg, "csv", out)
    assert not (out / "Gone.csv").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "index.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_csv_needs_an_output_folder():
    proc = invoke("export", "--format", "csv")
    assert proc.exit_code == 2
    assert "give --output FOLDER" in proc.stderr
