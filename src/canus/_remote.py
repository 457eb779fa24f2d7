"""Remote SPARQL 1.1 endpoints: only http(s), always with a timeout, every failure one line."""

from __future__ import annotations

import socket
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

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"endpoint {self.url!r}: give an http:// or https:// URL of a SPARQL endpoint"
            )
        if not self.timeout or self.timeout <= 0:
            raise InputError(f"endpoint {self.url}: the timeout must be a positive number")


def run_remote(endpoint: Endpoint, text: str, bound: dict, origin: str) -> QueryResult:
    """Run ``text`` with ``bound`` parameters (a VALUES block) on ``endpoint``."""
    from urllib.error import HTTPError, URLError

    from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    url = endpoint.url
    client = SPARQLWrapper(url)
    client.setMethod(POST)
    client.setTimeout(max(1, round(endpoint.timeout)))
    client.setQuery(with_values(text, bound))
    form = scan(text).form or "SELECT"
    client.queryType = form  # SPARQLWrapper's own guess reads words in comments ("added" → ADD)
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            client.setReturnFormat(N3)
            client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
            raw = client.query().response.read()
            triples = [q.triple for q in ox.parse(raw, format=ox.RdfFormat.TURTLE)]
            return QueryResult("graph", triples=triples)
        client.setReturnFormat(JSON)
        data = client.query().convert()
    except HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise RemoteError(f"{url}: HTTP {exc.code}: {body[0] if body else exc.reason}") from None
    except URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise _timed_out(endpoint) from None
        raise RemoteError(f"{url}: cannot connect: {exc.reason}") from None
    except TimeoutError:
        raise _timed_out(endpoint) from None
    except SPARQLWrapperException as exc:
        raise RemoteError(f"{url}: {origin}: {str(exc).splitlines()[0]}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise RemoteError(f"{url}: {exc}") from None
    if not isinstance(data, dict):
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results")
    if "boolean" in data:
        value = data["boolean"]
        return QueryResult("ask", boolean=value in (True, "true", "1", 1))
    try:
        variables = list(data["head"]["vars"])
        rows = [
            {v: (term_from_json(b[v]) if v in b else None) for v in variables}
            for b in data["results"]["bindings"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteError(f"{url}: the answer is not SPARQL JSON results ({exc})") from None
    return QueryResult("select", variables=variables, rows=rows)


def _timed_out(endpoint: Endpoint) -> RemoteError:
    return RemoteError(
        f"{endpoint.url}: no answer within {endpoint.timeout:g} s (use --timeout to wait longer)"
    )
