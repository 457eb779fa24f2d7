"""Run pySHACL on a data graph, on one core or with its shapes shared out across two.

pySHACL validates each top-level shape (a shape with targets) on its own and lists the results
of all of them, so running some shapes in a forked process and the rest here gives the same
results as one run. This is done only when it cannot change anything: every top-level shape is
an IRI and the shapes hold no SHACL rules (which would add triples that other shapes then read).
The two processes take the shapes one at a time (light ones a few together), heaviest first,
from one queue (a pipe), so neither waits for the other whatever the data; the fork shares the
data graph already built.
The differential test runs every case both ways.
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
from rdflib.collection import Collection

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
    items = None
    if workers is None:
        workers = 2 if len(data) >= _SHARE_FROM and _cores() >= 2 else 1
    if workers >= 2 and hasattr(os, "fork"):
        items = shared_work(shapes, store)
    if not items:
        return _pyshacl(data, shapes, store, exact, None)
    return _run_shared(data, shapes, store, exact, items)


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


#: triples from which the shapes are shared out between two processes (the canus data has
#: 16 k; below this a fork costs more than it saves)
_SHARE_FROM = 10_000

#: the queue holds a work item's number in two bytes, all written at once into the pipe
_MAX_SHARED = 30_000
#: shapes lighter than this share of all the work run a few together: a pySHACL run costs a few
#: milliseconds of its own (building its view of the shapes)
_LIGHT = 1 / 16
_GROUP = 4  # at most, as their weights are rough guesses


def shared_work(shapes: rdflib.Graph, store: ox.Store) -> list[list[str]] | None:
    """The top-level shape IRIs in work items, heaviest first (light shapes grouped), or None
    when sharing them out is not safe or not worth it."""
    if (None, _SH.rule, None) in shapes:
        return None
    top = top_level_shapes(shapes)
    if not 2 <= len(top) <= _MAX_SHARED or not all(isinstance(s, rdflib.URIRef) for s in top):
        return None
    weighted = sorted(((_weight(shapes, store, s), str(s)) for s in top), reverse=True)
    light = sum(weight for weight, _ in weighted) * _LIGHT
    items: list[list[str]] = []
    group: list[str] = []
    group_weight = 0
    for weight, shape in weighted:
        if weight >= light:
            items.append([shape])
            continue
        group.append(shape)
        group_weight += weight
        if group_weight >= light or len(group) == _GROUP:
            items.append(group)
            group, group_weight = [], 0
    if group:
        items.append(group)
    return items if len(items) >= 2 else None


def _weight(shapes: rdflib.Graph, store: ox.Store, shape: rdflib.URIRef) -> int:
    """About how much work a shape is: its focus nodes times the cost of its constraints."""
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
    return max(1, focus) * _cost(shapes, shape, set())


#: constraints that test each value against other shapes or the class hierarchy cost more
_NESTING = (_SH.property, _SH.node, _SH["not"], _SH.qualifiedValueShape)
_LISTS = (_SH["or"], _SH["and"], _SH.xone)


def _cost(shapes: rdflib.Graph, shape: rdflib.term.Node, seen: set) -> int:
    """The constraints of ``shape`` counted with those of the shapes it uses (sh:or lists,
    sh:node, property shapes), a class test counting three."""
    if shape in seen:
        return 1
    seen = seen | {shape}
    cost = 0
    for predicate, value in shapes.predicate_objects(shape):
        if predicate in _NESTING:
            cost += 1 + _cost(shapes, value, seen)
        elif predicate in _LISTS:
            members = Collection(shapes, value)
            cost += 1 + sum(_cost(shapes, member, seen) for member in members)
        elif predicate == _SH["class"]:
            cost += 3
        else:
            cost += 1
    return max(1, cost)


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


def _run_shared(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    store: ox.Store,
    exact: bool,
    items: list[list[str]],
) -> rdflib.Graph:
    """The work ``items`` shared out between a forked child and this process through a queue;
    the child's report merged into this one."""
    queue_read, queue_write = os.pipe()
    # every item's number, written at once before anyone reads (a pipe holds 64 kB); a read of
    # two bytes takes one number whole, and an empty read means the queue is done
    os.write(queue_write, b"".join(n.to_bytes(2, "big") for n in range(len(items))))
    os.close(queue_write)
    read_end, write_end = os.pipe()
    frozen = gc.get_freeze_count()
    gc.freeze()  # keep the shared graph's pages shared: the collector would touch them all
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            results = _take_turns(queue_read, items, data, shapes, store, exact)
            payload = b"OK\n" + results.serialize(format="nt", encoding="utf-8")
        except BaseException as exc:  # everything goes back to the parent as one line
            payload = b"ERROR\n" + f"{type(exc).__name__}\n{exc}".encode("utf-8", "replace")
            code = 1
        with contextlib.suppress(OSError), os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write_end)
    if not frozen:  # else the caller froze the graphs and gives them back itself
        gc.unfreeze()
    try:
        results = _take_turns(queue_read, items, data, shapes, store, exact)
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        raise
    finally:
        os.close(queue_read)
    status, _, body = payload.partition(b"\n")
    if status != b"OK":
        kind, _, message = body.decode("utf-8", "replace").partition("\n")
        if kind == "ShapesRefused":
            raise ShapesRefused(message)
        raise RuntimeError(message or "the validation process ended without a report")
    return merge_reports(results, body)


def _take_turns(
    queue: int,
    items: list[list[str]],
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    store: ox.Store,
    exact: bool,
) -> rdflib.Graph:
    """Validate the shapes of the next item from ``queue`` until it is empty; one report."""
    every = {shape for item in items for shape in item}
    report: rdflib.Graph | None = None
    while record := os.read(queue, 2):
        item = items[int.from_bytes(record, "big")]
        results = _pyshacl(data, shapes, store, exact, every - set(item))
        if report is None:
            report = results
        else:
            for triple in results:
                report.add(triple)
    if report is None:  # the other process took every item: an empty report
        report = _pyshacl(data, shapes, store, exact, every)
    return one_report(report)


def merge_reports(results: rdflib.Graph, other_nt: bytes) -> rdflib.Graph:
    """``results`` with the other report's results added under one sh:ValidationReport."""
    results.parse(data=other_nt, format="nt")
    return one_report(results)


def one_report(results: rdflib.Graph) -> rdflib.Graph:
    """The results of several runs under one sh:ValidationReport, conforming if all did."""
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
