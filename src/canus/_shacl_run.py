"""Run pySHACL on a data graph, on one core or split by shape across two.

pySHACL validates each top-level shape (a shape with targets) on its own and lists the results
of all of them, so running half of the shapes in a forked process and half here gives the same
results as one run. This is done only when it cannot change anything: every top-level shape is
an IRI and the shapes hold no SHACL rules (which would add triples that other shapes then read).
The fork shares the data graph already built; the differential test runs every case both ways.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import rdflib

from canus._namespaces import SH
from canus._sparql_batch import Batcher, batched_sparql

_SH = rdflib.Namespace(SH)
_TARGETS = (_SH.targetClass, _SH.targetNode, _SH.targetSubjectsOf, _SH.targetObjectsOf, _SH.target)
_CLASSES = (rdflib.RDFS.Class, rdflib.OWL.Class)
_SHAPES = (_SH.NodeShape, _SH.PropertyShape)


class ShapesRefused(Exception):
    """pySHACL refused the shapes (its message is the text)."""


def run(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    store: ox.Store,
    exact: bool,
    workers: int | None = None,
) -> rdflib.Graph:
    """pySHACL's results graph for ``data`` and ``shapes`` (``workers`` 1 or 2; None: by size)."""
    groups = None
    if workers is None:
        workers = 2 if len(data) >= 40_000 and _cores() >= 2 else 1
    if workers >= 2 and hasattr(os, "fork"):
        groups = split_shapes(shapes, store)
    if not groups:
        return _pyshacl(data, shapes, store, exact, None)
    return _run_split(data, shapes, store, exact, groups)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def top_level_shapes(shapes: rdflib.Graph) -> list[rdflib.term.Node]:
    """The shapes pySHACL validates on their own: those with targets, or implicit class ones."""
    found: set = set()
    for predicate in _TARGETS:
        found.update(shapes.subjects(predicate, None))
    for kind in _SHAPES:
        for node in shapes.subjects(rdflib.RDF.type, kind):
            if any((node, rdflib.RDF.type, c) in shapes for c in _CLASSES):
                found.add(node)
    return sorted(found, key=str)


def split_shapes(shapes: rdflib.Graph, store: ox.Store) -> list[list[str]] | None:
    """Two groups of shape IRIs of about equal work, or None when splitting is not safe."""
    if (None, _SH.rule, None) in shapes:
        return None
    top = top_level_shapes(shapes)
    if len(top) < 2 or not all(isinstance(s, rdflib.URIRef) for s in top):
        return None
    weighted = sorted(((_weight(shapes, store, s), str(s)) for s in top), reverse=True)
    groups: list[list[str]] = [[], []]
    loads = [0, 0]
    for weight, shape in weighted:
        lighter = 0 if loads[0] <= loads[1] else 1
        groups[lighter].append(shape)
        loads[lighter] += weight
    return groups if all(groups) else None


def _weight(shapes: rdflib.Graph, store: ox.Store, shape: rdflib.URIRef) -> int:
    """About how much work a shape is: its focus nodes times its constraints."""
    focus = 0
    for cls in shapes.objects(shape, _SH.targetClass):
        focus += _count(store, f"?s a/<{rdflib.RDFS.subClassOf}>* <{cls}>")
    for prop in shapes.objects(shape, _SH.targetSubjectsOf):
        focus += _count(store, f"?s <{prop}> ?o")
    for prop in shapes.objects(shape, _SH.targetObjectsOf):
        focus += _count(store, f"?o <{prop}> ?s")
    focus += len(list(shapes.objects(shape, _SH.targetNode)))
    if (shape, _SH.target, None) in shapes or (shape, rdflib.RDF.type, rdflib.RDFS.Class) in shapes:
        focus += 1000
    constraints = len(list(shapes.predicate_objects(shape)))
    return max(1, focus) * max(1, constraints)


def _count(store: ox.Store, pattern: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}"
    for row in store.query(query, use_default_graph_as_union=True):
        return int(row["n"].value)
    return 0


@contextlib.contextmanager
def _skipping(skip: set[str]) -> Iterator[None]:
    """While open, pySHACL's run leaves out the top-level shapes named in ``skip``.

    pySHACL still knows every shape (nested ones are looked up as usual); only the list of
    shapes its run goes through is filtered, so the kept shapes give exactly their results.
    (pySHACL's own ``use_shapes`` option builds a partial shape cache and can miss nested
    property shapes, so it is not used.)
    """
    from pyshacl.shapes_graph import ShapesGraph

    original = ShapesGraph.shapes

    def kept(self: Any) -> list:
        return [s for s in original.fget(self) if str(s.node) not in skip]

    ShapesGraph.shapes = property(kept)
    try:
        yield
    finally:
        ShapesGraph.shapes = original


def _pyshacl(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    store: ox.Store,
    exact: bool,
    skip: set[str] | None,
) -> rdflib.Graph:
    import pyshacl

    skipping = _skipping(skip) if skip else contextlib.nullcontext()
    with batched_sparql(Batcher(store, enabled=exact)), skipping:
        _, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            abort_on_first=False,
            inplace=True,  # the data graph is the caller's throw-away copy: no need to clone it
        )
    if not isinstance(results, rdflib.Graph):  # pySHACL's word for shapes it refuses
        raise ShapesRefused(" ".join(str(getattr(results, "message", results)).split()))
    return results


def _run_split(
    data: rdflib.Graph, shapes: rdflib.Graph, store: ox.Store, exact: bool, groups: list
) -> rdflib.Graph:
    """The first group in a forked child, the second here; the child's report merged in."""
    read_end, write_end = os.pipe()
    gc.freeze()  # keep the shared graph's pages shared: the collector would touch them all
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            results = _pyshacl(data, shapes, store, exact, set(groups[1]))
            payload = b"OK\n" + results.serialize(format="nt", encoding="utf-8")
        except BaseException as exc:  # everything goes back to the parent as one line
            payload = b"ERROR\n" + f"{type(exc).__name__}\n{exc}".encode("utf-8", "replace")
            code = 1
        with contextlib.suppress(OSError), os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_end)
    gc.unfreeze()
    try:
        results = _pyshacl(data, shapes, store, exact, set(groups[0]))
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        raise
    status, _, body = payload.partition(b"\n")
    if status != b"OK":
        kind, _, message = body.decode("utf-8", "replace").partition("\n")
        if kind == "ShapesRefused":
            raise ShapesRefused(message)
        raise RuntimeError(message or "the validation process ended without a report")
    return merge_reports(results, body)


def merge_reports(results: rdflib.Graph, other_nt: bytes) -> rdflib.Graph:
    """``results`` with the other report's results added under one sh:ValidationReport."""
    results.parse(data=other_nt, format="nt")
    reports = sorted(results.subjects(rdflib.RDF.type, _SH.ValidationReport), key=str)
    if len(reports) < 2:
        return results
    keep, *others = reports
    conforms = all(
        bool(value.toPython()) for value in results.objects(None, _SH.conforms)
    )  # one report node per run
    for report in others:
        for result in list(results.objects(report, _SH.result)):
            results.add((keep, _SH.result, result))
        results.remove((report, None, None))
    results.set((keep, _SH.conforms, rdflib.Literal(conforms)))
    return results
