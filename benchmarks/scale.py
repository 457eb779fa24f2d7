"""canus at scale: each operation beside the path a user would otherwise take and raw pyoxigraph.

    make bench                                          # 10 k and 100 k triples
    python benchmarks/scale.py --sizes 10k 100k 1M      # and 1 M
    python benchmarks/scale.py --sizes 10k --no-write   # print only

Every job is a whole child process (start-up, parsing, the work, the answer written), timed on
the wall clock with its own peak memory (RSS, from ``os.wait4``), so the figures are what a user
waits for. One run per size: for each size the synthetic graph of ``speed.synthetic`` is made
once, and the jobs take turns, run after run, so noise from other work on the machine falls on
every tool alike; the tables give medians, and ratios between jobs of the same run.

- load + label search, load + 2-hop group-by: ``canus query`` beside a pyoxigraph Store and
  rdflib (parse, then SPARQL), and (rows "beside a graph per file") beside a pyoxigraph Store
  holding each file in a named graph of its own, as canus does;
- export in every format: ``canus export`` beside pyoxigraph's own serializer and rdflib's;
- validate: ``canus validate`` beside the pySHACL command line and pyrudof, on a variant of the
  graph with a known number of violations (:func:`broken`), each validator's count checked
  against it.

The growth factor of each canus operation from one size to the next (10× the triples) is
printed and anything super-linear flagged. The tables go into ``benchmarks/results.md`` and the
README's speed section (between the ``scale`` markers). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from speed import synthetic

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CANUS = str(BIN / "canus")
RESULTS = ROOT / "benchmarks" / "results.md"
README = ROOT / "README.md"
MARK_START, MARK_END = "<!-- scale:start -->", "<!-- scale:end -->"

LABEL = 'SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "Agency 7"@en }'
GROUP = (
    "SELECT ?c (COUNT(?p) AS ?n) WHERE { ?p <https://w3id.org/canus/ontology#leadAgency> ?a . "
    "?a <https://w3id.org/canus/ontology#country> ?c } GROUP BY ?c"
)
QUERIES = {"load + label search": LABEL, "load + 2-hop group-by": GROUP}
FORMATS = ["turtle", "nt", "jsonld", "xml", "trig", "nquads"]
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
RDFLIB_FORMATS.update(trig="trig", nquads="nquads")
PREFIXES = {
    "canus": "https://w3id.org/canus/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "id": "https://w3id.org/canus/id/",
    "org": "http://www.w3.org/ns/org#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# The files canus loads: the ontology (without the shapes), then data/*.ttl.
FILES = """
import glob
FILES = ["ontology/canus.ttl"] + sorted(
    p for p in glob.glob("ontology/*.ttl") if p not in ("ontology/canus.ttl", "ontology/shapes.ttl")
) + sorted(glob.glob("data/*.ttl"))
"""
OX_QUERY = (
    FILES
    + """
import sys, pyoxigraph as ox
store = ox.Store()
for path in FILES:
    store.load(path=path, format=ox.RdfFormat.TURTLE)
for row in store.query(sys.argv[1]):
    print(*(term.value for term in row), sep=",")
"""
)
# The same, each file in a named graph of its own, queried as their union: what canus keeps
# (so a query can name a file's graph, and every result its file). Shows what part of canus's
# ratio is that model rather than canus's own code.
OX_QUERY_NAMED = (
    FILES
    + """
import sys, pyoxigraph as ox
store = ox.Store()
for path in FILES:
    store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("file:///" + path))
for row in store.query(sys.argv[1], use_default_graph_as_union=True):
    print(*(term.value for term in row), sep=",")
"""
)
NAMED = ", beside a graph per file"
LIBRARY = ", library"
CANUS_LIBRARY_QUERY = """
import sys, canus
kg = canus.load(".")
for row in canus.run_sparql(kg, sys.argv[1]):
    print(*row.values(), sep=",")
"""
RDFLIB_QUERY = (
    FILES
    + """
import sys, rdflib
graph = rdflib.Graph()
for path in FILES:
    graph.parse(path, format="turtle")
for row in graph.query(sys.argv[1]):
    print(*row, sep=",")
"""
)
OX_EXPORT = (
    FILES
    + """
import sys, pyoxigraph as ox
fmt = getattr(ox.RdfFormat, sys.argv[1])
store = ox.Store()
for path in FILES:  # a named graph per file for a dataset format, else one graph
    graph = ox.NamedNode("file:///" + path) if fmt.supports_datasets else ox.DefaultGraph()
    store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
prefixes = PREFIXES if fmt.name in ("Turtle", "TriG", "RDF/XML") else None
if fmt.supports_datasets:
    store.dump(sys.argv[2], format=fmt, prefixes=prefixes)
else:
    store.dump(sys.argv[2], format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
"""
)
RDFLIB_EXPORT = (
    FILES
    + """
import sys, rdflib
fmt = sys.argv[1]
if fmt in ("trig", "nquads"):
    graph = rdflib.Dataset()
    for path in FILES:
        graph.graph(rdflib.URIRef("file:///" + path)).parse(path, format="turtle")
else:
    graph = rdflib.Graph()
    for path in FILES:
        graph.parse(path, format="turtle")
for prefix, ns in PREFIXES.items():
    graph.bind(prefix, ns)
graph.serialize(destination=sys.argv[2], format=fmt)
"""
)
OX_FORMAT_NAMES = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "jsonld": "JSON_LD",
    "xml": "RDF_XML",
    "trig": "TRIG",
    "nquads": "N_QUADS",
}
RUDOF = (
    FILES
    + """
import pyrudof
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
for path in FILES:
    rudof.read_data(path, merge=True)
rudof.read_shacl("ontology/shapes.ttl")
report = rudof.validate_shacl()
print("results:", len(report))
"""
)

# Broken things for the validation variant: each breaks exactly one rule of the shipped shapes
# (one violation, no warning), with everything else a valid agency needs.
BROKEN_HEAD = """@prefix canus: <https://w3id.org/canus/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/canus/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

"""
BROKEN_KINDS = {
    "no source": (
        'id:broken-nosource-{i} a canus:Agency ; rdfs:label "Broken {i}"@en , "Cassé {i}"@fr ;\n'
        '    dcterms:description "No source."@en , "Sans source."@fr ;\n'
        "    canus:country id:country-0 .\n"
    ),
    "no country": (
        'id:broken-nocountry-{i} a canus:Agency ; rdfs:label "Broken {i}"@en , "Cassé {i}"@fr ;\n'
        '    dcterms:description "No country."@en , "Sans pays."@fr ;\n'
        "    dcterms:source id:source-0 .\n"
    ),
    "two countries": (
        'id:broken-twocountries-{i} a canus:Agency ; rdfs:label "Broken {i}"@en , "Cassé {i}"@fr ;\n'
        '    dcterms:description "Two countries."@en , "Deux pays."@fr ;\n'
        "    canus:country id:country-0 , id:country-1 ; dcterms:source id:source-0 .\n"
    ),
}


def broken(root: Path, each: int) -> int:
    """Add ``each`` things of every broken kind to the synthetic dataset at ``root`` (in their
    own file); return the number of violations a validator must report."""
    blocks = [kind.format(i=i) for i in range(each) for kind in BROKEN_KINDS.values()]
    (root / "data" / "zz-broken.ttl").write_text(BROKEN_HEAD + "".join(blocks), encoding="utf-8")
    return each * len(BROKEN_KINDS)


@dataclass
class Job:
    operation: str
    tool: str
    argv: list[str]
    slow: bool = False  # rdflib and the pySHACL CLI: fewer runs
    trials: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(t[0] for t in self.trials)

    @property
    def peak(self) -> float:
        return statistics.median(t[1] for t in self.trials)


def timed(argv: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of this one child process, and what it printed."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace")


def count_of(tool: str, output: str) -> str:
    """How many results a validator reported, read from what it printed."""
    if tool == "canus":
        match = re.search(r"^(\d+) violations?|^valid: .* (0) violations", output, re.M)
        return (match.group(1) or match.group(2)) if match else "?"
    if tool == "pySHACL CLI":
        match = re.search(r"Results \((\d+)\)", output)
        return match.group(1) if match else str(output.count("Constraint Violation in"))
    match = re.search(r"results: (\d+)", output)
    return match.group(1) if match else "?"


def jobs_for(size: int, root: Path, out: Path, args: argparse.Namespace) -> list[Job]:
    py = sys.executable
    rdflib = size <= args.rdflib_up_to
    jobs: list[Job] = []
    for operation, sparql in QUERIES.items():
        jobs.append(Job(operation, "canus", [CANUS, "query", "--sparql", sparql, "--root", "."]))
        jobs.append(Job(operation, "pyoxigraph", [py, "-c", OX_QUERY, sparql]))
        if rdflib:
            jobs.append(Job(operation, "rdflib", [py, "-c", RDFLIB_QUERY, sparql], slow=True))
        # the same through the library, without the command's start-up (click, its modules)
        jobs.append(Job(operation + LIBRARY, "canus", [py, "-c", CANUS_LIBRARY_QUERY, sparql]))
        jobs.append(Job(operation + NAMED, "pyoxigraph", [py, "-c", OX_QUERY_NAMED, sparql]))
    prefixes = f"PREFIXES = {PREFIXES!r}\n"
    for fmt in FORMATS:
        target = str(out / f"out.{fmt}")
        operation = f"export {fmt}"
        canus = [CANUS, "export", "--format", fmt, "--output", target, "--root", "."]
        jobs.append(Job(operation, "canus", canus))
        ox_export = [py, "-c", prefixes + OX_EXPORT, OX_FORMAT_NAMES[fmt], target]
        jobs.append(Job(operation, "pyoxigraph", ox_export))
        if rdflib:
            rdf = [py, "-c", prefixes + RDFLIB_EXPORT, RDFLIB_FORMATS[fmt], target]
            jobs.append(Job(operation, "rdflib", rdf, slow=True))
    return jobs


def validate_jobs(size: int, args: argparse.Namespace) -> list[Job]:
    slow = size > args.validate_runs_up_to  # minutes a run: fewer runs
    jobs = [
        Job("validate", "canus", [CANUS, "validate", "--root", "."], slow=slow),
        Job("validate", "pyrudof", [sys.executable, "-c", RUDOF], slow=slow),
    ]
    if size <= args.pyshacl_up_to:
        shacl = [str(BIN / "pyshacl"), "-s", "ontology/shapes.ttl", "-a", "-w"]
        files = ["ontology/canus.ttl", *(f"data/{p}" for p in ("synthetic.ttl", "zz-broken.ttl"))]
        jobs.append(Job("validate", "pySHACL CLI", shacl + files, slow=True))
    return jobs


def run_size(size: int, args: argparse.Namespace, tmp: Path) -> tuple[int, int, list[Job]]:
    """All jobs at one size; returns (triples, known violations, jobs)."""
    import pyoxigraph as ox

    root = tmp / f"synthetic-{size}"
    synthetic(root, size)
    valid_root = tmp / f"broken-{size}"
    synthetic(valid_root, size)
    known = broken(valid_root, args.broken)
    triples = 0
    for path in [root / "ontology" / "canus.ttl", *sorted((root / "data").glob("*.ttl"))]:
        triples += sum(1 for _ in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    out = tmp / f"out-{size}"
    out.mkdir()
    jobs = jobs_for(size, root, out, args)
    checks = validate_jobs(size, args) if size <= args.validate_up_to else []
    runs = max(args.runs, args.quick_runs)
    for run in range(runs):
        for job in jobs:
            if wanted(job, run, args):
                job.trials.append(timed(job.argv, root))
        for job in checks:
            if wanted(job, run, args):
                job.trials.append(timed(job.argv, valid_root))
        print(f"  {size:,}: run {run + 1} of {runs} done", file=sys.stderr, flush=True)
    return triples, known, jobs + checks


def wanted(job: Job, run: int, args: argparse.Namespace) -> bool:
    """Whether ``job`` runs in round ``run``: slow tools fewer times, jobs under a second more
    (their medians move with the machine's noise by more than the differences measured)."""
    if job.slow:
        return run < args.slow_runs
    if run < args.runs:
        return True
    return bool(job.trials) and job.trials[0][0] < 1.0


def seconds_cell(job: Job | None) -> str:
    if job is None:
        return "–"
    runs = " (1 run)" if len(job.trials) == 1 else ""
    return f"{job.seconds:.2f} s, {job.peak:.0f} MB{runs}"


def size_table(size: int, triples: int, known: int, jobs: list[Job]) -> str:
    by = {(j.operation, j.tool): j for j in jobs}
    operations = list(dict.fromkeys(j.operation for j in jobs))
    lines = [
        f"### {size_label(size)} ({triples:,} triples; validation: +{known} violations)\n",
        "| operation | canus | pyoxigraph | canus ÷ pyoxigraph time, memory "
        "| rdflib / pySHACL CLI | pyrudof | canus vs rdflib / pySHACL | results (known) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for operation in operations:
        canus = by.get((operation, "canus")) or by.get((operation.removesuffix(NAMED), "canus"))
        anchor = by.get((operation.removesuffix(LIBRARY), "pyoxigraph"))
        plain = by.get((operation, "rdflib")) or by.get((operation, "pySHACL CLI"))
        rudof = by.get((operation, "pyrudof"))
        ratio = (
            f"{canus.seconds / anchor.seconds:.2f}×, {canus.peak / anchor.peak:.2f}×"
            if canus and anchor
            else (f"{canus.seconds / rudof.seconds:.2f}× pyrudof" if canus and rudof else "–")
        )
        faster = f"{plain.seconds / canus.seconds:.1f}× faster" if canus and plain else "–"
        counts = "–"
        if operation == "validate":
            found = [
                f"{tool} {count_of(tool, j.trials[0][2])}"
                for tool in ("canus", "pySHACL CLI", "pyrudof")
                if (j := by.get((operation, tool)))
            ]
            counts = ", ".join(found) + f" ({known})"
        lines.append(
            f"| {operation} | {seconds_cell(canus)} | {seconds_cell(anchor)} | {ratio} "
            f"| {seconds_cell(plain)} | {seconds_cell(rudof)} | {faster} | {counts} |"
        )
    return "\n".join(lines) + "\n"


def growth_table(results: dict[int, tuple[int, int, list[Job]]]) -> str:
    sizes = sorted(results)
    if len(sizes) < 2:
        return ""
    steps = list(itertools.pairwise(sizes))
    head = " | ".join(f"{size_label(a)} → {size_label(b)}" for a, b in steps)
    lines = [
        "### Growth (time at the larger size ÷ time at the smaller; the triples grow 10×)\n",
        "Linear work grows 10× at most (start-up is a fixed cost, so small sizes grow less);"
        " ⚠ flags growth above 12.5× (super-linear).\n",
        f"| operation | tool | {head} |",
        "|---|---|" + "---|" * len(steps),
    ]
    keys = list(dict.fromkeys((j.operation, j.tool) for j in results[sizes[0]][2]))
    for operation, tool in keys:
        cells = []
        for a, b in steps:
            ja = {(j.operation, j.tool): j for j in results[a][2]}.get((operation, tool))
            jb = {(j.operation, j.tool): j for j in results[b][2]}.get((operation, tool))
            if ja is None or jb is None:
                cells.append("–")
                continue
            factor = (jb.seconds / ja.seconds) / ((results[b][0] / results[a][0]) / 10)
            cells.append(f"{factor:.1f}×" + (" ⚠" if factor > 12.5 else ""))
        lines.append(f"| {operation} | {tool} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def size_label(size: int) -> str:
    return f"{size // 1_000_000} M" if size >= 1_000_000 else f"{size // 1_000} k"


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (10k, 100k, 1M or a number)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in ("canus", "pyoxigraph", "rdflib", "pyshacl", "pyrudof", "oxrdflib"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{name} {metadata.version(name)}")
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{when}; {cpu}, {os.cpu_count()} cores (shared: load average {load} at the end); "
        f"Linux {platform.release()}; Python {platform.python_version()}; " + ", ".join(versions)
    )


def replace_between(text: str, body: str) -> str:
    if MARK_START not in text or MARK_END not in text:
        raise SystemExit(f"README.md has no {MARK_START} … {MARK_END} markers")
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    return f"{head}{MARK_START}\n{body}{MARK_END}{tail}"


def compile_canus() -> None:
    """Compile canus's modules to bytecode first, as installing the wheel does: an editable
    install run with PYTHONDONTWRITEBYTECODE set would compile them again in every job."""
    import compileall

    import canus

    compileall.compile_dir(Path(canus.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_size, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per job (the median is kept)")
    parser.add_argument("--slow-runs", type=int, default=1, help="runs for rdflib, pySHACL CLI")
    parser.add_argument("--quick-runs", type=int, default=15, help="runs for jobs under a second")
    parser.add_argument("--rdflib-up-to", type=parse_size, default=100_000)
    parser.add_argument("--pyshacl-up-to", type=parse_size, default=10_000)
    parser.add_argument("--validate-up-to", type=parse_size, default=1_000_000)
    parser.add_argument(
        "--validate-runs-up-to",
        type=parse_size,
        default=100_000,
        help="above this size validation runs --slow-runs times",
    )
    parser.add_argument("--broken", type=int, default=10, help="things of each broken kind")
    parser.add_argument("--no-write", action="store_true", help="print; leave the files alone")
    args = parser.parse_args()
    compile_canus()

    results: dict[int, tuple[int, int, list[Job]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(args.sizes):
            results[size] = run_size(size, args, Path(tmp))
    tables = "\n".join(size_table(s, *results[s]) for s in sorted(results))
    body = f"Measured by `make bench` ({' '.join(size_label(s) for s in sorted(results))}): "
    body += f"{machine()}.\n\n{tables}\n{growth_table(results)}"
    print(body)
    if args.no_write:
        return
    RESULTS.write_text(
        "# canus at scale (`benchmarks/scale.py`, written by `make bench`)\n\n"
        "Each job a whole process; medians of the runs (15 for jobs under a second, 5 for longer\nones, 1 for rdflib and the pySHACL CLI); memory is the peak RSS of the process.\n"
        "canus ÷ pyoxigraph is the time (and memory) of canus over a bare pyoxigraph Store doing\n"
        "the same job (the limit); rdflib / pySHACL CLI is the path a user would otherwise take.\n\n"
        + body,
        encoding="utf-8",
    )
    README.write_text(replace_between(README.read_text(encoding="utf-8"), body), encoding="utf-8")


if __name__ == "__main__":
    main()
