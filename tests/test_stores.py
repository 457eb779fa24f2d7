"""The saved queries give the same answers on the files, on Oxigraph's server and on Virtuoso,
and ``canus validate --endpoint`` reports on what a store holds as it does on the files.

Both stores get the graph with ``canus push`` into a named graph, queried as the default graph
(``--graph``: the protocol's ``default-graph-uri``). The one liberty taken in comparing answers
is GROUP_CONCAT's order, which SPARQL leaves undefined.
"""

from __future__ import annotations

import re

import pytest

import canus
from canus._push import push
from stores import VIRTUOSO_PASSWORD, VIRTUOSO_USER

from conftest import BAD, ROOT, invoke

GRAPH = "https://w3id.org/canus/graph/test"
CATALOG = canus.catalog(ROOT)


@pytest.fixture(scope="module")
def oxigraph_canus(oxigraph_server, kg) -> canus.Endpoint:
    """Oxigraph's server holding the graph in GRAPH, and its query endpoint reading GRAPH."""
    push(kg, store=oxigraph_server.store, graph=GRAPH)
    return canus.Endpoint(oxigraph_server.query, graphs=(GRAPH,))


@pytest.fixture(scope="module")
def virtuoso_canus(virtuoso_server, kg, monkeypatch_module) -> canus.Endpoint:
    """Virtuoso holding the graph in GRAPH (written as dba), read anonymously at /sparql."""
    monkeypatch_module.setenv("CANUS_USER", VIRTUOSO_USER)
    monkeypatch_module.setenv("CANUS_PASSWORD", VIRTUOSO_PASSWORD)
    push(kg, store=virtuoso_server.store, graph=GRAPH)
    monkeypatch_module.delenv("CANUS_USER")
    monkeypatch_module.delenv("CANUS_PASSWORD")
    return canus.Endpoint(virtuoso_server.query, graphs=(GRAPH,))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def answer(result: canus.QueryResult) -> list[tuple]:
    """Rows as sorted tuples of the values as written (IRIs, lexical forms), the words in each
    cell sorted (GROUP_CONCAT's order)."""
    rows = []
    for row in result.rows:
        cells = []
        for name in result.variables:
            term = row.get(name)
            value = None if term is None else term.value
            cells.append(" ".join(sorted(re.split(r"[\s,|]+", value))) if value else value)
        rows.append(tuple(cells))
    return sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))


@pytest.mark.parametrize("saved", CATALOG, ids=lambda q: q.name)
def test_saved_query_same_answer_on_files_oxigraph_and_virtuoso(
    saved, kg, oxigraph_canus, virtuoso_canus
):
    local = canus.query(kg, saved.name)
    for endpoint in (oxigraph_canus, virtuoso_canus):
        remote = canus.query(endpoint, saved.name, root=ROOT)
        assert remote.variables == local.variables, endpoint.url
        assert answer(remote) == answer(local), endpoint.url


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_cli_query_with_graph_on_a_store(store, request):
    endpoint = request.getfixturevalue(f"{store}_canus")
    result = invoke(
        "query", "agencies-in-program", "--param", "program=id:nexus",
        "--endpoint", endpoint.url, "--graph", GRAPH, "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "https://w3id.org/canus/id/cbsa" in result.stdout
    assert "https://w3id.org/canus/id/cbp" in result.stdout


def test_validate_a_store_that_holds_valid_data(virtuoso_canus):
    result = invoke("validate", "--endpoint", virtuoso_canus.url, "--graph", GRAPH)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert re.fullmatch(r"valid: \d+ things, 0 violations\n", result.stdout)


def test_validate_a_store_reports_what_the_files_would(
    oxigraph_server, virtuoso_server, mini_root, monkeypatch
):
    """A broken example pushed into each store gives the local report, the graph named where
    the files report a file and line."""
    root = mini_root(
        BAD / "_base.ttl", BAD / "agency-no-source.ttl", BAD / "agreement-no-party.ttl"
    )
    local = canus.validate(canus.load(root))
    assert not local.conforms
    monkeypatch.setenv("CANUS_USER", VIRTUOSO_USER)
    monkeypatch.setenv("CANUS_PASSWORD", VIRTUOSO_PASSWORD)
    graph = GRAPH + "/broken"
    for server in (oxigraph_server, virtuoso_server):
        push(canus.load(root), store=server.store, graph=graph)
        result = invoke(
            "validate", "--root", str(root), "--endpoint", server.query, "--graph", graph
        )
        assert result.exit_code == 1, result.stderr
        expected = [
            re.sub(r"^data/[\w.-]+:\d+: ", f"<{graph}>: ", line)
            for line in local.render("text").splitlines()
        ]
        assert sorted(result.stdout.splitlines()[:-1]) == sorted(expected[:-1])
        assert result.stdout.splitlines()[-1] == f"{len(local.violations)} violations in 1 file"


#: Saved queries with other parameter values, one of each kind (IRI, text, date, year, integer).
OTHER_PARAMETERS = [
    ("agencies-in-program", {"program": "id:nexus"}),
    ("agreements-of", {"party": "id:united-states"}),
    ("search", {"text": "frontière"}),
    ("events-between", {"from": "1940-01-01", "to": "1960-12-31"}),
    ("joined-between", {"from": "1949", "to": "2004"}),
    ("sources-of", {"thing": "id:ibet"}),
    ("card", {"thing": "id:cbsa"}),
    ("renewed-agreements", {"min": "2"}),
]


@pytest.mark.parametrize(("name", "params"), OTHER_PARAMETERS, ids=[n for n, _ in OTHER_PARAMETERS])
def test_parameters_bind_the_same_on_every_store(name, params, kg, oxigraph_canus, virtuoso_canus):
    local = canus.query(kg, name, params)
    assert local.rows, "choose values that have an answer"
    for endpoint in (oxigraph_canus, virtuoso_canus):
        remote = canus.query(endpoint, name, params, root=ROOT)
        assert answer(remote) == answer(local), endpoint.url


def test_validate_a_graph_the_store_does_not_hold(oxigraph_canus):
    """A mistyped --graph is an error, not a valid report on nothing."""
    result = invoke("validate", "--endpoint", oxigraph_canus.url, "--graph", GRAPH + "/typo")
    assert result.exit_code == 2
    assert result.stderr == (
        f"canus: error: {oxigraph_canus.url}: <{GRAPH}/typo> holds no triples"
        " (is the --graph IRI right?)\n"
    )
