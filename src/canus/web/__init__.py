"""``canus serve``: a SPARQL 1.1 endpoint, the saved queries as an API, and linked-data pages.

    >>> from canus.web import serve
    >>> serve(host="127.0.0.1", port=8000, timeout=10)      # runs until interrupted

The app is plain ASGI (:class:`canus.web._app.App`) run by uvicorn; queries and pages are made
in worker processes forked after the graph is loaded (:mod:`canus.web._pool`).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys

from canus._errors import CanusError
from canus._load import KnowledgeGraph, load
from canus._query import SavedQuery, catalog
from canus._sparql import with_values
from canus.web._app import App, Settings
from canus.web._jobs import Jobs, Limits
from canus.web._openapi import openapi
from canus.web._pages import search_index
from canus.web._pool import WorkerPool
from canus.web._render import Renderer, static_files

__all__ = ["Settings", "create_app", "serve"]

#: the query the SPARQL editors (canus serve, the static site) open with
EXAMPLE = """\
# The ten most recent dated events, with their English names.
SELECT ?event ?date ?name WHERE {
  ?event canus:date ?date ; rdfs:label ?name .
  FILTER(LANG(?name) = "en")
}
ORDER BY DESC(?date)
LIMIT 10
"""


def _editor_texts(kg: KnowledgeGraph, queries: list[SavedQuery]) -> dict[str, str]:
    """Each saved query's text with its default parameters bound (a VALUES block), for the
    editor; a query with a required parameter keeps it unbound."""
    texts = {}
    for saved in queries:
        try:
            texts[saved.name] = with_values(saved.text, saved.bind({}, kg.prefixes))
        except Exception:  # a required parameter, or no WHERE to bind into
            texts[saved.name] = saved.text
    return texts


def create_app(
    kg: KnowledgeGraph,
    settings: Settings | None = None,
    *,
    workers: int | None = None,
) -> App:
    """The ASGI app over ``kg``, its worker processes not yet started.

    Call ``app.start()`` before serving, in a process with no other threads yet, and
    ``app.close()`` after. ``workers`` query processes (default: one per CPU, at least 2) run
    client SPARQL; as many again make pages and run saved queries.
    """
    settings = settings or Settings()
    queries = catalog(kg)
    renderer = Renderer()
    renderer.warm()
    index = search_index(kg)
    home = renderer.render(
        "home.html",
        queries=queries,
        texts=_editor_texts(kg, queries),
        stats={"things": len(index), "triples": len(kg)},
        example=EXAMPLE,
    )
    jobs = Jobs(kg, queries, renderer, Limits(max_rows=settings.max_rows))
    size = workers or max(2, os.cpu_count() or 2)
    memory = settings.memory_mb << 20 if settings.memory_mb else None
    pools = (WorkerPool(jobs, size, memory=memory), WorkerPool(jobs, size, memory=memory))
    return App(
        pools,
        settings,
        home=home,
        search_index=json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode(),
        openapi=json.dumps(openapi(queries), ensure_ascii=False, indent=1).encode(),
        query_names={q.name for q in queries},
        static=static_files(),
        renderer=renderer,
    )


def serve(
    root: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    settings: Settings | None = None,
    workers: int | None = None,
    log_requests: bool = True,
) -> None:
    """Load the dataset at ``root`` and serve it on ``host:port`` until interrupted."""
    import uvicorn

    _check_free(host, port)
    kg = load(root)
    settings = settings or Settings()
    app = create_app(kg, settings, workers=workers)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("canus.serve")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if log_requests else logging.WARNING)
    logger.propagate = False
    app.start()
    logger.warning(
        "canus: serving %d triples at http://%s:%d/ (SPARQL at /sparql, API at /api); "
        "%d query workers and %d for pages, time limit %g s",
        len(kg),
        host if ":" not in host else f"[{host}]",
        port,
        app.query_pool.size,
        app.page_pool.size,
        settings.timeout,
    )
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            loop=_best("uvloop", "asyncio"),
            http=_best("httptools", "h11"),
            access_log=False,
            log_level="warning",
            lifespan="off",
            timeout_keep_alive=5,
            backlog=1024,
        )
    finally:
        app.close()


def _check_free(host: str, port: int) -> None:
    """Fail early, as one line, when the address cannot be listened on."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host, port), family=family):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise CanusError(f"cannot listen on {host}:{port}: {reason.lower()}") from None


def _best(fast: str, fallback: str) -> str:
    """``fast`` if its module is installed, else ``fallback``."""
    import importlib.util

    return fast if importlib.util.find_spec(fast) is not None else fallback
