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


def test_scan_beside_the_parse_finds_what_the_inline_scan_finds(graph, monkeypatch, tmp_path):
    """Large files are scanned (prefixes, checksum) in a thread while Oxigraph parses them."""
    for loaded in graph.files:
        inline = _load.load_file(ox.Store(), loaded.path, loaded.name, loaded.graph)
        monkeypatch.setattr(_load, "_SCAN_ASIDE", 0)
        aside = _load.load_file(ox.Store(), loaded.path, loaded.name, loaded.graph)
        monkeypatch.undo()
        assert aside.prefixes == inline.prefixes == loaded.prefixes, loaded.name
        assert aside._checksum == inline._checksum, loaded.name
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix a: <http://a/> .\na:x a:y .\n", encoding="utf-8")
    monkeypatch.setattr(_load, "_SCAN_ASIDE", 0)
    with pytest.raises(canus.InputError, match=r"^bad.ttl:2"):
        _load.load_file(ox.Store(), bad, "bad.ttl", "http://g")


# --- the script starts loading while it reads its command line (canus._early) -------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["query", "agencies"], (True, None)),
        (["--root", "d", "query", "agencies"], (True, "d")),
        (["--root=d", "export", "--format", "nt"], (True, "d")),
        (["--root", "d", "stats", "--root", "e"], (True, "e")),
        (["validate", "--root=e", "--format", "json"], (True, "e")),
        (["build", "--out", "dist"], (True, None)),
        (["query", "agencies", "--endpoint", "http://127.0.0.1:1/q"], (False, None)),
        (["validate", "--endpoint=http://127.0.0.1:1/q"], (False, None)),
        (["query", "--help"], (False, None)),
        (["--version"], (False, None)),
        (["push", "--store", "http://127.0.0.1:1/store"], (False, None)),
        (["diff", "a", "b"], (False, None)),
        (["-x", "query", "agencies"], (False, None)),
        ([], (False, None)),
    ],
)
def test_the_guess_from_the_command_line(argv, expected):
    from canus import _early

    assert _early.guess_root(argv) == expected


def test_an_early_load_is_handed_over_once_and_only_for_its_root(tmp_path):
    from canus import _early

    _early.start(["query", "agencies", "--root", str(ROOT)])
    assert _early.take(str(tmp_path)) is None  # another root: not this load
    early = _early.take(str(ROOT))
    assert early is not None and _early.take(str(ROOT)) is None
    assert len(early.result()) == len(canus.load(ROOT))
    _early.start(["stats", "--root", str(tmp_path)])  # no dataset there: the load's own error
    with pytest.raises(canus.InputError) as raised:
        _early.take(str(tmp_path)).result()
    with pytest.raises(canus.InputError) as direct:
        canus.load(tmp_path)
    assert str(raised.value) == str(direct.value)
    assert not _early.running()


def same_run(args: list[str], cwd=None) -> None:
    """The installed script (early load, quick exit) prints what the command does in-process."""
    from conftest import invoke, run_canus

    script = run_canus(*args, cwd=cwd)
    inproc = invoke(*args, cwd=cwd)
    assert (script.returncode, script.stdout, script.stderr) == (
        inproc.exit_code,
        inproc.stdout,
        inproc.stderr,
    ), args


@pytest.mark.parametrize(
    "args",
    [
        ["query", "agencies-in-program", "--param", "program=id:ibet", "--format", "csv"],
        ["--root", str(ROOT), "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
        ["export", "--format", "nt"],
        ["stats", "--format", "json", f"--root={ROOT}"],
        ["validate", "--format", "json"],
        # a wrong guess: click reads "--root=/nowhere" as the value of -p, so the early load of
        # /nowhere is dropped and the command reports its own error
        ["query", "agencies-in-program", "-p", "--root=/nowhere"],
    ],
)
def test_the_script_prints_what_the_command_prints(args):
    same_run(args)


def test_the_script_reports_a_missing_dataset_as_the_command_does(tmp_path):
    same_run(["query", "agencies", "--root", str(tmp_path)])
    same_run(["validate", "--root", str(tmp_path / "nowhere")])


# --- a command that loaded a graph ends without freeing it (canus.cli._exit_now) ------------


def test_the_quick_exit_flushes_output_and_runs_exit_handlers(tmp_path):
    """What Python's own ending does that matters (exit handlers, buffered output) still
    happens; only the freeing of every object is skipped."""
    import subprocess

    marker = tmp_path / "handler-ran"
    code = (
        "import atexit, sys\n"
        "from canus import cli\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('yes'))\n"
        "sys.stdout.write('buffered, no newline')\n"
        "cli._exit_now(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 3
    assert proc.stdout == "buffered, no newline"
    assert marker.read_text() == "yes"


def test_a_profiler_still_gets_its_report(tmp_path):
    """Under a profiler the script ends the usual way, so the profile is written."""
    import pstats
    import subprocess
    from pathlib import Path

    out = tmp_path / "canus.prof"
    exe = Path(sys.executable).with_name("canus")
    proc = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), str(exe), "stats", "--root", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "things" in proc.stdout.lower()
    assert pstats.Stats(str(out)).total_calls > 0


def test_ctrl_c_while_the_script_starts_is_the_usual_line(tmp_path):
    """A real SIGINT as the load starts, before click is imported: one line, exit 130."""
    import subprocess

    code = (
        "import os, signal, sys\n"
        "from canus import _early\n"
        "started = _early.start\n"
        "def start(argv):\n"
        "    started(argv)\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "_early.start = start\n"
        "sys.argv = ['canus', 'stats']\n"
        "_early.main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "canus: error: interrupted\n", "")
