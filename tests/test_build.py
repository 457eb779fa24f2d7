"""``canus build``: every file of a release parses and holds the same graph, the checksums
verify, two builds are byte-identical, the description and redirect rules point at real files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import canus
from canus._export import union_store
from release import built, snapshot

from conftest import ROOT, invoke

RDF_FILES = {
    "canus.ttl": ox.RdfFormat.TURTLE,
    "canus.nt": ox.RdfFormat.N_TRIPLES,
    "canus.jsonld": ox.RdfFormat.JSON_LD,
    "canus.rdf": ox.RdfFormat.RDF_XML,
    "canus.trig": ox.RdfFormat.TRIG,
    "canus.nq": ox.RdfFormat.N_QUADS,
}
ID = "https://w3id.org/canus/id/"


@pytest.fixture(scope="module")
def dist() -> Path:
    return built()[0]


@pytest.fixture(scope="module")
def union() -> set[ox.Triple]:
    return {q.triple for q in union_store(built()[1])}


def _parse(path: Path, fmt: ox.RdfFormat) -> list[ox.Quad]:
    return list(ox.parse(path.read_bytes(), format=fmt))


@pytest.mark.parametrize("name", sorted(RDF_FILES))
def test_every_format_holds_the_same_graph(dist, union, name):
    quads = _parse(dist / name, RDF_FILES[name])
    assert {q.triple for q in quads} == union


@pytest.mark.parametrize("name", ["canus.trig", "canus.nq"])
def test_dataset_formats_keep_a_named_graph_per_source_file(dist, name):
    kg = built()[1]
    graphs = {q.graph_name.value for q in _parse(dist / name, RDF_FILES[name])}
    assert graphs == {f.graph for f in kg.files}


def test_jsonld_gives_plain_values_through_its_context(dist):
    document = json.loads((dist / "canus.jsonld").read_text(encoding="utf-8"))
    context = json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == context
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["country"]["@type"] == "@id"
    norad = next(n for n in document["@graph"] if n["@id"] == "id:norad")
    assert norad["label"]["fr"] == "Commandement de la défense aérospatiale de l'Amérique du Nord"
    assert "id:canada" in norad["country"]
    assert norad["@type"] == ["Command"]


def test_jsonld_reads_the_same_in_rdflib(dist, union):
    """A second JSON-LD processor reads the context's language maps and coercions alike."""
    import rdflib

    graph = rdflib.Graph().parse(dist / "canus.jsonld", format="json-ld")
    assert len(graph) == len(union)


def test_ontology_alone_and_shapes_and_queries(dist):
    kg = built()[1]
    ontology_graph = next(f.graph for f in kg.files if f.name == "ontology/canus.ttl")
    expected = {
        q.triple for q in kg.store.quads_for_pattern(None, None, None, ox.NamedNode(ontology_graph))
    }
    assert {q.triple for q in _parse(dist / "ontology/canus.rdf", ox.RdfFormat.RDF_XML)} == expected
    assert {q.triple for q in _parse(dist / "ontology/canus.ttl", ox.RdfFormat.TURTLE)} == expected
    root = kg.root
    assert (dist / "ontology/shapes.ttl").read_bytes() == (
        root / "ontology/shapes.ttl"
    ).read_bytes()
    assert sorted(p.name for p in (dist / "queries").iterdir()) == sorted(
        p.name for p in (root / "queries").glob("*.rq")
    )


def test_csv_tables_have_english_and_french_labels(dist):
    stats = canus.stats(built()[1])
    with (dist / "csv/Agency.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == stats.by_class["canus:Agency"]
    cbsa = next(r for r in rows if r["iri"] == "id:cbsa")
    assert cbsa["label_fr"] == "Agence des services frontaliers du Canada"
    assert cbsa["label_en"] == "Canada Border Services Agency"


def test_checksums_cover_every_file_and_verify(dist):
    listed = {}
    for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    on_disk = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()} - {
        "SHA256SUMS"
    }
    assert set(listed) == on_disk
    for path, digest in listed.items():
        assert hashlib.sha256((dist / path).read_bytes()).hexdigest() == digest, path


def test_two_builds_are_byte_identical(tmp_path):
    """Two builds of one copy of the data, the second in another process with another hash
    seed, give the same bytes, file for file."""
    root = snapshot(tmp_path / "dataset")
    first = canus.build(canus.load(root), tmp_path / "first").out
    exe = Path(sys.executable).with_name("canus")
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    command = [str(exe), "--root", str(root), "build", "--out", str(tmp_path / "again")]
    subprocess.run(command, cwd=tmp_path, env=env, check=True, capture_output=True)
    again = tmp_path / "again"
    files = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    for path in files:
        assert (again / path).read_bytes() == (first / path).read_bytes(), path


def test_description_in_void_and_dcat(dist, union):
    store = ox.Store()
    store.load((dist / "void.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    version = canus.__version__
    changelog = (built()[1].root / "CHANGELOG.md").read_text()
    date = re.search(rf"^## {re.escape(version)} - (\S+)", changelog, re.M)
    ask = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        PREFIX void: <http://rdfs.org/ns/void#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        ASK { ?d a void:Dataset, dcat:Dataset ;
            dcterms:title ?en, ?fr ; dcterms:description ?den, ?dfr ; dcterms:license ?l ;
            dcterms:publisher ?p ; dcterms:issued "%s"^^xsd:date ; dcat:version "%s" ;
            void:triples %d ; void:sparqlEndpoint ?sparql ; void:classPartition ?part .
          ?part void:class <https://w3id.org/canus/ontology#Agency> ; void:entities ?n .
          FILTER(LANG(?en) = "en" && LANG(?fr) = "fr")
          FILTER(LANG(?den) = "en" && LANG(?dfr) = "fr") }"""
    assert store.query(ask % (date.group(1), version, len(union)))
    urls = {
        r["u"].value
        for r in store.query("SELECT ?u WHERE { ?x <http://www.w3.org/ns/dcat#downloadURL> ?u }")
    }
    for name in [*RDF_FILES, "context.jsonld", "csv/Agency.csv", "ontology/canus.rdf"]:
        assert f"https://w3id.org/canus/dist/{name}" in urls


def test_release_carries_the_changelog(dist):
    assert (dist / "CHANGELOG.md").read_bytes() == (built()[1].root / "CHANGELOG.md").read_bytes()
    assert f"## {canus.__version__} - " in (dist / "CHANGELOG.md").read_text()


def test_each_thing_has_its_turtle_and_jsonld(dist, union):
    site = dist / "site" / "id"
    from_ttl: set[ox.Triple] = set()
    from_jsonld: set[ox.Triple] = set()
    for path in site.glob("*.ttl"):
        from_ttl.update(q.triple for q in _parse(path, ox.RdfFormat.TURTLE))
        from_jsonld.update(
            q.triple for q in _parse(path.with_suffix(".jsonld"), ox.RdfFormat.JSON_LD)
        )
    pages = {ID + p.stem for p in site.glob("*.html")}
    expected = {t for t in union if t.subject.value in pages}
    assert from_ttl == expected
    assert from_jsonld == expected


# ---- w3id.org redirect rules ---------------------------------------------------------------

_RULE = re.compile(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[([^\]]*)\]")
_COND = re.compile(r"^RewriteCond\s+%\{HTTP_ACCEPT\}\s+(\S+)")


def _rules(text: str) -> list[tuple[list[str], str, str]]:
    """(Accept conditions, pattern, target) of each RewriteRule, in order."""
    rules, conds = [], []
    for line in text.splitlines():
        if m := _COND.match(line):
            conds.append(m.group(1))
        elif m := _RULE.match(line):
            rules.append((conds, m.group(1), m.group(2)))
            conds = []
    return rules


def _resolve(rules, path: str, accept: str) -> str:
    """Where w3id.org sends ``GET /canus/<path>`` with ``Accept: accept`` (first rule wins)."""
    for conds, pattern, target in rules:
        if all(re.search(c, accept) for c in conds) and (m := re.match(pattern, path)):
            return re.sub(r"\$(\d)", lambda g: m.group(int(g.group(1))), target)
    raise AssertionError(f"no rule for {path!r} ({accept})")


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("id/norad", "text/html,application/xhtml+xml", "site/id/norad.html"),
        ("id/norad", "text/turtle", "site/id/norad.ttl"),
        ("id/norad", "application/ld+json", "site/id/norad.jsonld"),
        ("ontology", "text/html", "site/ontology/index.html"),
        ("ontology", "text/turtle", "ontology/canus.ttl"),
        ("ontology", "application/rdf+xml", "ontology/canus.rdf"),
        ("context.jsonld", "application/ld+json", "context.jsonld"),
        ("shapes", "text/turtle", "ontology/shapes.ttl"),
        ("dataset", "text/turtle", "void.ttl"),
        ("dist/canus.nq", "*/*", "canus.nq"),
        ("", "text/html", "site/index.html"),
    ],
)
def test_w3id_rules_send_each_client_to_a_file_of_the_build(dist, path, accept, expected):
    text = (dist / "w3id/.htaccess").read_text(encoding="utf-8")
    rules = _rules(text)
    target = _resolve(rules, path, accept)
    host = re.match(r"https://[^/]+/[^/]+/", target).group(0)
    assert target == host + expected
    assert (dist / expected).is_file()


def test_every_w3id_target_exists_for_every_thing(dist):
    """Each thing page's three redirects (page, Turtle, JSON-LD) land on a built file."""
    rules = _rules((dist / "w3id/.htaccess").read_text(encoding="utf-8"))
    for page in sorted((dist / "site/id").glob("*.html")):
        for accept in ("text/html", "text/turtle", "application/ld+json"):
            target = _resolve(rules, f"id/{page.stem}", accept)
            assert (dist / target.split("/", 4)[4]).is_file(), target


# ---- the command -------------------------------------------------------------------------


def test_build_command_prints_a_summary(tmp_path):
    result = invoke("build", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert re.match(r"built canus \S+ \(\d{4}-\d\d-\d\d\): \d+ files", result.stdout)
    assert (tmp_path / "out/site/index.html").is_file()


def test_build_refuses_a_folder_that_is_not_a_build(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    result = invoke("build", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "not a canus build" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_build_needs_a_changelog_entry(mini_root, tmp_path):
    root = mini_root(ROOT / "data" / "countries.ttl")
    result = invoke("--root", str(root), "build", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "CHANGELOG.md" in result.stderr and "YYYY-MM-DD" in result.stderr
    dated = invoke(
        "--root", str(root), "build", "--out", str(tmp_path / "out"), "--date", "2026-01-02"
    )
    assert dated.exit_code == 0, dated.stderr
    assert '"2026-01-02"^^xsd:date' in (tmp_path / "out/void.ttl").read_text()


def test_checksums_file_reads_with_sha256sum_format(dist):
    first = io.StringIO((dist / "SHA256SUMS").read_text()).readline()
    assert re.fullmatch(r"[0-9a-f]{64}  \S+\n", first)


@pytest.mark.parametrize("command", ["build", "diff"])
def test_help_shows_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert f"canus {command} " in result.stdout.split("Example", 1)[1]


def test_citation_in_three_forms_with_version_and_date():
    from canus.site._cite import citation

    cite = citation(
        "NORAD & {allies}", "https://w3id.org/canus/id/norad", "1.2.3", "2026-11-30", "x"
    )
    assert cite["text"] == (
        "canus contributors (2026). NORAD & {allies}. In canus: Canada–US security and defence"
        " cooperation knowledge graph, version 1.2.3 (2026-11-30). https://w3id.org/canus/id/norad"
    )
    assert r"title = {NORAD \& \{allies\}}," in cite["bibtex"]
    csl = json.loads(cite["csl"])
    assert csl["version"] == "1.2.3" and csl["issued"] == {"date-parts": [[2026, 11, 30]]}
    assert csl["type"] == "dataset" and csl["URL"] == "https://w3id.org/canus/id/norad"


_SUFFIX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def test_every_file_of_the_build_parses(dist):
    """RDF in its format, CSV as rectangular tables, saved queries as SPARQL, the site's data
    scripts as JSON: nothing in a release is unreadable."""
    from canus._namespaces import PREFIXES
    from canus._sparql import with_prefixes

    counts: dict[str, int] = {}
    empty = ox.Store()
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        suffix = path.suffix
        data = path.read_bytes()
        if suffix in _SUFFIX_FORMATS:
            quads = list(ox.parse(data, format=_SUFFIX_FORMATS[suffix]))
            assert quads or path.name == "context.jsonld", path  # a context holds no triple
        elif suffix == ".csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
            assert rows and all(len(r) == len(rows[0]) for r in rows), path
        elif suffix == ".rq":
            empty.query(with_prefixes(data.decode("utf-8"), PREFIXES))
        elif path.parent.name == "data" and suffix == ".js":
            text = data.decode("utf-8")
            for statement in text.strip().split(";\n"):
                json.loads(statement.split(" = ", 1)[1].rstrip(";"))
        else:
            continue
        counts[suffix] = counts.get(suffix, 0) + 1
    assert counts[".ttl"] > 100 and counts[".jsonld"] > 100 and counts[".csv"] > 10
    assert counts[".rq"] > 10 and counts[".js"] >= 4
