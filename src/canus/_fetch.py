"""Read what a store holds, in pages of CONSTRUCT, as a graph canus can validate.

The pages are ``LIMIT``/``OFFSET`` slices without ``ORDER BY`` (Virtuoso refuses to sort past
10,000 rows, and caps any answer at 10,000 by default, so a page stays under that). The
triples are counted first; reading goes on until that many distinct triples have come, so a
store that cuts pages short is read to the end, and one that changed meanwhile is an error,
not a silently partial graph.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from canus._errors import InputError, RemoteError
from canus._http import public_url
from canus._load import SHAPES_FILE, KnowledgeGraph, find_root, load
from canus._remote import Endpoint, run_remote
from canus._report import Report

#: Triples in one page: under Virtuoso's default cap of 10,000 rows per answer.
DEFAULT_PAGE = 5000


def _pattern(graph: str | None) -> str:
    return f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"


def count_triples(endpoint: Endpoint, graph: str | None = None) -> int:
    """How many triples the store's ``graph`` (default: its default graph) holds."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_pattern(graph)} }}"
    result = run_remote(endpoint, text, {}, "count")
    try:
        return int(result.rows[0]["n"].value)
    except (IndexError, KeyError, TypeError, AttributeError, ValueError):
        raise RemoteError(f"{public_url(endpoint.url)}: cannot count the triples") from None


def fetch_graph(
    endpoint: Endpoint,
    graph: str | None = None,
    *,
    page: int = DEFAULT_PAGE,
    progress: Callable[[int, int], None] | None = None,
) -> list[ox.Triple]:
    """Every triple of the store's ``graph`` (default: its default graph), read in pages."""
    total = count_triples(endpoint, graph)
    seen: set[ox.Triple] = set()
    found: list[ox.Triple] = []
    offset = 0
    while len(found) < total:
        text = (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_pattern(graph)} }} LIMIT {page} OFFSET {offset}"
        )
        triples = run_remote(endpoint, text, {}, "page").triples
        if not triples:
            break
        offset += len(triples)
        for triple in triples:
            if triple not in seen:
                seen.add(triple)
                found.append(triple)
        if progress:
            progress(len(found), total)
    if len(found) != total:
        raise RemoteError(
            f"{public_url(endpoint.url)}: read {len(found):,} triples of the {total:,} the store"
            " counts (did it change meanwhile?); try again"
        )
    return found


@contextmanager
def remote_dataset(
    endpoint: Endpoint,
    graph: str | None = None,
    root: str | None = None,
    *,
    page: int = DEFAULT_PAGE,
) -> Iterator[KnowledgeGraph]:
    """The store's graph loaded as a dataset: its triples as one data file beside the local
    ontology (which says what the canus terms are), in a temporary folder removed afterwards.
    Nothing in it has a line in a file: results name the thing, not a place."""
    base = find_root(root)
    folder = Path(tempfile.mkdtemp(prefix="canus-store-"))
    try:
        shutil.copytree(base / "ontology", folder / "ontology")
        (folder / "data").mkdir()
        triples = fetch_graph(endpoint, graph, page=page)
        with open(folder / "data" / "store.ttl", "wb") as out:
            for triple in triples:
                out.write(f"{triple} .\n".encode())
        yield load(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def validate_store(
    endpoint: Endpoint,
    graph: str | None = None,
    root: str | None = None,
    *,
    shapes: str | None = None,
    fail_on: str = "Violation",
    page: int = DEFAULT_PAGE,
) -> Report:
    """Validate what the store's ``graph`` holds, as :func:`canus.validate` does the files,
    against the local shapes and ontology. Each result names the graph where a local report
    names a file and line."""
    from canus._validate import validate

    place = f"<{graph}>" if graph else "<default graph>"
    if count_triples(endpoint, graph) == 0:
        raise InputError(
            f"{public_url(endpoint.url)}: {place} holds no triples"
            + (" (is the --graph IRI right?)" if graph else " (give --graph IRI?)")
        )
    with remote_dataset(endpoint, graph, root, page=page) as kg:
        shapes = shapes if shapes is not None else str(find_root(root) / SHAPES_FILE)
        report = validate(kg, shapes, fail_on=fail_on)
    report.results[:] = [
        dataclasses.replace(r, file=place if r.file else None, line=None) for r in report.results
    ]
    return report
