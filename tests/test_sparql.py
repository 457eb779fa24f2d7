"""Issue 8, wrong answers without a word and the library's shape: FROM, SELECT * order, prefixes
for .rq files, unknown IRI parameters, the rdflib view, streamed rows, tables that fit, timeouts
on a silent endpoint, and public names that are functions, not modules."""

from __future__ import annotations

import io
import socket
import threading

import pytest

import canus
from canus._results import QueryResult

from conftest import invoke

GRAPH = "https://w3id.org/canus/graph/data/"
AGENCY_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) {} WHERE {{ ?s a canus:Agency }}"


def count(kg, text: str) -> int:
    return int(canus.run_sparql(kg, text).column("n")[0])


def test_from_limits_the_query_to_one_files_graph(kg):
    everywhere = count(kg, AGENCY_COUNT.format(""))
    assert everywhere > 0
    assert count(kg, AGENCY_COUNT.format(f"FROM <{GRAPH}agencies>")) == everywhere
    assert count(kg, AGENCY_COUNT.format(f"FROM <{GRAPH}programs>")) == 0


def test_from_with_a_prefixed_name(kg):
    prologue = f"PREFIX g: <{GRAPH}>\n"
    assert count(kg, prologue + AGENCY_COUNT.format("FROM g:agencies")) > 0
    text = prologue + AGENCY_COUNT.format("FROM g:programs")
    assert count(kg, text) == 0


def test_from_named_gives_the_graph_names(kg):
    text = f"SELECT DISTINCT ?g FROM NAMED <{GRAPH}agencies> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert canus.run_sparql(kg, text).column("g") == [GRAPH + "agencies"]


def test_from_an_unknown_graph_is_refused_with_a_suggestion(kg):
    with pytest.raises(canus.QueryError, match=rf"did you mean <{GRAPH}agencies>\?"):
        canus.run_sparql(kg, AGENCY_COUNT.format(f"FROM <{GRAPH}agencie>"))


def test_select_star_keeps_the_querys_variable_order(kg):
    result = canus.run_sparql(kg, "SELECT * WHERE { ?thing ?property ?a } LIMIT 1")
    assert result.variables == ["thing", "property", "a"]
    result = invoke("query", "--sparql", "SELECT * { ?z ?y ?x } LIMIT 1", "--format", "csv")
    assert result.stdout_bytes.startswith(b"z,y,x\r\n")


def test_rq_files_know_the_canus_prefixes(tmp_path):
    saved = tmp_path / "count.rq"
    saved.write_text("# title: Agencies\nSELECT (COUNT(*) AS ?n) WHERE { ?s a canus:Agency }\n")
    from_file = invoke("query", str(saved), "--format", "csv")
    assert from_file.exit_code == 0, from_file.stderr
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a canus:Agency }"
    assert from_file.stdout == invoke("query", "--sparql", text, "--format", "csv").stdout


def test_unknown_iri_parameter_warns_with_did_you_mean():
    result = invoke("query", "agencies-in-program", "--param", "program=id:ibett")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "canus: warning: parameter 'program': id:ibett is in no triple of the graph; "
        "did you mean id:ibet"
    )
    assert result.stdout.endswith("(0 rows)\n")
    known = invoke("query", "agencies-in-program", "--param", "program=id:ibet")
    assert known.stderr == ""


def test_rdflib_view_queries_and_iterates_the_whole_graph(kg):
    rows = list(kg.rdflib.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(rows[0][0]) == len(kg) > 0
    assert sum(1 for _ in kg.rdflib.triples((None, None, None))) == len(kg)


def test_locate_accepts_the_id_form(kg):
    assert kg.locate("id:norad") == kg.locate("https://w3id.org/canus/id/norad")
    assert kg.locate("id:norad")[0] == "data/commands.ttl"


def test_public_functions_are_not_shadowed_by_modules(kg):
    from canus._export import csv_tables  # noqa: F401
    from canus._stats import Stats  # noqa: F401

    assert callable(canus.export) and callable(canus.stats)
    assert canus.export(kg, "nt").startswith(b"<")
    assert canus.stats(kg).triples > 0


def test_unknown_result_format_is_a_typed_error(kg):
    with pytest.raises(canus.OutputError, match="unknown result format 'xml'"):
        canus.run_sparql(kg, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1").render("xml")


def test_parameters_are_a_dict_and_never_collide_with_options(kg, tmp_path):
    saved = tmp_path / "echo.rq"
    saved.write_text(
        "# title: Echo\n# param: timeout string default=none\nSELECT ?timeout WHERE { }\n",
        encoding="utf-8",
    )
    result = canus.query(kg, saved, {"timeout": "a string, not seconds"})
    assert result.column("timeout") == ["a string, not seconds"]


def test_rows_are_written_as_they_are_read():
    """The rendering pulls rows one by one: the first line is out before the rest is read."""
    pulled = []

    def rows():
        for i in range(100_000):
            pulled.append(i)
            yield {"n": canus_literal(i)}

    class Watch(io.StringIO):
        first_write_after: int | None = None

        def write(self, text: str) -> int:
            if self.first_write_after is None and "\r\n" in text and pulled:
                self.first_write_after = len(pulled)
            return super().write(text)

    for fmt in ("csv", "tsv", "json", "md", "table"):
        pulled.clear()
        out = Watch()
        QueryResult("select", variables=["n"], rows=rows()).write(out, fmt)
        assert len(pulled) == 100_000
        assert out.getvalue().count("\n") >= 100_000
    pulled.clear()
    out = Watch()
    QueryResult("select", variables=["n"], rows=rows()).write(out, "csv")
    assert out.first_write_after is not None and out.first_write_after < 10


def canus_literal(i: int):
    import pyoxigraph as ox

    return ox.Literal(str(i))


def test_table_fits_the_given_width(kg):
    result = canus.query(kg, "agreement-renewals")
    text = result.render("table", width=80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "…" in text
    wide = invoke("query", "agreement-renewals")  # piped, no $COLUMNS: no limit
    assert max(len(line) for line in wide.stdout.splitlines()) > 80


def test_table_width_follows_columns_env(monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    result = invoke("query", "agreement-renewals")
    assert max(len(line) for line in result.stdout.splitlines()) <= 70


@pytest.fixture
def silent_endpoint():
    """A real socket that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/query"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_an_endpoint_that_never_answers_times_out(silent_endpoint):
    with pytest.raises(canus.RemoteError, match=r"no answer within 1 s"):
        canus.query(canus.Endpoint(silent_endpoint, timeout=1), "agencies")
    result = invoke("query", "agencies", "--endpoint", silent_endpoint, "--timeout", "1")
    assert result.exit_code == 3
    assert result.stderr == (
        f"canus: error: {silent_endpoint}: no answer within 1 s (use --timeout to wait longer)\n"
    )


def test_a_service_that_never_answers_times_out(kg, silent_endpoint):
    text = f"SELECT * WHERE {{ SERVICE <{silent_endpoint}> {{ ?s ?p ?o }} }}"
    with pytest.raises(canus.RemoteError, match=r"no result within 1 s"):
        canus.run_sparql(kg, text, allow_service=True, timeout=1)
