"""``canus serve`` over real HTTP: the SPARQL 1.1 protocol, the API, linked data, sturdiness."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

import canus
from servers import Server, running_server

from conftest import ROOT, run_canus

NORAD = "https://w3id.org/canus/id/norad"
LABELS = "SELECT ?label WHERE { id:norad rdfs:label ?label } ORDER BY ?label"
CONSTRUCT = "CONSTRUCT { id:norad ?p ?o } WHERE { id:norad ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAX_ROWS = 1000


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    tmp = tmp_path_factory.mktemp("serve")
    options = ("--timeout", "2", "--workers", "2", "--max-rows", str(MAX_ROWS))
    with running_server(tmp, *options, "--max-body", "8192") as running:
        yield running


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method=None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, _headers(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _headers(exc.headers), exc.read()


def _headers(message) -> dict[str, str]:
    return {k.lower(): v for k, v in message.items()}


def get_query(server: Server, text: str, accept: str | None = None):
    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": text})
    return fetch(url, headers={"Accept": accept} if accept else {})


def post_form(server: Server, text: str, accept: str | None = None, key: str = "query"):
    body = urllib.parse.urlencode({key: text}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return fetch(f"{server.url}/sparql", body, headers)


def post_direct(server: Server, body: bytes, ctype: str = "application/sparql-query", accept=None):
    headers = {"Content-Type": ctype}
    if accept:
        headers["Accept"] = accept
    return fetch(f"{server.url}/sparql", body, headers)


def labels_of(body: bytes) -> list[str]:
    data = json.loads(body)
    return [b["label"]["value"] for b in data["results"]["bindings"]]


# -- the protocol -------------------------------------------------------------------------
def test_get_post_form_and_post_direct_give_the_same_rows(server):
    answers = [
        get_query(server, LABELS),
        post_form(server, LABELS),
        post_direct(server, LABELS.encode()),
    ]
    for status, headers, body in answers:
        assert status == 200
        assert headers["content-type"] == "application/sparql-results+json"
        assert labels_of(body) == [
            "Commandement de la défense aérospatiale de l'Amérique du Nord",
            "North American Aerospace Defense Command",
        ]


def test_select_in_each_results_format(server):
    status, headers, body = get_query(server, LABELS, "application/sparql-results+xml")
    assert (status, headers["content-type"]) == (200, "application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = ET.fromstring(body).findall(".//r:literal", ns)
    assert [lit.text for lit in literals][1] == "North American Aerospace Defense Command"
    assert literals[1].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"

    status, headers, body = get_query(server, LABELS, "text/csv")
    assert headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["label"] and rows[2] == ["North American Aerospace Defense Command"]

    status, headers, body = get_query(server, LABELS, "text/tab-separated-values")
    assert headers["content-type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines() == [
        "?label",
        '"Commandement de la défense aérospatiale de l\'Amérique du Nord"@fr',
        '"North American Aerospace Defense Command"@en',
    ]


def test_ask_as_json_and_xml(server):
    status, _, body = get_query(server, "ASK { id:norad a canus:Command }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get_query(server, "ASK { id:norad a canus:Country }", "application/xml")
    assert b"<boolean>false</boolean>" in body


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
    ids=["turtle", "jsonld", "ntriples", "rdfxml"],
)
def test_construct_in_each_rdf_format(server, kg, accept, fmt):
    status, headers, body = post_form(server, CONSTRUCT, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    triples = {q.triple for q in ox.parse(body, format=fmt)}
    expected = {q.triple for q in kg.store.quads_for_pattern(ox.NamedNode(NORAD), None, None)}
    assert triples == expected


def test_dataset_by_protocol_parameters(server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a canus:Command }"
    commands = "https://w3id.org/canus/graph/data/commands"
    agencies = "https://w3id.org/canus/graph/data/agencies"

    def n(graph: str) -> int:
        url = f"{server.url}/sparql?" + urllib.parse.urlencode(
            {"query": count, "default-graph-uri": graph}
        )
        body = fetch(url)[2]
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    assert n(commands) > 0
    assert n(agencies) == 0


def test_head_and_format_parameter(server):
    status, headers, body = fetch(f"{server.url}/id/norad.ttl", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 100
    url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": LABELS, "format": "csv"})
    status, headers, body = fetch(url)
    assert headers["content-type"].startswith("text/csv") and body.startswith(b"label\r\n")


def test_malformed_query_is_400_with_the_parser_message(server):
    status, _, body = post_form(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400
    assert "malformed query" in body.decode() and "1:" in body.decode()


def test_query_not_utf8_is_400(server):
    status, _, body = post_direct(server, b'SELECT * WHERE { ?s ?p "\xff" }')
    assert status == 400 and "not UTF-8" in body.decode()
    status, _, body = fetch(f"{server.url}/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%22%FF%22%7D")
    assert status == 400 and "not UTF-8" in body.decode()


@pytest.mark.parametrize(
    "how", ["update-param", "update-body", "update-as-query", "delete-as-query"]
)
def test_updates_are_refused(server, how):
    text = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "update-param":
        status, _, body = post_form(server, text, key="update")
    elif how == "update-body":
        status, _, body = post_direct(server, text.encode(), "application/sparql-update")
    elif how == "update-as-query":
        status, _, body = post_form(server, text)
    else:
        status, _, body = get_query(server, "DELETE WHERE { ?s ?p ?o }")
    assert status == 403 and "read-only" in body.decode()
    assert labels_of(get_query(server, LABELS)[2])  # the graph is untouched


def test_service_is_refused(server):
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = post_form(server, text)
    assert status == 400 and "SERVICE" in body.decode()


def test_a_query_past_the_time_limit_is_stopped_and_its_process_killed(server):
    before = server.descendants()
    status, _, body = post_form(server, SLOW)
    assert status == 503 and "time limit of 2 s" in body.decode()
    after = server.descendants()
    killed = before - after
    assert len(killed) == 1, "the worker that ran the query is gone (its CPU freed)"
    assert len(after - before) == 1, "a fresh worker took its place"
    assert labels_of(get_query(server, LABELS)[2])


def test_slow_queries_do_not_hold_up_the_pages(server):
    with ThreadPoolExecutor(2) as pool:
        slow = [pool.submit(post_form, server, SLOW) for _ in range(2)]  # every query worker
        time.sleep(0.3)
        status, _, body = fetch(f"{server.url}/id/cbsa", headers={"Accept": "text/html"})
        assert status == 200 and b"Canada Border Services Agency" in body
        status, _, _ = fetch(f"{server.url}/api/agencies-of.json")
        assert status == 200
        assert [f.result()[0] for f in slow] == [503, 503]


def test_a_query_needing_too_much_memory_fails_alone(tmp_path):
    hungry = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
    with running_server(tmp_path, "--memory-mb", "64", "--timeout", "60", "--quiet") as small:
        status, _, body = post_form(small, hungry)
        assert status == 500 and "64 MB a query may use" in body.decode()
        assert labels_of(get_query(small, LABELS)[2])  # a fresh worker answers


def test_rows_are_capped(server):
    status, headers, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert headers["x-canus-truncated"] == f"max-rows={MAX_ROWS}"


def test_request_body_is_capped(server):
    text = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 10_000
    status, _, body = post_direct(server, text.encode())
    assert status == 413 and "8192 bytes" in body.decode()


def test_service_description_on_plain_get(server):
    status, headers, body = fetch(f"{server.url}/sparql")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
    endpoints = [t.object.value for t in triples if t.predicate.value == sd + "endpoint"]
    assert endpoints == [f"{server.url}/sparql"]


def test_cors_for_any_origin(server):
    headers = {"Origin": "https://example.org"}
    status, answer, _ = fetch(f"{server.url}/sparql?query=ASK%7B%7D", headers=headers)
    assert status == 200 and answer["access-control-allow-origin"] == "*"
    preflight = {**headers, "Access-Control-Request-Method": "POST"}
    status, answer, _ = fetch(f"{server.url}/sparql", headers=preflight, method="OPTIONS")
    assert status == 204
    assert "POST" in answer["access-control-allow-methods"]
    assert "Content-Type" in answer["access-control-allow-headers"]


def test_sparqlwrapper_as_a_client(server):
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery("PREFIX id: <https://w3id.org/canus/id/> " + LABELS)
    client.setReturnFormat(JSON)
    data = client.query().convert()
    assert len(data["results"]["bindings"]) == 2
    client.setMethod(POST)
    client.setQuery("ASK { <https://w3id.org/canus/id/norad> ?p ?o }")
    assert client.query().convert()["boolean"] is True
    client.setQuery(
        "CONSTRUCT { <https://w3id.org/canus/id/norad> ?p ?o } "
        "WHERE { <https://w3id.org/canus/id/norad> ?p ?o }"
    )
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert b"North American Aerospace Defense Command" in turtle


@pytest.mark.parametrize("name", ["agencies-in-program", "agreement-renewals", "search"])
def test_canus_query_against_the_endpoint_matches_local(server, kg, name):
    local = canus.query(kg, name)
    remote = canus.query(f"{server.url}/sparql", name, root=ROOT)
    assert remote.variables == local.variables
    assert sorted(map(str, remote.records())) == sorted(map(str, local.records()))


# -- saved queries as an API ----------------------------------------------------------------
def test_api_json_and_csv(server, kg):
    expected = canus.query(kg, "agencies-in-program", {"program": "id:nexus"}).records()
    status, headers, body = fetch(f"{server.url}/api/agencies-in-program.json?program=id:nexus")
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]
    assert [r["agency"] for r in rows] == [r["agency"] for r in expected]
    status, headers, body = fetch(
        f"{server.url}/api/agencies-in-program?program=id:nexus", headers={"Accept": "text/csv"}
    )
    assert headers["content-type"].startswith("text/csv")
    assert body.decode().splitlines()[0] == "program,agency,name,country,lead"
    status, _, csv_body = fetch(f"{server.url}/api/agencies-in-program.csv?program=id:nexus")
    assert csv_body == body


def test_api_parameters_are_typed_like_the_cli(server):
    status, _, body = fetch(f"{server.url}/api/agencies-in-program.json?program=not%20an%20iri")
    assert status == 400 and "parameter 'program'" in body.decode()
    status, _, body = fetch(f"{server.url}/api/agencies-in-program.json?colour=red")
    assert status == 400 and "no parameter 'colour'" in body.decode()
    status, _, body = fetch(f"{server.url}/api/no-such-query.json")
    assert status == 404 and "/api" in body.decode()


def test_openapi_describes_every_saved_query(server, kg):
    status, _, body = fetch(f"{server.url}/api")
    spec = json.loads(body)
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {f"/api/{q.name}" for q in canus.catalog(kg)}
    params = spec["paths"]["/api/agencies-in-program"]["get"]["parameters"]
    assert params[0]["name"] == "program" and params[0]["schema"]["format"] == "iri"


# -- linked data ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "suffix", "fmt"),
    [
        ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
        ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
        ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
    ],
    ids=["turtle", "jsonld", "ntriples", "rdfxml"],
)
def test_a_thing_by_accept_header_and_by_suffix(server, kg, accept, suffix, fmt):
    expected = {q.triple for q in kg.store.quads_for_pattern(ox.NamedNode(NORAD), None, None)}
    status, headers, negotiated = fetch(f"{server.url}/id/norad", headers={"Accept": accept})
    assert status == 200 and headers["content-type"].startswith(accept)
    assert {q.triple for q in ox.parse(negotiated, format=fmt)} == expected
    status, headers, by_suffix = fetch(f"{server.url}/id/norad.{suffix}")
    assert status == 200 and headers["content-type"].startswith(accept)
    assert by_suffix == negotiated


def test_a_thing_as_html_for_browsers(server):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = fetch(f"{server.url}/id/norad", headers={"Accept": accept})
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "North American Aerospace Defense Command" in page
    assert "Commandement de la défense aérospatiale" in page
    assert 'href="/id/norad-agreement-1958"' in page  # a fact as a link
    assert "https://www.norad.mil/About-NORAD/NORAD-Agreement/" in page  # a source
    assert "script-src 'self'" in headers["content-security-policy"]


def test_the_ontology_and_its_terms(server):
    status, _, body = fetch(f"{server.url}/ontology", headers={"Accept": "text/turtle"})
    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
    assert status == 200 and len(triples) > 100
    status, _, body = fetch(f"{server.url}/ontology/Agency.ttl")
    assert status == 200 and b'"Agency"@en' in body
    status, _, body = fetch(f"{server.url}/ontology", headers={"Accept": "text/html"})
    assert status == 200 and b'id="Agency"' in body


def test_unknown_thing_is_a_helpful_404(server):
    status, headers, body = fetch(f"{server.url}/id/norda", headers={"Accept": "text/html"})
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert 'href="/id/norad"' in body.decode()  # did you mean
    status, _, body = fetch(f"{server.url}/id/norda.ttl")
    assert status == 404 and b"nothing is known" in body
    status, _, body = fetch(f"{server.url}/no/such/page")
    assert status == 404 and b"/id/<slug>" in body


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/id/..%2F..%2Fpyproject.toml",
        "/ontology/..%2Fcanus.ttl",
        "/api/..%2F..%2Fqueries%2Fsearch",
    ],
)
def test_no_path_traversal(server, path):
    status, _, body = fetch(server.url + path)
    assert status == 404 and b"[project]" not in body


# -- sturdiness ---------------------------------------------------------------------------------
def test_concurrent_clients_and_bad_requests_do_not_hurt_the_server(server):
    def one(i: int) -> int:
        if i % 4 == 0:
            return post_form(server, "SELECT * WHERE {")[0]
        if i % 4 == 1:
            return fetch(f"{server.url}/id/nexus", headers={"Accept": "text/turtle"})[0]
        if i % 4 == 2:
            return fetch(f"{server.url}/api/search.json?text=GRC")[0]
        return post_form(server, f"SELECT ?l WHERE {{ id:norad rdfs:label ?l }} LIMIT {i}")[0]

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(one, range(64)))
    assert statuses.count(400) == 16 and statuses.count(200) == 48
    assert get_query(server, LABELS)[0] == 200


def test_a_port_in_use_is_one_line_and_exit_2(server):
    port = server.url.rsplit(":", 1)[1]
    proc = run_canus("serve", "--port", port)
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("address already in use")
    assert "Traceback" not in proc.stderr


def test_requests_are_logged(server):
    fetch(f"{server.url}/id/ibet.ttl")
    for _ in range(50):
        if '"GET /id/ibet.ttl" 200' in server.log.read_text():
            break
        time.sleep(0.1)
    assert '"GET /id/ibet.ttl" 200' in server.log.read_text()


# -- content negotiation, without a server -----------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "choices", "expected"),
    [
        (None, "results", "json"),
        ("*/*", "results", "json"),
        ("application/json", "results", "json"),
        ("application/json", "graphs", "jsonld"),
        ("text/csv;q=0.5, application/sparql-results+xml", "results", "xml"),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.8", "results", "tsv"),
        ("application/sparql-results+json;q=0, text/csv", "results", "csv"),
        ("text/*", "graphs", "turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "pages", "html"),
        ("application/rdf+xml", "pages", "rdfxml"),
        ("image/png", "pages", None),
    ],
)
def test_accept_header_negotiation(accept, choices, expected):
    from canus.web._negotiate import GRAPHS, PAGES, RESULTS, negotiate

    options = {"results": RESULTS, "graphs": GRAPHS, "pages": PAGES}[choices]
    found = negotiate(accept, options)
    assert (found.name if found else None) == expected


def test_suffixes_name_formats():
    from canus.web._negotiate import PAGES, split_suffix

    assert split_suffix("norad.ttl", PAGES)[1].name == "turtle"
    assert split_suffix("norad.jsonld", PAGES)[1].name == "jsonld"
    assert split_suffix("norad-agreement-1958", PAGES) == ("norad-agreement-1958", None)
    assert split_suffix("v1.2", PAGES) == ("v1.2", None)
