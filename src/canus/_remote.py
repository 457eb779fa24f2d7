"""Remote SPARQL 1.1 endpoints: only http(s), always with a timeout, every failure one line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox

from canus._errors import InputError, RemoteError
from canus._results import QueryResult, term_from_json
from canus._sparql import scan, with_values

#: Seconds to wait for an endpoint's answer when no ``timeout`` is given.
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 query endpoint: ``canus.query(canus.Endpoint(url), "agencies")``."""

    url: str
    timeout: float = DEFAULT_TIMEOUT
    #: graphs the query reads as its default graph (``default-graph-uri``); none: the store's own
    graphs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"endpoint {_shown(self.url)!r}: give an http:// or https:// URL of a SPARQL"
                " endpoint"
            )
        if not self.timeout or self.timeout <= 0:
            raise InputError(f"endpoint {_shown(self.url)}: the timeout must be a positive number")


def _shown(url: str) -> str:
    """``url`` fit for a message; the HTTP client (and urllib.request) loads only when needed."""
    from canus._http import public_url

    return public_url(url)


def run_remote(endpoint: Endpoint, text: str, bound: dict, origin: str) -> QueryResult:
    """Run ``text`` with ``bound`` parameters (a VALUES block) on ``endpoint``: an HTML form
    POST (SPARQL 1.1 Protocol), with credentials if the endpoint asks, retried on connection
    errors and 5xx answers."""
    from urllib.parse import urlencode

    from canus._http import Client, public_url

    url = public_url(endpoint.url)
    form = scan(text).form or "SELECT"
    graph = form in ("CONSTRUCT", "DESCRIBE")
    fields = [("query", with_values(text, bound))]
    fields += [("default-graph-uri", g) for g in endpoint.graphs]
    answer = Client(endpoint.timeout).request(
        "POST",
        endpoint.url,
        urlencode(fields).encode("ascii"),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": _GRAPH_ACCEPT if graph else _RESULTS_ACCEPT,
        },
        what="SPARQL query endpoint",
    )
    if graph:
        return QueryResult("graph", triples=_triples(url, answer.media_type, answer.body))
    if answer.media_type not in ("application/sparql-results+json", "application/json"):
        raise RemoteError(_not_sparql(url, answer.media_type))
    try:
        data = json.loads(answer.body)
    except ValueError:
        raise RemoteError(_not_sparql(url, answer.media_type)) from None
    if not isinstance(data, dict):
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results")
    if "boolean" in data:
        value = data["boolean"]
        return QueryResult("ask", boolean=value in (True, "true", "1", 1))
    try:
        variables = list(data["head"]["vars"])
        rows = [
            {v: (canonical(term_from_json(b[v])) if v in b else None) for v in variables}
            for b in data["results"]["bindings"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results ({exc})") from None
    return QueryResult("select", variables=variables, rows=rows)


_RESULTS_ACCEPT = "application/sparql-results+json, application/json;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
}


def _triples(url: str, media_type: str, body: bytes) -> list[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE answer (N-Triples or Turtle)."""
    fmt = _GRAPH_FORMATS.get(media_type)
    if fmt is None:
        raise RemoteError(_not_sparql(url, media_type))
    try:
        return [q.triple for q in ox.parse(body, format=fmt)]
    except SyntaxError as exc:
        raise RemoteError(f"{url}: the answer is not valid {media_type}: {exc}") from None


def _not_sparql(url: str, media_type: str) -> str:
    return (
        f"{url}: the answer is not SPARQL results (it is {media_type or 'untyped'}):"
        " is this the URL of a SPARQL query endpoint?"
    )


def canonical(
    term: ox.NamedNode | ox.BlankNode | ox.Literal,
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A literal in the canonical form of its datatype where stores legitimately differ: Virtuoso
    writes the boolean true as ``"1"^^xsd:boolean``; both forms are the same value."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN:
        value = {"1": "true", "0": "false"}.get(term.value, term.value)
        return ox.Literal(value, datatype=term.datatype)
    return term


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _timed_out(endpoint: Endpoint) -> RemoteError:
    return RemoteError(
        f"{endpoint.url}: no answer within {endpoint.timeout:g} s (use --timeout to wait longer)"
    )
