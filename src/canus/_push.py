"""Load the graph into a SPARQL 1.1 store, replacing one graph of it, never half-way.

Two ways in, both W3C standards:

- the Graph Store HTTP Protocol: one ``PUT`` of the whole graph as N-Triples to
  ``STORE?graph=IRI`` (or ``STORE?default``); the store swaps the graph in one request;
- SPARQL 1.1 Update, for stores without it: ``INSERT DATA`` batches into a temporary graph,
  then ``MOVE`` into place. A failure before the move leaves the target as it was, and the
  temporary graph is dropped (or, if the store went away, by the next push); Ctrl-C first
  waits for the batch in flight, which the store may still apply. The temporary
  graph is named after the target, so two pushes to one graph must not run at once.

What is pushed is the union of the files (ontology and data) as plain triples, the graph
``canus export --format nt`` writes.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from canus._errors import InputError, RemoteError
from canus._http import Client, Retry, check_url, public_url
from canus._load import KnowledgeGraph
from canus._worker import Background

#: Seconds to wait for each request of a push (the PUT of a large graph takes a while).
DEFAULT_TIMEOUT = 300.0
#: Triples in one INSERT DATA: Virtuoso 7 refuses updates much past 1,000 triples.
DEFAULT_BATCH = 500
#: Longest wait, after Ctrl-C, for the update request in flight before the cleanup (seconds).
_GRACE = 10.0
_UPDATE_ACCEPT = "application/sparql-results+json, application/json;q=0.9, */*;q=0.1"

#: ``progress(done, total, unit)``: bytes ("B") of a PUT, or triples of an update push.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PushResult:
    """What a push did: how many triples went where, through which URL, in how long."""

    triples: int
    seconds: float
    url: str
    graph: str | None

    @property
    def target(self) -> str:
        """``<IRI>`` of the target graph, or ``the default graph``."""
        return f"<{self.graph}>" if self.graph else "the default graph"

    def summary(self) -> str:
        """One line: ``pushed 16,181 triples to <IRI> at URL in 0.4 s``."""
        return (
            f"pushed {self.triples:,} triples to {self.target} at {public_url(self.url)}"
            f" in {self.seconds:.1f} s"
        )


def push(
    kg: KnowledgeGraph,
    *,
    store: str | None = None,
    update_endpoint: str | None = None,
    graph: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    batch_size: int = DEFAULT_BATCH,
    retry: Retry | None = None,
    progress: Progress | None = None,
) -> PushResult:
    """Replace ``graph`` (default: the default graph) of a store with the graph of ``kg``.

    Give ``store``, a Graph Store Protocol URL (one PUT), or ``update_endpoint``, a SPARQL 1.1
    Update URL (batches of ``batch_size`` triples into a temporary graph, then MOVE).
    ``progress(done, total, unit)`` is called as bytes (PUT) or triples (Update) go out.
    Raises :class:`RemoteError` (exit 3) when the store fails or refuses; the target graph is
    then as it was.
    """
    if (store is None) == (update_endpoint is None):
        raise InputError("push: give a Graph Store URL (--store) or an update endpoint URL")
    if graph is not None:
        graph = _check_graph(graph)
    if timeout <= 0:
        raise InputError("push: the timeout must be a positive number")
    if batch_size < 1:
        raise InputError("push: the batch size must be at least 1")
    client = Client(timeout, retry)
    triples = graph_triples(kg)
    started = time.monotonic()
    if store is not None:
        url = check_url(store, "store")
        _put(client, url, graph, triples, progress)
    else:
        url = check_url(update_endpoint or "", "update endpoint")
        _update(client, url, graph, triples, batch_size, progress)
    return PushResult(len(triples), time.monotonic() - started, url, graph)


def graph_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """The union of the files as triples, each once, in the store's (stable) order."""
    seen: set[ox.Triple] = set()
    found = []
    for quad in kg.store:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            found.append(triple)
    return found


def _check_graph(graph: str) -> str:
    try:
        ox.NamedNode(graph)
    except ValueError:
        raise InputError(f"--graph {graph!r}: not an IRI") from None
    if ":" not in graph:
        raise InputError(f"--graph {graph!r}: give an absolute IRI such as https://example.org/g")
    return graph


def nt_line(triple: ox.Triple) -> str:
    """One triple in N-Triples (which is also SPARQL's syntax for data)."""
    return f"{triple} .\n"


# Graph Store Protocol


def _put(
    client: Client,
    store: str,
    graph: str | None,
    triples: list[ox.Triple],
    progress: Progress | None,
) -> None:
    body = "".join(nt_line(t) for t in triples).encode("utf-8")
    query = urlencode({"graph": graph}) if graph else "default"
    url = store + ("&" if "?" in store else "?") + query
    client.request(
        "PUT",
        url,
        body,
        {"Content-Type": "application/n-triples"},
        what="Graph Store (SPARQL 1.1 Graph Store HTTP Protocol)",
        on_sent=(lambda sent: progress(sent, len(body), "B")) if progress else None,
        shown=store,
    )


# SPARQL 1.1 Update


def temporary_graph(graph: str | None) -> str:
    """The graph a push to ``graph`` loads into before the move; the same for each push to the
    same target, so a push removes what an interrupted one left."""
    digest = hashlib.sha256((graph or "default").encode("utf-8")).hexdigest()[:16]
    return f"urn:canus:push:{digest}"


def batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Triples in batches of about ``size``; the triples that share blank nodes stay in one
    batch (a blank node label means one node only within one request)."""
    plain: list[ox.Triple] = []
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    blank: list[tuple[ox.Triple, list[str]]] = []
    for triple in triples:
        nodes = [
            term.value for term in (triple.subject, triple.object) if isinstance(term, ox.BlankNode)
        ]
        if not nodes:
            plain.append(triple)
            continue
        for node in nodes:
            parent.setdefault(node, node)
        for node in nodes[1:]:
            parent[find(node)] = find(nodes[0])
        blank.append((triple, nodes))
    groups: dict[str, list[ox.Triple]] = {}
    for triple, nodes in blank:
        groups.setdefault(find(nodes[0]), []).append(triple)
    units: list[list[ox.Triple]] = [[t] for t in plain] + list(groups.values())
    batch: list[ox.Triple] = []
    for unit in units:
        if batch and len(batch) + len(unit) > size:
            yield batch
            batch = []
        batch.extend(unit)
    if batch:
        yield batch


def _update(
    client: Client,
    endpoint: str,
    graph: str | None,
    triples: list[ox.Triple],
    size: int,
    progress: Progress | None,
) -> None:
    temp = temporary_graph(graph)
    target = f"GRAPH <{graph}>" if graph else "DEFAULT"
    # First request: removes what an interrupted push left; a URL that is no store fails here.
    _run_update(client, endpoint, f"DROP SILENT GRAPH <{temp}>")
    stop, moving = threading.Event(), threading.Event()
    # The requests go out from a worker thread, so that Ctrl-C never cuts one short: a batch
    # already sent can still land in the store after a drop made at once, leaving the
    # temporary graph behind. Ctrl-C stops the batches and waits for the one in flight.
    work = Background(
        lambda: _fill_and_move(
            client, endpoint, temp, target, triples, size, progress, stop, moving
        ),
        name="canus-push",
        start=False,
    )
    try:
        work.thread.start()
        work.result()
    except KeyboardInterrupt:
        stop.set()
        work.finished.wait(min(client.timeout, _GRACE))
        _clean_up(client, endpoint, temp)
        raise
    except BaseException as exc:
        note = _clean_up(client, endpoint, temp)
        if not isinstance(exc, RemoteError):
            raise
        lost = moving.is_set() and ("connection lost" in str(exc) or "no answer within" in str(exc))
        state = (
            "the store did not confirm the move into the target graph: check it"
            if lost
            else "the target graph is unchanged"
        )
        raise RemoteError(f"{exc}; {state}; {note}") from None


def _fill_and_move(
    client: Client,
    endpoint: str,
    temp: str,
    target: str,
    triples: list[ox.Triple],
    size: int,
    progress: Progress | None,
    stop: threading.Event,
    moving: threading.Event,
) -> None:
    """INSERT DATA the batches into ``temp``, then MOVE it to ``target``; return early, with
    nothing more sent, once ``stop`` is set."""
    done = 0
    for batch in batches(triples, size):
        if stop.is_set():
            return
        text = "".join(nt_line(t) for t in batch)
        _run_update(client, endpoint, f"INSERT DATA {{ GRAPH <{temp}> {{\n{text}}} }}")
        done += len(batch)
        if progress:
            progress(done, len(triples), "triples")
    if stop.is_set():
        return
    if done:
        # Not retried: a MOVE repeated after it happened would move an empty graph in.
        moving.set()
        _run_update(client.derive(retry=Retry(attempts=1)), endpoint, f"MOVE <{temp}> TO {target}")
    else:
        _run_update(client, endpoint, f"CLEAR SILENT {target}")


def _clean_up(client: Client, endpoint: str, temp: str) -> str:
    """Drop the temporary graph once, quickly; say what became of it."""
    quick = client.derive(timeout=min(client.timeout, 10.0), retry=Retry(attempts=1))
    try:
        _run_update(quick, endpoint, f"DROP SILENT GRAPH <{temp}>")
    except RemoteError:
        return f"the temporary graph <{temp}> is left in the store (the next push removes it)"
    return f"the temporary graph <{temp}> was removed"


def _run_update(client: Client, endpoint: str, text: str) -> None:
    """One update request. Stores answer success in many ways (204, JSON, an HTML page from
    Fuseki), so only the status counts."""
    client.request(
        "POST",
        endpoint,
        urlencode({"update": text}, quote_via=quote).encode("ascii"),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": _UPDATE_ACCEPT,
        },
        what="SPARQL 1.1 Update endpoint",
    )


class ProgressBar:
    """A bar of what a push has sent, on a terminal only, shown once the push takes a second."""

    def __init__(self) -> None:
        from canus._progress import wanted

        self.enabled = wanted()
        self.started = time.monotonic()
        self.bar: Any = None

    def update(self, done: int, total: int, unit: str) -> None:
        """Move the bar to ``done`` of ``total``."""
        if not self.enabled or time.monotonic() - self.started < 1.0:
            return
        if self.bar is None or self.bar.total != total:
            from tqdm import tqdm

            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(
                total=total,
                desc="push",
                unit=unit,
                unit_scale=unit == "B",
                leave=False,
                file=sys.stderr,
            )
        self.bar.update(done - self.bar.n)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
