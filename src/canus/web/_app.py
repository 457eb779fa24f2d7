"""The ASGI application of ``canus serve``: routing, the SPARQL protocol, CORS, logging, caching.

The web process only parses requests and answers from memory; every query and page is made in
a worker process (:mod:`canus.web._pool`) so a slow query can be stopped for real: client
queries in one pool, pages and saved queries in another.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from canus.web._check import check_query
from canus.web._formats import write_graph
from canus.web._http import (
    BadRequest,
    Receive,
    ReplyCache,
    Request,
    Scope,
    Send,
    decode_utf8,
    parse_form,
)
from canus.web._jobs import ApiJob, PageJob, Reply, SparqlJob, text_reply
from canus.web._negotiate import GRAPHS, PAGES, RESULTS, negotiate, split_suffix
from canus.web._pool import JobTimeout, PoolBusy, WorkerLost, WorkerPool
from canus.web._render import Renderer

log = logging.getLogger("canus.serve")

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,200}")
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,200}")
_QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,200}")
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_CORS = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"X-Canus-Truncated"),
)
_PREFLIGHT = (
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Accept, Content-Type"),
    (b"access-control-max-age", b"86400"),
)
_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"
_SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = "SPARQL Update is not accepted: this endpoint is read-only"


@dataclass(frozen=True)
class Settings:
    """What one request may cost (time, rows, request body, memory) and the answer cache's size."""

    timeout: float = 10.0
    max_rows: int = 100_000
    max_body: int = 1 << 20
    cache_bytes: int = 64 << 20
    memory_mb: int = 1024  # address space a query worker may add to what it shares


class App:
    """The ASGI app: ``/``, ``/sparql``, ``/api``, ``/id/<slug>``, ``/ontology``, ``/static``."""

    def __init__(
        self,
        pools: tuple[WorkerPool, WorkerPool],
        settings: Settings,
        *,
        home: bytes,
        search_index: bytes,
        openapi: bytes,
        query_names: set[str],
        static: dict[str, tuple[bytes, str]],
        renderer: Renderer,
    ) -> None:
        # SPARQL from clients in one pool; pages and saved queries (canus's own, bounded) in
        # another, so slow client queries never hold up the pages.
        self.query_pool, self.page_pool = pools
        self.settings = settings
        self.home = home
        self.search_index = search_index
        self.openapi = openapi
        self.query_names = query_names
        self.static = static
        self.renderer = renderer
        self.cache = ReplyCache(settings.cache_bytes)

    def start(self) -> None:
        """Fork the worker processes; call before the web server starts (no threads yet)."""
        for pool in (self.query_pool, self.page_pool):
            pool.start()

    def close(self) -> None:
        """Stop the worker processes."""
        for pool in (self.query_pool, self.page_pool):
            pool.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        request = Request(scope, receive, self.settings.max_body)
        extra: tuple[tuple[bytes, bytes], ...] = ()
        try:
            if request.method == "OPTIONS":
                reply, extra = Reply(204, "text/plain", b""), _PREFLIGHT
            else:
                reply = await self.route(request)
        except BadRequest as exc:
            reply = text_reply(exc.status, str(exc))
        except Exception:  # one bad request never takes the server down
            log.exception("internal error on %s %s", request.method, request.path)
            reply = text_reply(500, "internal error (logged on the server)")
        await self._send(send, request, reply, extra)
        client = scope.get("client") or ("-", 0)
        target = request.path + (
            "?" + request.raw_query.decode("latin-1") if request.raw_query else ""
        )
        log.info(
            '%s "%s %s" %d %d %.1fms',
            client[0],
            request.method,
            target[:300],
            reply.status,
            len(reply.body),
            (time.perf_counter() - started) * 1000,
        )

    async def _send(
        self, send: Send, request: Request, reply: Reply, extra: tuple[tuple[bytes, bytes], ...]
    ) -> None:
        headers = [
            (b"content-type", reply.media_type.encode("latin-1")),
            (b"content-length", str(len(reply.body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"vary", b"Accept"),
            *_CORS,
            *extra,
            *((k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers),
        ]
        if reply.media_type.startswith("text/html"):
            headers.append((b"content-security-policy", _CSP.encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        body = b"" if request.method == "HEAD" else reply.body
        await send({"type": "http.response.body", "body": body})

    # -- routing ------------------------------------------------------------------------
    async def route(self, request: Request) -> Reply:
        path, method = request.path, request.method
        if path == "/sparql":
            return await self.sparql(request)
        if method not in ("GET", "HEAD"):
            raise BadRequest(405, f"{method} is not allowed on {path}; use GET")
        if path == "/":
            return Reply(200, "text/html; charset=utf-8", self.home)
        if path == "/search.json":
            return Reply(200, "application/json", self.search_index)
        if path in ("/api", "/api/", "/api/openapi.json"):
            return Reply(200, "application/json", self.openapi)
        if path.startswith("/api/"):
            return await self.api(request, path[len("/api/") :])
        if path.startswith("/id/"):
            return await self.page(request, "thing", path[len("/id/") :], _SLUG)
        if path == "/ontology" or path.startswith("/ontology."):
            return await self.page(request, "ontology", path[len("/ontology") :], None)
        if path.startswith("/ontology/"):
            return await self.page(request, "term", path[len("/ontology/") :], _TERM)
        if path.startswith("/static/"):
            found = self.static.get(path[len("/static/") :])
            if found is not None:
                return Reply(200, found[1], found[0], (("Cache-Control", "max-age=3600"),))
        if path == "/favicon.ico":
            data, media = self.static["favicon.svg"]
            return Reply(200, media, data)
        return self.not_found(request)

    def not_found(self, request: Request) -> Reply:
        """404: a helpful page for browsers, one line for machines."""
        accept = request.accept or ""
        if "text/html" in accept:
            body = self.renderer.render("notfound.html", path=request.path, suggestions=[])
            return Reply(404, "text/html; charset=utf-8", body)
        return text_reply(
            404,
            f"nothing at {request.path}: things are at /id/<slug>, ontology terms at "
            "/ontology/<Term>, saved queries at /api/<name>, SPARQL at /sparql",
        )

    async def run(self, job: Any, key: Any = None) -> Reply:
        """Run ``job`` in a worker (or answer from the cache); errors become replies."""
        if key is not None:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        try:
            pool = self.query_pool if isinstance(job, SparqlJob) else self.page_pool
            reply = await pool.run(job, self.settings.timeout)
        except JobTimeout:
            return text_reply(
                503,
                f"query stopped: it ran past the time limit of {self.settings.timeout:g} s "
                "(canus serve --timeout)",
            )
        except WorkerLost as exc:
            why = str(exc) or (
                "its process stopped, most likely needing more than the "
                f"{self.settings.memory_mb} MB a query may use (canus serve --memory-mb)"
            )
            return text_reply(500, f"the query could not finish: {why}")
        except PoolBusy:
            return text_reply(503, "too many queries are waiting; try again shortly")
        if key is not None:
            self.cache.put(key, reply)
        return reply

    # -- linked data ----------------------------------------------------------------------
    async def page(
        self, request: Request, kind: str, rest: str, pattern: re.Pattern | None
    ) -> Reply:
        name, fmt = split_suffix(rest, PAGES)
        if kind == "ontology":
            if name:
                return self.not_found(request)
        elif pattern is None or not pattern.fullmatch(name):
            return self.not_found(request)
        if fmt is None:
            fmt = negotiate(request.accept, PAGES)
            if fmt is None:
                types = ", ".join(f.media_type for f in PAGES)
                return text_reply(406, f"no acceptable format; this page can be: {types}")
        job = PageJob(kind, name, fmt.name)
        reply = await self.run(job, key=job)
        if reply.status == 404 and "text/html" not in (request.accept or "") and fmt.name != "html":
            return text_reply(404, f"nothing is known about {request.path}")
        return reply

    # -- saved queries --------------------------------------------------------------------
    async def api(self, request: Request, rest: str) -> Reply:
        name, fmt = rest, None
        for suffix in ("json", "csv"):
            if rest.endswith("." + suffix):
                name, fmt = rest[: -len(suffix) - 1], suffix
        if not _QUERY_NAME.fullmatch(name) or name not in self.query_names:
            return text_reply(404, f"no saved query {name!r}; the list (OpenAPI) is at /api")
        if fmt is None:
            chosen = negotiate(request.accept, _API_FORMATS)
            fmt = "csv" if chosen is not None and chosen.name == "csv" else "json"
        params = {k: v[-1] for k, v in request.params().items()}
        job = ApiJob(name, params, fmt)
        return await self.run(job, key=(name, tuple(sorted(params.items())), fmt))

    # -- the SPARQL protocol --------------------------------------------------------------
    async def sparql(self, request: Request) -> Reply:
        params = request.params()
        if request.method in ("GET", "HEAD"):
            form = params
        elif request.method == "POST":
            body = await request.body()
            ctype = request.content_type
            if ctype == _FORM:
                form = {**params, **parse_form(body, "request body")}
            elif ctype == _SPARQL_QUERY:
                form = {**params, "query": [decode_utf8(body, "query")]}
            elif ctype == _SPARQL_UPDATE:
                raise BadRequest(403, READ_ONLY)
            else:
                raise BadRequest(
                    415, f"send the query as {_FORM} (query=...) or as {_SPARQL_QUERY}"
                )
        else:
            raise BadRequest(405, f"{request.method} is not allowed on /sparql; use GET or POST")
        if "update" in form:
            raise BadRequest(403, READ_ONLY)
        texts = form.get("query")
        if not texts:
            return self.service_description(request)
        if len(texts) > 1:
            raise BadRequest(400, "give exactly one query parameter")
        text = texts[0]
        checked = check_query(text) if len(text) <= 65536 else check_query.__wrapped__(text)
        if checked.error:
            raise BadRequest(400, checked.error)
        if checked.is_update:
            raise BadRequest(403, READ_ONLY)
        if checked.service:
            raise BadRequest(
                400, "SERVICE is not allowed: canus does not query other endpoints for a client"
            )
        fmt = (form.get("format") or [None])[-1]
        job = SparqlJob(
            text,
            request.accept,
            fmt,
            tuple(form.get("default-graph-uri", ())),
            tuple(form.get("named-graph-uri", ())),
        )
        return await self.run(job, key=None if checked.volatile else job)

    def service_description(self, request: Request) -> Reply:
        """SPARQL 1.1 Service Description of this endpoint, in Turtle (or another RDF format)."""
        host = request.headers.get("host", "127.0.0.1")
        scheme = request.scope.get("scheme", "http")
        endpoint = f"{scheme}://{host}/sparql"
        if not re.fullmatch(r"[A-Za-z0-9.:\[\]/_-]+", endpoint):
            endpoint = "http://127.0.0.1/sparql"
        text = _SERVICE_DESCRIPTION.format(endpoint=endpoint).encode()
        fmt = negotiate(request.accept, GRAPHS) or GRAPHS[0]
        if fmt.name == "turtle":
            return Reply(200, "text/turtle; charset=utf-8", text)
        triples = [q.triple for q in ox.parse(text, format=ox.RdfFormat.TURTLE)]
        return Reply(200, fmt.media_type, write_graph(fmt.name, triples, {}))


_API_FORMATS = tuple(f for f in RESULTS if f.name in ("json", "csv"))

_SERVICE_DESCRIPTION = """\
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON> ,
        <http://www.w3.org/ns/formats/SPARQL_Results_XML> ,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV> ,
        <http://www.w3.org/ns/formats/SPARQL_Results_TSV> ,
        <http://www.w3.org/ns/formats/Turtle> ,
        <http://www.w3.org/ns/formats/JSON-LD> ,
        <http://www.w3.org/ns/formats/N-Triples> ,
        <http://www.w3.org/ns/formats/RDF_XML> ;
    sd:defaultDataset [ a sd:Dataset ;
        dcterms:title "canus: Canada-United States security and defence cooperation" ;
        sd:defaultGraph [ a sd:Graph ] ] .
"""
