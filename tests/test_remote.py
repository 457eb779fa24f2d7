"""Saved queries against a real Oxigraph server give the same answers as the local files."""

from __future__ import annotations

import re

import pytest

import canus
from canus._errors import RemoteError
from stores import free_port

from conftest import ROOT, invoke, run_canus


@pytest.fixture(scope="module")
def endpoint(oxigraph_server, kg):
    """The session's Oxigraph server on 127.0.0.1, the graph put in its default graph."""
    canus.push(kg, store=oxigraph_server.store)
    return oxigraph_server.query


def normalized(result) -> list[tuple]:
    """Rows as sorted tuples, each cell's words sorted: GROUP_CONCAT order is not defined."""
    rows = []
    for record in result.records():
        rows.append(
            tuple(" ".join(sorted(re.split(r"[\s,|]+", v))) if v else v for v in record.values())
        )
    return sorted(rows, key=lambda r: tuple("" if v is None else v for v in r))


@pytest.mark.parametrize("saved", canus.catalog(ROOT), ids=lambda q: q.name)
def test_saved_query_same_answer_remote_and_local(saved, kg, endpoint):
    local = canus.query(kg, saved.name)
    remote = canus.query(canus.Endpoint(endpoint), saved.name, root=ROOT)
    assert remote.variables == local.variables
    assert normalized(remote) == normalized(local)


def test_parameters_bind_the_same_remotely(kg, endpoint):
    params = {"program": "https://w3id.org/canus/id/nexus"}
    local = canus.query(kg, "agencies-in-program", params)
    remote = canus.query(canus.Endpoint(endpoint), "agencies-in-program", params, root=ROOT)
    assert normalized(remote) == normalized(local)
    assert {"https://w3id.org/canus/id/cbsa", "https://w3id.org/canus/id/cbp"} <= set(
        remote.column("agency")
    )


def test_cli_endpoint_option(endpoint):
    proc = invoke("query", "agencies-in-program", "--endpoint", endpoint, "--format", "csv")
    assert proc.exit_code == 0, proc.stderr
    assert "https://w3id.org/canus/id/rcmp" in proc.stdout


def test_construct_remote(kg, endpoint):
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    remote = canus.run_sparql(endpoint, text, {"s": "https://w3id.org/canus/id/norad"})
    local = canus.run_sparql(kg, text, {"s": "https://w3id.org/canus/id/norad"})
    assert {str(t) for t in remote.triples} == {str(t) for t in local.triples}


def test_unreachable_endpoint_is_one_clear_line():
    port = free_port()
    with pytest.raises(RemoteError, match="cannot connect"):
        canus.run_sparql(canus.Endpoint(f"http://127.0.0.1:{port}/query"), "ASK {}")
    proc = run_canus("query", "agencies", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert proc.returncode == 3
    assert proc.stderr.startswith("canus: error: ") and "Traceback" not in proc.stderr
