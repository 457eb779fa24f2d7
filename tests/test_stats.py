"""canus stats: counts agree with the graph; coverage of labels, descriptions and sources."""

from __future__ import annotations

import json

import canus

from conftest import invoke


def test_stats_counts_agree_with_sparql(kg):
    stats = canus.stats(kg)
    count = canus.run_sparql(
        kg,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/canus/ontology#Agency> }",
    )
    assert stats.by_class["canus:Agency"] == int(count.column("n")[0])
    assert stats.triples == len({str(t) for t in kg.triples()})
    assert stats.sources == stats.by_class["canus:SourceDocument"]
    assert stats.things == sum(stats.by_class.values()) - stats.sources


def test_every_thing_is_bilingual_described_and_sourced(kg):
    coverage = canus.stats(kg).coverage
    assert coverage == {
        "english label": 1.0,
        "french label": 1.0,
        "description": 1.0,
        "source": 1.0,
    }


def test_graph_size_targets(kg):
    stats = canus.stats(kg)
    assert stats.things >= 250
    assert stats.sources >= 60


def test_stats_cli_text_and_json():
    proc = invoke("stats")
    assert proc.exit_code == 0
    assert "french label    100.0%" in proc.stdout
    data = json.loads(invoke("stats", "--format", "json", check=True).stdout)
    assert data["coverage"]["source"] == 1.0
